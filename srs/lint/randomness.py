"""SRS115: a value that depends on the random seed asked for as if it were a fact.

The check follows the data: starting from the names the card's `of:` expression reads, it walks the
lesson's code backwards to the statements that produced them, and the names those statements read,
until it meets a random draw or runs out. Names used only for their shape (`x.shape`, `len(x)`) do not
carry randomness: the shape of a random tensor is as much a fact as any.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from srs.core.model import Card, Lesson
from srs.lint.rule import RuleContext

RANDOM_CALL = re.compile(
    r"\btorch\.(?:randn|rand|randint|randperm|randn_like|rand_like|randint_like|normal|bernoulli|multinomial|poisson)\b"
    r"|\b(?:np|numpy)\.random\.(?!seed\b|default_rng\b|Generator\b)\w+"
    r"|(?<![\w.])random\.(?!seed\b)\w+"
    r"|\.\w*(?:normal|uniform|random|bernoulli|exponential|cauchy|geometric|orthogonal)_\s*\("
    r"|\b(?:rng|generator)\.\w+\s*\("
    r"|\bdropout\s*\("
)
"""Calls that draw random numbers (module constructors are left out: their shapes are facts)."""
SHAPE_ATTRIBUTES = frozenset(
    {
        "shape",
        "size",
        "numel",
        "ndim",
        "dim",
        "dtype",
        "device",
        "requires_grad",
        "in_features",
        "out_features",
    }
)
SHAPE_FUNCTIONS = frozenset({"len", "type", "isinstance"})
HEDGES = re.compile(
    r"\b(?:seed(?:ed)?|samples?|sampled|random(?:ly)?|measured|about|roughly|typically|approximately|around)\b",
    re.IGNORECASE,
)
"""Words with which a front says its number is one draw or a measurement, not a law."""
MAGIC_LINE = re.compile(r"^\s*[%!].*$", re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    """A top-level statement of a code cell, with the names it writes and reads."""

    cell: int
    node: ast.stmt
    writes: frozenset[str]
    reads: frozenset[str]
    replaces: bool
    """Does it overwrite what it writes outright (`x = ...`), rather than update it?"""


def check_random_value(card: Card, ctx: RuleContext) -> list[str]:
    """SRS115: a numeric card whose answer comes from random numbers, asked without saying so."""
    if card.kind != "numeric" or _hedged(card):
        return []
    statements = list(_statements(ctx.lesson, card.source.cell.index))
    wanted = _asked_names(card, statements)
    draw = _random_source(wanted, statements)
    if draw is None:
        return []
    call, cell = draw
    return [
        f"the answer comes from random numbers ({call} in cell {cell}); say in the front that it is "
        "a sample (e.g. 'with seed 0, about ...'), or check it with `expect:` and `tol:`"
    ]


def _hedged(card: Card) -> bool:
    options = card.source.options
    if "expect" in options and (options.get("tol") or options.get("rtol")):
        return True
    return any(HEDGES.search(text) for text in (card.front, card.authored_front or ""))


def _statements(lesson: Lesson, last_cell: int) -> Iterator[Statement]:
    for cell in lesson.cells:
        if cell.type == "code" and cell.index <= last_cell:
            yield from _cell_statements(cell.index, cell.source)


@lru_cache(maxsize=4096)
def _cell_statements(index: int, source: str) -> tuple[Statement, ...]:
    # Every numeric card walks the code before it; parsing each cell once keeps a lesson linear.
    try:
        module = ast.parse(MAGIC_LINE.sub("", source))
    except SyntaxError:
        return ()
    return tuple(
        Statement(index, node, _writes(node), _value_reads(node), _replaces(node)) for node in module.body
    )


def _asked_names(card: Card, statements: Sequence[Statement]) -> set[str]:
    expression = card.source.options.get("of")
    if isinstance(expression, str) and expression.strip():
        try:
            return set(_value_reads(ast.parse(expression.strip(), mode="eval")))
        except SyntaxError:
            return set()
    own = [s for s in statements if s.cell == card.source.cell.index]
    if not own:
        return set()
    last = own[-1]
    return set(last.writes) if last.writes else set(last.reads)


def _random_source(wanted: set[str], statements: Sequence[Statement]) -> tuple[str, int] | None:
    for statement in reversed(statements):
        if not wanted & statement.writes:
            continue
        match = RANDOM_CALL.search(ast.unparse(statement.node))
        if match is not None:
            return match.group(0).rstrip("( "), statement.cell
        if statement.replaces:
            wanted -= statement.writes
        wanted |= statement.reads
    return None


def _replaces(node: ast.stmt) -> bool:
    return isinstance(node, ast.Assign | ast.AnnAssign) and all(
        isinstance(t, ast.Name) for t in _targets(node)
    )


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


def _writes(node: ast.stmt) -> frozenset[str]:
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            names.add(child.id)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(child.name)
        elif isinstance(child, ast.alias):
            names.add((child.asname or child.name).split(".")[0])
        elif isinstance(child, ast.Call):
            names |= _updated_by_call(child)
    for target in _targets(node):
        names |= {_root(target)} - {""}  # `x[0] = ...` and `x.attr = ...` change x
    return frozenset(names)


def _updated_by_call(call: ast.Call) -> set[str]:
    # In-place calls end in '_' (`w.normal_()`, `nn.init.xavier_uniform_(w)`): they change their receiver
    # or their first argument.
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if not name.endswith("_"):
        return set()
    names = {_root(func.value)} if isinstance(func, ast.Attribute) else set()
    if call.args:
        names.add(_root(call.args[0]))
    return names - {""}


def _root(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _value_reads(node: ast.AST) -> frozenset[str]:
    """Names whose values (not just shapes) the code reads."""
    shape_only = _shape_uses(node)
    return frozenset(
        child.id
        for child in ast.walk(node)
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and id(child) not in shape_only
    )


def _shape_uses(node: ast.AST) -> set[int]:
    # `x.shape`, `x.weight.shape`, `x.size(0)`, `len(x)`: the name x is read for its shape only.
    uses: set[int] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr in SHAPE_ATTRIBUTES:
            base = child.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):
                uses.add(id(base))
        elif (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Name)
            and child.func.id in SHAPE_FUNCTIONS
        ):
            uses |= {id(arg) for arg in child.args if isinstance(arg, ast.Name)}
    return uses
