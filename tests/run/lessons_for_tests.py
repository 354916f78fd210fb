"""Lessons for the runner tests, built straight from the model's dataclasses.

A plain module rather than a conftest.py, so it never competes with the test tree's other
`conftest` modules for that name.
"""

from __future__ import annotations

from pathlib import Path

from srs.core.model import Cell, CellType, Lesson, Location

CellSpec = str | tuple[CellType, str] | tuple[CellType, str, tuple[str, ...]]
"""A code cell's source, or (type, source) or (type, source, tags)."""


def build_lesson(folder: Path, *specs: CellSpec, lesson_id: str = "lesson") -> Lesson:
    """A lesson at `folder/lesson.ipynb` whose cells are numbered from 1 in the order given."""
    path = folder / "lesson.ipynb"
    cells = []
    for index, spec in enumerate(specs, start=1):
        kind, source, tags = ("code", spec, ()) if isinstance(spec, str) else (*spec, ())[:3]
        cell_id = f"c{index:02d}"
        cells.append(Cell(index, cell_id, kind, source, tuple(tags), location=Location(path, index, cell_id)))
    return Lesson(path, lesson_id, "Lesson", tuple(cells), has_cell_ids=True)
