"""nbformat's JSON schema for version 4 notebooks, checked without importing a schema library.

The schema is nbformat's own file (4.5, the latest 4.x); srs reads it and checks a notebook against it
with the dozen JSON Schema keywords it uses. A validator library would cost a build a tenth of a
second or more to import and compile the schema; this costs a few milliseconds. Two rules are eased:
cell ids are optional and any 4.x minor version is accepted (notebooks before 4.5 have no ids, and
srs says so in its own words).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from srs.core.errors import NotebookError
from srs.core.model import Location

SCHEMA_FILE = "nbformat.v4.5.schema.json"
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}

Path_ = tuple[str | int, ...]


class SchemaProblem(Exception):
    """Where (a path of keys and indexes) the notebook breaks the schema, and how."""

    def __init__(self, path: Path_, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


def check_schema(path: Path, data: dict[str, Any]) -> None:
    """Raise NotebookError, naming the cell, where the notebook breaks nbformat's v4 schema."""
    schema = _schema()
    try:
        _check(data, schema, (), schema)
    except SchemaProblem as problem:
        raise _as_error(path, problem) from None
    except RecursionError:
        raise NotebookError("not a valid notebook: its JSON is nested too deeply", path) from None


def _as_error(path: Path, problem: SchemaProblem) -> NotebookError:
    if len(problem.path) >= 2 and problem.path[0] == "cells" and isinstance(problem.path[1], int):
        field = _dotted(problem.path[2:]) or "the cell"
        where = Location(path, problem.path[1] + 1)
        return NotebookError(f"not a valid notebook cell (nbformat 4): {field} {problem.problem}", where)
    field = _dotted(problem.path) or "the notebook"
    return NotebookError(f"not a valid notebook (nbformat 4): {field} {problem.problem}", path)


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _check(value: Any, schema: dict[str, Any], path: Path_, root: dict[str, Any]) -> None:
    """Raise SchemaProblem unless `value` satisfies `schema` (the keywords nbformat's schema uses)."""
    schema = _resolved(schema, root)
    _check_type(value, schema, path)
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaProblem(path, f"must be one of {', '.join(map(json.dumps, schema['enum']))}")
    if isinstance(value, str):
        _check_text(value, schema, path)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise SchemaProblem(path, f"must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise SchemaProblem(path, f"must be at most {schema['maximum']}")
    elif isinstance(value, dict):
        _check_object(value, schema, path, root)
    elif isinstance(value, list):
        _check_array(value, schema, path, root)
    if "oneOf" in schema:
        _check_one_of(value, schema["oneOf"], path, root)
    if "not" in schema and _holds(value, schema["not"], path, root):
        raise SchemaProblem(path, "has a form the format forbids here")


def _check_type(value: Any, schema: dict[str, Any], path: Path_) -> None:
    wanted = schema.get("type")
    if wanted is None:
        return
    names = wanted if isinstance(wanted, list) else [wanted]
    for name in names:
        if isinstance(value, JSON_TYPES[name]) and not (isinstance(value, bool) and name != "boolean"):
            return
    raise SchemaProblem(path, f"must be of type {' or '.join(names)}")


def _check_text(value: str, schema: dict[str, Any], path: Path_) -> None:
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        shortest, longest = schema.get("minLength", 0), schema.get("maxLength", "any number of")
        raise SchemaProblem(path, f"must be {shortest} to {longest} characters long")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise SchemaProblem(path, f"must match {schema['pattern']}")


def _check_object(value: dict[str, Any], schema: dict[str, Any], path: Path_, root: dict[str, Any]) -> None:
    for key in schema.get("required", ()):
        if key not in value:
            raise SchemaProblem(path, f"must have a `{key}`")
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        matched = [rule for pattern, rule in patterns.items() if re.search(pattern, key)]
        if key in properties:
            matched.append(properties[key])
        for rule in matched:
            _check(item, rule, (*path, key), root)
        if not matched and extra is False:
            raise SchemaProblem(path, f"has a `{key}`, which the format does not allow there")
        if not matched and isinstance(extra, dict):
            _check(item, extra, (*path, key), root)


def _check_array(value: list[Any], schema: dict[str, Any], path: Path_, root: dict[str, Any]) -> None:
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            _check(item, items, (*path, index), root)
    if schema.get("uniqueItems") and len({json.dumps(item, sort_keys=True) for item in value}) < len(value):
        raise SchemaProblem(path, "must not hold the same item twice")


def _check_one_of(value: Any, options: list[dict[str, Any]], path: Path_, root: dict[str, Any]) -> None:
    problems: list[SchemaProblem] = []
    for option in options:
        try:
            _check(value, option, path, root)
        except SchemaProblem as problem:
            problems.append(problem)
    fitting = len(options) - len(problems)
    if fitting == 1:
        return
    if fitting > 1:
        raise SchemaProblem(path, "fits more than one of the forms the format allows")
    # the form whose kind (`cell_type`, `output_type`) the value names says what is really wrong
    named = [p for p, o in zip(problems, options, strict=True) if _names_kind(value, o, root)]
    if len(named) == 1:
        raise named[0]
    kinds = [_kinds(option, root) for option in options]
    common = set.intersection(*(set(k) for k in kinds)) if kinds else set()
    if isinstance(value, dict) and len(common) == 1:  # a kind the format does not have
        key = common.pop()
        names = [name for k in kinds for name in k[key]]
        raise SchemaProblem((*path, key), f"must be one of {', '.join(map(json.dumps, names))}")
    raise SchemaProblem(path, f"fits none of the {len(options)} forms the format allows")


def _kinds(option: dict[str, Any], root: dict[str, Any]) -> dict[str, list[Any]]:
    """The properties that name a form's kind (`cell_type: [code]`), with the names they allow."""
    return {k: p["enum"] for k, p in _resolved(option, root).get("properties", {}).items() if "enum" in p}


def _names_kind(value: Any, option: dict[str, Any], root: dict[str, Any]) -> bool:
    kinds = _kinds(option, root)
    return bool(kinds) and isinstance(value, dict) and all(value.get(k) in e for k, e in kinds.items())


def _resolved(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """The schema a `$ref` (`#/definitions/misc/source`) points at; other schemas as they are."""
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _holds(value: Any, schema: dict[str, Any], path: Path_, root: dict[str, Any]) -> bool:
    try:
        _check(value, schema, path, root)
    except SchemaProblem:
        return False
    return True


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
