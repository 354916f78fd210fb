"""nbformat's JSON schema for version 4 notebooks, checked without importing nbformat itself.

Importing nbformat costs a build more than a tenth of a second; its schema file and the fast validator
it depends on cost a few hundredths. The 4.5 schema is used for every minor version, with cell ids made
optional (notebooks before 4.5 have none, and srs says so in its own words); everything else is
nbformat's own rule.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from srs.errors import NotebookError
from srs.model import Location

SCHEMA_FILE = "nbformat.v4.5.schema.json"
WHERE = re.compile(r"data\.cells\[(\d+)\]")


def check_schema(path: Path, data: dict[str, Any]) -> None:
    """Raise NotebookError, naming the cell, where the notebook breaks nbformat's v4 schema."""
    import fastjsonschema

    try:
        _validator(None)(data)
    except fastjsonschema.JsonSchemaValueException as error:
        name, message = error.name or "data", error.message
        cell = WHERE.fullmatch(name)
        if cell is not None:  # "valid by exactly one definition" says nothing: ask the cell's own type
            name, message = _cell_problem(data["cells"][int(cell.group(1))], name, message)
        raise _schema_error(path, name, message) from None
    except RecursionError:
        raise NotebookError("not a valid notebook: its JSON is nested too deeply", path) from None


def _cell_problem(cell: dict[str, Any], name: str, message: str) -> tuple[str, str]:
    import fastjsonschema

    try:
        _validator(f"{cell['cell_type']}_cell")(cell)
    except fastjsonschema.JsonSchemaValueException as error:
        inner = error.name or "data"
        full = name + inner.removeprefix("data")
        return full, error.message.replace(inner, full, 1)
    except (KeyError, RecursionError):
        pass
    return name, message


def _schema_error(path: Path, name: str, message: str) -> NotebookError:
    match = WHERE.match(name)
    what = message.removeprefix(name).strip()
    if match is None:
        field = name.removeprefix("data").lstrip(".") or "the notebook"
        return NotebookError(f"not a valid notebook (nbformat 4): {field} {what}", path)
    field = name[match.end() :].lstrip(".") or "the cell"
    return NotebookError(
        f"not a valid notebook cell (nbformat 4): {field} {what}", Location(path, int(match.group(1)) + 1)
    )


@cache
def _validator(definition: str | None) -> Any:
    """The validator of a whole notebook, or of one definition of the schema (`code_cell`)."""
    import fastjsonschema

    schema = _schema()
    if definition is not None:
        schema = {"$ref": f"#/definitions/{definition}", "definitions": schema["definitions"]}
    return fastjsonschema.compile(schema)


@cache
def _schema() -> dict[str, Any]:
    spec = find_spec("nbformat")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("nbformat is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)), "v4")
    schema: dict[str, Any] = json.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8"))
    schema["properties"]["nbformat_minor"].pop("minimum", None)
    for definition in schema["definitions"].values():
        required = definition.get("required") if isinstance(definition, dict) else None
        if isinstance(required, list) and "id" in required:
            required.remove("id")
    return schema
