"""CellResult and Value as plain JSON, for the worker's reports and the cache file.

Figures travel as base64 text; shapes as lists. A result's namespace snapshots are written as
differences from the snapshot before them (see `ResultWriter`). Reading never imports torch or numpy.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from srs.core.model import CellResult, Value


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


def result_to_json(result: CellResult, base: Mapping[str, Value] | None = None) -> dict[str, Any]:
    """A CellResult as a JSON object; its snapshots as differences from `base` when given."""
    base = base or {}
    return {
        "cell": result.cell,
        "stdout": result.stdout,
        "result": None if result.result is None else value_to_json(result.result),
        "before": _difference(base, result.before),
        "after": _difference(base, result.after),
        "evaluated": _values_to_json(result.evaluated),
        "figures": [base64.b64encode(image).decode("ascii") for image in result.figures],
    }


def result_from_json(data: Mapping[str, Any], base: Mapping[str, Value] | None = None) -> CellResult:
    """A CellResult back from its JSON object (KeyError or TypeError when it is malformed).

    `base` is the snapshot its differences were taken from (the same as `result_to_json`'s).
    """
    base = base or {}
    value = data.get("result")
    return CellResult(
        cell=int(data["cell"]),
        stdout=str(data["stdout"]),
        result=None if value is None else value_from_json(value),
        before=_applied(base, data["before"]),
        after=_applied(base, data["after"]),
        evaluated=_values_from_json(data["evaluated"]),
        figures=tuple(base64.b64decode(image) for image in data["figures"]),
    )


class ResultWriter:
    """Encodes a sequence of results, each as what changed since the one written before it.

    Consecutive cells mostly share their namespace: sending every tensor again after every cell
    made a lesson's results megabytes of repeated JSON. A `ResultReader` that reads the objects in
    the same order gets the results back whole.
    """

    def __init__(self) -> None:
        self.last: Mapping[str, Value] = {}

    def write(self, result: CellResult) -> dict[str, Any]:
        """The JSON object of the next result."""
        data = result_to_json(result, self.last)
        self.last = result.after
        return data


class ResultReader:
    """Decodes what a `ResultWriter` wrote, in the order it was written."""

    def __init__(self) -> None:
        self.last: Mapping[str, Value] = {}

    def read(self, data: Mapping[str, Any]) -> CellResult:
        """The next result (KeyError, TypeError or ValueError when the object is malformed)."""
        result = result_from_json(data, self.last)
        self.last = result.after
        return result


def _difference(base: Mapping[str, Value], snapshot: Mapping[str, Value]) -> dict[str, Any]:
    """`snapshot` as the names whose values differ from `base`'s and the names it no longer has."""
    changed = {}
    for name, value in snapshot.items():
        old = base.get(name)
        if old is not value and old != value:
            changed[name] = value_to_json(value)
    return {"changed": changed, "gone": [name for name in base if name not in snapshot]}


def _applied(base: Mapping[str, Value], difference: Mapping[str, Any]) -> dict[str, Value]:
    """The snapshot that `difference` describes, rebuilt on `base` (names in sorted order)."""
    gone = set(difference["gone"])
    values = {name: value for name, value in base.items() if name not in gone}
    values.update(_values_from_json(difference["changed"]))
    return dict(sorted(values.items()))


def _values_to_json(values: Mapping[str, Value]) -> dict[str, Any]:
    return {name: value_to_json(value) for name, value in values.items()}


def _values_from_json(values: Mapping[str, Any]) -> dict[str, Value]:
    return {str(name): value_from_json(value) for name, value in values.items()}
