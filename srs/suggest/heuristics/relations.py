"""A sentence whose point is one inline equation -> a cloze hiding the equation.

Lessons state their small results in running text: "With $P = (K - 1)/2$ (for odd $K$) the output has
exactly the input's length", "a classifier that guesses 50/50 has a loss of $\\ln 2 \\approx 0.69$". The
sentence says what the equation is about, so hiding the equation asks for one step: the relation itself.
Only equations with a symbol in them (a relation between quantities) or an approximation (the size of a
number worth knowing) are hidden; arithmetic on numbers alone is a calculator's job. The sentence must
stand alone: no pointers at the text or the cells around it, no code the lesson made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.suggest.heuristics.terms import leans, lesson_names, needs_notebook, sentences
from srs.suggest.model import SuggestContext, Suggestion

CONFIDENCE = 0.45
"""Under the default threshold: on lessons the heuristics were not written from, blind readers found most
of these hide notation ("a weighted sum $y = \\sum_i w_i x_i$") or arithmetic on the lesson's numbers
rather than a result worth a card."""
INLINE = re.compile(r"(?<![$\\])\$(?!\$)(?P<math>[^$\n]+?)(?<!\\)\$(?!\$)")
RELATION = re.compile(r"(?<![<>!\\])=|\\approx|\\simeq|\\propto|\\leq?\b|\\geq?\b|\\ll\b|\\gg\b")
APPROXIMATE = re.compile(r"\\approx|\\simeq")
SYMBOL = re.compile(
    r"(?<!\\)\b[A-Za-z](?:_\{?\w+\}?)?\b|\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|"
    r"sigma|tau|phi|omega|rho|pi)\b"
)
MIN_WORDS, MAX_WORDS = 8, 40
MAX_MATH_CHARS = 60
"""A longer equation is a display formula's job (the formulas heuristic), not a sentence's gap."""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each stand-alone sentence whose one inline equation relates symbols or approximates."""
    known = " ".join(ctx.existing_text().split())
    names = lesson_names(ctx)
    seen: set[str] = set()
    for cell, block in ctx.prose_blocks("paragraph"):
        if ctx.overview(cell):
            continue  # the opening previews and the summary restates: the idea is taught elsewhere
        for sentence in sentences(block.text):
            text = cloze_for(sentence, names)
            if text is None:
                continue
            math = re.search(r"\{\{c1::\$(.+?)\$\}\}", text)
            key = " ".join(math.group(1).split()) if math else text
            if key in seen or key in known:
                continue
            seen.add(key)
            yield Suggestion(
                cell=cell,
                kind="cloze",
                confidence=CONFIDENCE,
                reason=f"a sentence that states ${key}$",
                heuristic="relations",
                line=block.last,
                text=text,
            )


def cloze_for(sentence: str, names: frozenset[str] = frozenset()) -> str | None:
    """The sentence with its one equation hidden, or None when it is not one stand-alone relation."""
    sentence = sentence.strip()
    if not sentence.endswith((".", "!")) or "**" in sentence or "{{c" in sentence:
        return None  # a question, a sentence leading into a display formula, or one with a bold term
    found = [m for m in INLINE.finditer(sentence) if RELATION.search(m.group("math"))]
    if len(found) != 1:
        return None  # none, or several relations: more than one thing to recall
    math = found[0].group("math").strip()
    if len(math) > MAX_MATH_CHARS or not (SYMBOL.search(math) or APPROXIMATE.search(math)):
        return None  # too long for a gap, or plain arithmetic
    sides = [side.strip() for side in RELATION.split(math)]
    if any(not side for side in sides):
        return None
    if not APPROXIMATE.search(math) and any(_numeric(side) for side in sides):
        return None  # "$p = 0.5$", "$K = 5$": a setting of the example, not a relation to remember
    rest = sentence[: found[0].start()] + sentence[found[0].end() :]
    if any(_appears(side, rest) for side in sides):
        return None  # the rest of the sentence repeats a side of the relation: it gives it away
    plain = re.sub(r"\$[^$]*\$", " ", rest)
    if leans(plain) or needs_notebook(rest, names):
        return None
    words = len(plain.split()) + 1
    if not MIN_WORDS <= words <= MAX_WORDS:
        return None
    text = f"{sentence[: found[0].start()]}{{{{c1::${math}$}}}}{sentence[found[0].end() :]}"
    return text[0].upper() + text[1:]


def _numeric(side: str) -> bool:
    """Is a side of an equation a number alone (no symbol once LaTeX commands are set aside)?"""
    return re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", side)) is None


def _appears(side: str, rest: str) -> bool:
    """Does one side of the equation (a number, a product) appear elsewhere in the sentence?"""
    compact = re.sub(r"\s+", "", side)
    if len(compact) < 2 and not compact.isdigit():
        return False  # a one-letter symbol recurring is how sentences talk about it
    return compact in re.sub(r"\s+", "", rest)
