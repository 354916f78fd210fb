"""Exercise checks that hold -> shape cards about the checked value.

An exercise cell uses `test_` names and checks itself with `assert`. When the notebook holds a
solution (the assert is live and the run passed it), a checked shape that differs from its inputs'
(`assert test_out.shape == (1, 8)`) is worth a shape card: its front shows only the statement that
makes the value, not the assert. A checked number (`assert abs(test_loss - 0.69) < 0.01`) is not
suggested: a numeric card shows the whole cell, assert and answer included.
Exercises shipped unsolved (their checks commented out) give nothing.

These cards are under the default threshold and under 0.4 (`CONFIDENCE`): over rounds 17 to 28 of
blind review, 4 of 16 ratings usable (the `test_` names and sizes are the exercise's, a helper's
layout is its own convention, and the point of the exercise is not what the card asks);
`--min-confidence 0.3` shows them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from srs.core.model import Cell, CellResult
from srs.suggest.model import SuggestContext, Suggestion, parsed_code

CONFIDENCE = 0.35


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


def _suggestion(cell: Cell, result: CellResult) -> Suggestion | None:
    tree = parsed_code(cell.source)
    if tree is None:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        checked = _checked(node.test)
        if checked is None or not checked[1].startswith("test_") or not checked[1].isidentifier():
            continue
        kind, name, _expected = checked
        if kind != "shape":
            # a numeric card shows the whole cell, and with it the assert that states the answer
            continue
        value = result.after.get(name)
        if value is None or value.shape is None:
            continue
        if not value.shape:
            continue  # a scalar (a norm, a mean loss): nothing to work out
        if _same_shape_as_an_input(cell, name, result, tuple(value.shape)):
            continue  # the shape it came in with: nothing to work out
        if _through_a_role_named_function(cell, name):
            continue  # `test_block(x)`: how its body maps shapes is not on the card
        options: tuple[tuple[str, object], ...] = (("card", "shape"), ("of", name))
        return Suggestion(
            cell=cell,
            kind=kind,
            confidence=CONFIDENCE,
            reason=f"the exercise checks `{ast.unparse(node.test)}` and the notebook's solution passes it",
            heuristic="exercises",
            options=options,
        )
    return None


def _through_a_role_named_function(cell: Cell, name: str) -> bool:
    """Is the value made by a function of the exercise named for its role, not for a tensor operation?"""
    from srs.suggest.heuristics.shapes import OPERATION, subject_of

    found = subject_of(cell, "shape", {"of": name})
    tree = parsed_code(found[1].strip()) if found is not None else None
    if tree is None:
        return False
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    body = parsed_code(cell.source) or ast.Module([], [])
    defined = {n.name for n in ast.walk(body) if isinstance(n, ast.FunctionDef)}
    return any(not OPERATION.search(function) for function in called & defined)


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
    for cell, result in ctx.code_cells():
        if "test_" in cell.source and "assert" in cell.source:
            found = _suggestion(cell, result)
            if found is not None:
                yield found
