"""SRS118: a derivation step too small to carry anything.

A step is worth a card when it applies a rule or an identity the learner should own (split an
exponential, the log of a quotient). A step that only does what sympy does unasked (evaluate
numbers, drop brackets, square a square root, cancel x/x) or that cancels a factor standing in plain
sight above and below a fraction bar asks for nothing: the learner reads the answer off the front.
"""

from __future__ import annotations

from typing import Any

from srs.core.model import Card
from srs.lint.rule import RuleContext


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
    from srs.core.memo import remembered
    from srs.maths.budget import OverBudget, Refused, judge_step_size_within_budget

    def judge() -> str:
        try:
            return judge_step_size_within_budget(before, after)
        except (OverBudget, Refused):
            return ""

    verdict = remembered("step-size", [before, after], judge, str, str)
    return verdict or None


def _step(card: Card) -> Any:
    from srs.kinds.derivation import DerivationCard
    from srs.maths.derivation import split_steps

    if not isinstance(card, DerivationCard) or card.step < 1:
        return None
    try:
        steps = split_steps(card.source.text)
    except Exception:  # the derivation kind reports malformed math itself
        return None
    return steps[card.step - 1] if card.step <= len(steps) else None
