"""Anki cloze markers, `{{c1::text}}` and `{{c1::text::hint}}`: finding them and making them safe.

Anki ends a cloze at the first `}}` and starts its hint at the first `::`. LaTeX produces both
(`{{c1::\\sqrt{d_k}}}` ends in three braces), so srs finds each cloze's real end by balancing braces
and re-emits it with the inner `}}` and `::` broken up in ways that render the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOZE_START = re.compile(r"\{\{c(\d+)::")
LOOKS_LIKE_CLOZE = re.compile(r"\{\{[cC]([^{}:]{0,12})::")
"""`{{c-1::`, `{{c 1::`, `{{C1::`: what an author meant as a cloze, valid or not."""
MAX_DIGITS = 18
"""Longer numbers are not read (Python refuses to read integers of thousands of digits)."""
MAX_NUMBER = 999
"""Highest cloze number; Anki makes one card per number, and stores it in a 64-bit column."""


@dataclass(frozen=True)
class Cloze:
    """One cloze marker in a text."""

    number: int
    content: str
    hint: str | None
    start: int
    end: int
    """Offsets of the whole marker in the text (end exclusive)."""


class UnclosedCloze(ValueError):
    """A `{{cN::` without its closing `}}`; `offset` is where it starts."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"unclosed cloze at offset {offset}")
        self.offset = offset


def has_cloze(text: str) -> bool:
    """Does the text contain a cloze marker?"""
    return CLOZE_START.search(text) is not None


def malformed_cloze(text: str) -> str | None:
    """The first marker that looks like a cloze but that Anki would not read as one, if any."""
    for match in LOOKS_LIKE_CLOZE.finditer(text):
        if not CLOZE_START.match(text, match.start()):
            return match.group(0)
    return None


def find_clozes(text: str) -> list[Cloze]:
    """Every top-level cloze in the text, with braces balanced; raise UnclosedCloze."""
    found: list[Cloze] = []
    position = 0
    while match := CLOZE_START.search(text, position):
        body_start = match.end()
        end = _closing(text, body_start)
        if end < 0:
            raise UnclosedCloze(match.start())
        content, hint = _split_hint(text[body_start:end])
        digits = match.group(1)
        number = int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
        found.append(Cloze(number, content, hint, match.start(), end + 2))
        position = end + 2
    return found


def _closing(text: str, start: int) -> int:
    depth = 0
    index = start
    while index < len(text):
        if text.startswith("}}", index) and depth == 0:
            return index
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
        index += 1
    return -1


def _split_hint(body: str) -> tuple[str, str | None]:
    depth = 0
    for index, char in enumerate(body):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and body.startswith("::", index):
            return body[:index], body[index + 2 :]
    return body, None


def protect_clozes(text: str, *, math: bool) -> str:
    """Re-emit every cloze so that Anki reads the same content and hint srs read."""
    try:
        clozes = find_clozes(text)
    except UnclosedCloze:
        return text
    pieces: list[str] = []
    last = 0
    for cloze in clozes:
        pieces.append(text[last : cloze.start])
        pieces.append(_emit(cloze, math))
        last = cloze.end
    pieces.append(text[last:])
    return "".join(pieces)


def _emit(cloze: Cloze, math: bool) -> str:
    content = _safe(cloze.content, math)
    hint = f"::{_safe(cloze.hint, math)}" if cloze.hint is not None else ""
    body = content + hint
    if body.endswith("}"):
        body += " "
    return f"{{{{c{cloze.number}::{body}}}}}"


def _safe(part: str, math: bool) -> str:
    # In math a space between braces or colons changes nothing; in text a zero-width space hides the split.
    part = part.replace("}}", "} }").replace("{{", "{ {")
    return part.replace("::", ": :" if math else ":&#8203;:")


def strip_clozes(text: str) -> str:
    """The text with every cloze replaced by its content (the complete formula)."""
    try:
        clozes = find_clozes(text)
    except UnclosedCloze:
        return text
    for cloze in reversed(clozes):
        text = text[: cloze.start] + strip_clozes(cloze.content) + text[cloze.end :]
    return text


def cloze_numbers(text: str) -> list[int]:
    """The distinct cloze numbers in a text, in order."""
    return sorted({cloze.number for cloze in find_clozes(text)})
