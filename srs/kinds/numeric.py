"""Numeric cards: the value a cell computes, rounded for a person, and checked against `expect:`."""

from __future__ import annotations

from typing import Any

from srs.core.errors import CheckFailed
from srs.core.model import Card, CardSource, Value
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.computed import cell_result, finish, subject_value
from srs.kinds.subject import Subject, find_subject, requests
from srs.kinds.values import NON_NEGATIVE, TEXT, OptionCheck, is_numbers
from srs.render.formatting import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    code_block,
    format_nested,
    format_value,
    values_match,
)

_NUMERIC_TYPES = frozenset({"torch.Tensor", "numpy.ndarray", "float", "int", "bool", "tuple", "list"})

MESSAGE_DIGITS = 8
"""Significant digits in a mismatch message: enough to see how far apart the values are."""


def numeric_card(source: CardSource, subject: Subject, value: Value) -> Card:
    """The numeric card: the code and the question in front, the formatted value behind."""
    data = _numbers(source, subject, value)
    if "expect" in source.options:
        check_expectation(source, subject.expr, data, source.options["expect"])
    digits = source.options.get("digits")
    authored = source.options.get("front")
    if authored:
        front = authored
    else:
        rounding = f", rounded to {digits} significant digits" if digits else ""
        asked = "What does this code evaluate to" if subject.is_last_expression else (
            f"What is `{subject.expr}` after this code runs"
        )
        front = f"{code_block(source.text)}\n\n{asked}{rounding}?"
    return Card(
        source.key, "numeric", source, front=front, value=format_value(value, digits), authored_front=authored
    )


def check_expectation(source: CardSource, expr: str, actual: Any, expected: Any) -> None:
    """Raise CheckFailed unless the computed value matches `expect:` within `tol:` / `rtol:`."""
    tol, rtol = source.options.get("tol"), source.options.get("rtol")
    try:
        if values_match(actual, expected, tol, rtol):
            return
    except OverflowError:  # an integer beyond a float's range
        raise CheckFailed(
            f"`{expr}` is too large to compare with `expect:` (beyond 1e308); check a smaller quantity, "
            "such as its logarithm",
            source.location,
        ) from None
    raise CheckFailed(
        f"`{expr}` is {format_nested(actual, MESSAGE_DIGITS)} but `expect:` says "
        f"{format_nested(expected, MESSAGE_DIGITS)} ({_tolerance_text(tol, rtol)}); fix the code or the "
        "expectation, or widen `tol:` / `rtol:`",
        source.location,
    )


def _tolerance_text(tol: float | None, rtol: float | None) -> str:
    if tol is None and rtol is None:
        return f"default tolerance: rtol {DEFAULT_RTOL:g} plus tol {DEFAULT_ATOL:g}"
    parts = [f"tol {tol:g}" if tol is not None else "", f"rtol {rtol:g}" if rtol is not None else ""]
    return "tolerance: " + " plus ".join(part for part in parts if part)


def _numbers(source: CardSource, subject: Subject, value: Value) -> Any:
    if value.type not in _NUMERIC_TYPES:
        problem = f"is not a number: its value {value.repr[:40]} has type {value.type}"
    elif value.data is None:
        problem = f"is too large to capture ({value.repr[:40]})"
    else:
        return value.data
    raise CheckFailed(
        f"`{subject.expr}` {problem}; a numeric card needs a number or a small tensor: point `of:` at "
        "one (for example `probs[:5]`), or use an output card",
        source.location,
    )


def make_numeric(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One numeric card per source, after its `expect:` holds."""
    result = cell_result(source, ctx)
    subject = find_subject(source)
    return [finish(numeric_card(source, subject, subject_value(source, result, subject)))]


def _is_digits(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 15


register(
    KindSpec(
        "numeric",
        make_numeric,
        options={
            "of": TEXT,
            "digits": OptionCheck(_is_digits, "a whole number 1-15"),
            "expect": OptionCheck(is_numbers, "a finite number or a list of finite numbers"),
            "tol": NON_NEGATIVE,
            "rtol": NON_NEGATIVE,
        },
        cell_type="code",
        needs_run=True,
        requests=requests,
    )
)
