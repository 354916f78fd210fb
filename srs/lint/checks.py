"""Checks that run after cards are made: the single-step linter and derivation warnings.

Imports here stay inside the functions: the sympy helper process imports `srs.maths.derivation`,
and should load no more of srs than that needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from srs.core.config import Settings
    from srs.core.model import Card, Finding, Lesson

__all__ = ["unverified_steps", "warnings_for"]


def unverified_steps(cards: Iterable[Card]) -> list[Finding]:
    """A warning for every derivation step among `cards` that srs could not check."""
    from srs.kinds.derivation import unverified_steps as found

    return found(cards)


def warnings_for(cards: list[Card], lesson: Lesson, settings: Settings) -> list[Finding]:
    """Lint findings and unverified derivation steps, in notebook order."""
    from srs.lint import LintConfig, lint

    config = LintConfig.from_mapping(settings.lint, settings.pyproject or Path("pyproject.toml"))
    findings = lint(cards, lesson, config)
    findings += unverified_steps(cards)
    return sorted(findings, key=lambda f: (f.location.cell or 0, f.location.line or 0, f.code))
