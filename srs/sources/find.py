"""Find the card sources of a lesson: code cells with `card:` options, and markdown blocks.

A markdown block is a source when an option comment before it names a kind, or implicitly when it is a
`Q:`/`A:` pair (qa) or holds a `{{cN::...}}` cloze. An explicit kind wins over Q/A, Q/A over cloze,
and `card: false` turns an implicit source off. Sources never span cells.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srs.core.errors import OptionError, SourceError
from srs.core.model import CardSource, Cell, Lesson, Location
from srs.kinds import get_kind
from srs.notebook.clozes import MAX_NUMBER, UnclosedCloze, find_clozes, has_cloze, malformed_cloze
from srs.notebook.markdown import block_parser, check_dollars
from srs.notebook.option_lines import comment_option_lines, named_kind, split_code_options
from srs.sources.options import (
    OptionBlock,
    check_near_card,
    own_keys,
    parse_options,
    resolve_kind,
    validate_options,
)

MARKER = re.compile(r"^\s*(?:\*\*|__)?([QA])(?:(?:\*\*|__)?:|:(?:\*\*|__)?)[ \t]*")
MATH_BLOCKS = frozenset({"math_block", "math_block_label", "amsmath"})
ANSWER_FOLLOWERS = MATH_BLOCKS | {"fence", "code_block", "bullet_list", "ordered_list"}
KEY_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*(?::|$)")
OPTION_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """A top-level markdown block of one cell, with its raw source and first line (1-based)."""

    type: str
    text: str
    line: int
    inline: str = ""
    """For paragraphs: the paragraph's inline source."""


def find_sources(lesson: Lesson, cell_type: str | None = None) -> list[CardSource]:
    """Every card source of the lesson (or of its `cell_type` cells only), in notebook order."""
    _warm_up(lesson)
    sources: list[CardSource] = []
    for cell in lesson.cells:
        if cell_type is not None and cell.type != cell_type:
            continue
        found = (
            _code_sources(cell)
            if cell.type == "code"
            else _markdown_sources(cell)
            if cell.type == "markdown"
            else []
        )
        counts: Counter[str] = Counter()
        for kind, options, text, parts, location in found:
            sources.append(CardSource(kind, options, text, cell, location, counts[kind], parts))
            counts[kind] += 1
    return sources


Found = tuple[str, dict[str, Any], str, tuple[str, ...], Location]


def _warm_up(lesson: Lesson) -> None:
    """Let the kinds named in markdown option comments start their slow set-up in the background.

    A quick look at the text, before any parsing: a build first finds the code cells' sources (to
    start the run), so a kind's set-up then overlaps all the work before its first card.
    """
    for cell in lesson.cells:
        if cell.type == "markdown" and "card" in cell.source:
            for comment in OPTION_COMMENT.findall(cell.source):
                lines = [line for _, line in comment_option_lines(comment) or ()]
                if (named := named_kind(lines)) and (spec := get_kind(named)) is not None:
                    spec.warm_up(comment)


def _code_sources(cell: Cell) -> list[Found]:
    option_lines, code, _ = split_code_options(cell.source)
    if not option_lines:
        return []
    first = cell.location.at_line(1)
    key_lines = {m.group(1): i + 1 for i, line in enumerate(option_lines) if (m := KEY_LINE.match(line))}
    keys = list(key_lines)
    if "card" not in keys:
        check_near_card(OptionBlock({}, first, key_lines))
        if own := own_keys(keys):
            raise SourceError(
                f"`{own[0]}:` is an srs option, but this code cell has no `card:` line, so it makes no "
                "card; add `#| card: KIND` (or remove the srs options)",
                first.at_line(key_lines[own[0]]),
                code="SRS023",
            )
        return []
    block = parse_options(_flags_as_true(option_lines), first)
    check_near_card(block)
    kind = resolve_kind(block)
    if not kind:
        return []
    _require_cell_type(str(kind), "code", block)
    return [(str(kind), validate_options(block, str(kind)), code, (), first)]


def _flags_as_true(lines: list[str]) -> list[str]:
    # nbdev writes bare flags (`#| export`); read them as `export: true` so the mapping parses.
    return [
        f"{line.strip()}: true" if re.fullmatch(r"\s*[A-Za-z_][\w-]*\s*", line) else line for line in lines
    ]


