"""A sentence that counts its bold terms out -> a cloze hiding each in turn.

"So layer norm adds two learned vectors, a **gain** $\\gamma$ and a **bias** $\\beta$." gives the cloze
"Layer norm adds two learned vectors, a {{c1::gain}} $\\gamma$ and a {{c2::bias}} $\\beta$.": the count
and the terms left in view say what each hidden one is, so each card has one answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.model import SuggestContext, Suggestion, split_sentences

COUNTS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
ITEM = r"(?:(?:an?|the|its|their)\s+)?\*\*[^*\n]{2,40}?\*\*(?:\s+\$[^$]{1,20}\$|\s+[a-z]{3,15})?"
COUNTED = re.compile(
    r"^(?P<head>[A-Z][^.!?*:;]{3,100}?\b(?P<count>two|three|four|2|3|4)\s+(?:[a-z-]+\s+){0,2}[a-z-]+s)"
    rf"[,:]\s+(?P<items>{ITEM}(?:,\s+{ITEM})*,?\s+(?:and|or)\s+{ITEM})\s*[.!]$"
)
"""'<subject> <verb> <count> <things>, a **A** and a **B**.': the head, the count and the listed terms."""
LEADS = re.compile(r"^(?:so|then|thus|hence|and|but|now|here),?\s+", re.I)
VAGUE = re.compile(r"^(?:it|this|that|these|those|they|its|their|we|you|i|our|your|let|here|there)\b", re.I)
DATA_LAYOUT = re.compile(
    r"^(?:each|every|one)\s+(?:[\w-]+\s+){0,2}(?:is|are|was|were)\s+(?:described|recorded|measured|logged)\b",
    re.I,
)
"""'Each transaction is described by two numbers: ...': the columns of the lesson's own data."""
CONFIDENCE = 0.6


def cloze_for(sentence: str) -> str | None:
    """The cloze for a sentence that counts out its bold terms, or None."""
    sentence = LEADS.sub("", sentence.strip())
    sentence = sentence_case(sentence)
    match = COUNTED.match(sentence)
    if match is None or VAGUE.match(sentence) or DATA_LAYOUT.match(sentence):
        return None
    terms = re.findall(r"\*\*([^*\n]{2,40}?)\*\*", match.group("items"))
    if len(terms) != COUNTS[match.group("count")] or len(set(terms)) != len(terms):
        return None
    numbers = iter(range(1, len(terms) + 1))
    return re.sub(r"\*\*([^*\n]{2,40}?)\*\*", lambda m: f"{{{{c{next(numbers)}::{m.group(1)}}}}}", sentence)


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each sentence that counts out its bold terms."""
    known = ctx.existing_text().lower()
    for cell, block in ctx.prose_blocks("paragraph"):
        for sentence in split_sentences(block.text):
            text = cloze_for(sentence)
            if text is None or any(t.lower() in known for t in re.findall(r"\{\{c\d::(.*?)\}\}", text)):
                continue
            yield Suggestion(
                cell=cell,
                kind="cloze",
                confidence=CONFIDENCE,
                reason="a sentence that counts out its bold terms",
                heuristic="enumerations",
                line=block.last,
                text=text,
            )
