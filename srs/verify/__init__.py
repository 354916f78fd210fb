"""Checks that run after cards are made: the single-step linter and derivation warnings."""

from __future__ import annotations

from pathlib import Path

from srs.config import Settings
from srs.model import Card, Finding, Lesson


def warnings_for(cards: list[Card], lesson: Lesson, settings: Settings) -> list[Finding]:
    """Lint findings and unverified derivation steps, in notebook order."""
    from srs.verify.lint import LintConfig, lint

    config = LintConfig.from_mapping(settings.lint, settings.pyproject or Path("pyproject.toml"))
    findings = lint(cards, lesson, config)
    findings += unverified_findings(cards)
    return sorted(findings, key=lambda f: (f.location.cell or 0, f.location.line or 0, f.code))


def unverified_findings(cards: list[Card]) -> list[Finding]:
    """A warning for every derivation step sympy could not verify."""
    return [
        Finding(
            "SRS301", f"derivation step not verified by sympy: {card.extra or 'see the step'}", card.location
        )
        for card in cards
        if "unverified" in card.tags
    ]
