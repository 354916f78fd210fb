"""SRS120: the section heading shown above a card's front already holds the card's answer."""

from __future__ import annotations

import re

from srs.core.model import Card
from srs.lint.fields import answers
from srs.lint.rule import RuleContext
from srs.lint.text import MATH, content_words
from srs.maths.latex import right_side
from srs.notebook.clozes import strip_clozes

MIN_MATH_CHARS = 3
"""Math shorter than this (a lone `V`, `x_i`) recurs in headings without giving an answer away."""
SHARE = 0.5
"""A heading's math that makes up at least this share of a math answer hands most of it over."""
_SPACING = re.compile(r"\\left|\\right|\\[,;:! ]|\\displaystyle|\s+|\$")


def check_answer_in_context(card: Card, ctx: RuleContext) -> list[str]:
    """SRS120: an answer, a cloze's hidden text, a formula's right side or example value is in the heading."""
    heading = card.heading.strip()
    if not heading or heading == ctx.lesson.title:
        return []  # the context line shows no section then
    messages = []
    for label, answer in _wanted(card):
        if _given_by(answer, heading):
            messages.append(
                f"the section heading '{heading}' shown above the front gives the {label} "
                f"('{answer.strip()}'); reword the heading so it names the topic without the answer"
            )
    return messages


def _wanted(card: Card) -> list[tuple[str, str]]:
    found = [(answer.label, answer.text) for answer in answers(card)]
    if card.kind == "formula" and not card.cloze:
        if card.value:
            found.append(("example's value", card.value))
        else:
            right = right_side(strip_clozes(card.source.text))
            if right:
                found.append(("formula's right side", right))
    return found


def _given_by(answer: str, heading: str) -> bool:
    shown = [_compact(match.group(0)) for match in MATH.finditer(heading)]
    if _mathy(answer):
        return _math_given(_compact(answer), shown)
    pieces = [match.group(0) for match in MATH.finditer(answer)]
    if pieces and not content_words(MATH.sub(" ", answer)):
        return _math_given(_compact(" ".join(pieces)), shown)  # math with grammar words around it
    if re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", answer):
        return re.search(rf"(?<![\w.]){re.escape(answer.strip())}(?![\w]|\.\d)", heading) is not None
    wanted = set(content_words(answer))
    return bool(wanted) and wanted <= set(content_words(heading))


def _math_given(answer: str, shown: list[str]) -> bool:
    if len(answer) < MIN_MATH_CHARS:
        return False
    for math in shown:
        if answer in math:
            return True
        if len(math) >= MIN_MATH_CHARS and math in answer and len(math) >= SHARE * len(answer):
            return True
    return False


def _mathy(text: str) -> bool:
    """Bare LaTeX (a formula's right side, a cloze inside display math) rather than prose."""
    if "$" in text or re.fullmatch(r"\s*-?\d+(?:\.\d+)?\s*", text):
        return False
    return "\\" in text or not re.search(r"[A-Za-z]{4,}", text)


def _compact(tex: str) -> str:
    return _SPACING.sub("", tex)
