"""Cards for the linter tests, built straight from srs.core.model (no notebook, no run)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from srs.core.model import Card, CardSource, Cell, Finding, Lesson, Location

NOTEBOOK = Path("lessons/07-attention.ipynb")
HEADING = "Scaled dot-product attention"


class CardFactory:
    """Makes cards of each kind the way the makers do, each in a cell of its own unless told otherwise."""

    def __init__(self) -> None:
        self.cells: dict[int, Cell] = {}

    def cell(
        self, source: str = "", type: str = "markdown", index: int | None = None, heading: str = HEADING
    ) -> Cell:
        """A cell of the lesson (code cells feed SRS115)."""
        number = index if index is not None else len(self.cells) + 1
        made = Cell(
            number,
            f"id{number}",
            type,
            source,
            heading=heading,
            location=Location(NOTEBOOK, number, f"id{number}"),
        )  # type: ignore[arg-type]
        self.cells[number] = made
        return made

    def _source(
        self, kind: str, text: str, options: Mapping[str, Any], cell: Cell | None, parts: tuple[str, ...] = ()
    ) -> CardSource:
        cell = cell or self.cell(text)
        location = cell.location.at_line(1)
        return CardSource(kind, dict(options), text, cell, location, 0, parts)

    def qa(self, front: str, back: str, heading: str = HEADING, **options: Any) -> Card:
        """A Q:/A: card as the qa maker builds it."""
        cell = self.cell(f"Q: {front}\n\nA: {back}", heading=heading)
        source = self._source("qa", f"Q: {front}", options, cell, (front, back))
        return Card(source.key, "qa", source, front, back, authored_front=front, authored_back=back)

    def cloze(self, text: str, heading: str = HEADING, **options: Any) -> Card:
        """A cloze note as the cloze maker builds it."""
        source = self._source("cloze", text, options, self.cell(text, heading=heading))
        return Card(source.key, "cloze", source, text, cloze=True, authored_front=text)

    def formula(self, math: str, name: str = "attention", **options: Any) -> Card:
        """A formula card: clozes make a generated front around the author's math."""
        source = self._source("formula", math, {"card": "formula", "name": name, **options}, None)
        if "{{c" in math:
            return Card(
                source.key, "formula", source, f"What is missing from the formula for {name}?\n\n{math}", cloze=True
            )
        return Card(source.key, "formula", source, f"What is the formula for {name}?", back=math)

    def numeric(self, code: str, value: str, front: str | None = None, **options: Any) -> Card:
        """A numeric card on a code cell; `front=None` leaves the front to srs."""
        cell = self.cell(code, type="code")
        all_options = {"card": "numeric", **options} | ({"front": front} if front else {})
        source = self._source("numeric", code, all_options, cell)
        shown = front or f"What is `{options.get('of', 'the last line')}` after this code runs?"
        return Card(source.key, "numeric", source, shown, back=value, value=value, authored_front=front)

    def lesson(self) -> Lesson:
        """The lesson holding every cell made so far."""
        cells = tuple(self.cells[number] for number in sorted(self.cells))
        return Lesson(NOTEBOOK, "07-attention", "Attention", cells, has_cell_ids=True)


@pytest.fixture
def make() -> CardFactory:
    """A fresh card factory."""
    return CardFactory()


LintRun = Callable[..., list[Finding]]


@pytest.fixture
def run_lint(make: CardFactory) -> LintRun:
    """Lint cards (from `make`) with a config built from keyword arguments."""
    from srs.lint import LintConfig, lint

    def run(cards: Sequence[Card], **config: Any) -> list[Finding]:
        return lint(cards, make.lesson(), LintConfig(**config))

    return run


@pytest.fixture
def codes(run_lint: LintRun) -> Callable[..., list[str]]:
    """The finding codes for some cards, in order."""

    def run(*cards: Card, **config: Any) -> list[str]:
        return [finding.code for finding in run_lint(list(cards), **config)]

    return run
