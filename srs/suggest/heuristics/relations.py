"""A sentence whose point is one inline equation -> a cloze hiding the equation's right side.

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

from srs.kinds.phrasing import sentence_case
from srs.suggest.heuristics.formulas import SAYS_HOW
from srs.suggest.heuristics.takeaways import IMPERATIVES
from srs.suggest.heuristics.terms import leans, lesson_names, needs_notebook, sentences
from srs.suggest.model import PICTURE, SuggestContext, Suggestion

CONFIDENCE = 0.45
"""Blind readers found most of these useless while they hid the whole equation ("a weighted sum
{{$y = \\sum_i w_i x_i$}}") or arithmetic on the lesson's numbers; hiding only the right side, and leaving
out notation, tasks, pictures and printouts, leaves the result the sentence states. Even so, over four
rounds on new lessons 38% were rated usable (a step of algebra, a symbol the sentence already shows), so
they are shown on request (`--min-confidence 0.4`)."""
INLINE = re.compile(r"(?<![$\\])\$(?!\$)(?P<math>[^$\n]+?)(?<!\\)\$(?!\$)")
RELATION = re.compile(r"(?<![<>!\\])=|\\approx|\\simeq|\\propto|\\leq?\b|\\geq?\b|\\ll\b|\\gg\b")
APPROXIMATE = re.compile(r"\\approx|\\simeq")
SYMBOL = re.compile(
    r"(?<!\\)\b[A-Za-z](?:_\{?\w+\}?)?\b|\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|"
    r"sigma|tau|phi|omega|rho|pi)\b"
)
NOTATION = re.compile(r"\b(?:writ(?:e|ing)|let|denot(?:e|ing)|call(?:ing)?|defin(?:e|ing))\s*$", re.I)
"""Words just before the equation that introduce notation ("writing $J_k = ...$"): a name, not a result."""
INSTRUCTION = re.compile(
    r"^(?:(?:now|then|first|next),?\s+)?(?:write|take|build|compute|plot|try|check|define|derive|show|use|"
    r"implement|fill|make|let|look|see|note|notice|consider|recall|remember)\b",
    re.I,
)
"""A sentence that gives a task (an exercise's "Write an EMA that returns ...") states nothing to recall."""
POINTING = re.compile(
    r"\b(?:above|below|earlier|curves?|row \d|column \d|both|the same)\b|"
    r"^(?:left|right|top|bottom|middle)(?: panel)?:",
    re.I,
)
"""Words that point at the text around, a curve, or two things the card does not show (pictures: PICTURE)."""
BIG = 100
"""A number on the left of an approximation above this is the lesson's data ($\\sqrt{1031}$), not a
constant worth knowing the size of ($\\ln 2$, $0.9^{100}$)."""
MIN_WORDS, MAX_WORDS = 8, 40
MAX_MATH_CHARS = 60
"""A longer equation is a display formula's job (the formulas heuristic), not a sentence's gap."""


INSTRUCTIONS = IMPERATIVES | {"substitute", "plug", "take", "let", "write", "replace", "put", "define"}
INSTRUCTIONS |= {"solve", "expand", "differentiate", "multiply", "divide", "subtract", "apply"}
"""First words of a sentence that tells the reader what to do (next in a derivation): no fact to recall."""


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
                reason=f"a sentence that states ${key}$" if math else "a sentence that states a relation",
                heuristic="relations",
                line=block.last,
                text=text,
            )


def cloze_for(sentence: str, names: frozenset[str] = frozenset()) -> str | None:
    """The sentence with its equation's right side hidden, or None when it is not one stand-alone relation.

    "Near zero $\\tanh(z) \\approx z$" asks "$\\tanh(z) \\approx$ [...]": the left side and the
    sentence say what is asked, and only the result is recalled.
    """
    sentence = sentence.strip()
    if not sentence.endswith((".", "!")) or "**" in sentence or "{{c" in sentence:
        return None  # a question, a sentence leading into a display formula, or one with a bold term
    if re.match(r"(?:we|let's|let us)\b", sentence, re.I):
        return None  # "We fit $Y = 3X$ with ...": the notebook's set-up, not a fact
    if sentence.split()[0].lower() in INSTRUCTIONS:
        return None  # "Substitute $p = \\sigma(z)$ and simplify ...": a step to take, not a fact
    found = [m for m in INLINE.finditer(sentence) if RELATION.search(m.group("math"))]
    if len(found) != 1:
        return None  # none, or several relations: more than one thing to recall
    math = found[0].group("math").strip()
    if len(math) > MAX_MATH_CHARS or not (SYMBOL.search(math) or APPROXIMATE.search(math)):
        return None  # too long for a gap, or plain arithmetic
    relations = list(RELATION.finditer(math))
    if len(relations) != 1:
        return None  # a chain `a = b = c`: each step gives the next away
    left, right = math[: relations[0].start()].strip(), math[relations[0].end() :].strip()
    if not left or not right or (_numeric(left) and not (APPROXIMATE.search(math) and "\\" in left)):
        return None  # "$\\ln 2 \\approx 0.69$" sizes a number worth knowing; "$2 = x$" is no relation
    if _numeric(right) and not _numeric(left):
        return None  # "$\\alpha \\approx 0.38$": a quantity measured in the lesson's run, not a relation
    if _numeric(left) and any(int(n) > BIG for n in re.findall(r"\d+", left)):
        return None  # "$\\sqrt{1031} \\approx 32$": a calculator's job on the lesson's number
    if _numeric(right) and not (APPROXIMATE.search(math) and _rounded(right)):
        return None  # "$p = 0.5$", "$K = 5$": a setting of the example; "$\\log 12 \\approx 2.48$": a table's
    if _lone(left) and _lone(right):
        return None  # "$W_x = W_p$": two names, nothing worked out
    if re.search(r"\d\.\d", right) and not (_numeric(right) and _rounded(right)):
        return None  # "$\\cos 1 + i \\sin 1 \\approx 0.54 + 0.84i$": digits off a printout
    if _arithmetic(left):
        return None  # "$2 \\cdot d \\cdot 4d = 8d^2$": multiplying out is not a step worth a card
    before = sentence[: found[0].start()]
    if NOTATION.search(before) or INSTRUCTION.match(sentence) or "`" in sentence:
        return None  # "write $a_t = ...$", "Take the derivative of ...", code: notation, a task, the notebook
    rest = before + sentence[found[0].end() :]
    if any(_appears(side, rest) for side in (left, right)) or _shown_inside(right, rest):
        return None  # the rest of the sentence repeats the relation or a piece of its result
    plain = re.sub(r"\$[^$]*\$", " ", rest)
    if leans(plain) or needs_notebook(rest, names):
        return None
    if POINTING.search(plain) or PICTURE.search(plain):
        return None  # "the dots sit on the dashed line", "everything above": the card shows neither
    if SAYS_HOW.search(plain):
        return None  # "a weighted sum $y = ...$": the sentence says the hidden side in words
    words = len(plain.split()) + 1
    if not MIN_WORDS <= words <= MAX_WORDS:
        return None
    written = f"${math[: relations[0].end()]} {{{{c1::{right}}}}}$"
    text = f"{sentence[: found[0].start()]}{written}{sentence[found[0].end() :]}"
    return sentence_case(text)


def _arithmetic(side: str) -> bool:
    """Is a side numbers and letters multiplied or added out, with no function or named quantity?"""
    bare = re.sub(r"\\(?:cdot|times)(?![A-Za-z])", "*", side)
    return re.search(r"[*+/]|\S\s*-", bare) is not None and re.fullmatch(r"[\w\s*+\-/^{}]+", bare) is not None


def _rounded(side: str) -> bool:
    """A number with at most two significant digits (`0.69`, `1e-7`): its size, not a table's digits."""
    digits = re.sub(r"^[-\s]*0*\.?0*", "", re.sub(r"e[-+]?\d+$|\\times.*$", "", side.strip()))
    return len(re.sub(r"\D", "", digits)) <= 2


def _lone(side: str) -> bool:
    """Is a side one symbol with its index (`W_p`, `\\theta_i`, `z`)?"""
    return re.fullmatch(r"\\?[A-Za-z]+(?:_\{?[\w\\]+\}?)?(?:\^\{?[\w\\]+\}?)?", side.strip()) is not None


def _shown_inside(hidden: str, rest: str) -> bool:
    """Does other math of the sentence write a piece of the hidden side (`$a + b$` in `R(a+b)`)?"""
    squeezed = re.sub(r"\s+", "", hidden)
    for other in INLINE.finditer(rest):
        piece = re.sub(r"\s+", "", other.group("math"))
        if len(piece) >= 3 and piece in squeezed:
            return True
    return False


def _numeric(side: str) -> bool:
    """Is a side of an equation a number alone (no symbol once LaTeX commands are set aside)?"""
    return re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", side)) is None


def _appears(side: str, rest: str) -> bool:
    """Does one side of the equation (a number, a product) appear elsewhere in the sentence?"""
    compact = re.sub(r"\s+", "", side)
    if len(compact) < 2 and not compact.isdigit():
        return False  # a one-letter symbol recurring is how sentences talk about it
    return compact in re.sub(r"\s+", "", rest)
