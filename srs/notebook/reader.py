"""Read a notebook file into a Lesson; the only module that knows the .ipynb format.

Cells are read from the JSON as written. nbformat's reader would invent random ids for cells that lack
them (and rename duplicates), which would give cards new identities on every build; so reading goes
through `json`, and nbformat is used only by `add_cell_ids`, the one command that writes a notebook.

This is the boundary: every value srs reads is checked here (type, size, lone surrogates), the whole
file against nbformat's schema (`srs.notebook.schema`), and every problem becomes a NotebookError
naming the cell. Nothing past the reader sees raw JSON or an unchecked value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path
from typing import Any, cast

from srs.core.errors import IdentityError, NotebookError
from srs.core.model import Attachment, Cell, CellType, Lesson, Location
from srs.notebook.schema import check_schema

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
HTML_TAG = re.compile(r"<[^<>]*>")
CELL_TYPES = ("code", "markdown", "raw")
CELL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""nbformat's rule for cell ids; it also keeps every name srs derives from an id short."""
LESSON_ID = re.compile(r"(?=.*\S)[^\x00-\x1f\x7f]{1,100}")
"""A lesson id is one line of at most 100 characters: it names files and goes into every GUID."""
SURROGATE = re.compile("[\ud800-\udfff]")
ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def read_lesson(path: Path) -> Lesson:
    """Read a lesson notebook; raise NotebookError for anything that is not a valid v4 notebook.

    Every value srs reads is checked here, once: nothing past this function sees raw JSON.
    """
    data = _load_json(path)
    cells_json = data.get("cells")
    if not isinstance(cells_json, list):
        raise NotebookError("not a Jupyter notebook: it has no list of cells", path)
    cells = _read_cells(path, cells_json)
    check_schema(path, data)
    _check_unique_cell_ids(cells)
    title = next((h for c in cells if (h := _first_heading(c)) is not None), path.stem)
    lesson_id = _lesson_id(path, data.get("metadata"))
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
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise NotebookError("not a notebook: the file is not UTF-8 text", path) from None
    except json.JSONDecodeError as error:
        raise NotebookError(
            f"not a notebook: invalid JSON at line {error.lineno}, column {error.colno} ({error.msg})", path
        ) from None
    except RecursionError:
        raise NotebookError("not a notebook: its JSON is nested too deeply", path) from None
    except ValueError as error:  # an integer of thousands of digits
        raise NotebookError(f"not a notebook: unreadable JSON ({_first_line(error)})", path) from None
    if not isinstance(data, dict):
        raise NotebookError("not a Jupyter notebook: the JSON is not an object", path)
    major = data.get("nbformat")
    if major != 4:
        raise NotebookError(
            f"notebook format {_shown(major)} is not supported; "
            "open and save it in Jupyter to upgrade it to format 4",
            path,
            code="SRS003",
        )
    if ESCAPED_SURROGATE.search(text):  # only an escape in the JSON can make one
        _check_text(data, Location(path))
    return data


def _read_cells(path: Path, cells_json: list[Any]) -> list[Cell]:
    cells: list[Cell] = []
    heading = ""
    for index, raw in enumerate(cells_json, start=1):
        where = Location(path, index)
        if not isinstance(raw, dict):
            raise NotebookError(f"not a valid cell: a cell is a JSON object, not {_kind(raw)}", where)
        cell_id = _cell_id(raw, where)
        where = Location(path, index, cell_id)
        cell_type = _cell_type(raw, where)
        source = _source(raw, where)
        own = _headings_in(source) if cell_type == "markdown" else []
        sections = ((0, heading), *own) if own else ()
        cells.append(
            Cell(
                index=index,
                id=cell_id,
                type=cell_type,
                source=source,
                tags=_tags(raw.get("metadata", {}), where),
                attachments=_attachments(raw.get("attachments"), where),
                heading=own[0][1] if own else heading,
                location=where,
                sections=sections,
            )
        )
        if own:
            heading = own[-1][1]  # the cells after it are in the cell's last section
    return cells


def _cell_type(raw: dict[str, Any], where: Location) -> CellType:
    if "cell_type" not in raw:
        raise NotebookError("not a valid cell: it has no cell_type", where)
    cell_type = raw["cell_type"]
    if cell_type not in CELL_TYPES:
        raise NotebookError(
            f"not a valid cell: unknown cell_type {_shown(cell_type)}; a cell is code, markdown or raw", where
        )
    return cast(CellType, cell_type)


def _cell_id(raw: dict[str, Any], where: Location) -> str | None:
    if "id" not in raw:
        return None
    cell_id = raw["id"]
    if not isinstance(cell_id, str) or not CELL_ID.fullmatch(cell_id):
        raise NotebookError(
            f"not a valid cell id: {_shown(cell_id)}; an id is 1-64 letters, digits, '-' or '_' "
            "(delete it and run `srs ids` to get a new one)",
            where,
        )
    return cell_id


