"""Is a derivation step too small to carry anything? sympy's verdict on one step.

Run inside the budgeted helper process (see budget.py); the lint rule SRS118 asks through it.
"""

from __future__ import annotations

import re
from typing import Any

FUNCTIONS = re.compile(
    r"\\(?:log|ln|exp|sin|cos|tan|tanh|sum|prod|max|min|mathrm|operatorname|mathbb)\b|(?<![A-Za-z\\])e\s*\^"
)
"""Functions whose identities are worth recalling; a step that changes how often they appear uses one."""


def judged(before: str, after: str) -> str:
    """The rule's verdict on one step, as plain text ('' when the step carries something)."""
    try:
        return _trivial(before, after) or ""
    except Exception:  # a step srs cannot read is reported by the derivation check, not here
        return ""


def _trivial(before: str, after: str) -> str | None:
    import sympy

    from srs.maths.latex import parse_latex

    with sympy.evaluate(False):
        written = parse_latex(before)
    if not written.free_symbols:
        return "evaluates numbers"
    same_functions = sorted(FUNCTIONS.findall(before)) == sorted(FUNCTIONS.findall(after))
    if same_functions and parse_latex(before) == parse_latex(after):
        return "regroups or simplifies what is already there (brackets, powers, numbers)"
    factor = _common_factor(written)
    if factor is not None:
        return f"cancels the common factor ${sympy.latex(factor)}$"
    return None


def _common_factor(expr: Any) -> Any:
    """A factor (not a number) of both the numerator and the denominator as written, or None."""
    import sympy

    numerator, denominator = sympy.fraction(expr)
    shared = _factors(numerator) & _factors(denominator)
    shared = {factor for factor in shared if not factor.is_number}
    return min(shared, key=sympy.default_sort_key) if shared else None


def _factors(expr: Any) -> set[Any]:
    """The factors of a product, or those every term of a sum has, as written."""
    import sympy

    if isinstance(expr, sympy.Add):
        terms = [_factors(term) for term in expr.args]
        return set.intersection(*terms) if terms else set()
    return set(sympy.Mul.make_args(expr))
