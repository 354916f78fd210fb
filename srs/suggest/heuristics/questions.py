"""A "why" question the lesson asks and answers at once -> a question card with that answer.

Lessons raise the questions a learner would ask and answer them on the spot, as a heading ("### Why
$\\epsilon$?" over "Without it, a constant feature divides zero by zero.") or inside a paragraph ("Why do
libraries scale at training time? Because then the test-time network is the plain network."). The
question is the card's front and the sentence right after it the back. A question that points at the
text around it ("Why does this happen?"), a rhetorical one the lesson answers only over several
paragraphs, or an answer too long for one step is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.heuristics.takeaways import IMPERATIVES
from srs.suggest.heuristics.terms import leans, lesson_names, needs_notebook
from srs.suggest.model import SuggestContext, Suggestion, last_line, split_sentences

CONFIDENCE = 0.45
"""Shown on request: over rounds 17 to 22 of blind review, none of four rated usable (the next sentence
was as often a step of the argument as the reason asked for)."""
ASKING = re.compile(r"^why\b", re.I)
EXPLAINING = ASKING
"""Only "why" questions: their answer is a reason, one step. Blind readers found that "How does a word get
its vector?" or "Which words make good negatives?" has other right answers than the next sentence."""
MIN_ANSWER_WORDS, MAX_ANSWER_WORDS = 5, 30
HEADING = re.compile(r"^\s*#{2,4}\s+(?P<text>.+?)\s*$")


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A question card for each question the lesson answers in the sentence after it."""
    names = lesson_names(ctx)
    known = ctx.existing_text().lower()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown" or ctx.overview(cell):
            continue
        blocks = ctx.blocks(cell)
        for index, block in enumerate(blocks):
            found: tuple[str, str] | None = None
            if block.type == "heading":
                heading = HEADING.match(block.text)
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                if heading and following is not None and following.type == "paragraph":
                    found = _answered(heading.group("text"), split_sentences(following.text), names)
                    if found is not None and not REASON_WORDS.search(found[1]):
                        found = None  # a section's first sentence may set the scene, not give the reason
                if found is not None:
                    yield _suggestion(cell, found, "a heading that asks a question the next sentence answers")
                continue
            if block.type != "paragraph":
                continue
            sentences = split_sentences(block.text)
            for position, sentence in enumerate(sentences[:-1]):
                if sentence.endswith("?") and EXPLAINING.match(sentence):
                    found = _answered(sentence, sentences[position + 1 :], names)
                    if found is not None and found[1].lower() not in known:
                        yield _suggestion(cell, found, "a question the lesson answers in the next sentence")


def _suggestion(cell, qa: tuple[str, str], reason: str) -> Suggestion:
    return Suggestion(
        cell=cell,
        kind="qa",
        confidence=CONFIDENCE,
        reason=reason,
        heuristic="questions",
        line=last_line(cell),
        qa=qa,
    )


MIN_QUESTION_WORDS = 3
""""Why care?", "Why exponentiate?": too short to say what is asked without the text around it (a
symbol, "Why $\\epsilon$?", says it); "Why two tables?", three words and no verb, is too short as well."""


def _answered(question: str, after: list[str], names: frozenset[str]) -> tuple[str, str] | None:
    """The question and the sentence that answers it, or None when either cannot stand on a card."""
    question = re.sub(r"\*\*|__", "", question).strip()
    words = len(question.split())
    verb = re.search(r"\b(?:is|are|does|do|did|can|would|should|not)\b", question, re.I)
    short = words < MIN_QUESTION_WORDS or (words == MIN_QUESTION_WORDS and not verb)
    if not question.endswith("?") or not ASKING.match(question) or (short and "$" not in question):
        return None
    if not after:
        return None
    answer = re.sub(r"^(?:because|since)\s+", "", after[0].strip(), flags=re.I)
    answer = sentence_case(answer)
    if not MIN_ANSWER_WORDS <= len(answer.split()) <= MAX_ANSWER_WORDS or not answer.endswith("."):
        return None
    plain_question = re.sub(r"\$[^$]*\$", " ", question)
    if leans(plain_question) or needs_notebook(question + answer, names):
        return None  # "Why does this happen?", "Why is `x_hat` centred?": the notebook would be needed
    if _points_on(answer):
        return None  # "Look inside.", "Here is the picture ...": the answer is elsewhere
    if SETUP.match(answer):
        return None  # "For a single student with $y = 1$, the term is just ...": the argument starts here
    if ANNOUNCES.match(answer):
        return None  # "The derivation takes four short steps.": the answer is in the steps, not on the card
    return question, answer


REASON_WORDS = re.compile(
    r"\b(?:because|since|without|otherwise|would|cannot|can't|could|too|so that|so|needs?|must|only|never|"
    r"keeps?|prevents?|avoids?|makes?|grows?|explodes?|vanish\w*|blows? up|costs?|exponential\w*|"
    r"instead|unless|guarantees?|ensures?)\b",
    re.I,
)
"""Words of a sentence that gives a reason; a heading's question takes only such a sentence as its answer."""
SETUP = re.compile(
    r"^(?:for (?:a|an|one|the|each|every|any)|if|when|take|consider|suppose|let|start|first|unfold|"
    r"expand|write)\b",
    re.I,
)
"""An answer that sets up an argument ("For a single example, ...") rather than giving the reason."""


ANNOUNCES = re.compile(
    r"^(?:(?:the|this|our|its) (?:derivation|proof|argument|answer|reason|explanation|calculation)s? "
    r"(?:takes|has|needs|comes|goes|follows|uses|is in|runs)\b"
    r"|there (?:are|is) (?:two|three|four|five|several|a few) (?:reasons|steps|parts|ways|answers)\b)",
    re.I,
)
"""An answer that announces the argument ("The derivation takes four short steps.") without giving it."""


def _points_on(answer: str) -> bool:
    """Does the answer point elsewhere ("Look inside.") or tell the reader what to do ("Count the work
    for a realistic vocabulary.", a hint rather than the answer)?"""
    return bool(
        re.match(r"^(?:look|see|let|let's|here|to see|we|the (?:figure|plot|cell|code))\b", answer, re.I)
        or answer.split()[0].lower() in {*IMPERATIVES, "count", "consider", "compare", "try", "imagine"}
    ) or (leans(re.sub(r"\b(?:it|its|they|them|their)\b", "", re.sub(r"\$[^$]*\$", " ", answer))))
