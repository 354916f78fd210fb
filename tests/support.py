"""Helpers shared by the tests: notebooks as JSON data, importing decks the way Anki does, and the
suggestions one heuristic makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

CellSpec = tuple[str, str] | tuple[str, str, str]
"""(type, source) or (type, source, id); type is 'md' or 'code'."""


def notebook_json(
    cells: Sequence[CellSpec], metadata: dict[str, Any] | None = None, ids: bool = True
) -> dict[str, Any]:
    """A v4 notebook as JSON data, each cell with a stable id unless ids=False."""
    out = []
    for number, spec in enumerate(cells, start=1):
        kind, source = spec[0], spec[1]
        cell: dict[str, Any] = {
            "cell_type": "markdown" if kind == "md" else "code",
            "metadata": {},
            "source": source,
        }
        if ids:
            cell["id"] = spec[2] if len(spec) == 3 else f"c{number}"
        if kind != "md":
            cell.update(outputs=[], execution_count=None)
        out.append(cell)
    return {
        "cells": out,
        "metadata": metadata or {"kernelspec": KERNELSPEC},
        "nbformat": 4,
        "nbformat_minor": 5 if ids else 4,
    }


def import_deck(col: Any, apkg: Path) -> Any:
    """Import a package the way Anki's import dialog does by default (update notes if newer)."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER as IF_NEWER

    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))


@dataclass(frozen=True)
class BuiltLessons:
    """What `srs build lessons/` did, once for the whole test session."""

    out: Path
    """The decks folder (with the run cache in `.srs/`): a build of a lesson into it reuses the run."""
    returncode: int
    output: str
    """stdout and stderr together, as a terminal shows them."""

    def deck(self, notebook: str) -> Path:
        """The deck of a lesson, by notebook name (`07-attention.ipynb`)."""
        return self.out / f"{Path(notebook).stem}.apkg"


def is_running(pid: int) -> bool:
    """Is the process alive (a zombie waiting to be reaped counts as gone)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def suggested_by(path: Path, tmp_path: Path, heuristic: str, **kwargs: Any) -> list[Any]:
    """The suggestions `srs suggest` makes for a notebook that come from one heuristic."""
    from srs.suggest import suggest_cards

    suggestions = suggest_cards(path, out_dir=tmp_path / "decks", **kwargs).suggestions
    return [s for s in suggestions if s.heuristic == heuristic]
