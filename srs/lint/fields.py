"""The parts of a card the rules judge, taken only from what its author wrote.

`Card.authored_front` / `authored_back` are None where srs generated the text; such text is never
judged. A formula's display math is the exception: srs wraps it in a generated front, but the math
itself, clozes included, is always the author's, so it is read from the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from srs.core.model import Card
from srs.notebook.clozes import Cloze, UnclosedCloze, find_clozes, has_cloze


@dataclass(frozen=True)
class Answer:
    """One thing a card asks the learner to produce, with how a message names it."""

    label: str
    """'answer' for a back, 'cloze c2' for the text a cloze number hides."""
    text: str
    cloze: bool = False


def clozes_in(text: str) -> list[Cloze]:
    """The clozes of a text; none when a marker is unclosed (the source check reports that)."""
    try:
        return find_clozes(text)
    except UnclosedCloze:
        return []


def cloze_text(card: Card) -> str | None:
    """The author's text that holds the card's clozes, or None when the card has none."""
    if card.authored_front is not None and has_cloze(card.authored_front):
        return card.authored_front
    if card.kind == "formula" and has_cloze(card.source.text):
        return card.source.text
    return None


def question(card: Card) -> str | None:
    """The author's front when it is a question or prompt (not a cloze text), else None."""
    front = card.authored_front
    if front is None or has_cloze(front) or not front.strip():
        return None
    return front.strip()


def by_number(clozes: list[Cloze]) -> dict[int, list[Cloze]]:
    """Clozes grouped by their number, numbers in ascending order."""
    groups: dict[int, list[Cloze]] = {}
    for cloze in sorted(clozes, key=lambda c: (c.number, c.start)):
        groups.setdefault(cloze.number, []).append(cloze)
    return groups


def replace_clozes(text: str, clozes: list[Cloze], shown: dict[int, str] | None = None) -> str:
    """The text with each cloze replaced by `shown[number]`, or by its content when not given."""
    pieces: list[str] = []
    last = 0
    for cloze in sorted(clozes, key=lambda c: c.start):
        pieces.append(text[last : cloze.start])
        pieces.append(shown[cloze.number] if shown and cloze.number in shown else cloze.content)
        last = cloze.end
    pieces.append(text[last:])
    return "".join(pieces)


def answers(card: Card) -> list[Answer]:
    """What the author asks for: the authored back, and the text each cloze number hides."""
    found: list[Answer] = []
    if card.authored_back is not None and card.authored_back.strip():
        found.append(Answer("answer", card.authored_back.strip()))
    text = cloze_text(card)
    if text is not None:
        for number, group in by_number(clozes_in(text)).items():
            hidden = " ".join(cloze.content for cloze in group)
            found.append(Answer(f"cloze c{number}", hidden, cloze=True))
    return found


def shown_front(card: Card) -> str | None:
    """The author's front as read in full (cloze contents in place), or None when srs wrote it."""
    text = cloze_text(card) if card.authored_front is None else card.authored_front
    if text is None:
        return None
    return replace_clozes(text, clozes_in(text))
