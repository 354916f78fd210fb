"""What a run executes: the code cells of a lesson, in order, with what to evaluate after each.

The plan is shared by the worker (which runs it), the runner (which names cells in messages) and
the cache (whose keys are made from it), so all three agree on which cells a run covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from srs.core.model import Lesson
from srs.notebook.option_lines import split_code_options

RAISES_TAG = "raises-exception"
"""Jupyter's cell tag for a cell that is meant to raise; the run goes on after it."""


@dataclass(frozen=True)
class CellJob:
    """One code cell to run."""

    index: int
    """Cell number, as in `Cell.index`."""
    cell_id: str | None
    source: str
    """The raw cell source, option lines included, so line numbers match the notebook."""
    may_raise: bool
    """Is the cell tagged `raises-exception`?"""
    requests: tuple[str, ...]
    """Expressions to evaluate right after the cell, sorted and without repeats."""

    @property
    def code(self) -> str:
        """The source without its leading option lines: what decides the cell's behaviour."""
        return strip_option_lines(self.source)

    def to_json(self) -> dict[str, Any]:
        """The cell as the worker reads it."""
        return {
            "index": self.index,
            "source": self.source,
            "may_raise": self.may_raise,
            "requests": list(self.requests),
        }


def strip_option_lines(source: str) -> str:
    """Drop the `#|` / `# |` option lines at the top of a code cell."""
    return split_code_options(source)[1]


def plan_cells(
    lesson: Lesson, requests: Mapping[int, tuple[str, ...]], upto: int | None = None
) -> tuple[CellJob, ...]:
    """The code cells a run executes, up to and including cell number `upto` (default: all)."""
    code_numbers = {cell.index for cell in lesson.cells if cell.type == "code"}
    strays = sorted(number for number in requests if number not in code_numbers)
    if strays:
        raise ValueError(f"requests name cells that are not code cells: {strays}")
    return tuple(
        CellJob(
            index=cell.index,
            cell_id=cell.id,
            source=cell.source,
            may_raise=RAISES_TAG in cell.tags,
            requests=tuple(sorted(set(requests.get(cell.index, ())))),
        )
        for cell in lesson.cells
        if cell.type == "code" and (upto is None or cell.index <= upto)
    )
