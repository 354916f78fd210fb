"""Shared fixtures: write small notebooks, and a fresh collection of the real Anki engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from support import CellSpec, notebook_json


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
