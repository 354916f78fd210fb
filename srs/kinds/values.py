"""How an option's value is checked: each kind lists its keys with one of these beside each.

A check says whether a value is acceptable and, when it is not, what it must be, for a message like
"`digits:` must be a whole number 1-15, not 'many'".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

LARGEST = 1e300
"""Numbers in options stay well inside a float's range, so arithmetic on them stays finite."""
MAX_ID = 100
"""Longest card `id:`: it goes into every GUID and the Key field."""


@dataclass(frozen=True)
class OptionCheck:
    """How one option key's value is read and checked."""

    accepts: Callable[[Any], bool]
    must_be: str
    """What the value must be, as the message says it."""
    exact_text: bool = False
    """Read as the text written (`id: 0012` stays '0012'), never as a YAML number or date."""

    def complaint(self, value: Any) -> str | None:
        """What is wrong with the value ('must be ..., not ...'), or None when it is fine."""
        if self.accepts(value):
            return None
        if self.exact_text and not is_text(value):
            return "needs a text value"
        return f"must be {self.must_be}, not {shown(value)}"


def is_text(value: Any) -> bool:
    """Is it non-blank text?"""
    return isinstance(value, str) and bool(value.strip())


def is_number(value: Any) -> bool:
    """Is it a finite number a float can hold with room to spare (not a bool, not .inf or .nan)?"""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return abs(float(value)) <= LARGEST
    except OverflowError:  # an integer of hundreds of digits
        return False


def is_numbers(value: Any) -> bool:
    """Is it a finite number, or a (nested) list of them?"""
    return is_number(value) or (isinstance(value, list) and all(is_numbers(v) for v in value))


def is_text_list(value: Any) -> bool:
    """Is it text, or a list of texts?"""
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _is_tag_list(value: Any) -> bool:
    words = [value] if isinstance(value, str) else value
    return isinstance(words, list) and all(
        isinstance(w, str) and w.strip() and not any(c.isspace() for c in w.strip()) for w in words
    )


def _is_card_id(value: Any) -> bool:
    return is_text(value) and len(value) <= MAX_ID and value.isprintable()


def _is_non_negative(value: Any) -> bool:
    return is_number(value) and value >= 0


def shown(value: Any) -> str:
    """A value as a message quotes it, cut short when long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


TEXT = OptionCheck(is_text, "a text value", exact_text=True)
TEXT_LIST = OptionCheck(is_text_list, "a list of texts")
NON_NEGATIVE = OptionCheck(_is_non_negative, "a finite non-negative number")

COMMON_OPTIONS: Mapping[str, OptionCheck] = {
    "card": OptionCheck(lambda v: isinstance(v, str) or v is False, "a card kind or false"),
    "id": OptionCheck(
        _is_card_id, f"one line of at most {MAX_ID} characters, like `id: softmax-rows`", exact_text=True
    ),
    "front": TEXT,
    "back": TEXT,
    "extra": TEXT,
    "name": TEXT,
    "tags": OptionCheck(_is_tag_list, "a list of words without spaces, like [softmax, shapes]"),
    "lint": OptionCheck(is_text_list, "a list of rule codes, like [SRS103]"),
}
"""The options every kind takes."""
