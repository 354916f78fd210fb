"""SRS116: what a cloze hides follows from what its card still shows.

SRS108 catches hidden text that is written out again elsewhere. This rule catches two ways the rest
of the front gives a cloze away without repeating it:

- a formula whose other side names the hidden symbol, which appears nowhere else on its own side
  (`Attention(Q, K, V) = softmax(...) {{c4::V}}`: V is the one argument left to place);
- two clozes of one sentence joined as cause and effect ("{{c1::-inf}}, which softmax turns into
  {{c2::0}}") or as the two ends of a range ("from {{c1::-1}} ... up to {{c2::1}}"): on each card
  the other blank is shown, and one end makes the other immediate.
"""

from __future__ import annotations

import re

from srs.core.model import Card
from srs.lint.fields import by_number, cloze_text, clozes_in, replace_clozes
from srs.lint.rule import RuleContext
from srs.notebook.clozes import Cloze

DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]", re.DOTALL)
WORD_COMMANDS = re.compile(r"\\(?:mathrm|text|operatorname|textrm|mathit)\s*\{[^{}]*\}")
SYMBOL = re.compile(r"\\[A-Za-z]+|[A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?")
LONE_SYMBOL = re.compile(r"^\s*(?:\\[A-Za-z]+|[A-Za-z])(?:\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?\s*$")
LAYOUT_COMMANDS = frozenset({"\\left", "\\right", "\\frac", "\\sqrt", "\\cdot", "\\top", "\\quad", "\\,"})
SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
CONSEQUENCE = re.compile(
    r"\b(?:turns?|turned|becomes?|gives?|makes?|maps?|yields?|leads? to|so that|hence|therefore)\b",
    re.IGNORECASE,
)
RANGE_START = re.compile(r"\b(?:from|between)\s*$", re.IGNORECASE)
RANGE_END = re.compile(r"\b(?:to|and)\b", re.IGNORECASE)


def check_cloze_context(card: Card, ctx: RuleContext) -> list[str]:
    """SRS116: a cloze that the rest of its own front makes immediate."""
    text = cloze_text(card)
    if text is None:
        return []
    clozes = clozes_in(text)
    return _other_side(text, clozes) + _linked_pair(text, clozes)


def _other_side(text: str, clozes: list[Cloze]) -> list[str]:
    messages = []
    for match in DISPLAY_MATH.finditer(text):
        start, end = match.span()
        inside = [c for c in clozes if start <= c.start and c.end <= end]
        sides = _sides(text, start, end)
        for number, group in by_number(inside).items():
            hidden = group[0].content
            if len(group) > 1 or not LONE_SYMBOL.match(hidden):
                continue
            home = next((side for side in sides if side[0] <= group[0].start < side[1]), None)
            if home is None or len(sides) < 2:
                continue
            symbol = _symbols(hidden)
            own = _visible(text, home, inside, number)
            others = [_visible(text, side, inside, number) for side in sides if side != home]
            if symbol and symbol <= set().union(*others) and not symbol & own:
                messages.append(
                    f"cloze c{number} hides '{hidden.strip()}', which the other side of the formula names "
                    "and this side nowhere uses, so the blank can only be it; hide a part that needs recall"
                )
    return messages


def _sides(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the formula's sides: split at `=` outside braces and outside clozes."""
    cuts, depth = [start], 0
    for index in range(start, end):
        char = text[index]
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "=" and depth == 0 and text[index - 1 : index] not in {"<", ">", "!", "\\"}:
            cuts.append(index)
    cuts.append(end)
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def _visible(text: str, span: tuple[int, int], clozes: list[Cloze], asked: int) -> set[str]:
    """The symbols a side shows on the card for cloze `asked` (other clozes are shown filled in)."""
    within = [c for c in clozes if span[0] <= c.start < span[1]]
    shown = replace_clozes(text[span[0] : span[1]], [_shift(c, span[0]) for c in within], {asked: " "})
    return _symbols(shown)


def _shift(cloze: Cloze, offset: int) -> Cloze:
    return Cloze(cloze.number, cloze.content, cloze.hint, cloze.start - offset, cloze.end - offset)


def _symbols(tex: str) -> set[str]:
    tex = WORD_COMMANDS.sub(" ", tex)
    found = {re.sub(r"[\s{}]", "", token) for token in SYMBOL.findall(tex)}
    return {token for token in found if token not in LAYOUT_COMMANDS}


def _linked_pair(text: str, clozes: list[Cloze]) -> list[str]:
    messages = []
    ordered = sorted(clozes, key=lambda c: c.start)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if first.number == second.number:
            continue
        between = text[first.end : second.start]
        if SENTENCE_END.search(between) or "$$" in between:
            continue
        before = text[: first.start][-40:]
        if CONSEQUENCE.search(between):
            how = "the first leads straight to the second"
        elif RANGE_START.search(before) and RANGE_END.search(between):
            how = "they are the two ends of one range"
        else:
            continue
        messages.append(
            f"clozes c{first.number} and c{second.number} sit in one sentence and {how}, so each card "
            "shows what gives the other away; hide both with one number or ask each in its own sentence"
        )
    return messages
