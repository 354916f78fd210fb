"""What a suggestion is, and what every heuristic may look at."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from srs.core.model import CardSource, Cell, CellResult, Lesson

MATH_TYPES = frozenset({"math_block", "math_block_label", "amsmath"})
SUMMARY = re.compile(r"^(?:summary|recap|conclusion|wrap[- ]up|key takeaways|what we learned)\b", re.I)


@dataclass(frozen=True)
class MarkdownBlock:
    """A top-level block of a markdown cell, with its lines (1-based, end inclusive)."""

    type: str
    """'paragraph', 'math', 'list', 'heading', 'html' or another markdown-it block name."""
    text: str
    """The block's source lines as written (for math: the formula without its dollars)."""
    first: int
    last: int


@dataclass(frozen=True)
class Suggestion:
    """A proposed card: options to add to a cell (or a Q/A pair to add after a block)."""

    cell: Cell
    kind: str
    confidence: float
    reason: str
    """What in the notebook the suggestion comes from, in a few words."""
    heuristic: str
    options: tuple[tuple[str, Any], ...] = ()
    """Option keys and values, `card` first, in the order they are written."""
    line: int | None = None
    """Markdown: the first line of the block the option comment goes before (None: a code cell)."""
    qa: tuple[str, str] | None = None
    """A question and answer to insert after the block ending at `line` (instead of options)."""
    text: str | None = None
    """A paragraph (a cloze) to insert after the block ending at `line`, its options in a comment above."""
    math: tuple[str, str] | None = None
    """A display formula of the block at `line` and what it becomes (its parts marked as clozes)."""

    @property
    def is_code(self) -> bool:
        """Do the options go at the top of a code cell?"""
        return self.cell.type == "code"

    def option_lines(self) -> list[str]:
        """The `key: value` lines, values written as YAML that reads back the same."""
        return [f"{key}: {yaml_value(value)}" for key, value in self.options]

    @property
    def inserts(self) -> bool:
        """Is the suggestion new text after a block (a Q/A pair, a cloze), not options on what is there?"""
        return self.qa is not None or self.text is not None

    def snippet(self) -> str:
        """Exactly what to paste into the cell."""
        if self.inserts:
            body = f"Q: {self.qa[0]}\n\nA: {self.qa[1]}" if self.qa is not None else str(self.text)
            if not self.options:
                return body
            comment = "\n     ".join(f"#| {line}" for line in self.option_lines())
            return f"<!-- {comment} -->\n{body}"
        if self.is_code:
            return "\n".join(f"#| {line}" for line in self.option_lines())
        if self.math is not None:  # the options, and the display written again with its parts marked
            return f"{self.option_comment()}\n$${self.math[1].strip()}$$"
        return self.option_comment()

    def option_comment(self) -> str:
        """The options as the markdown comment that goes before the block."""
        body = "\n     ".join(f"#| {line}" for line in self.option_lines())
        return f"<!-- {body} -->"

    def as_dict(self) -> dict[str, Any]:
        """The suggestion as JSON data (`srs suggest --json`)."""
        return {
            "cell": self.cell.index,
            "cell_id": self.cell.id,
            "kind": self.kind,
            "confidence": round(self.confidence, 2),
            "reason": self.reason,
            "heuristic": self.heuristic,
            "line": self.line,
            "snippet": self.snippet(),
        }


_PLAIN = re.compile(r"[A-Za-z_][\w .,'()/-]*")


