"""Rules about how much a card asks: a short answer (SRS103), a short front (SRS104), no sets (SRS105)."""

from __future__ import annotations

import re

from srs.core.model import Card
from srs.lint.fields import answers, shown_front
from srs.lint.rule import RuleContext
from srs.lint.text import CODE_WORD, MATH_WORD, WORD, count_words, mask

LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S", re.MULTILINE)
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
SEPARATOR = re.compile(r",\s+(?:and\s+|or\s+)?|;\s+|\s+and\s+", re.IGNORECASE)
MIN_ITEMS = 3
MAX_ITEM_WORDS = 3
"""Enumerated items are short noun phrases; longer pieces between commas are clauses of one answer."""


def check_answer_words(card: Card, ctx: RuleContext) -> list[str]:
    """SRS103: an answer (or a cloze's hidden text) longer than `max_answer_words` words."""
    limit = ctx.config.max_answer_words
    messages = []
    for answer in answers(card):
        count = count_words(answer.text)
        if count <= limit:
            continue
        if answer.cloze:
            messages.append(
                f"{answer.label} hides {count} words (max {limit}); hide less, one idea per number"
            )
        else:
            messages.append(f"answer has {count} words (max {limit}); split it")
    return messages


def check_front_words(card: Card, ctx: RuleContext) -> list[str]:
    """SRS104: a front longer than `max_front_words` words."""
    front = shown_front(card)
    if front is None:
        return []
    count, limit = count_words(front), ctx.config.max_front_words
    if count <= limit:
        return []
    return [f"front has {count} words (max {limit}); cut it down to the one thing it asks"]


def check_enumeration(card: Card, ctx: RuleContext) -> list[str]:
    """SRS105: an answer that is a set: a list of 3+ items, or 3+ items joined by commas or 'and'."""
    messages = []
    for answer in answers(card):
        items = _list_items(answer.text) or _joined_items(answer.text)
        if items >= MIN_ITEMS:
            messages.append(
                f"{answer.label} is a set of {items} items; ask for one item per card, "
                "or for the idea that ties them together"
            )
    return messages


def _list_items(text: str) -> int:
    return len(LIST_ITEM.findall(mask(text)))


def _joined_items(text: str) -> int:
    prose = mask(text, MATH_WORD, CODE_WORD)
    if len([part for part in re.split(r"[.!?]\s+", prose.strip()) if part]) > 1:
        return 0  # several sentences: an explanation, not an enumeration
    prose = BRACKETED.sub(f" {MATH_WORD} ", prose)
    parts = [part for part in SEPARATOR.split(prose.strip().rstrip(".")) if WORD.search(part)]
    if len(parts) < MIN_ITEMS or any(len(WORD.findall(part)) > MAX_ITEM_WORDS for part in parts):
        return 0
    return len(parts)
