"""Exercise checks that hold -> shape or numeric cards about the checked value.

An exercise cell uses `test_` names and checks itself with `assert`. When the notebook holds a
solution (the assert is live and the run passed it), the checked value is worth a card: its shape
(`assert test_out.shape == (1, 8)`) or its number (`assert abs(test_loss - 0.69) < 0.01`).
Exercises shipped unsolved (their checks commented out) give nothing.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator

from srs.model import Cell, CellResult
from srs.suggest.heuristics.numbers import scalar
from srs.suggest.model import SuggestContext, Suggestion


def _checked(test: ast.expr) -> tuple[str, str, object] | None:
    """('shape' or 'numeric', the checked expression, the expected value) of an assert's test."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right, op = test.left, test.comparators[0], test.ops[0]
        if isinstance(op, ast.Eq) and isinstance(left, ast.Attribute) and left.attr == "shape":
            return "shape", ast.unparse(left.value), None
        if isinstance(op, ast.Eq | ast.Lt | ast.LtE) and isinstance(left, ast.Call):
            called = ast.unparse(left.func)
            if called == "abs" and len(left.args) == 1 and isinstance(left.args[0], ast.BinOp):
                diff = left.args[0]
                if isinstance(diff.right, ast.Constant) and isinstance(diff.right.value, int | float):
                    return "numeric", ast.unparse(diff.left), diff.right.value
        if (
            isinstance(op, ast.Eq)
            and isinstance(right, ast.Constant)
            and isinstance(right.value, int | float)
        ):
            return "numeric", ast.unparse(left), right.value
    if (
        isinstance(test, ast.Call)
        and ast.unparse(test.func).endswith(("isclose", "allclose"))
        and len(test.args) == 2
    ):
        first, second = test.args
        if isinstance(second, ast.Constant) and isinstance(second.value, int | float):
            return "numeric", ast.unparse(first), second.value
    return None


def _tolerance(test: ast.expr) -> float:
    """The tolerance an assert allows (`abs(x - v) < tol`), else a tight one."""
    if isinstance(test, ast.Compare) and isinstance(test.comparators[0], ast.Constant):
        bound = test.comparators[0].value
        if isinstance(bound, int | float) and not isinstance(bound, bool) and bound > 0:
            return float(bound)
    return 1e-6


def _digits(expected: object, tol: float) -> tuple[tuple[str, object], ...]:
    """`digits:` as many as the tolerance vouches for, when that is fewer than the default four."""
    if not isinstance(expected, int | float) or not expected or isinstance(expected, bool):
        return ()
    digits = max(1, math.floor(math.log10(abs(expected) / tol)) + 1)
    return (("digits", digits),) if digits < 4 else ()


def _suggestion(cell: Cell, result: CellResult, tainted: set[str]) -> Suggestion | None:
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        checked = _checked(node.test)
        if checked is None or not checked[1].startswith("test_") or not checked[1].isidentifier():
            continue
        kind, name, expected = checked
        value = result.after.get(name)
        if value is None:
            continue
        if kind == "shape" and value.shape is not None:
            if _same_shape_as_an_input(cell, name, result, tuple(value.shape)):
                continue  # the shape it came in with: nothing to work out
            options: tuple[tuple[str, object], ...] = (("card", "shape"), ("of", name))
        elif kind == "numeric" and scalar(value) is not None and name not in tainted:
            tol = _tolerance(node.test)
            options = (
                ("card", "numeric"),
                ("of", name),
                *_digits(expected, tol),
                ("expect", expected),
                ("tol", tol),
            )
        else:
            continue
        return Suggestion(
            cell=cell,
            kind=kind,
            confidence=0.65,
            reason=f"the exercise checks `{ast.unparse(node.test)}` and the notebook's solution passes it",
            heuristic="exercises",
            options=options,
        )
    return None


def _same_shape_as_an_input(cell: Cell, name: str, result: CellResult, shape: tuple[int, ...]) -> bool:
    """Does the statement that makes `name` read a tensor of exactly that shape?"""
    from srs.suggest.heuristics.shapes import subject_of

    found = subject_of(cell, "shape", {"of": name})
    if found is None:
        return False
    try:
        tree = ast.parse(found[1].strip())
    except SyntaxError:
        return False
    reads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    for read in reads - {name}:
        known = result.before.get(read) or result.after.get(read)
        if known is not None and known.shape is not None and tuple(known.shape) == shape:
            return True
    return False


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A card for each solved exercise's check."""
    from srs.suggest.heuristics.numbers import random_names

    tainted = random_names(ctx)
    for cell, result in ctx.code_cells():
        if "test_" in cell.source and "assert" in cell.source:
            found = _suggestion(cell, result, tainted)
            if found is not None:
                yield found
