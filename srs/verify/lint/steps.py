"""SRS118: a derivation step too small to carry anything.

A step is worth a card when it applies a rule or an identity the learner should own (split an
exponential, the log of a quotient). A step that only does what sympy does unasked (evaluate
numbers, drop brackets, square a square root, cancel x/x) or that cancels a factor standing in plain
sight above and below a fraction bar asks for nothing: the learner reads the answer off the front.
"""

from __future__ import annotations

import re
from typing import Any

from srs.model import Card
from srs.verify.lint.rule import RuleContext

FUNCTIONS = re.compile(
    r"\\(?:log|ln|exp|sin|cos|tan|tanh|sum|prod|max|min|mathrm|operatorname|mathbb)\b|(?<![A-Za-z\\])e\s*\^"
)
"""Functions whose identities are worth recalling; a step that changes how often they appear uses one."""


def check_step_size(card: Card, ctx: RuleContext) -> list[str]:
    """SRS118: the derivation step only evaluates, regroups or cancels."""
    step = _step(card)
    if step is None or step.relation != "=":
        return []
    what = trivial_step(step.before, step.after)
    if what is None:
        return []
    name = card.source.options.get("name", "")
    return [
        f"step {card.step} of derivation '{name}' only {what}: there is no rule or identity to recall; "  # type: ignore[attr-defined]
        "merge it into a neighbouring step, or ask for the rule that makes the step"
    ]


def trivial_step(before: str, after: str) -> str | None:
    """What makes a step trivial ('evaluates numbers', ...), or None when it carries something.

    Kept in the build's memo, as the step's check is, so a rebuild after a code edit needs no sympy.
    sympy judges it in the budgeted helper process: a step it cannot read in time carries something,
    as far as this rule knows (the derivation check reports it as unverified).
    """
    from srs.memo import remembered
    from srs.verify.budget import OverBudget, Refused, judge_step_size_within_budget

    def judge() -> str:
        try:
            return judge_step_size_within_budget(before, after)
        except (OverBudget, Refused):
            return ""

    verdict = remembered("step-size", [before, after], judge, str, str)
    return verdict or None


def judged(before: str, after: str) -> str:
    """The rule's verdict on one step, as plain text ('' when the step carries something)."""
    try:
        return _trivial(before, after) or ""
    except Exception:  # a step srs cannot read is reported by the derivation check, not here
        return ""


def _trivial(before: str, after: str) -> str | None:
    import sympy

    from srs.verify.latex import parse_latex

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


def _step(card: Card) -> Any:
    from srs.kinds.derivation import DerivationCard
    from srs.verify.derivation import split_steps

    if not isinstance(card, DerivationCard) or card.step < 1:
        return None
    try:
        steps = split_steps(card.source.text)
    except Exception:  # the derivation kind reports malformed math itself
        return None
    return steps[card.step - 1] if card.step <= len(steps) else None
