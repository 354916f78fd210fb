"""Read a notebook file into a Lesson; the only module that knows the .ipynb format.

Cells are read from the JSON as written. nbformat's reader would invent random ids for cells that lack
them (and rename duplicates), which would give cards new identities on every build; so reading goes
through `json`, and nbformat is used only by `add_cell_ids`, the one command that writes a notebook.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from srs.errors import IdentityError, NotebookError
from srs.model import Attachment, Cell, Lesson, Location

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def read_lesson(path: Path) -> Lesson:
    """Read a lesson notebook; raise NotebookError for anything that is not a v4 notebook."""
    data = _load_json(path)
    cells_json = data.get("cells")
    if not isinstance(cells_json, list):
        raise NotebookError("not a Jupyter notebook: it has no list of cells", path)
    cells = _read_cells(path, cells_json)
    _check_unique_cell_ids(cells)
    title = next((h for c in cells if (h := _first_heading(c)) is not None), path.stem)
    metadata = data.get("metadata") or {}
    srs_meta = metadata.get("srs") if isinstance(metadata, dict) else None
    lesson_id = str(srs_meta.get("id")) if isinstance(srs_meta, dict) and srs_meta.get("id") else path.stem
    has_ids = bool(cells) and all(c.id is not None for c in cells)
    return Lesson(path=path, lesson_id=lesson_id, title=title, cells=tuple(cells), has_cell_ids=has_ids)


def check_notebook_path(path: Path) -> None:
    """Raise NotebookError unless the path names an existing .ipynb file."""
    if not path.exists():
        raise NotebookError("no such file; check the path", path, code="SRS002")
    if path.suffix != ".ipynb" or not path.is_file():
        raise NotebookError("not a notebook: srs reads .ipynb files", path)


def _load_json(path: Path) -> dict[str, Any]:
    check_notebook_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise NotebookError("not a notebook: the file is not UTF-8 text", path) from None
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"not a notebook: invalid JSON at line {error.lineno}, column {error.colno} ({error.msg})", path
        ) from None
    if not isinstance(data, dict):
        raise NotebookError("not a Jupyter notebook: the JSON is not an object", path)
    major = data.get("nbformat")
    if major != 4:
        raise NotebookError(
            f"notebook format {major} is not supported; "
            "open and save it in Jupyter to upgrade it to format 4",
            path,
            code="SRS003",
        )
    return data


def _read_cells(path: Path, cells_json: list[Any]) -> list[Cell]:
    cells: list[Cell] = []
    heading = ""
    for index, raw in enumerate(cells_json, start=1):
        if not isinstance(raw, dict) or raw.get("cell_type") not in ("code", "markdown", "raw"):
            raise NotebookError("not a valid cell: it has no cell_type", Location(path, index))
        source = _joined(raw.get("source", ""))
        cell_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        cell_type = raw["cell_type"]
        if cell_type == "markdown":
            heading = _first_heading_in(source) or heading
        metadata = raw.get("metadata") or {}
        tags = tuple(str(t) for t in metadata.get("tags", ()) if isinstance(t, str))
        cells.append(
            Cell(
                index=index,
                id=cell_id,
                type=cell_type,
                source=source,
                tags=tags,
                attachments=_attachments(raw.get("attachments")),
                heading=heading,
                location=Location(path, index, cell_id),
            )
        )
    return cells


def _joined(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return str(source)


def _attachments(raw: Any) -> tuple[Attachment, ...]:
    if not isinstance(raw, dict):
        return ()
    found = []
    for name, bundle in sorted(raw.items()):
        if isinstance(bundle, dict) and bundle:
            mime, encoded = next(iter(bundle.items()))
            found.append(Attachment(name=name, mime=mime, data=base64.b64decode(_joined(encoded))))
    return tuple(found)


def _first_heading_in(source: str) -> str | None:
    in_fence = False
    for line in source.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := HEADING.match(line)):
            return match.group(2)
    return None


def _first_heading(cell: Cell) -> str | None:
    return _first_heading_in(cell.source) if cell.type == "markdown" else None


def _check_unique_cell_ids(cells: list[Cell]) -> None:
    seen: dict[str, Cell] = {}
    for cell in cells:
        if cell.id is None:
            continue
        if cell.id in seen:
            first = seen[cell.id]
            raise IdentityError(
                f"cell id '{cell.id}' is also the id of cell {first.index}; "
                "run `srs ids` to give the copy a new id",
                cell.location,
            )
        seen[cell.id] = cell


def add_cell_ids(path: Path) -> int:
    """Give every cell without an id (or with a duplicate one) a new id; return how many changed."""
    import nbformat

    raw = _load_json(path)
    seen: set[str] = set()
    changed = 0
    for cell in raw.get("cells", []):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not cell_id or cell_id in seen:
            cell_id = _new_id(seen)
            cell["id"] = cell_id
            changed += 1
        seen.add(cell_id)
    if raw.get("nbformat_minor", 0) < 5:
        raw["nbformat_minor"] = 5
        changed = changed or 1
    if changed:
        notebook = nbformat.from_dict(raw)
        nbformat.write(notebook, str(path))
    return changed


def _new_id(taken: set[str]) -> str:
    import secrets

    while (candidate := secrets.token_hex(4)) in taken:
        pass
    return candidate
