"""SRS108: the front already shows what the card asks for."""

from __future__ import annotations

import re

from srs.core.model import Card
from srs.lint.fields import by_number, cloze_text, clozes_in, question, replace_clozes
from srs.lint.questions import offers_choice
from srs.lint.rule import RuleContext
from srs.lint.text import content_words, normalise, question_sentence, words

MIN_SYMBOL_CHARS = 3
"""Hidden math shorter than this (a lone `V`, `i`) recurs in formulas without giving anything away."""


def check_giveaway(card: Card, ctx: RuleContext) -> list[str]:
    """SRS108: the answer's content words, or a cloze's hidden text, are visible on the front."""
    return _answer_in_question(card) + _cloze_in_text(card)


def _answer_in_question(card: Card) -> list[str]:
    front, back = question(card), card.authored_back
    if front is None or back is None or offers_choice(question_sentence(front)):
        return []  # an "A or B?" front names its answer by design; SRS107 reports that
    wanted = set(content_words(back))
    if not wanted or not wanted <= set(content_words(front)):
        return []
    shown = ", ".join(f"'{word}'" for word in sorted(wanted))
    return [f"the front already says the answer ({shown}); reword the front so the learner must recall it"]


def _cloze_in_text(card: Card) -> list[str]:
    text = cloze_text(card)
    if text is None:
        return []
    clozes = clozes_in(text)
    messages = []
    for number, group in by_number(clozes).items():
        visible = _compact(replace_clozes(text, clozes, {number: " "}))
        for hidden in dict.fromkeys(cloze.content for cloze in group):
            if _telling(hidden) and _occurs(_compact(hidden), visible):
                messages.append(
                    f"cloze c{number} hides '{hidden.strip()}', which the card still shows elsewhere; "
                    "hide that mention too (same number) or reword it"
                )
    return messages


def _compact(text: str) -> str:
    return normalise(text.replace("$", " "))


def _telling(hidden: str) -> bool:
    if content_words(hidden):
        return True
    if words(hidden):
        return False  # only grammar words or a lone digit
    return len("".join(hidden.replace("$", "").split())) >= MIN_SYMBOL_CHARS


def _occurs(needle: str, haystack: str) -> bool:
    if not needle:
        return False
    return re.search(rf"(?<![\w\\]){re.escape(needle)}(?!\w)", haystack) is not None
