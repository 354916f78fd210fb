"""Checks that run after cards are made: the single-step linter and derivation warnings."""

from __future__ import annotations

from pathlib import Path

from srs.config import Settings
from srs.kinds.derivation import unverified_steps
from srs.model import Card, Finding, Lesson

__all__ = ["unverified_steps", "warnings_for"]


def warnings_for(cards: list[Card], lesson: Lesson, settings: Settings) -> list[Finding]:
    """Lint findings and unverified derivation steps, in notebook order."""
    from srs.verify.lint import LintConfig, lint

    config = LintConfig.from_mapping(settings.lint, settings.pyproject or Path("pyproject.toml"))
    findings = lint(cards, lesson, config)
    findings += unverified_steps(cards)
    return sorted(findings, key=lambda f: (f.location.cell or 0, f.location.line or 0, f.code))
