"""Lessons for the runner tests, built straight from the model's dataclasses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from srs.model import Cell, CellType, Lesson, Location

CellSpec = str | tuple[CellType, str] | tuple[CellType, str, tuple[str, ...]]
"""A code cell's source, or (type, source) or (type, source, tags)."""

LessonMaker = Callable[..., Lesson]


def build_lesson(folder: Path, *specs: CellSpec, lesson_id: str = "lesson") -> Lesson:
    """A lesson at `folder/lesson.ipynb` whose cells are numbered from 1 in the order given."""
    path = folder / "lesson.ipynb"
    cells = []
    for index, spec in enumerate(specs, start=1):
        kind, source, tags = ("code", spec, ()) if isinstance(spec, str) else (*spec, ())[:3]
        cell_id = f"c{index:02d}"
        cells.append(Cell(index, cell_id, kind, source, tuple(tags), location=Location(path, index, cell_id)))
    return Lesson(path, lesson_id, "Lesson", tuple(cells), has_cell_ids=True)


@pytest.fixture
def make_lesson(tmp_path: Path) -> LessonMaker:
    """Build a lesson in this test's temporary folder: `make_lesson("x = 1", ("markdown", "# Hi"))`."""

    def make(*specs: CellSpec, folder: Path = tmp_path, lesson_id: str = "lesson") -> Lesson:
        return build_lesson(folder, *specs, lesson_id=lesson_id)

    return make


@pytest.fixture(scope="session")
def lesson_builder() -> Callable[..., Lesson]:
    """`build_lesson` itself, for fixtures that outlive one test."""
    return build_lesson
