"""A key point stated as a bold claim -> a cloze hiding what the claim says its subject is.

Summaries and "key takeaways" lists lead each item with a bold sentence and explain it after:
"1. **Attention is a soft dictionary lookup.** The query asks, the keys answer, ..." gives the cloze
"Attention is {{c1::a soft dictionary lookup}}." with the explanation as `extra:`. Only claims of the
form "subject is/are complement" are used, with a short subject and a complement of a few words, so that
the hidden part is one thing to recall and the visible part says what is asked. A claim about what its
subject does, followed by its reason ("2. **Padding keeps the output length**: zeros on each side let
the kernel reach the edges."), gives "Padding keeps the output length: why?" with that reason as the
answer (`reason_card`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.model import SuggestContext, Suggestion, last_line, list_items

CLAIM = re.compile(r"^\*\*(?P<claim>[^*]+?)\*\*(?P<rest>.*)$")
COPULA = re.compile(
    r"^(?P<subject>(?:[^\s$]+|\$[^$]+\$)(?:\s+(?:[^\s$]+|\$[^$]+\$)){0,5}?)\s+(?P<verb>is|are)\s+"
    r"(?P<complement>[^$`]+?)[.,:;!]?$"
)
ARTICLES = frozenset({"a", "an", "the", "just", "only", "not", "no"})
VAGUE_SUBJECTS = frozenset({"it", "this", "that", "these", "those", "they", "there", "what", "which", "here"})
MAX_COMPLEMENT_WORDS = 8
KEY_POINT_CONFIDENCE = 0.35
"""Under the weaker kinds' threshold too: a key point's complement ("blind to order", "the whole memory")
is one of several true things to say about its subject, so blind readers rate most of these ambiguous
(round 22: none of ten usable); they are shown only at `--min-confidence 0.3` or below."""
HIDDEN_SHARE = 0.6
MIN_HIDDEN_WORDS = 4
"""A cloze hiding at least this many words, and more than this share of its sentence, hides too much."""


def _words(text: str) -> int:
    """Words as the cloze rules count them: a math or code span is one word."""
    from srs.lint.text import CODE_WORD, MATH_WORD, count_words, mask

    return count_words(mask(text, MATH_WORD, CODE_WORD))


def _lowered(subject: str) -> str:
    """The subject inside a question: an ordinary capitalised first word lowered, names and acronyms kept."""
    first, _, rest = subject.partition(" ")
    if first in {"A", "An", "The"} or (first[:1].isupper() and first[1:].islower()):
        first = first.lower()
    return f"{first} {rest}".strip()


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


REASON_CONFIDENCE = 0.35
"""Under the weaker kinds' threshold too: in blind review of seed-format lessons, a key point's
explanation was as often an example or an observation ("four layers see 9 inputs") as the reason the
front asks for."""
MAX_REASON_WORDS = 25
ACTION_CLAIM = re.compile(r"^[A-Z$][^.!?:;]{1,90}?\s[a-z]{3,}s\b[^.!?:;]{3,80}$")
"""A claim that says what its subject does ("Padding keeps the output length"), not what it is."""
IMPERATIVES = frozenset(
    {"check", "use", "compute", "try", "keep", "add", "avoid", "remember", "start", "make", "run", "plot"}
    | {"prefer", "watch", "test", "measure", "never", "always", "do", "don't", "scale", "clip", "set"}
)
"""First words of an instruction ("Check with central differences ..."): its 'why' is advice, not a fact."""
REASON = re.compile(r"^(?:because|since|as)\s+", re.I)


def reason_card(claim: str, rest: str) -> tuple[str, str] | None:
    """'<claim>: why?' and the reason the item gives, for "**claim**: because ..." or "**claim.** Reason."."""
    closed = claim.strip().endswith((".", ":"))
    claim = claim.strip().rstrip(".:")
    explanation = rest.strip()
    if not ACTION_CLAIM.match(claim) or re.search(r"\b(?:is|are|was|were|be)\b", claim):
        return None  # what its subject is: a cloze asks that (`cloze_for`)
    leaning = re.search(r"\b(?:it|them|this|that|these|those)\b", claim)
    if claim.split()[0].lower() in VAGUE_SUBJECTS | IMPERATIVES or leaning:
        return None  # an instruction, or a claim that leans on the text before it
    if re.search(r"\b(?:not|no|never)\b", claim):
        return None  # a denial's reason is usually the other half of a comparison
    opens = closed or explanation.startswith((":", ".", "—", "–"))
    if not opens and not REASON.match(explanation.lstrip(", ")):
        return None  # ", so it ...": what follows, not why
    explanation = explanation.lstrip(":.—–, ").strip()
    explanation = REASON.sub("", explanation)
    if not explanation or not explanation.endswith(".") or len(explanation.split()) > MAX_REASON_WORDS:
        return None
    if re.search(r"\b(?:this|that|these|those|above|below|here)\b", explanation, re.I) or "**" in explanation:
        return None
    if explanation.count(".") > 1:
        return None  # more than one sentence: more than one thing to recall
    return f"{claim}: why?", sentence_case(explanation)


def _explanation(rest: str) -> str:
    rest = rest.strip().lstrip(".:;,—– ").strip()
    if not rest or not rest[0].isupper() or len(rest.split()) > 40:
        return ""
    return rest if rest.endswith((".", "!", "?")) else ""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each bold 'X is Y' claim that leads a list item."""
    known = ctx.existing_text().lower()
    for cell, block in ctx.prose_blocks("list"):
        for item in list_items(block.text):
            match = CLAIM.match(item)
            if match is None:
                continue
            made = cloze_for(match.group("claim"))
            if made is None:
                reason = reason_card(match.group("claim"), match.group("rest"))
                if reason is not None and reason[1].lower() not in known:
                    yield Suggestion(
                        cell=cell,
                        kind="qa",
                        confidence=REASON_CONFIDENCE,
                        reason=f"a key point in bold with its reason: {match.group('claim').strip()}",
                        heuristic="takeaways",
                        line=last_line(cell),
                        qa=reason,
                    )
                continue
            if made[1].lower() in known:
                continue
            text, hidden = made
            extra = _explanation(match.group("rest"))
            shown, hides = _words(text.replace("{{c1::", "").replace("}}", "")), _words(hidden)
            question = None
            if hides >= MIN_HIDDEN_WORDS and hides > HIDDEN_SHARE * shown:
                # a cloze would hide most of its sentence: ask for the phrase instead
                subject, verb = text.split(" {{c1::")[0].rsplit(" ", 1)
                question = (
                    f"In one phrase, what {verb} {_lowered(subject)}?",
                    f"{sentence_case(hidden)}.",
                )
            yield Suggestion(
                cell=cell,
                kind="qa" if question else "cloze",
                confidence=KEY_POINT_CONFIDENCE,
                reason=f"a key point in bold: {match.group('claim').strip()}",
                heuristic="takeaways",
                options=(("extra", extra),) if extra else (),
                line=last_line(cell) if question else block.last,
                text=None if question else text,
                qa=question,
            )
