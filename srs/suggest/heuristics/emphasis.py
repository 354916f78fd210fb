"""A short phrase a lesson sets in bold inside a claim -> a cloze hiding that phrase.

Lessons bold what they want remembered, not only terms they define: "Changing $w$ **turns** the line;
changing $b$ **slides** it." or "A linear penalty in score space becomes an **exponential decay** in
weight space." The rest of the sentence is the cue, the bold phrase is the step. The terms heuristic
takes bold terms in the sentence that defines them; this one takes the other bold phrases, and only in
sentences that stand alone: no pointers at the text around, no picture, no detail of this notebook's
run, no code the notebook wrote, and nothing on the card that spells the phrase out. Blind review rated
few of these usable, so they are shown only on request (see `CONFIDENCE`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.heuristics.terms import (
    BACK_REFERENCES,
    BOLD,
    cloze_for,
    contrasted,
    gives_away,
    leans,
    lesson_names,
    needs_notebook,
    sentences,
)
from srs.suggest.model import PICTURE, SuggestContext, Suggestion

CONFIDENCE = 0.35
WORD_CONFIDENCE = 0.3
"""Shown only on request (`--min-confidence 0.3`): in rounds 22 and 23 of blind review, 3 of 14 ratings
were usable. The bold phrase is the lesson's emphasis, not a gap with one answer: readers found the
words around it give it away ("excludes the queries" leaves "keys and values") or fit others as well
("depends on its **units**": scale, range), and one word the most often."""
MIN_WORDS, MAX_WORDS = 8, 35
MAX_PHRASE_WORDS = 6
MAX_SHARE = 0.5
"""A bold phrase longer than half its sentence is the whole claim: hiding it leaves no cue."""
NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nothing", "neither", "nor", "without"})
"""A bold negation hidden leaves a yes/no question: is the claim true or not?"""
OPENERS = re.compile(
    r"^(?:so|thus|hence|therefore|now|and|but|again|still|here|first|second|finally|in short|in other words)"
    r",?\s+",
    re.I,
)
"""Connectives that tie the sentence to the one before: dropped from the card's text."""
COMMANDS = re.compile(
    r"^(?:imagine|notice|note|write|rewrite|call|consider|let|recall|remember|take|look|try|see|suppose|"
    r"shuffle|compare|check|compute|run|plot|add|use|pick|keep|think|where|which|whereas|while)\b",
    re.I,
)
"""A sentence that tells the reader what to do, or a clause cut from the one before: no claim to recall."""
LABEL = re.compile(r"^(?:\w+\s){0,2}\w+:\s")
"""A sentence that opens on a label ("The task: ..."): what follows is this lesson's setting."""
RUN_NUMBER = re.compile(r"\$\s*-?\d*\.\d+\s*\$|\$\s*-?\d{2,}\s*\$")
"""A decimal or a number of two digits or more written as math (`$5.5$`): a value of this run."""
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
VOICE = re.compile(r"\b(?:we|our|us|you|your|let's|let us)\b", re.I)
"""The lesson speaking to its reader: "we **throw away** ...", "your weights" is a step of this lesson."""
CLOZED = re.compile(r"\{\{c\d+::(.*?)\}\}")
EMPHASIS_ONLY = frozenset(
    {"very", "really", "much", "all", "every", "each", "any", "both", "always", "also", "just", "even"}
)


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each sentence that sets one or two short claims' key phrases in bold."""
    names = lesson_names(ctx)
    known = ctx.existing_text().lower()
    for cell, block in ctx.prose_blocks("paragraph"):
        if ctx.overview(cell):
            continue  # the opening previews and the summary restates: each claim is made elsewhere
        for sentence in sentences(block.text):
            text = cloze_text(sentence, names, ctx.shown_context(cell, block.first))
            if text is None or _plain_words(text).lower() in known:
                continue
            one_word = all(" " not in m.group("term").strip() for m in BOLD.finditer(sentence))
            yield Suggestion(
                cell=cell,
                kind="cloze",
                confidence=WORD_CONFIDENCE if one_word else CONFIDENCE,
                reason="a phrase the lesson sets in bold in a claim",
                heuristic="emphasis",
                line=block.last,
                text=text,
            )


def cloze_text(sentence: str, names: frozenset[str], context: str) -> str | None:
    """The sentence with its bold phrases as clozes, or None when it would not make a card."""
    matches = list(BOLD.finditer(sentence))
    if not 1 <= len(matches) <= 2 or sentence.lstrip().startswith("**"):
        return None  # none; an overview of terms; or a bold label or claim that opens the sentence
    if any(cloze_for(sentence, match, names) is not None for match in matches):
        return None  # a term in the sentence that defines it: the terms and definitions heuristics' card
    plain = BOLD.sub(lambda m: m.group("term"), sentence)
    phrases = [match.group("term").strip() for match in matches]
    if not all(_phrase(phrase) for phrase in phrases):
        return None
    bold_words = sum(len(phrase.split()) for phrase in phrases)
    words = len(plain.split())
    if not MIN_WORDS <= words <= MAX_WORDS or bold_words > MAX_SHARE * words:
        return None
    if not re.search(r"[.!?]$", plain) or plain.count("(") != plain.count(")") or plain.count("$") % 2:
        return None  # a sentence that runs on into a formula or a list
    body = OPENERS.sub("", plain)
    first = body.find(phrases[0])
    # after the first phrase, "it" and "they" point back inside the sentence ("slides it": the line)
    if (
        leans(body[:first])
        or leans(BACK_REFERENCES.sub("", body[first:]))
        or PICTURE.search(body)
        or VOICE.search(body)
        or needs_notebook(body, names)
    ):
        return None
    if COMMANDS.match(body) or LABEL.match(body) or RUN_NUMBER.search(body):
        return None
    if re.search(r"\?|\b(?:e\.g\.|i\.e\.|for example|for instance)", body, re.I):
        return None  # a question is no claim; an example's specifics are not the idea
    rest = body
    for phrase in phrases:
        rest = rest.replace(phrase, " ")
    if any(gives_away(phrase, f"{rest} {context}") for phrase in phrases):
        return None  # "the **sign** of ... is the sign of ...": the card shows its own answer
    if any(contrasted(phrase, rest) for phrase in phrases):
        return None  # "from the **training set**, then applied to the test set": the pair gives it away
    text = sentence_case(body)
    for number, phrase in enumerate(phrases, start=1):
        text = text.replace(phrase, f"{{{{c{number}::{phrase}}}}}", 1)
    return text


def _phrase(phrase: str) -> bool:
    """Is the bold span a short phrase worth recalling: not a label, a negation or an intensifier?"""
    words = re.findall(r"[A-Za-z][\w'’-]*", re.sub(r"\$[^$]*\$", " x ", phrase))
    if not words or len(phrase.split()) > MAX_PHRASE_WORDS or phrase.endswith((":", ".")):
        return False
    lowered = {word.lower() for word in words}
    if lowered & NEGATIONS or lowered <= EMPHASIS_ONLY or lowered <= NUMBER_WORDS:
        return False  # "**not**", "**every**", "**one**": a yes/no or a count, not an idea
    if phrase[:1] in "\"'“‘":
        return False  # a quoted example ("the cat sat on the"): this lesson's data
    return "`" not in phrase and phrase.count("$") % 2 == 0


def _plain_words(text: str) -> str:
    return " ".join(CLOZED.sub(r"\1", text).split())
