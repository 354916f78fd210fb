"""SRS117: card prose that points into the notebook, which the learner will not have open.

A card is reviewed a month later, alone. "This cell", "the vectors above", "in this notebook" and the
notebook's own variable and helper names (`causal_mask`, `q_sat`) mean nothing then. Code shown on a
card is exempt: it is there to be read, and srs lists the shapes it reads.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from srs.core.model import Card, Lesson
from srs.lint.fields import cloze_text, clozes_in, replace_clozes
from srs.lint.rule import RuleContext
from srs.lint.text import CODE, HTML, MATH

PLACES = re.compile(
    r"\bnotebooks?\b"
    r"|\b(?:this|that|previous|next|earlier|later|above|below|following|same) (?:code )?cells?\b(?!\s*state)"
    r"|\bcells? (?:above|below)\b"
    r"|\b(?:this|the) lesson\b"
    r"|\b(?:saw|seen|shown|computed|defined|built|drawn|plotted|derived|measured) (?:earlier|previously)\b",
    re.IGNORECASE,
)
POINTING = re.compile(
    r"\b(?:above|below)\b(?=\s*(?:$|[.,;:!?)]|(?:is|are|was|were|shows?|showed|gives?|says|has|have|does|do|"
    r"makes|uses|holds|lists|prints?|printed|plots?|draws?|and|but|so|where|which|we|you)\b))",
    re.IGNORECASE,
)
FENCED = re.compile(r"```.*?```|~~~.*?~~~", re.DOTALL)
SNAKE = re.compile(r"(?<![\w`\\])[A-Za-z]{2,}[A-Za-z0-9]*_\w+")
"""A bare identifier such as causal_mask; `d_model` and `W_K` read as math and are left alone."""
SPAN = re.compile(r"`([^`\n]+)`")
LEADING_NAME = re.compile(r"^\s*([A-Za-z_]\w*)")


def check_notebook_reference(card: Card, ctx: RuleContext) -> list[str]:
    """SRS117: prose on the card refers to the notebook instead of standing alone."""
    # worked out once per lint run: hashing a lesson of thousands of cells for a cache, once per
    # card, would make linting quadratic
    defined = ctx.shared.get("notebook names")
    if not isinstance(defined, frozenset):
        defined = ctx.shared["notebook names"] = notebook_names(ctx.lesson)
    messages = []
    for field, text in _prose_fields(card):
        # math and code stand in as words, so "falls below $x$" reads as a preposition with an object
        unfenced = FENCED.sub(" ", text)
        prose = HTML.sub(" ", MATH.sub(" MATHSPAN ", unfenced))
        spans = [m.group(1) for m in SPAN.finditer(prose)]
        words = CODE.sub(" CODESPAN ", prose)
        found = [m.group(0) for m in PLACES.finditer(words)] + [m.group(0) for m in POINTING.finditer(words)]
        names = [name for name in _named(spans, words) if name in defined]
        if found:
            messages.append(
                f"the {field} says '{found[0]}', which means nothing without the notebook open; "
                "say what is meant in the card's own words"
            )
        if names:
            listed = ", ".join(f"`{name}`" for name in dict.fromkeys(names))
            messages.append(
                f"the {field} names {listed}, which only this notebook defines; describe the thing "
                "instead (or show the code that makes it)"
            )
    return messages


def _prose_fields(card: Card) -> list[tuple[str, str]]:
    fields = []
    clozed = cloze_text(card)
    if clozed is not None and card.authored_front is None:
        fields.append(("front", replace_clozes(clozed, clozes_in(clozed))))
    elif card.authored_front:
        fields.append(("front", replace_clozes(card.authored_front, clozes_in(card.authored_front))))
    if card.authored_back:
        fields.append(("back", card.authored_back))
    if card.extra:
        fields.append(("explanation", card.extra))
    return fields


def _named(spans: list[str], words: str) -> list[str]:
    """Identifiers a text mentions: the leading name of each code span, and bare snake_case words."""
    leading = [m.group(1) for span in spans if (m := LEADING_NAME.match(span))]
    return leading + SNAKE.findall(words)


def notebook_names(lesson: Lesson) -> frozenset[str]:
    """Names the lesson's code binds: variables, functions, classes, and imports from its own modules.

    A name the code also reaches as a library's attribute (a helper `binary_cross_entropy` beside
    `torch.nn.functional.binary_cross_entropy`) is not only the notebook's, so it is left out.
    """
    names: set[str] = set()
    attributes: set[str] = set()
    for cell in lesson.cells:
        if cell.type != "code":
            continue
        lines = cell.source.splitlines()
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        names |= _bound(tree, lesson.folder)
        attributes |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return frozenset(names - attributes)


def _bound(tree: ast.Module, folder: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom) and node.module and _local(node.module, folder):
            names |= {alias.asname or alias.name for alias in node.names if alias.name != "*"}
    return names


def _local(module: str, folder: Path) -> bool:
    """Is the module one of the lesson's own files (utils.py beside the notebook)?"""
    head = folder / module.split(".")[0]
    return head.with_suffix(".py").is_file() or (head / "__init__.py").is_file()