def _require_cell_type(kind: str, cell_type: str, block: OptionBlock) -> None:
    spec = get_kind(kind)
    assert spec is not None
    if spec.cell_type != cell_type:
        where = "a code cell's first lines" if spec.cell_type == "code" else "a markdown cell"
        raise OptionError(
            f"a {kind} card belongs in {where}, not in a {cell_type} cell",
            block.location.at_line(block.lines.get("card")),
            code="SRS016",
        )


def _markdown_sources(cell: Cell) -> list[Found]:
    blocks = _blocks(cell.source)
    found: list[Found] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        options = _comment_options(block, cell) if block.type == "html_block" else None
        if options is not None:
            if index + 1 >= len(blocks):
                raise SourceError(
                    "this option comment has no block after it in the cell; "
                    "put the card's text right after the comment",
                    options.location,
                    code="SRS022",
                )
            consumed, source = _explicit(blocks, index + 1, options, cell)
        else:
            consumed, source = _implicit(blocks, index, {}, cell)
        if source is not None:
            found.append(source)
        index += max(consumed, 1) + (1 if options is not None else 0)
    return found


def _comment_options(block: Block, cell: Cell) -> OptionBlock | None:
    lines = comment_option_lines(block.text)
    if lines is None:
        return None
    first = cell.location.at_line(block.line + lines[0][0])
    parsed = parse_options(_flags_as_true([text for _, text in lines]), first)
    check_near_card(parsed)
    return parsed


def _explicit(blocks: list[Block], index: int, options: OptionBlock, cell: Cell) -> tuple[int, Found | None]:
    kind = resolve_kind(options)
    if kind is False:
        return 1, None
    if kind is None:
        return _implicit(blocks, index, options.values, cell, options)
    _require_cell_type(str(kind), "markdown", options)
    taker = TAKERS.get(str(kind), _take_single)
    return taker(blocks, index, options, cell, str(kind))


def _implicit(
    blocks: list[Block], index: int, values: dict[str, Any], cell: Cell, options: OptionBlock | None = None
) -> tuple[int, Found | None]:
    block = blocks[index]
    if block.type == "paragraph" and _marker(block.inline) == "Q":
        return _take_qa(blocks, index, options or OptionBlock({}, _where(cell, block), {}), cell, "qa")
    if block.type in {"paragraph"} | MATH_BLOCKS and has_cloze(block.text):
        return _take_cloze(blocks, index, options or OptionBlock({}, _where(cell, block), {}), cell, "cloze")
    if block.type in {"paragraph"} | MATH_BLOCKS:
        _check_cloze_markers(block.text, _where(cell, block))
    if options is not None and own_keys(options.values):  # other tools' options stay theirs
        raise SourceError(
            "options without `card:` must come before a Q:/A: pair or a cloze; "
            "add `#| card: KIND` to make this block a card",
            options.location,
            code="SRS023",
        )
    return 1, None


def _where(cell: Cell, block: Block) -> Location:
    return cell.location.at_line(block.line)


def _marker(text: str) -> str | None:
    match = MARKER.match(text)
    return match.group(1) if match else None


def _strip_marker(text: str) -> str:
    return MARKER.sub("", text, count=1).strip()


Taker = Callable[[list[Block], int, OptionBlock, Cell, str], tuple[int, Found | None]]


def _take_qa(
    blocks: list[Block], index: int, options: OptionBlock, cell: Cell, kind: str
) -> tuple[int, Found]:
    block = blocks[index]
    location = _where(cell, block)
    if _marker(block.inline) != "Q":
        raise SourceError("a qa card starts with a paragraph beginning `Q:`", location, code="SRS024")
    question, answer, consumed = _split_pair(blocks, index)
    for block_part in blocks[index : index + consumed]:
        check_clozes(block_part.text, _where(cell, block_part))
        check_dollars(block_part.text, _where(cell, block_part))
    if answer is None:
        raise SourceError(
            "`Q:` without an answer: follow the question with a paragraph beginning `A:`",
            location,
            code="SRS024",
        )
    while index + consumed < len(blocks) and blocks[index + consumed].type in ANSWER_FOLLOWERS:
        answer += "\n\n" + blocks[index + consumed].text
        consumed += 1
    if not answer.strip() and "back" not in options.values:
        raise SourceError(
            "`A:` with nothing after it: write the answer after `A:` (or in the blocks right below it)",
            location,
            code="SRS024",
        )
    if not question.strip() and "front" not in options.values:
        raise SourceError(
            "`Q:` with nothing after it: write the question after `Q:`", location, code="SRS024"
        )
    values = validate_options(options, kind) if options.values else {}
    where = options.location if options.values else location
    return consumed, (kind, values, block.text, (question, answer.strip()), where)


