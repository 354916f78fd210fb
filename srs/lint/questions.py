"""Rules about how a question is put: not yes/no (SRS106), not "A or B?" (SRS107), not vague (SRS109),
and able to stand alone (SRS110)."""

from __future__ import annotations

import re

from srs.core.model import Card
from srs.lint.fields import clozes_in, question, replace_clozes
from srs.lint.rule import RuleContext
from srs.lint.text import (
    CODE_WORD,
    MATH_WORD,
    STOPWORDS,
    WORD,
    first_word,
    mask,
    question_sentence,
)

# fmt: off
AUXILIARIES = frozenset({
    "is", "are", "was", "were", "am", "does", "do", "did", "can", "could", "should", "would", "will",
    "shall", "has", "have", "had", "may", "might", "must", "isn't", "aren't", "doesn't", "don't",
    "can't", "won't"
})
"""A question opening with one of these is answered by yes or no."""
# fmt: on
YES_NO_ANSWER = re.compile(r"^\W*(yes|no|true|false|correct|incorrect)\b\s*(?:$|[,.;:!*_—–-])", re.IGNORECASE)
"""An answer that is a bare verdict ('Yes', 'No.', 'True, because ...'), not 'No single value ...'."""
TRUE_OR_FALSE = re.compile(
    r"\btrue\s*(?:or|/)\s*false\b|\bT\s*/\s*F\b|\byes\s*(?:or|/)\s*no\b", re.IGNORECASE
)
CHOICE_TAIL = re.compile(r"\bor\s+((?:[^\s?]+\s+){0,5}[^\s?]+)\s*\?\s*$", re.IGNORECASE)
CHOOSERS = frozenset({"which", "whichever", "who"})
VAGUE_STEMS = (
    "explain",
    "describe",
    "discuss",
    "elaborate",
    "summarise",
    "summarize",
    "tell me about",
    "talk about",
    "what about",
    "what do you know about",
    "write about",
)
PRONOUNS = frozenset({"it", "its", "this", "that", "these", "those", "they", "their"})
# fmt: off
NOT_TOPICS = frozenset({
    "make", "makes", "made", "do", "mean", "means", "work", "works", "happen", "happens", "help",
    "helps", "need", "needs", "use", "uses", "get", "gets", "give", "gives", "go", "goes", "come",
    "comes", "become", "becomes", "cause", "causes", "change", "changes", "compute", "computes",
    "return", "returns", "hold", "holds", "matter", "matters", "look", "looks", "show", "shows", "take",
    "takes", "produce", "produces", "contain", "contains", "keep", "keeps", "call", "called", "stand",
    "stands", "refer", "refers", "say", "says", "tell", "tells", "got", "would", "important",
    "true", "false", "good", "bad", "big", "small", "large", "larger", "smaller", "bigger", "sharper",
    "flatter", "better", "worse", "higher", "lower", "same", "different", "useful", "possible",
    "necessary", "wrong", "right", "why", "ok", "okay", "exactly", "really", "always", "never", "still"
})
"""Common verbs, adjectives and adverbs: they say something about a topic without naming one."""
# fmt: on


def check_yes_no(card: Card, ctx: RuleContext) -> list[str]:
    """SRS106: a question answered by yes/no or true/false."""
    front = question(card)
    if front is None:
        return []
    asking = question_sentence(front)
    if TRUE_OR_FALSE.search(front):
        return ["front asks 'true or false'; ask for the fact itself, so the answer cannot be guessed"]
    opener = first_word(asking)
    if opener in AUXILIARIES and not offers_choice(asking):
        return [f"front is a yes/no question ('{opener.capitalize()} ...?'); ask what, why or how instead"]
    verdict = YES_NO_ANSWER.match(mask(card.authored_back or ""))
    if verdict is not None:
        return [f"answer is '{verdict.group(1)}'; turn the question into one whose answer is the fact"]
    return []


def offers_choice(asking: str) -> bool:
    """Does this question sentence end by offering candidates ('Is it A or B?', 'Which, A or B?')?"""
    match = CHOICE_TAIL.search(asking)
    if match is None or match.group(1).lower().rstrip(".,") == "not":
        return False
    opener = first_word(asking)
    before = asking[: match.start()].rstrip()
    return opener in AUXILIARIES or opener in CHOOSERS or before.endswith((",", ":"))


def check_either_or(card: Card, ctx: RuleContext) -> list[str]:
    """SRS107: an "A or B?" question that hands the learner the two candidates."""
    front = question(card)
    if front is None or not offers_choice(question_sentence(front)):
        return []
    return ["front ends in 'A or B?', so the answer is a coin toss; ask for it without naming the candidates"]


def check_vague_stem(card: Card, ctx: RuleContext) -> list[str]:
    """SRS109: a front opening with 'Explain', 'Describe', 'Tell me about', ..."""
    front = question(card)
    if front is None:
        return []
    opening = " ".join(WORD.findall(mask(front))[:5]).lower()
    for stem in VAGUE_STEMS:
        if opening == stem or opening.startswith(stem + " "):
            return [
                f"front opens with '{stem.capitalize()}', which asks for an essay; ask one precise question"
            ]
    return []


def check_stands_alone(card: Card, ctx: RuleContext) -> list[str]:
    """SRS110: a front opening with a pronoun ('it', 'this', ...) that nothing on the card resolves."""
    front = _visible_front(card)
    if front is None:
        return []
    words = WORD.findall(mask(front, MATH_WORD, CODE_WORD))
    if not words or words[0].lower() not in PRONOUNS:
        return []
    if _names_topic(words[1:]) or _names_topic(
        WORD.findall(mask(card.heading, MATH_WORD, CODE_WORD))
    ):
        return []
    return [f"front opens with '{words[0]}' but names no topic; say what '{words[0].lower()}' is"]


def _visible_front(card: Card) -> str | None:
    if card.authored_front is None:
        return None
    text = card.authored_front
    clozes = clozes_in(text)
    return replace_clozes(text, clozes, {cloze.number: "[...]" for cloze in clozes})


def _names_topic(words: list[str]) -> bool:
    return any(_noun_like(word) for word in words)


def _noun_like(word: str) -> bool:
    if word in (MATH_WORD, CODE_WORD) or "_" in word or any(char.isdigit() for char in word):
        return True  # math, code and names like d_k or W1 are things
    if len(word) == 1:
        return word.isupper() and word not in {"I", "A"}  # a matrix or vector written in prose: Q, K, V
    lowered = word.lower()
    if lowered in STOPWORDS or lowered in NOT_TOPICS or len(lowered) < 3:
        return False
    return not lowered.endswith(("ly", "ed"))