def _source(raw: dict[str, Any], where: Location) -> str:
    if "source" not in raw:
        raise NotebookError("not a valid cell: it has no source", where)
    return _multiline(raw["source"], "source", where)


def _multiline(value: Any, field: str, where: Location) -> str:
    """A notebook's text field: a string, or a list of strings to be joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    raise NotebookError(
        f"not a valid cell: its {field} must be text or a list of text lines, not {_kind(value)}", where
    )


def _tags(metadata: Any, where: Location) -> tuple[str, ...]:
    if not isinstance(metadata, dict):
        raise NotebookError(
            f"not a valid cell: its metadata must be a JSON object, not {_kind(metadata)}", where
        )
    tags = metadata.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise NotebookError("not a valid cell: its metadata `tags` must be a list of text", where)
    return tuple(tags)


def _attachments(raw: Any, where: Location) -> tuple[Attachment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise NotebookError(
            f"not a valid cell: its attachments must be a JSON object, not {_kind(raw)}", where
        )
    found = []
    for name, bundle in sorted(raw.items()):
        if not isinstance(bundle, dict) or len(bundle) != 1:
            raise NotebookError(
                f"not a valid cell: attachment '{name}' must map one MIME type to its data", where
            )
        mime, encoded = next(iter(bundle.items()))
        text = _multiline(encoded, f"attachment '{name}'", where)
        try:
            data = base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, binascii.Error):
            raise NotebookError(
                f"not a valid cell: attachment '{name}' is not base64 data; paste the image into "
                "the cell again",
                where,
            ) from None
        found.append(Attachment(name=name, mime=mime, data=data))
    return tuple(found)


def _lesson_id(path: Path, metadata: Any) -> str:
    srs_meta = metadata.get("srs") if isinstance(metadata, dict) else None
    if srs_meta is None or (isinstance(srs_meta, dict) and srs_meta.get("id") is None):
        return path.stem
    lesson_id = srs_meta.get("id") if isinstance(srs_meta, dict) else None
    if not isinstance(lesson_id, str) or not LESSON_ID.fullmatch(lesson_id):
        raise NotebookError(
            f"the notebook's metadata `srs.id` is {_shown(lesson_id)}; a lesson id is one line of text "
            "of at most 100 characters, like \"07-attention\"",
            path,
        )
    return lesson_id


def _check_text(data: Any, where: Location) -> None:
    """Refuse lone surrogates (`\\ud800` in the JSON): they are not text, and no file can hold them."""
    stack = [(data, where)]
    while stack:
        value, place = stack.pop()
        if isinstance(value, str):
            if SURROGATE.search(value):
                raise NotebookError(
                    "the notebook holds a lone surrogate (a `\\ud800`-style escape that is half a "
                    "character), which is not text; delete it",
                    place,
                )
        elif isinstance(value, dict):
            cells = value.get("cells") if value is data else None
            if isinstance(cells, list):
                stack.extend((cell, Location(where.path, i)) for i, cell in enumerate(cells, start=1))
            stack.extend((v, place) for k, v in value.items() if not (value is data and k == "cells"))
            stack.extend((k, place) for k in value)
        elif isinstance(value, list):
            stack.extend((item, place) for item in value)


def _kind(value: Any) -> str:
    """How a JSON value's type reads in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list" if all(isinstance(v, str) for v in value) else "a list holding other things than text"
    return "text"


def _shown(value: Any) -> str:
    """A short, printable view of a value from the file."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool | int | float) or value is None:
        text = json.dumps(value)
    else:
        text = _kind(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _first_heading_in(source: str) -> str | None:
    found = _headings_in(source)
    return found[0][1] if found else None


def _headings_in(source: str) -> list[tuple[int, str]]:
    """The headings of a markdown source outside code fences, with their line numbers from 1."""
    in_fence = False
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := HEADING.match(line)) and (text := _plain_heading(match.group(2))):
            found.append((number, text))
    return found


def _plain_heading(text: str) -> str:
    """A heading without HTML: it names the deck and the context line, which Anki may show as HTML."""
    text = HTML_TAG.sub("", text).replace("<", "‹").replace(">", "›")
    return " ".join(text.split())


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
    cells = raw.get("cells")
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise NotebookError("not a Jupyter notebook: its cells are not a list of JSON objects", path)
    seen: set[str] = set()
    changed = 0
    for cell in cells:
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not CELL_ID.fullmatch(cell_id) or cell_id in seen:
            cell_id = _new_id(seen)
            cell["id"] = cell_id
            changed += 1
        seen.add(cell_id)
    if not isinstance(raw.get("nbformat_minor"), int) or raw["nbformat_minor"] < 5:
        raw["nbformat_minor"] = 5
        changed = changed or 1
    _read_cells(path, cells)  # the rest must be a notebook srs can read before anything is written
    check_schema(path, raw)
    if changed:
        notebook = nbformat.from_dict(raw)
        nbformat.write(notebook, str(path))
    return changed


def _new_id(taken: set[str]) -> str:
    import secrets

    while (candidate := secrets.token_hex(4)) in taken:
        pass
    return candidate
