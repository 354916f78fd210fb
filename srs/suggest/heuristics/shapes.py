"""Statements that change a tensor's shape (a matmul, a reshape, a reduction) -> shape cards.

The run says which shapes went in and which came out; `dims:` names each dimension after a size
variable of the notebook (`d_model = 8` names every axis of size 8) when exactly one name fits.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from srs.core.errors import SrsError
from srs.core.model import CardSource, Cell, CellResult, Value
from srs.suggest.model import SuggestContext, Suggestion

SHAPE_CHANGE = re.compile(
    r"@|\bmatmul\b|\bmm\b|\bbmm\b|\.reshape\b|\.view\b|\.transpose\b|\.permute\b|\.T\b|\.mT\b|\bsum\(|\bmean\(|"
    r"\bmax\(|\bcat\(|\bstack\(|\bunsqueeze\b|\bsqueeze\b|\bflatten\b|\beinsum\b|\bchunk\b|\bsplit\b|"
    r"\brearrange\b|\bouter\b|\bnorm\(|None\]|\bexpand\b|\brepeat\b"
)


@dataclass(frozen=True)
class Operand:
    """A tensor the statement reads or makes, with its shape."""

    name: str
    shape: tuple[int, ...]


def size_names(ctx: SuggestContext, upto: int) -> dict[int, set[str]]:
    """Integer variables defined by the cells up to `upto`, by value: the candidate axis names."""
    names: dict[int, set[str]] = {}
    for index in sorted(ctx.results):
        if index > upto:
            break
        for name, value in ctx.results[index].after.items():
            if (
                value.type == "int"
                and isinstance(value.data, int)
                and value.data > 1
                and not name.startswith("_")
            ):
                names.setdefault(value.data, set()).add(name)
    return names


def _unique_names(shape: tuple[int, ...], sizes: Mapping[int, set[str]]) -> list[str] | None:
    dims = []
    for size in shape:
        candidates = sizes.get(size, set())
        if len(candidates) != 1:
            return None
        dims.append(next(iter(candidates)))
    return dims if len(set(dims)) == len(dims) else None


def subject_of(
    cell: Cell, kind: str, options: Mapping[str, object] | None = None
) -> tuple[str, str, bool] | None:
    """(expression, statement, is it the cell's last expression) of a computed card on this cell."""
    from srs.kinds.subject import find_subject

    source = CardSource(kind, dict(options or {}), cell.source, cell, cell.location.at_line(1), 0)
    try:
        subject = find_subject(source)
    except (SrsError, SyntaxError, ValueError):
        return None
    return subject.expr, subject.statement, subject.is_last_expression


def value_of(result: CellResult, expr: str, is_last: bool) -> Value | None:
    """The value a card on the cell would get: its last expression, or a name it leaves behind."""
    if is_last:
        return result.result
    return result.evaluated.get(expr) or result.after.get(expr)


def _reads(statement: str) -> list[str]:
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return []
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            seen.setdefault(node.id, None)
    return list(seen)


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A shape card for each statement whose result has a shape none of its inputs had."""
    for cell, result in ctx.code_cells():
        found = subject_of(cell, "shape")
        if found is None:
            continue
        expr, statement, is_last = found
        value = value_of(result, expr, is_last)
        if value is None or not value.shape:
            continue
        inputs = [
            Operand(name, known.shape)
            for name in _reads(statement)
            if (known := result.before.get(name) or result.after.get(name)) is not None
            and known.shape is not None
        ]
        if not inputs or any(tuple(value.shape) == op.shape for op in inputs):
            continue
        sizes = size_names(ctx, cell.index)
        dims = {}
        for operand in [*inputs, Operand(expr, tuple(value.shape))]:
            names = _unique_names(operand.shape, sizes)
            if names is not None and operand.name.isidentifier():
                dims[operand.name] = names
        options: tuple[tuple[str, object], ...] = (("card", "shape"),)
        if dims:
            options += (("dims", dims),)
        named = expr in dims
        known_op = bool(SHAPE_CHANGE.search(statement))
        shapes = ", ".join(f"{op.name} {op.shape}" for op in inputs)
        yield Suggestion(
            cell=cell,
            kind="shape",
            confidence=(0.85 if named else 0.7 if dims else 0.55) - (0 if known_op else 0.1),
            reason=f"`{statement.strip()}` turns {shapes} into {tuple(value.shape)}",
            heuristic="shapes",
            options=options,
        )
