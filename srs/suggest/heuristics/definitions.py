"""A bold term followed by its meaning -> a question card asking for the meaning.

"**Attention** is a weighted average of value vectors" gives "Q: What is attention?" with the rest
of the sentence as the answer. Terms the notebook's cards already ask about are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.suggest.model import SuggestContext, Suggestion

DEFINITION = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:An?|The)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*\s*"
    r"(?:(?P<verb>is|are|means|refers to)\s+|[:—–]\s+|-\s+)(?P<meaning>[^.!?\n]{8,160})[.!?]"
)
MAX_ANSWER_WORDS = 15


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A question card for each defined bold term."""
    asked = ctx.existing_text().lower()
    seen: set[str] = set()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown":
            continue
        for block in ctx.blocks(cell):
            if block.type not in {"paragraph", "list"}:
                continue
            flat = " ".join(block.text.split())
            for match in DEFINITION.finditer(flat):
                term = match.group("term").strip()
                meaning = match.group("meaning").strip()
                key = term.lower()
                if key in seen or key in asked or len(term.split()) > 4 or "$" in term:
                    continue
                if len(meaning.split()) > MAX_ANSWER_WORDS or term.lower() in meaning.lower():
                    continue
                seen.add(key)
                plural = match.group("verb") == "are"
                question = f"What {'are' if plural else 'is'} {_lowered(term)}?"
                answer = meaning[0].upper() + meaning[1:] + "."
                yield Suggestion(
                    cell=cell,
                    kind="qa",
                    confidence=0.6 if match.group("verb") else 0.5,
                    reason=f"**{term}** is defined in the text",
                    heuristic="definitions",
                    line=block.last,
                    qa=(question, answer),
                )


def _lowered(term: str) -> str:
    # keep acronyms and names (LSTM, Adam); lower an ordinary capitalised first word
    first, _, rest = term.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}".strip()
