"""A claim the lesson backs with "because" -> a question card asking for the reason.

Lessons in this format explain every step to a beginner, so their prose is full of claims with their
reason attached: "More heads do not cost more weights, because each head gets a thinner slice." The
claim is the card's front ("More heads do not cost more weights: why?") and the reason its back.
"<claim>, since <reason>", "<reason>, which is why <claim>" and the two-sentence forms ("The std grows
like √d. This is because ...", "Reason. That is why claim.") count too.

Only claims that stand alone are used: no pronoun or pointer to the text around them, no number of this
notebook's run, no picture, no lesson voice ("we use ..."); a claim that is too short to say what it is
about ("The order matters") or a reason that is itself a list or runs on is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.heuristics.takeaways import IMPERATIVES
from srs.suggest.heuristics.terms import LEANING, RUN_DETAIL, leans, lesson_names, needs_notebook
from srs.suggest.model import PICTURE, SuggestContext, Suggestion, last_line, split_sentences

CONFIDENCE = 0.45
"""Shown on request: blind readers rated 32 of 44 usable in rounds 17 to 25 but 5 of 20 in rounds 26 to
29 (fronts that lean on a plot, a run or the sentence before in ways no rule caught)."""
INLINE = re.compile(r"^(?P<claim>[A-Z$`*][^:;]*?),?\s+because\s+(?!of\b)(?P<reason>[^:;]+?)\.$")
"""'<claim>, because <reason>.' in one sentence; 'because of <noun>' names a cause, not a reason to recall."""
FOLLOWING = re.compile(r"^(?:this|that) is (?:because|since)\s+(?P<reason>[^:;]+?)\.$", re.I)
"""The second sentence of 'Claim. This is because reason.'."""
SINCE = re.compile(
    r"^(?P<claim>[A-Z$`*][^:;]*?),\s+since\s+(?!then\b|the (?:start|beginning)\b)(?P<reason>[^:;]+?)\.$"
)
"""'<claim>, since <reason>.': "since" as a reason ("since then" and "since the start" tell a time)."""
WHICH_IS_WHY = re.compile(r"^(?P<reason>[A-Z$`*][^:;]*?),\s+which is why\s+(?P<claim>[^:;]+?)\.$")
"""'<reason>, which is why <claim>.'."""
THAT_IS_WHY = re.compile(r"^(?:this|that) is why\s+(?P<claim>[^:;]+?)\.$", re.I)
"""The second sentence of 'Reason. That is why claim.'."""
ASKS_TO = frozenset({"think", "imagine", "consider", "suppose", "recall", "picture", "notice", "look", "see"})
"""A claim that asks the reader to imagine something ("Think of each tree's prediction as ...") sets up a
picture; its "because" explains the picture, not a fact."""
OPENERS = re.compile(r"^(?:and|but|or|now|so|then|also)\b", re.I)
"""A claim that opens by joining on to the sentence before it."""
MIN_CLAIM_WORDS, MAX_CLAIM_WORDS = 5, 20
MIN_REASON_WORDS, MAX_REASON_WORDS = 4, 25
VOICE = re.compile(r"\b(?:we|our|us|you|your|I|let's|note|asserts?)\b", re.I)
"""The lesson speaking of what it does ("We use 64-bit floats", "The assert uses a loose threshold"): a
choice of this notebook, not a fact."""
VAGUE = re.compile(r"\b(?:story|different|matters?|works?|helps?|fine|wrong|better|worse|same)\s*$", re.I)
"""A claim that ends on a judgement without saying in what ("For Adam the story is different")."""
ASIDE = re.compile(r"\b(?:its|that is|for choosing)\b", re.I)
"""Claims that lean on what came before in ways the shared pointer words miss."""
CURVE = re.compile(r"\b(?:curves?|runs?|left out)\b|\(\s*\d+\s*,\s*\d+(?:\s*,\s*\d+)*\s*\)", re.I)
"""'The MSE curve stays high', 'The std=1 run is left out', 'The output is (3, 8)': a line of a plot or
a detail of the notebook's run, which the card does not show."""
REASON_POINTER = re.compile(r"^(?:this|that|these|those|here|there)\b", re.I)
"""A reason that opens by pointing ("that is where ...") does not say its subject."""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A question card for each claim whose reason the same or the next sentence gives."""
    names = lesson_names(ctx)
    known = ctx.existing_text().lower()
    for cell, block in ctx.prose_blocks("paragraph"):
        if ctx.overview(cell):
            continue
        sentences = split_sentences(" ".join(block.text.split()))
        for position, sentence in enumerate(sentences):
            found = _inline(sentence, sentences[position - 1] if position > 0 else "")
            if found is None:
                continue
            qa = _card(*found, names)
            if qa is not None and qa[1].lower() not in known:
                yield Suggestion(
                    cell=cell,
                    kind="qa",
                    confidence=CONFIDENCE,
                    reason="a claim the lesson gives its reason for",
                    heuristic="reasons",
                    line=last_line(cell),
                    qa=qa,
                )


def _points(text: str) -> bool:
    """Does the reason point at the cells or sentences around it? ("it" may: it names the claim's subject.)"""
    from srs.lint.notebook_refs import PLACES, POINTING

    return any(rule.search(text) for rule in (PLACES, POINTING)) or bool(
        re.search(r"\b(?:above|below|earlier)\b", text)
    )


def _inline(sentence: str, before: str) -> tuple[str, str] | None:
    """The claim and its reason that the sentence (with the one before it) states, if any."""
    sentence = sentence.strip()
    if before:
        following = FOLLOWING.match(sentence)
        if following:
            return before.rstrip("."), following.group("reason")
        why = THAT_IS_WHY.match(sentence)
        if why:
            return sentence_case(why.group("claim")), before.rstrip(".")
    for pattern in (INLINE, SINCE):
        match = pattern.match(sentence)
        if match:
            return match.group("claim"), match.group("reason")
    match = WHICH_IS_WHY.match(sentence)
    if match:
        return sentence_case(match.group("claim")), match.group("reason")
    return None


def _card(claim: str, reason: str, names: frozenset[str]) -> tuple[str, str] | None:
    """The front and back for a claim and its reason, or None when either cannot stand on a card."""
    claim = re.sub(r"\*\*|__", "", claim).strip().rstrip(",")
    reason = re.sub(r"\*\*|__", "", reason).strip()
    if not (MIN_CLAIM_WORDS <= len(claim.split()) <= MAX_CLAIM_WORDS):
        return None
    if not (MIN_REASON_WORDS <= len(reason.split()) <= MAX_REASON_WORDS):
        return None
    if not claim[0].isupper() and claim[0] not in "$`":
        return None
    for text in (claim, reason):
        if VOICE.search(text) or PICTURE.search(text) or CURVE.search(text) or needs_notebook(text, names):
            return None
        if RUN_DETAIL.search(re.sub(r"`[^`]*`", " ", text)):
            return None  # a number of this run, in prose or in math
    if (
        LEANING.search(claim)
        or leans(claim)
        or VAGUE.search(claim)
        or ASIDE.search(claim)
        or OPENERS.match(claim)
    ):
        return None
    prose = re.sub(r"`[^`]*`|\$[^$]*\$", " ", claim)
    if re.search(r"\d|\(|\)", prose) or claim.split()[0].lower() in IMPERATIVES | ASKS_TO:
        return None  # "give 0", "(first number)": what this run printed; "Write ...": an instruction
    if any(text.count("(") != text.count(")") for text in (claim, reason)):
        return None  # the sentence split cut through a parenthesis
    if REASON_POINTER.match(reason) or _points(reason) or re.search(r"[:;]", reason):
        return None
    if re.search(r",\s*(?:and|but|or)\s*$|\b(?:and|but|or)$", claim) or claim.startswith("("):
        return None  # the sentence split cut a list or an aside
    return f"{claim}: why?", f"{sentence_case(reason)}."
