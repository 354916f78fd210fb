"""Rules across cards: the same front twice (SRS111), nearly the same front for different answers (SRS112).

Both look each card up in one `FrontIndex` over every card of the lesson, built once per lint run, so
linting stays linear in the number of cards.
"""

from __future__ import annotations

import re
from functools import lru_cache

from srs.core.model import Card
from srs.lint.fields import answers
from srs.lint.front_index import NEAR, Front, FrontIndex
from srs.lint.rule import RuleContext
from srs.lint.text import CODE, MATH, WORD, normalise

__all__ = ["NEAR", "check_near_front", "check_same_front", "front_of", "front_tokens"]


def check_same_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS111: an earlier card has the same front (ignoring case and spacing)."""
    earlier = _index(ctx).same_front(ctx.position)
    if earlier is None:
        return []
    return [
        f"same front as the card at {_where(ctx.cards[earlier], card)}; "
        "merge the two or make each ask its own thing"
    ]


def check_near_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS112: an earlier card's front is nearly the same but its answer differs."""
    found = _index(ctx).near_front(ctx.position)
    if found is None:
        return []
    earlier, score = found
    return [
        f"front is {score:.0%} the same as the card at {_where(ctx.cards[earlier], card)}, "
        "which expects a different answer; make the fronts differ in what they ask"
    ]


def _index(ctx: RuleContext) -> FrontIndex:
    index = ctx.shared.get("fronts")
    if not isinstance(index, FrontIndex):
        index = FrontIndex([front_of(card) for card in ctx.cards])
        ctx.shared["fronts"] = index
    return index


def front_of(card: Card, group: int = 0) -> Front | None:
    """What the duplicate rules compare of a card; None when it has no authored front."""
    if card.authored_front is None or not card.authored_front.strip():
        return None
    return Front(
        key=normalise(card.authored_front),
        tokens=front_tokens(card.authored_front),
        answer=answer_key(card),
        origin=card.source.key,
        group=group,
    )


def _where(other: Card, card: Card) -> str:
    # Within one notebook the path only repeats what the finding's own location says.
    text = str(other.location)
    if other.location.path == card.location.path:
        return text.removeprefix(f"{other.location.path}:")
    return text


def answer_key(card: Card) -> str:
    """The card's answers as one normalised text (what SRS112 compares)."""
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
