"""Rules across cards: the same front twice (SRS111), nearly the same front for different answers (SRS112)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from srs.model import Card
from srs.verify.lint.fields import answers
from srs.verify.lint.rule import RuleContext
from srs.verify.lint.text import CODE, MATH, WORD, normalise

NEAR = 0.9
"""Share of matching tokens above which two fronts read as the same question."""


def check_same_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS111: an earlier card has the same front (ignoring case and spacing)."""
    mine = _front_key(card)
    if mine is None:
        return []
    for other in ctx.earlier:
        if other.source.key != card.source.key and _front_key(other) == mine:
            return [
                f"same front as the card at {_where(other, card)}; "
                "merge the two or make each ask its own thing"
            ]
    return []


def check_near_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS112: an earlier card's front is nearly the same but its answer differs."""
    mine = _front_key(card)
    if mine is None:
        return []
    # The card's own tokens are the matcher's second sequence, which difflib indexes once.
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(front_tokens(card.authored_front or ""))
    for other in ctx.earlier:
        theirs = _front_key(other)
        if theirs is None or theirs == mine or other.source.key == card.source.key:
            continue
        matcher.set_seq1(front_tokens(other.authored_front or ""))
        if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR or matcher.ratio() < NEAR:
            continue
        if _answer_key(other) != _answer_key(card):
            return [
                f"front is {matcher.ratio():.0%} the same as the card at {_where(other, card)}, "
                "which expects a different answer; make the fronts differ in what they ask"
            ]
    return []


def _where(other: Card, card: Card) -> str:
    # Within one notebook the path only repeats what the finding's own location says.
    text = str(other.location)
    if other.location.path == card.location.path:
        return text.removeprefix(f"{other.location.path}:")
    return text


def _front_key(card: Card) -> str | None:
    if card.authored_front is None or not card.authored_front.strip():
        return None
    return normalise(card.authored_front)


def _answer_key(card: Card) -> str:
    given = [answer.text for answer in answers(card)] or [card.back, card.value]
    return normalise(" | ".join(given))


@lru_cache(maxsize=4096)
def front_tokens(text: str) -> tuple[str, ...]:
    """Lower-cased words, with each math or code span kept whole as one token (spacing removed)."""
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append("".join(match.group(0).split()))
        return f" \x00{len(spans) - 1}\x00 "

    text = MATH.sub(keep, CODE.sub(keep, text))
    found = re.findall(rf"\x00\d+\x00|{WORD.pattern}", text)
    return tuple(spans[int(token[1:-1])] if token.startswith("\x00") else token.lower() for token in found)
