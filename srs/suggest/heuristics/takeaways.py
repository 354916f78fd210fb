"""A key point stated as a bold claim -> a cloze hiding what the claim says its subject is.

Summaries and "key takeaways" lists lead each item with a bold sentence and explain it after:
"1. **Attention is a soft dictionary lookup.** The query asks, the keys answer, ..." gives the cloze
"Attention is {{c1::a soft dictionary lookup}}." with the explanation as `extra:`. Only claims of the
form "subject is/are complement" are used, with a short subject and a complement of a few words, so that
the hidden part is one thing to recall and the visible part says what is asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.suggest.model import SuggestContext, Suggestion

ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+(?P<body>.*)$")
CLAIM = re.compile(r"^\*\*(?P<claim>[^*]+?)\*\*(?P<rest>.*)$")
COPULA = re.compile(
    r"^(?P<subject>(?:[^\s$]+|\$[^$]+\$)(?:\s+(?:[^\s$]+|\$[^$]+\$)){0,5}?)\s+(?P<verb>is|are)\s+"
    r"(?P<complement>[^$`]+?)[.,:;!]?$"
)
ARTICLES = frozenset({"a", "an", "the", "just", "only", "not", "no"})
VAGUE_SUBJECTS = frozenset({"it", "this", "that", "these", "those", "they", "there", "what", "which", "here"})
MAX_COMPLEMENT_WORDS = 8


def cloze_for(claim: str) -> tuple[str, str] | None:
    """The cloze text and the hidden words of a bold claim, or None when it is not 'X is Y'."""
    match = COPULA.match(claim.strip())
    if match is None:
        return None
    subject, verb, complement = match.group("subject"), match.group("verb"), match.group("complement").strip()
    words = [w for w in complement.split() if w.lower() not in ARTICLES]
    if len(words) < 2 or len(complement.split()) > MAX_COMPLEMENT_WORDS:
        return None  # a bare adjective ("free") admits other answers; a long clause is an essay
    if subject.split()[0].lower() in VAGUE_SUBJECTS or re.search(r"\b(?:not|no|never)\b", complement):
        return None
    return f"{subject} {verb} {{{{c1::{complement}}}}}.", complement


def _items(text: str) -> list[str]:
    """The items of a markdown list, each joined onto one line."""
    items: list[str] = []
    for line in text.splitlines():
        match = ITEM.match(line)
        if match:
            items.append(match.group("body").strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def _explanation(rest: str) -> str:
    rest = rest.strip().lstrip(".:;,—– ").strip()
    if not rest or not rest[0].isupper() or len(rest.split()) > 40:
        return ""
    return rest if rest.endswith((".", "!", "?")) else ""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each bold 'X is Y' claim that leads a list item."""
    known = ctx.existing_text().lower()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown":
            continue
        for block in ctx.blocks(cell):
            if block.type != "list":
                continue
            for item in _items(block.text):
                match = CLAIM.match(item)
                if match is None:
                    continue
                made = cloze_for(match.group("claim"))
                if made is None or made[1].lower() in known:
                    continue
                text, hidden = made
                extra = _explanation(match.group("rest"))
                yield Suggestion(
                    cell=cell,
                    kind="cloze",
                    confidence=0.65 if extra else 0.55,
                    reason=f"a key point in bold: {match.group('claim').strip()}",
                    heuristic="takeaways",
                    options=(("extra", extra),) if extra else (),
                    line=block.last,
                    text=text,
                )
