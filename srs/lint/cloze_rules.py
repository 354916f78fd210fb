"""Rules about what a cloze hides: one target per cloze number (SRS101), not the whole sentence (SRS102)."""

from __future__ import annotations

from srs.core.model import Card
from srs.lint.fields import by_number, cloze_text, clozes_in
from srs.lint.rule import RuleContext
from srs.lint.text import CODE_WORD, MATH_WORD, count_words, mask, normalise, sentences
from srs.notebook.clozes import Cloze

HIDDEN_SHARE = 0.6
"""A cloze hiding more than this share of its sentence's words leaves too little to cue it."""
MIN_HIDDEN_WORDS = 4
"""Hiding three words or fewer is always fine, even in a short sentence."""


def check_one_target(card: Card, ctx: RuleContext) -> list[str]:
    """SRS101: one cloze number hides things in two separate places."""
    text = cloze_text(card)
    if text is None:
        return []
    messages = []
    for number, group in by_number(clozes_in(text)).items():
        targets = {normalise(cloze.content) for cloze in _separate_places(text, group)}
        if len(targets) > 1:
            messages.append(
                f"cloze c{number} hides {len(targets)} different things; "
                f"give each its own number (c{number}, c{number + 1}, ...)"
            )
    return messages


def _separate_places(text: str, group: list[Cloze]) -> list[Cloze]:
    # Clozes with only spaces between them hide one phrase split in two, not two things.
    places = [group[0]]
    for cloze in group[1:]:
        between = text[places[-1].end : cloze.start]
        if between.strip():
            places.append(cloze)
        else:
            places[-1] = Cloze(
                cloze.number, places[-1].content + between + cloze.content, None, places[-1].start, cloze.end
            )
    return places


def check_hides_sentence(card: Card, ctx: RuleContext) -> list[str]:
    """SRS102: a cloze number hides most of the words of its sentence."""
    text = cloze_text(card)
    if text is None:
        return []
    clozes = clozes_in(text)
    marked = _marked_per_occurrence(text, clozes)
    messages = []
    for sentence in sentences(mask(marked, MATH_WORD, CODE_WORD)):
        messages += _sentence_findings(sentence, clozes)
    return sorted(set(messages))


def _marked_per_occurrence(text: str, clozes: list[Cloze]) -> str:
    # A placeholder per cloze keeps sentence splitting from cutting inside hidden text.
    pieces: list[str] = []
    last = 0
    for index, cloze in enumerate(clozes):
        pieces += [text[last : cloze.start], f"\x00{index}\x00"]
        last = cloze.end
    return "".join(pieces) + text[last:]


def _sentence_findings(sentence: str, clozes: list[Cloze]) -> list[str]:
    present = [(index, clozes[index]) for index in range(len(clozes)) if f"\x00{index}\x00" in sentence]
    if not present:
        return []
    total = sentence
    for index, cloze in present:
        total = total.replace(f"\x00{index}\x00", f" {cloze.content} ")
    all_words = count_words(total)
    hidden: dict[int, int] = {}
    for _index, cloze in present:
        hidden[cloze.number] = hidden.get(cloze.number, 0) + count_words(cloze.content)
    return [
        f"cloze c{number} hides {count} of the {all_words} words of its sentence; "
        "hide only the key term and leave the rest as the cue"
        for number, count in sorted(hidden.items())
        if count >= MIN_HIDDEN_WORDS and count > HIDDEN_SHARE * all_words
    ]