def yaml_value(value: Any) -> str:
    """A value as a YAML flow scalar or collection on one line."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and text.lower() not in {"yes", "no", "true", "false"}
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class SuggestContext:
    """The parsed lesson, its run results and the cards it already has."""

    lesson: Lesson
    results: Mapping[int, CellResult]
    existing: list[CardSource] = field(default_factory=list)
    _blocks: dict[int, list[MarkdownBlock]] = field(default_factory=dict)
    _strings: frozenset[str] | None = None

    def blocks(self, cell: Cell) -> list[MarkdownBlock]:
        """The top-level blocks of a markdown cell."""
        if cell.index not in self._blocks:
            self._blocks[cell.index] = markdown_blocks(cell.source)
        return self._blocks[cell.index]

    def has_card(self, cell: Cell) -> bool:
        """Does a code cell already carry card options?"""
        return any(source.cell.index == cell.index for source in self.existing)

    def covered_lines(self, cell: Cell) -> set[int]:
        """Lines of a markdown cell that existing card sources start on (or annotate)."""
        lines: set[int] = set()
        for source in self.existing:
            if source.cell.index == cell.index and source.location.line is not None:
                lines.add(source.location.line)
        return lines

    def existing_text(self) -> str:
        """Every existing card source's text, for checking that a suggestion is new."""
        return "\n".join(source.text for source in self.existing)

    def shown_context(self, cell: Cell, line: int | None) -> str:
        """What a card from this line of the cell shows above its front: the title and the heading there."""
        return f"{self.lesson.title} {cell.heading_at(line)}"

    def overview(self, cell: Cell) -> bool:
        """Is the cell the lesson's opening (under its `#` title) or its closing summary?

        Both restate what the lesson teaches elsewhere: the opening before it is taught, the summary
        in a few words. A card made from either is vaguer than one from where the idea is taught.
        """
        opening = cell.heading == self.lesson.title and re.match(r"\s*#\s", cell.source) is not None
        return opening or SUMMARY.search(cell.heading) is not None

    def next_cell(self, cell: Cell) -> Cell | None:
        """The cell after this one."""
        cells = self.lesson.cells
        return cells[cell.index] if cell.index < len(cells) else None

    def prose_blocks(self, *types: str) -> Iterator[tuple[Cell, MarkdownBlock]]:
        """Every markdown block of the given types ('paragraph', 'list', ...), with its cell, in order."""
        for cell in self.lesson.cells:
            if cell.type == "markdown":
                yield from ((cell, block) for block in self.blocks(cell) if block.type in types)

    def code_trees(self) -> Iterator[tuple[Cell, ast.Module]]:
        """Every code cell that parses, with its syntax tree (run or not, with a card or not)."""
        for cell in self.lesson.cells:
            if cell.type == "code" and (tree := parsed_code(cell.source)) is not None:
                yield cell, tree

    def code_strings(self) -> frozenset[str]:
        """The strings the lesson's code lists together, lowercased: the labels of its own data
        (`CLASSES = ["horizontal", "vertical", "diagonal"]`, a dict's keys), not a plot's one label."""
        if self._strings is None:
            found: set[str] = set()
            for _cell, tree in self.code_trees():
                for node in ast.walk(tree):
                    items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
                    if not isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict) or not items:
                        continue
                    texts = [
                        i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)
                    ]
                    if len(texts) >= 2:
                        found.update(text.strip().lower() for text in texts)
            self._strings = frozenset(found)
        return self._strings

    def code_cells(self) -> Iterator[tuple[Cell, CellResult]]:
        """Code cells with a run result and no card yet."""
        for cell in self.lesson.cells:
            result = self.results.get(cell.index)
            if cell.type == "code" and result is not None and not self.has_card(cell):
                yield cell, result


def last_line(cell: Cell) -> int:
    """The cell's last line: a Q/A pair goes there, so that its answer takes in no block after it."""
    return len(cell.source.rstrip().splitlines())


@lru_cache(maxsize=1024)
def parsed_code(source: str) -> ast.Module | None:
    """A code cell's syntax tree, parsed once however many heuristics ask (None: it does not parse).

    The tree is shared: callers read it and never change it.
    """
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def markdown_blocks(source: str) -> list[MarkdownBlock]:
    """Split markdown into its top-level blocks with their line ranges."""
    from srs.notebook.markdown import block_parser

    lines = source.splitlines()
    blocks = []
    for token in block_parser().parse(source):
        if token.level != 0 or token.map is None or token.type.endswith("_close"):
            continue
        kind = token.type.removesuffix("_open")
        first, end = token.map
        if kind in MATH_TYPES:
            text, kind = token.content, "math"
        else:
            text = "\n".join(lines[first:end])
            kind = {"bullet_list": "list", "ordered_list": "list", "html_block": "html"}.get(kind, kind)
        blocks.append(MarkdownBlock(kind, text, first + 1, end))
    return blocks


LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+(?P<body>.*)$")


def list_items(text: str) -> list[str]:
    """The items of a markdown list, markers off, each joined onto one line."""
    items: list[str] = []
    for line in text.splitlines():
        match = LIST_ITEM.match(line)
        if match:
            items.append(match.group("body").strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


PICTURE = re.compile(
    r"\b(?:blue|red|green|orange|gr[ae]y|black|purple|yellow|dots?|dashed|dotted|panel|plot|histogram|"
    r"legend|heatmap|bright(?:er|est)?|dark(?:er|est)?|colou?rs?|on the (?:right|left)|"
    r"(?:both|all|two|three|four|five|the (?:first|second|third|last|other)) (?:\w+ )?"
    r"(?:lines|curves|bars|panels))\b",
    re.I,
)
"""Words that describe a picture ("the red points", "the dashed line"): a sentence about one does not
stand alone on a card, which shows no picture."""


SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!i\.e\.)(?<!e\.g\.)(?<!\bcf\.)(?<!\bvs\.)[)\"'”’]*\s+(?=[A-Z$*`\"“(])"
)
"""Where a sentence ends: after its stop and any closing bracket or quote ("... we keep $v$.) The ..."),
not after "i.e." or "e.g."."""


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, its line breaks read as spaces (every heuristic splits this way)."""
    return [part for part in SENTENCE_END.split(" ".join(text.split())) if part]


def first_sentence(text: str, max_words: int = 40) -> str:
    """The first sentence of a paragraph, or '' when it runs longer than max_words."""
    sentences = split_sentences(text)
    sentence = sentences[0] if sentences else ""
    return sentence if len(sentence.split()) <= max_words else ""
