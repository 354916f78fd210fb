"""CellResult and Value as plain JSON, for the worker's reports and the cache file.

Figures travel as base64 text; shapes as lists. Reading never imports torch or numpy.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from srs.model import CellResult, Value


def value_to_json(value: Value) -> dict[str, Any]:
    """A Value as a JSON object."""
    return {
        "type": value.type,
        "repr": value.repr,
        "shape": None if value.shape is None else list(value.shape),
        "dtype": value.dtype,
        "data": value.data,
    }


def value_from_json(data: Mapping[str, Any]) -> Value:
    """A Value back from its JSON object."""
    shape = data.get("shape")
    return Value(
        type=str(data["type"]),
        repr=str(data["repr"]),
        shape=None if shape is None else tuple(int(size) for size in shape),
        dtype=data.get("dtype"),
        data=data.get("data"),
    )


def result_to_json(result: CellResult) -> dict[str, Any]:
    """A CellResult as a JSON object."""
    return {
        "cell": result.cell,
        "stdout": result.stdout,
        "result": None if result.result is None else value_to_json(result.result),
        "before": _values_to_json(result.before),
        "after": _values_to_json(result.after),
        "evaluated": _values_to_json(result.evaluated),
        "figures": [base64.b64encode(image).decode("ascii") for image in result.figures],
    }


def result_from_json(data: Mapping[str, Any]) -> CellResult:
    """A CellResult back from its JSON object (KeyError or TypeError when it is malformed)."""
    value = data.get("result")
    return CellResult(
        cell=int(data["cell"]),
        stdout=str(data["stdout"]),
        result=None if value is None else value_from_json(value),
        before=_values_from_json(data["before"]),
        after=_values_from_json(data["after"]),
        evaluated=_values_from_json(data["evaluated"]),
        figures=tuple(base64.b64decode(image) for image in data["figures"]),
    )


RESULT_EVENT = '{"event": "result", "result": '
"""How the worker's `result` report line starts (`json.dumps` of `{"event": "result", "result": ...}`)."""


def encoded_result(line: str) -> str | None:
    """The JSON text of the CellResult in a `result` report line, as written; None for other lines.

    The runner keeps this text for the cache, so a result is encoded once, in the worker.
    """
    if line.startswith(RESULT_EVENT) and line.endswith("}"):
        return line[len(RESULT_EVENT) : -1]
    return None


def _values_to_json(values: Mapping[str, Value]) -> dict[str, Any]:
    return {name: value_to_json(value) for name, value in values.items()}


def _values_from_json(values: Mapping[str, Any]) -> dict[str, Value]:
    return {str(name): value_from_json(value) for name, value in values.items()}
