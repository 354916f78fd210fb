"""Computed values as a person reads them on a card, and the comparison behind `expect:`.

Values arrive as `srs.core.model.Value` (plain nested lists and numbers), so nothing here imports torch
or numpy. Floats are rounded to significant digits, integers stay exact, long tensors are elided.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from srs.core.model import Value

DEFAULT_DIGITS = 4
"""Significant digits a card shows when the author does not say."""

EDGE_ITEMS = 3
"""How many items a long dimension keeps at each end before the ellipsis."""

MAX_ITEMS = 2 * EDGE_ITEMS + 1
"""A dimension longer than this is elided in the middle."""

DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9

_SEQUENCE_TYPES = {"torch.Tensor", "numpy.ndarray", "list", "tuple"}


def format_number(number: Any, digits: int = DEFAULT_DIGITS) -> str:
    """One number for a card: ints and bools exact, floats to `digits` significant digits."""
    if isinstance(number, bool | int):
        return repr(number)
    if isinstance(number, float):
        text = f"{number:.{digits}g}"
        # keep a float looking like a float (2.0, not 2) so it is not mistaken for an integer
        if text.lstrip("-").isdigit():
            text += ".0"
        return text
    return repr(number)


def format_nested(data: Any, digits: int = DEFAULT_DIGITS, brackets: str = "[]") -> str:
    """Nested lists of numbers as a short rounded list, long dimensions elided in the middle."""
    if not isinstance(data, list | tuple):
        return format_number(data, digits)
    items = list(data)
    if len(items) > MAX_ITEMS:
        shown = [format_nested(item, digits) for item in items[:EDGE_ITEMS]]
        shown.append("…")
        shown += [format_nested(item, digits) for item in items[-EDGE_ITEMS:]]
    else:
        shown = [format_nested(item, digits) for item in items]
    if brackets == "()" and len(shown) == 1:
        return f"({shown[0]},)"
    return brackets[0] + ", ".join(shown) + brackets[1]


def format_value(value: Value, digits: int | None = None) -> str:
    """A captured value as plain text for a card's answer."""
    places = DEFAULT_DIGITS if digits is None else digits
    if value.data is None:
        if value.shape is not None:
            return f"{value.type} of shape {format_shape(value.shape)}"
        return value.repr
    if value.type == "str":
        return value.repr
    brackets = "()" if value.type == "tuple" else "[]"
    if value.type in _SEQUENCE_TYPES or isinstance(value.data, int | float):
        return format_nested(value.data, places, brackets)
    return value.repr


def format_shape(shape: Sequence[int], dims: Sequence[str] | None = None) -> str:
    """A shape as Python writes it, `(3, 5)`, followed by dimension names when known."""
    sizes = tuple(int(size) for size in shape)
    text = repr(sizes)
    if dims:
        text += " — " + " × ".join(str(name) for name in dims)
    return text


def _numbers_close(actual: Any, expected: Any, atol: float, rtol: float) -> bool:
    if isinstance(actual, str) or isinstance(expected, str):
        return actual == expected
    try:
        got, want = float(actual), float(expected)
    except (TypeError, ValueError):
        return actual == expected
    if math.isnan(got) or math.isnan(want):
        return math.isnan(got) and math.isnan(want)
    if math.isinf(got) or math.isinf(want):
        return got == want
    return abs(got - want) <= atol + rtol * abs(want)


def values_match(actual: Any, expected: Any, tol: float | None = None, rtol: float | None = None) -> bool:
    """Does `actual` equal `expected` (numbers or nested lists of the same shape) within tolerance?

    With neither tolerance given, numbers may differ by 1e-9 plus a relative 1e-6. Giving only
    `tol` makes the test purely absolute, giving only `rtol` purely relative; both add up.
    """
    if tol is None and rtol is None:
        atol, rel = DEFAULT_ATOL, DEFAULT_RTOL
    else:
        atol, rel = tol or 0.0, rtol or 0.0
    return _match(actual, expected, atol, rel)


def _match(actual: Any, expected: Any, atol: float, rtol: float) -> bool:
    actual_is_list = isinstance(actual, list | tuple)
    if actual_is_list != isinstance(expected, list | tuple):
        return False
    if not actual_is_list:
        return _numbers_close(actual, expected, atol, rtol)
    if len(actual) != len(expected):
        return False
    return all(_match(a, e, atol, rtol) for a, e in zip(actual, expected, strict=True))


def code_block(code: str, language: str = "python") -> str:
    """Code as a fenced markdown block, fenced longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"
