"""SRS111 and SRS112 across the lessons of one build, so that two decks never ask the same question.

Each build keeps, in its manifest, what these rules compare of every card (`kept_fronts`); a build
of several lessons then checks each lesson's cards against those of the lessons before it, with
the fronts of lessons it did not rebuild taken from what their last build kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.core.model import Card, Finding, Location
from srs.lint.config import LintConfig
from srs.lint.duplicates import answer_key, front_tokens
from srs.lint.front_index import Front, FrontIndex
from srs.lint.text import normalise

CODES = ("SRS111", "SRS112")


@dataclass(frozen=True)
class KeptFronts:
    """One lesson's kept fronts, with the notebook path they are reported under."""

    path: Path
    fronts: Sequence[dict[str, Any]]


def kept_fronts(cards: Sequence[Card], config: LintConfig) -> list[dict[str, Any]]:
    """What the duplicate rules compare of each card, as plain data for the manifest."""
    from srs.lint import card_ignores

    kept = []
    for card in cards:
        front = card.authored_front
        if front is None or not front.strip():
            continue
        skipped = card_ignores(card)
        location = card.location
        kept.append(
            {
                "front": front,
                "answer": answer_key(card),
                "origin": card.source.key,
                "cell": location.cell,
                "cell_id": location.cell_id,
                "line": location.line,
                "checks": [code for code in CODES if config.enabled(code) and code not in skipped],
            }
        )
    return kept


def check_across(lessons: Sequence[KeptFronts]) -> list[Finding]:
    """Findings of each lesson's cards against the cards of the lessons before it, in lesson order."""
    entries: list[tuple[Front, dict[str, Any], Path]] = []
    for group, lesson in enumerate(lessons):
        for kept in lesson.fronts:
            try:
                front = Front(
                    key=normalise(str(kept["front"])),
                    tokens=front_tokens(str(kept["front"])),
                    answer=str(kept["answer"]),
                    origin=(group, kept["origin"]),
                    group=group,
                )
            except (KeyError, TypeError):  # a manifest written otherwise: nothing to compare
                continue
            entries.append((front, kept, lesson.path))
    index = FrontIndex([front for front, _, _ in entries], across_groups_only=True)
    findings = []
    for position, (_, kept, path) in enumerate(entries):
        checks = kept.get("checks") or ()
        where = _location(path, kept)
        if "SRS111" in checks and (earlier := index.same_front(position)) is not None:
            findings.append(
                Finding(
                    "SRS111",
                    f"same front as the card at {_location(entries[earlier][2], entries[earlier][1])} "
                    "in another deck; make each deck ask its own questions",
                    where,
                )
            )
        if "SRS112" in checks and (near := index.near_front(position)) is not None:
            other = entries[near[0]]
            findings.append(
                Finding(
                    "SRS112",
                    f"front is {near[1]:.0%} the same as the card at {_location(other[2], other[1])} in "
                    "another deck, which expects a different answer; make the fronts differ in what they ask",
                    where,
                )
            )
    return findings


def _location(path: Path, kept: dict[str, Any]) -> Location:
    return Location(path, kept.get("cell"), kept.get("cell_id"), kept.get("line"))
