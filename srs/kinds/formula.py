"""formula cards: a display formula asked by name, part by part when it holds clozes, and at an example."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from srs.core.errors import SourceError
from srs.core.model import Card, CardSource
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.phrasing import example_question, formula_gap_question, formula_question
from srs.kinds.values import TEXT, OptionCheck, is_number
from srs.notebook.clozes import has_cloze, strip_clozes


def _tags(source: CardSource) -> tuple[str, ...]:
    return tuple(source.options.get("tags", ()))


def make_formula(source: CardSource, ctx: MakeContext) -> list[Card]:
    """The formula asked by name; with clozes, one card per part; with `example:`, its value there."""
    name = source.options["name"]
    math = source.text.strip()
    extra = source.options.get("extra", "")
    if has_cloze(math):
        card = Card(
            key=source.key,
            kind="formula",
            source=source,
            front=f"{formula_gap_question(name)}\n\n{math}",
            back=source.options.get("back", ""),
            extra=extra,
            cloze=True,
            tags=_tags(source),
        )
    else:
        card = Card(
            key=source.key,
            kind="formula",
            source=source,
            front=source.options.get("front", formula_question(name)),
            back=math,
            extra=extra,
            authored_front=source.options.get("front"),
            tags=_tags(source),
        )
    cards = [card]
    if "example" in source.options:
        cards.append(_example_card(source, name, math))
    return cards


def _example_card(source: CardSource, name: str, math: str) -> Card:
    from srs.core.memo import remembered
    from srs.maths.budget import OverBudget, evaluate_within_budget

    values = {str(k): float(v) for k, v in source.options["example"].items()}
    formula = strip_clozes(_unwrap_math(math))
    compute = lambda: evaluate_within_budget(formula, values)  # noqa: E731
    try:
        result = remembered("example", [formula, values], compute, float, float)
    except OverBudget as over:
        raise SourceError(
            f"cannot compute the `example:` value of this formula: {over}; use smaller numbers",
            source.location,
            code="SRS028",
        ) from None
    except Exception as error:  # the LaTeX layer reports its own failures; keep the author's view
        raise SourceError(
            f"cannot compute the `example:` value of this formula ({error}); "
            "give the example on a scalar formula whose symbols are all listed",
            source.location,
            code="SRS028",
        ) from None
    given = _and(f"${_latex_symbol(k)} = {_number(v)}$" for k, v in values.items())
    # The formula stays off the front: shown, it would turn recalling it into arithmetic. The back
    # shows it as the way to the answer; the value itself is shown once, in the Value field.
    return Card(
        key=f"{source.key}:example",
        kind="formula",
        source=source,
        front=example_question(name, given),
        back=f"$${formula}$$",
        value=_number(result),
        tags=_tags(source),
    )


def _and(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _unwrap_math(text: str) -> str:
    text = text.strip()
    if text.startswith("$$") and text.endswith("$$"):
        return text[2:-2].strip()
    return text


def _latex_symbol(name: str) -> str:
    head, _, tail = name.partition("_")
    return f"{head}_{{{tail}}}" if tail else head


def _number(value: float) -> str:
    return f"{value:.6g}"


def _warm_up_examples(options: str) -> None:
    if "example" in options:
        from srs.maths.budget import start_helper

        start_helper()


def _is_example(value: Any) -> bool:
    return isinstance(value, Mapping) and all(is_number(v) for v in value.values())


register(
    KindSpec(
        name="formula",
        make=make_formula,
        options={
            "after": TEXT,
            "example": OptionCheck(_is_example, "a mapping of symbols to finite numbers, like {d_k: 64}"),
        },
        required=frozenset({"name"}),
        warm_up=_warm_up_examples,
    )
)