def _split_pair(blocks: list[Block], index: int) -> tuple[str, str | None, int]:
    lines = blocks[index].inline.splitlines()
    for offset, line in enumerate(lines[1:], start=1):
        if _marker(line) == "A":
            return _strip_marker("\n".join(lines[:offset])), _strip_marker("\n".join(lines[offset:])), 1
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if following is not None and following.type == "paragraph" and _marker(following.inline) == "A":
        return _strip_marker(blocks[index].inline), _strip_marker(following.inline), 2
    return _strip_marker(blocks[index].inline), None, 1


def _take_cloze(
    blocks: list[Block], index: int, options: OptionBlock, cell: Cell, kind: str
) -> tuple[int, Found]:
    block = blocks[index]
    location = _where(cell, block)
    check_clozes(block.text, location)
    check_dollars(block.text, location)
    if not has_cloze(block.text):
        raise SourceError("a cloze card needs a `{{c1::...}}` in its block", location, code="SRS025")
    values = validate_options(options, kind) if options.values else {}
    return 1, (kind, values, block.text, (), options.location if options.values else location)


def check_clozes(text: str, location: Location) -> None:
    """Raise SourceError for an unclosed, nested or misnumbered cloze."""
    try:
        clozes = find_clozes(text)
    except UnclosedCloze as error:
        line = (location.line or 1) + text.count("\n", 0, error.offset)
        raise SourceError(
            "unclosed cloze: `{{c1::` needs a closing `}}`", location.at_line(line), code="SRS026"
        ) from None
    _check_cloze_markers(text, location)
    for cloze in clozes:
        if not 1 <= cloze.number <= MAX_NUMBER:
            raise SourceError(
                f"cloze numbers go from c1 to c{MAX_NUMBER}; renumber the clozes from c1",
                location,
                code="SRS026",
            )
        if has_cloze(cloze.content) or has_cloze(cloze.hint or ""):
            raise SourceError(
                f"a cloze inside cloze c{cloze.number}: clozes cannot be nested; "
                "give each hidden part its own `{{cN::...}}`",
                location,
                code="SRS026",
            )


def _check_cloze_markers(text: str, location: Location) -> None:
    marker = malformed_cloze(text)
    if marker is not None:
        raise SourceError(
            f"`{marker}` is not a cloze: a cloze is `{{{{c1::...}}}}` with a whole number from 1",
            location,
            code="SRS026",
        )


def _take_single(
    blocks: list[Block], index: int, options: OptionBlock, cell: Cell, kind: str
) -> tuple[int, Found]:
    block = blocks[index]
    values = validate_options(options, kind)
    if kind == "formula" and block.type not in MATH_BLOCKS:
        raise SourceError(
            "a formula card needs display math (`$$...$$`) right after its comment",
            _where(cell, block),
            code="SRS027",
        )
    check_clozes(block.text, _where(cell, block))
    return 1, (kind, values, block.text, (), options.location)


def _take_math_run(
    blocks: list[Block], index: int, options: OptionBlock, cell: Cell, kind: str
) -> tuple[int, Found]:
    values = validate_options(options, kind)
    end = index
    while end < len(blocks) and blocks[end].type in MATH_BLOCKS:
        end += 1
    if end == index:
        raise SourceError(
            f"a {kind} card needs display math (`$$...$$`) right after its comment",
            _where(cell, blocks[index]),
            code="SRS027",
        )
    text = "\n".join(block.text for block in blocks[index:end])
    return end - index, (kind, values, text, tuple(b.text for b in blocks[index:end]), options.location)


TAKERS: dict[str, Taker] = {
    "qa": _take_qa,
    "cloze": _take_cloze,
    "derivation": _take_math_run,
}


def _blocks(source: str) -> list[Block]:
    tokens = block_parser().parse(source)
    lines = source.splitlines()
    blocks: list[Block] = []
    depth = 0
    for position, token in enumerate(tokens):
        if depth == 0 and token.map is not None:
            start, end = token.map
            inline = tokens[position + 1].content if token.type == "paragraph_open" else ""
            # the amsmath plugin's map stops before the `\end{...}` line; its content is whole
            text = token.content.strip() if token.type == "amsmath" else "\n".join(lines[start:end])
            blocks.append(Block(token.type.removesuffix("_open"), text, start + 1, inline))
        depth += token.nesting
    return blocks
