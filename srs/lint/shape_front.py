"""SRS121: a shape card whose front already shows the shape it asks for.

The front of a shape card shows the statement that makes the value. When that code writes the result's
sizes out (`x.reshape(8, 96, 3 * 5)`, `torch.zeros(4, 16)`) or a comment beside it names the result's
axes (`# (batch, C_in, L_out, K)`), the learner reads the answer instead of working it out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from srs.core.model import Card
from srs.lint.rule import RuleContext

ANSWER = re.compile(r"^`\(([\d,\s]*)\)`")
"""A shape card's back starts with its shape: `(8, 96, 15)`."""
FENCED_CODE = re.compile(r"^(`{3,})python\n(.*?)\n\1", re.S | re.M)
COMMENT_TUPLE = re.compile(r"#[^\n]*?\(([^()\n]*)\)")
"""A comment holding a parenthesised list: `# (batch, C_in, L_out, K)`."""


def check_shape_on_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS121: the front's code writes the answer's sizes out, or a comment on it names the axes."""
    if card.kind != "shape":
        return []
    answer = _answer(card.back)
    if answer is None:
        return []
    code = "\n".join(match.group(2) for match in FENCED_CODE.finditer(card.front))
    if any(sizes == answer for sizes in _literal_sizes(code)):
        return [
            f"the code on the front writes out the sizes {answer} that the card asks for; ask about a "
            "statement whose result shape has to be worked out"
        ]
    for match in COMMENT_TUPLE.finditer(code):
        items = [item.strip() for item in match.group(1).split(",") if item.strip()]
        if len(answer) > 1 and len(items) == len(answer):
            return [
                f"a comment on the front, `({match.group(1).strip()})`, spells out the result's axes; "
                "drop the comment from the cell or ask about another statement"
            ]
    return []


def _answer(back: str) -> tuple[int, ...] | None:
    match = ANSWER.match(back.strip())
    if match is None:
        return None
    return tuple(int(part) for part in match.group(1).replace(" ", "").split(",") if part)


def _literal_sizes(code: str) -> Iterator[tuple[int, ...]]:
    """Every call's or tuple's arguments that are all whole-number constants (arithmetic allowed)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            items = list(node.args)
            if len(items) == 1 and isinstance(items[0], ast.Tuple | ast.List):
                items = list(items[0].elts)
        elif isinstance(node, ast.Tuple | ast.List):
            items = list(node.elts)
        else:
            continue
        sizes = [_whole_number(item) for item in items]
        if items and all(size is not None for size in sizes):
            yield tuple(size for size in sizes if size is not None)


def _whole_number(node: ast.expr) -> int | None:
    """The value of a constant whole-number expression (`3 * 5`), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if not isinstance(node, ast.BinOp):
        return None
    left, right = _whole_number(node.left), _whole_number(node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(node.op, ast.FloorDiv) and right:
        return left // right
    return None
