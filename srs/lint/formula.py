"""SRS113: a formula card asking for more parts than one step can hold."""

from __future__ import annotations

import re
from collections import Counter

from srs.core.model import Card
from srs.lint.fields import by_number, clozes_in
from srs.lint.rule import RuleContext
from srs.notebook.clozes import strip_clozes

MAX_SYMBOLS = 12
"""More top-level symbols than this is too much formula to recall in one go without clozes."""

LATEX_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[A-Za-z]|\d+(?:\.\d+)?|\S")
OPERATORS = frozenset("+-=<>*/")
# fmt: off
LAYOUT = frozenset({
    r"\left", r"\right", r"\middle", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl",
    r"\Bigr", r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\,", r"\;", r"\:", r"\!", r"\quad",
    r"\qquad", r"\displaystyle", r"\textstyle", r"\limits", r"\nolimits", r"\begin", r"\end", r"\\",
    r"\{", r"\}", r"\label", r"\nonumber", r"\notag", r"\tag", r"\cdots", r"\ldots", r"\dots",
    r"\vdots", r"\ddots", r"\hspace", r"\phantom", "\\ "
})
"""Commands that size, space or arrange a formula without being a part of it."""
# fmt: on


def check_formula_parts(card: Card, ctx: RuleContext) -> list[str]:
    """SRS113: a formula with too many cloze parts, or a long formula with no clozes at all."""
    if card.kind != "formula":
        return []
    earlier = _after_text(card, ctx)
    if clozes_in(card.source.text):
        return _too_many_clozes(card.source.text, earlier, ctx.config.max_formula_parts)
    symbols = Counter(top_level_symbols(card.source.text))
    if earlier is not None:
        symbols -= Counter(top_level_symbols(earlier))
    count = sum(symbols.values())
    if count <= MAX_SYMBOLS:
        return []
    new = " new" if earlier is not None else ""
    return [
        f"formula has {count}{new} top-level symbols (max {MAX_SYMBOLS}) and no clozes; "
        "build it up over several formula cards with clozes and `after:`"
    ]


def _too_many_clozes(text: str, earlier: str | None, limit: int) -> list[str]:
    groups = by_number(clozes_in(text))
    if earlier is not None:
        known = _squeezed(earlier)
        groups = {n: g for n, g in groups.items() if any(_squeezed(c.content) not in known for c in g)}
    if len(groups) <= limit:
        return []
    new = " new" if earlier is not None else ""
    return [
        f"formula asks for {len(groups)}{new} parts (max {limit}); "
        "split it into a build-up of formula cards linked by `after:`"
    ]


def _after_text(card: Card, ctx: RuleContext) -> str | None:
    # The formula this one builds on, complete (clozes filled in); None when it names none or it is missing.
    wanted = card.source.options.get("after")
    if not wanted:
        return None
    for other in ctx.cards:
        names = {other.key, other.source.key, str(other.source.options.get("name", ""))}
        if other.kind == "formula" and other.source is not card.source and str(wanted) in names:
            return strip_clozes(other.source.text)
    return None


def _squeezed(text: str) -> str:
    return "".join(text.replace("$", "").split())


def top_level_symbols(latex: str) -> list[str]:
    """Letters, numbers, operators and commands outside any `{...}` group; scripts belong to their base."""
    found: list[str] = []
    depth, in_script = 0, False
    for token in LATEX_TOKEN.findall(latex):
        if token in "{}":
            depth = depth + 1 if token == "{" else max(depth - 1, 0)
            in_script = False
            continue
        if depth or in_script:
            in_script = False
            continue
        if token in ("^", "_"):
            in_script = True
        elif token not in LAYOUT and (token[0] == "\\" or token[0].isalnum() or token in OPERATORS):
            found.append(token)
    return found
