"""SRS114: a numeric answer shown with more digits than its tolerance vouches for."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from srs.core.model import Card
from srs.lint.rule import RuleContext
from srs.render.formatting import DEFAULT_DIGITS

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def check_digits(card: Card, ctx: RuleContext) -> list[str]:
    """SRS114: `digits:` (or the default) shows digits finer than `tol`/`rtol` allows."""
    options = card.source.options
    if not _has_tolerance(options) or not _shows_floats(card.value, options):
        return []
    magnitude = _magnitude(options.get("expect"), card.value)
    tolerance = float(options.get("tol") or 0) + float(options.get("rtol") or 0) * magnitude
    if magnitude == 0 or tolerance <= 0:
        return []
    digits = int(options.get("digits", DEFAULT_DIGITS))
    lead, trusted = _power(magnitude), _power(tolerance)
    supported = lead - trusted + 1
    if lead - digits + 1 >= trusted:
        return []
    if supported < 1:
        return [
            f"{_tolerance_text(options)} is wider than the value's leading digit; "
            "tighten the tolerance or ask for a rougher quantity"
        ]
    return [
        f"answer shows {digits} significant digits but {_tolerance_text(options)} vouches for only "
        f"{supported}; set `digits: {supported}`"
    ]


def _has_tolerance(options: Mapping[str, Any]) -> bool:
    return bool(options.get("tol")) or bool(options.get("rtol"))


def _shows_floats(value: str, options: Mapping[str, Any]) -> bool:
    # Integers are shown exactly whatever `digits:` says, so only floats can show spurious digits.
    numbers = NUMBER.findall(value) or [str(number) for number in _flatten(options.get("expect"))]
    return any("." in number or "e" in number.lower() for number in numbers)


def _magnitude(expect: Any, value: str) -> float:
    numbers = [abs(float(number)) for number in _flatten(expect)]
    if not numbers:
        numbers = [abs(float(number)) for number in NUMBER.findall(value)]
    finite = [number for number in numbers if math.isfinite(number)]
    return max(finite, default=0.0)


def _flatten(value: Any) -> list[float]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, list | tuple):
        return [number for item in value for number in _flatten(item)]
    return []


def _power(number: float) -> int:
    # The power of ten of the number's leading digit; the nudge absorbs log10 rounding (log10(1e-3)).
    return math.floor(math.log10(number) + 1e-9)


def _tolerance_text(options: Mapping[str, Any]) -> str:
    parts = [f"{key} {options[key]}" for key in ("tol", "rtol") if options.get(key)]
    return " + ".join(parts)
