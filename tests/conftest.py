"""Shared fixtures: write small notebooks, a fresh collection of the real Anki engine, and the
shipped lessons built once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from support import BuiltLessons, CellSpec, notebook_json


@pytest.fixture
def write_notebook(tmp_path: Path) -> Callable[..., Path]:
    """Write a notebook into the test's folder and return its path."""

    def write(cells: Sequence[CellSpec], name: str = "lesson.ipynb", **kwargs: Any) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(notebook_json(cells, **kwargs), indent=1))
        return path

    return write


@pytest.fixture
def collection(tmp_path: Path) -> Any:
    """A fresh, empty Anki collection (the real engine)."""
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_lessons(tmp_path_factory: pytest.TempPathFactory) -> BuiltLessons:
    """Every lesson in lessons/ built by `srs build lessons/` (several at once), into a temporary folder.

    Lessons take minutes each, so tests that need a lesson's deck or its run share this build.
    """
    out = tmp_path_factory.mktemp("lesson-decks")
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "srs", "build", "lessons", "--out", str(out)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return BuiltLessons(out, done.returncode, done.stdout)
