"""Which value a computed card (shape, numeric) is about, and the statement that produces it.

A card is about its `of:` expression, else the cell's trailing expression, else the target of its
last assignment. The statement that produces that value, and the tensors it reads, come from `ast`.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from srs.core.errors import OptionError, SourceError
from srs.core.model import CardSource

_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_SIDE_EFFECT_CALLS = frozenset({"print", "display", "pprint", "plt.show"})
"""Calls that show something without having a value; a cell ending in one is about its assignment."""


@dataclass(frozen=True)
class Read:
    """A name a statement reads, and which snapshot holds its value at that moment."""

    name: str
    when: Literal["before", "after"]


@dataclass(frozen=True)
class Subject:
    """The value a computed card is about and the code that produces it."""

    expr: str
    """Python expression naming the value (`scores`, `probs.sum()`)."""
    statement: str
    """Source of the statement that produces it, shown on the card's front."""
    reads: tuple[Read, ...] = ()
    """Names the statement reads whose values are known, in order of first use."""
    names: frozenset[str] = frozenset()
    """Every name the statement reads, known or not (for checking `dims:` keys)."""
    is_last_expression: bool = False
    """Is the value the cell's own result (so no extra evaluation is needed)?"""


def find_subject(source: CardSource) -> Subject:
    """The value a shape or numeric card asks about, with the statement that makes it."""
    tree = _parse(source)
    of = source.options.get("of")
    if of is not None:
        return _subject_of(str(of).strip(), tree, source)
    if tree is None or not tree.body:
        raise SourceError(_no_subject(source), source.location)
    last = tree.body[-1]
    shown = _shown_expression(last, source.kind)
    if shown is not None:
        if isinstance(last, ast.Expr) and shown is last.value and not isinstance(shown, ast.Name):
            return _subject_from(tree, last, _segment(source.text, last), source, is_last=True)
        # a bare name (or the `x` of `x.shape`) is about the statement that made it
        return _subject_of(ast.unparse(shown), tree, source)
    assignment = _last_assignment(tree)
    if assignment is None:
        raise SourceError(_no_subject(source), source.location)
    return _subject_from(tree, assignment, _target_expr(assignment, source), source)


def requests(source: CardSource) -> tuple[str, ...]:
    """The expression to evaluate after the cell, unless the cell's own result already is the value."""
    subject = find_subject(source)
    return () if subject.is_last_expression else (subject.expr,)


def _parse(source: CardSource) -> ast.Module | None:
    try:
        return ast.parse(source.text)
    except SyntaxError:
        pass
    # IPython syntax (`%time`, `!ls`) becomes plain Python on the same lines
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source.text))
    except SyntaxError as error:
        if source.options.get("of") is not None:
            return None
        raise SourceError(
            f"cannot read this cell as Python ({error.msg}, line {error.lineno}); fix the code or name "
            "the value with `#| of: NAME`",
            source.location,
        ) from None


def _shown_expression(last: ast.stmt, kind: str) -> ast.expr | None:
    """The value a trailing expression shows, or None when it only prints, plots or runs a magic.

    For a shape card, a trailing `x.shape` or `x.size()` shows `x`'s shape, so the card is about `x`.
    """
    if not isinstance(last, ast.Expr):
        return None
    value = last.value
    if isinstance(value, ast.Call):
        called = ast.unparse(value.func)
        if called in _SIDE_EFFECT_CALLS or called.startswith("get_ipython()") or called.endswith(".show"):
            return None
    if kind == "shape":
        if isinstance(value, ast.Attribute) and value.attr == "shape":
            return value.value
        func = value.func if isinstance(value, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "size":
            return func.value
    return value


def _subject_of(expr: str, tree: ast.Module | None, source: CardSource) -> Subject:
    try:
        parsed = ast.parse(expr, mode="eval").body
    except SyntaxError:
        raise OptionError(
            f"`of: {expr}` is not a Python expression; name a variable or write an "
            "expression such as `scores.T`",
            source.location,
        ) from None
    if tree is not None:
        producer = _producer(tree, parsed)
        if producer is not None:
            return _subject_from(tree, producer, expr, source)
    # Nothing in the cell makes it: the expression itself is the statement, read after the cell ran.
    names = _loaded_names(parsed)
    reads = tuple(Read(name, "after") for name in names if name != expr)
    return Subject(expr, expr, reads, frozenset(names))


def _producer(tree: ast.Module, parsed: ast.expr) -> ast.stmt | None:
    """The last statement that assigns the name, or a top-level expression statement equal to it."""
    if isinstance(parsed, ast.Name):
        binders = [
            node
            for node in _walk(tree)
            if isinstance(node, _ASSIGNMENTS) and parsed.id in _stored_names(node)
        ]
        if binders:
            return max(binders, key=_position)
    wanted = ast.dump(parsed)
    matches = [stmt for stmt in tree.body if isinstance(stmt, ast.Expr) and ast.dump(stmt.value) == wanted]
    return matches[-1] if matches else None


def _subject_from(
    tree: ast.Module, node: ast.stmt, expr: str, source: CardSource, is_last: bool = False
) -> Subject:
    names = _loaded_names(node)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        names = [node.target.id, *(name for name in names if name != node.target.id)]
    bound = list(_bindings(tree))
    earlier = {name for name, line in bound if line < node.lineno}
    later = {name for name, line in bound if line >= node.lineno}
    reads = []
    for name in names:
        if name not in earlier:
            reads.append(Read(name, "before"))
        elif name not in later:
            reads.append(Read(name, "after"))
    return Subject(expr, _segment(source.text, node), tuple(reads), frozenset(names), is_last)


def _last_assignment(tree: ast.Module) -> ast.stmt | None:
    # a bare annotation (`x: int`) assigns nothing
    assignments = [
        node
        for node in _walk(tree)
        if isinstance(node, _ASSIGNMENTS) and not (isinstance(node, ast.AnnAssign) and node.value is None)
    ]
    return max(assignments, key=_position) if assignments else None


def _target_expr(node: ast.stmt, source: CardSource) -> str:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
    target = targets[-1]
    if isinstance(target, ast.Tuple | ast.List | ast.Starred):
        names = ", ".join(_stored_names(node))
        raise SourceError(
            f"the last assignment of this cell binds several names ({names}); say which one the card "
            f"is about with `#| of: NAME`",
            source.location,
        )
    return ast.unparse(target)


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node at module scope: function and class bodies bind their own names."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, _SCOPES):
            yield from _walk(child)


def _bindings(tree: ast.Module) -> Iterator[tuple[str, int]]:
    for node in _walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            yield node.id, node.lineno
        elif isinstance(node, _SCOPES) and not isinstance(node, ast.Lambda):
            yield node.name, node.lineno
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                yield (alias.asname or alias.name).split(".")[0], node.lineno


def _stored_names(node: ast.AST) -> list[str]:
    stored = [n.id for n in _walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return list(dict.fromkeys(stored))


def _loaded_names(node: ast.AST) -> list[str]:
    found = [n.id for n in [node, *_walk(node)] if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return list(dict.fromkeys(found))


def _position(node: ast.stmt) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _segment(text: str, node: ast.stmt) -> str:
    lines = text.splitlines()[node.lineno - 1 : node.end_lineno]
    return textwrap.dedent("\n".join(lines)).strip()


def _no_subject(source: CardSource) -> str:
    return (
        f"this {source.kind} card has nothing to ask about: the cell neither assigns a variable nor "
        "ends in an expression; add `#| of: NAME`"
    )
