"""Turn live objects in the worker into plain Values (shape, dtype, small data, text).

Runs inside the worker. torch and numpy are looked up in `sys.modules` and never imported here:
when the lesson has not imported them, nothing it holds can be one of their types.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from srs.core.model import Value

MAX_DATA = 256
"""Arrays with at most this many elements keep their numbers in `Value.data`."""
MAX_REPR = 2000
MAX_INT_BITS = 3000
"""Larger integers (about 900 digits) are kept as text only."""

Formatter = Callable[[Any], str | None]


def describe(value: Any, formatter: Formatter = repr) -> Value:
    """A Value for any object; `formatter` gives its text as Jupyter would show it."""
    text = _text(value, formatter)
    if _is_tensor(value):
        return _describe_tensor(value, text)
    if _is_ndarray(value):
        return _describe_ndarray(value, text)
    number = _describe_number(value, text)
    if number is not None:
        return number
    if isinstance(value, str):
        return Value("str", text)
    if isinstance(value, tuple | list):
        kind = "tuple" if isinstance(value, tuple) else "list"
        return Value(kind, text, data=_number_lists(value))
    return Value("other", text)


def is_array(value: Any) -> bool:
    """Is this a torch tensor or a numpy array?"""
    return _is_tensor(value) or _is_ndarray(value)


def is_number(value: Any) -> bool:
    """Is this a plain number: int, float, bool, or a numpy scalar of one of them?"""
    if isinstance(value, bool | int | float):
        return True
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.generic) and value.dtype.kind in "biuf"


Memo = dict[int, tuple[Any, int, Value]]
"""id(tensor) -> (weak reference to it, its version counter, its Value)."""


def namespace_values(
    namespace: Mapping[str, Any], keep: Callable[[Any], bool], memo: Memo | None = None
) -> dict[str, Value]:
    """Values of the user's own names (not `_`-names) whose objects `keep` accepts.

    Snapshots are taken around every cell, so they skip the text form (a tensor's repr costs more
    than the cell that made it) and, given a `memo`, reuse the Value of a tensor that has not
    changed since the last snapshot (same object, same in-place version counter).
    """
    found: dict[str, Value] = {}
    for name, value in sorted(namespace.items()):
        if name.startswith("_") or not keep(value):
            continue
        tensor = memo is not None and _is_tensor(value)
        known = memo.get(id(value)) if tensor and memo is not None else None
        if known is not None and known[0]() is value and known[1] == value._version:
            found[name] = known[2]
            continue
        found[name] = describe(value, _summary)
        if tensor and memo is not None:
            memo[id(value)] = (weakref.ref(value), value._version, found[name])
    return found


def _summary(value: Any) -> str:
    # small arrays keep their full text; a large one's repr is what made snapshots slow
    size = value.numel() if _is_tensor(value) else getattr(value, "size", 0)
    if is_array(value) and size > MAX_DATA:
        return f"{type(value).__name__} of shape {tuple(int(n) for n in value.shape)}"
    return repr(value)


def _text(value: Any, formatter: Formatter) -> str:
    try:
        text = formatter(value)
    except Exception:
        text = None
    if text is None:
        try:
            text = repr(value)
        except Exception:
            text = f"<{type(value).__name__} that cannot be shown>"
    return text if len(text) <= MAX_REPR else text[:MAX_REPR] + " ..."


def _is_tensor(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _is_ndarray(value: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def _describe_tensor(tensor: Any, text: str) -> Value:
    shape = tuple(int(size) for size in tensor.shape)
    data = None
    if tensor.numel() <= MAX_DATA and not tensor.is_complex():
        try:
            data = tensor.detach().cpu().tolist()
        except Exception:  # sparse, meta and other layouts without plain numbers
            data = None
    return Value("torch.Tensor", text, shape, str(tensor.dtype).removeprefix("torch."), data)


def _describe_ndarray(array: Any, text: str) -> Value:
    shape = tuple(int(size) for size in array.shape)
    data = array.tolist() if array.size <= MAX_DATA and array.dtype.kind in "biuf" else None
    return Value("numpy.ndarray", text, shape, str(array.dtype), data)


def _describe_number(value: Any, text: str) -> Value | None:
    if isinstance(value, bool):
        return Value("bool", text, data=bool(value))
    if isinstance(value, int):
        return Value("int", text, data=int(value) if _storable(value) else None)
    if isinstance(value, float):
        return Value("float", text, data=float(value))
    if not is_number(value):
        return None
    kind = {"b": "bool", "i": "int", "u": "int", "f": "float"}[value.dtype.kind]
    return Value(kind, text, dtype=str(value.dtype), data=value.item())


def _storable(number: int) -> bool:
    """Can an integer be written as JSON and read back? (Python refuses integers of thousands of digits.)"""
    return number.bit_length() <= MAX_INT_BITS


def _number_lists(items: list[Any] | tuple[Any, ...]) -> list[Any] | None:
    """The items as nested lists of Python numbers, or None when they hold anything else or too much."""
    count = 0

    def convert(item: Any) -> Any:
        nonlocal count
        if isinstance(item, list | tuple):
            return [convert(inner) for inner in item]
        if not is_number(item):
            raise ValueError("not a number")
        count += 1
        if count > MAX_DATA or (isinstance(item, int) and not _storable(item)):
            raise ValueError("too many numbers, or one too large")
        return item.item() if hasattr(item, "item") else item

    try:
        return convert(items)
    except (ValueError, RecursionError):
        return None
