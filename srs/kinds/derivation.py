"""The `derivation` card kind: one card per step of a derivation, every step checked with sympy.

A step that does not hold stops the build (CheckFailed at the step's line). A step srs cannot read
soundly still becomes a card, tagged `unverified`; `unverified_steps` lists those as build warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from srs.core.errors import CheckFailed, SourceError
from srs.core.model import Card, CardSource, Finding, Location
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.phrasing import derivation_question
from srs.kinds.values import OptionCheck, is_text_list

if TYPE_CHECKING:
    from srs.maths.derivation import Step, StepVerdict

UNVERIFIED_TAG = "unverified"
UNVERIFIED_CODE = "SRS301"
"""Code of the warning for a derivation step that srs could not check."""


@dataclass(frozen=True)
class DerivationCard(Card):
    """The card of one derivation step, remembering where the step is and how its check went."""

    step: int = 0
    """Step number within its derivation, from 1."""
    step_location: Location | None = None
    """The line of the step's row, more precise than the source's location."""
    verdict: str = "verified"
    """'verified' or 'unverified' (a false step never becomes a card)."""
    detail: str = ""


def make_derivation(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One card per step of the derivation; raises CheckFailed at the first step that is false."""
    from srs.maths.derivation import DerivationSyntaxError, check, split_steps

    name = str(source.options["name"])
    lines = _cell_lines(source)
    try:
        steps = split_steps(source.text)
    except DerivationSyntaxError as exc:
        raise SourceError(f"derivation '{name}': {exc.message}", _at(source, lines, exc.line)) from None
    reasons = _because(source, len(steps))
    cards: list[Card] = []
    for number, step in enumerate(steps, start=1):
        location = _at(source, lines, step.line)
        verdict = check(step)
        if verdict.status == "false":
            raise CheckFailed(
                f"step {number} of derivation '{name}' does not hold: {_flat(step.before)} {step.relation} "
                f"{_flat(step.after)} ({verdict.detail}); correct the step or split it into smaller ones",
                location,
            )
        cards.append(_card(source, name, number, step, reasons[number - 1], location, verdict))
    return cards


def unverified_steps(cards: Iterable[Card]) -> list[Finding]:
    """A warning for every derivation step among `cards` that srs could not check."""
    return [
        Finding(UNVERIFIED_CODE, f"step {card.step} of derivation '{card.source.options.get('name')}' "
                f"is not checked: {card.detail}", card.step_location or card.location)
        for card in cards
        if isinstance(card, DerivationCard) and card.verdict == "unverified"
    ]


def _card(source: CardSource, name: str, number: int, step: Step, because: str | None,
          location: Location, verdict: StepVerdict) -> DerivationCard:
    relation = "" if step.relation == "=" else f"{step.relation} "
    tags = _author_tags(source) + ((UNVERIFIED_TAG,) if verdict.status == "unverified" else ())
    return DerivationCard(
        key=f"{source.key}:step{number}",
        kind="derivation",
        source=source,
        # the step's reason is on the front, so that exactly one next line is right
        front=derivation_question(name, step.before, because or step.reason),
        back=f"$${relation}{step.after}$$",
        extra=str(source.options.get("extra") or ""),
        tags=tags,
        step=number,
        step_location=location,
        verdict=verdict.status,
        detail=verdict.detail,
    )


def _because(source: CardSource, count: int) -> list[str | None]:
    # `because:` gives one reason per step, in order; it wins over reasons written in the math.
    given = source.options.get("because")
    if given is None:
        return [None] * count
    reasons: Sequence[object] = [given] if isinstance(given, str) else given
    if not isinstance(reasons, list | tuple) or len(reasons) != count:
        size = len(reasons) if isinstance(reasons, list | tuple) else "no"
        raise SourceError(f"because: gives {size} reasons but the derivation has {count} steps; give one "
                          "reason per step, in order ('' for a step without one)", source.location)
    return [str(r) if r else None for r in reasons]


def _author_tags(source: CardSource) -> tuple[str, ...]:
    tags = source.options.get("tags") or ()
    return (tags,) if isinstance(tags, str) else tuple(str(t) for t in tags)


def _cell_lines(source: CardSource) -> list[int] | None:
    """The cell line of each line of the source's text (its math blocks, joined by newlines)."""
    parts = source.parts if "\n".join(source.parts) == source.text else (source.text,)
    lines: list[int] = []
    cursor = 0
    for part in parts:
        at = source.cell.source.find(part, cursor)
        if at < 0 or not part:
            return None
        first = source.cell.source.count("\n", 0, at) + 1
        lines += range(first, first + part.count("\n") + 1)
        cursor = at + len(part)
    return lines


def _at(source: CardSource, lines: list[int] | None, offset: int) -> Location:
    if lines is None or not 0 <= offset < len(lines):
        return source.location
    return source.location.at_line(lines[offset])


def _flat(tex: str) -> str:
    return " ".join(tex.split())


def _warm_up(_options: str) -> None:
    from srs.maths.budget import start_helper

    start_helper()


register(
    KindSpec(
        name="derivation",
        make=make_derivation,
        options={"because": OptionCheck(is_text_list, "a list of reasons, one per step")},
        required=frozenset({"name"}),
        warm_up=_warm_up,
    )
)
