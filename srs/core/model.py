"""The data that flows through the pipeline: frozen dataclasses, each knowing where it came from.

notebook -> Lesson(Cell...) -> CardSource -> Card -> (rendered fields) -> package.
Nothing past `srs.notebook.reader` touches nbformat objects; everything here is plain, typed and immutable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

CellType = Literal["code", "markdown", "raw"]

Progress = Callable[[str], None]
"""A callback a stage uses to report progress; the CLI decides how (or whether) to show it."""


def no_progress(_message: str) -> None:
    """Progress callback that ignores everything (library and test default)."""


@dataclass(frozen=True)
class Location:
    """Where something sits in a notebook, for messages a user can act on."""

    path: Path
    """The notebook path as the user gave it (kept relative so messages stay short)."""
    cell: int | None = None
    """Cell number counting every cell from 1, as a notebook UI shows them."""
    cell_id: str | None = None
    """The cell's nbformat id, when the notebook has one."""
    line: int | None = None
    """Line within the raw cell source, counting from 1."""

    def at_line(self, line: int | None) -> Location:
        """The same place, at another line of the cell."""
        return Location(self.path, self.cell, self.cell_id, line)

    def __str__(self) -> str:
        text = str(self.path)
        if self.cell is not None:
            text += f":cell {self.cell}"
        if self.line is not None:
            text += f":line {self.line}"
        return text


@dataclass(frozen=True)
class Attachment:
    """A file embedded in a markdown cell (`attachment:NAME` in its source)."""

    name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Cell:
    """One notebook cell, read once from the file as written."""

    index: int
    """Cell number counting from 1."""
    id: str | None
    """Cell id from the file; None for notebooks older than nbformat 4.5."""
    type: CellType
    source: str
    tags: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    heading: str = ""
    """Text of the nearest markdown heading at or above this cell ('' before the first one); for a
    markdown cell with a heading of its own, its first heading."""
    location: Location = field(default_factory=lambda: Location(Path(".")))
    sections: tuple[tuple[int, str], ...] = ()
    """Where a markdown cell's own headings start: (line, heading) pairs from line 1, the first for
    the heading in force above the cell (at line 0). Empty for a cell without a heading of its own."""

    def heading_at(self, line: int | None) -> str:
        """The heading in force at a line of the cell: text above the cell's first heading still
        belongs to the section before it."""
        if line is None or not self.sections:
            return self.heading
        return next((text for start, text in reversed(self.sections) if start <= line), self.heading)


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its identity, its title and its cells."""

    path: Path
    lesson_id: str
    """Stable identity of the lesson: notebook metadata `srs.id`, else the file stem."""
    title: str
    """Text of the first heading, else the file stem."""
    cells: tuple[Cell, ...]
    has_cell_ids: bool

    @property
    def folder(self) -> Path:
        """The folder the notebook lives in (run directory, base for relative image paths)."""
        return self.path.parent


@dataclass(frozen=True)
class CardSource:
    """A block of a cell that becomes one or more cards, with its parsed options."""

    kind: str
    """Card kind: qa, cloze, formula, derivation, shape, numeric, output, figure."""
    options: Mapping[str, Any]
    """Validated option values (`card`, `id`, `front`, ...), as the author wrote them."""
    text: str
    """Markdown of the block (for code cells, the code without its option lines)."""
    cell: Cell
    location: Location
    """Where the block (or its option comment) starts."""
    ordinal: int
    """Position among the sources of the same kind in the same cell, from 0."""
    parts: tuple[str, ...] = ()
    """Pieces a kind needs separately: (question, answer) for qa; empty for most kinds."""

    @property
    def key(self) -> str:
        """Card key: the explicit `id`, else (cell id, kind, ordinal); never the text."""
        explicit = self.options.get("id")
        if explicit:
            return str(explicit)
        cell_part = self.cell.id if self.cell.id is not None else f"cell{self.cell.index}"
        return f"{cell_part}:{self.kind}:{self.ordinal}"


@dataclass(frozen=True)
class Media:
    """A file shipped in the deck; its name is a hash of its content (Anki's media folder is flat)."""

    name: str
    data: bytes

    @classmethod
    def of(cls, data: bytes, suffix: str) -> Media:
        """Media named by its content (`srs-<hash>.png`), so unchanged content keeps its name."""
        import hashlib

        return cls(f"srs-{hashlib.sha256(data).hexdigest()[:16]}{suffix}", data)


@dataclass(frozen=True)
class Card:
    """One Anki note to be written, before markdown is rendered to HTML.

    Text fields hold markdown (cloze markers included for cloze notes); `code` holds Python source;
    `value` holds a computed answer as plain text. `authored_*` hold only what the author wrote, so
    the linter never judges text srs generated (a shape card's front lists shapes by design).
    """

    key: str
    """Unique within the lesson; the note GUID comes from (lesson id, key)."""
    kind: str
    source: CardSource
    front: str
    back: str = ""
    extra: str = ""
    code: str = ""
    value: str = ""
    media: tuple[Media, ...] = ()
    """Images shown in the Diagram field (shape diagrams, figures), in order."""
    cloze: bool = False
    """Is this a cloze note (one card per cloze number)?"""
    authored_front: str | None = None
    authored_back: str | None = None
    tags: tuple[str, ...] = ()
    """Extra tags from the author; srs adds lesson, kind and section tags itself."""

    @property
    def location(self) -> Location:
        """Where the card came from."""
        return self.source.location

    @property
    def heading(self) -> str:
        """The section heading the card's source sits under, as its context line shows it."""
        return self.source.cell.heading_at(self.location.line)


@dataclass(frozen=True)
class Finding:
    """A problem found by a check or the linter, printed in the one message format."""

    code: str
    """Stable code such as SRS103."""
    message: str
    location: Location
    severity: Literal["error", "warning"] = "warning"

    def __str__(self) -> str:
        return format_message(self.location, self.code, self.message)


def format_message(location: Location | Path | str, code: str, message: str) -> str:
    """`path[:cell N][:line L]: [CODE] message (cell id X)`: the one message format of srs, on one line."""
    text = f"{location}: [{code}] {message}"
    if isinstance(location, Location) and location.cell_id:
        text += f" (cell id {location.cell_id})"
    return one_line(text)


def one_line(text: str) -> str:
    """Text as one printable line: its lines joined with ` | `, control characters and half
    characters (lone surrogates) written as escapes, so no text can forge a line of its own."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "".join(
        char if char.isprintable() and not "\ud800" <= char <= "\udfff" else ascii(char)[1:-1]
        for char in " | ".join(lines)
    )


@dataclass(frozen=True)
class Value:
    """A value captured from a notebook run, as plain data: reading it back never imports torch."""

    type: str
    """'torch.Tensor', 'numpy.ndarray', 'float', 'int', 'bool', 'str', 'tuple', 'list' or 'other'."""
    repr: str
    """What Jupyter's text/plain display would show (trimmed when very long)."""
    shape: tuple[int, ...] | None = None
    """Shape of a tensor or array; None for everything else."""
    dtype: str | None = None
    """'float32', 'int64', ...: the element type without the 'torch.' prefix."""
    data: Any = None
    """Nested lists of Python numbers (tensors, arrays, tuples) or a number; None when too big."""


@dataclass(frozen=True)
class CellResult:
    """What running one code cell produced, captured for the cards that need it."""

    cell: int
    """Cell number, as in `Cell.index`."""
    stdout: str = ""
    """Everything the cell printed (stdout, then text of `display()` calls)."""
    result: Value | None = None
    """The value of the cell's last expression, when it has one that is not None."""
    before: Mapping[str, Value] = field(default_factory=dict)
    """Tensors and arrays in the namespace just before the cell ran."""
    after: Mapping[str, Value] = field(default_factory=dict)
    """Tensors, arrays and numbers in the namespace just after the cell ran."""
    evaluated: Mapping[str, Value] = field(default_factory=dict)
    """Expressions cards asked for (`of:`), evaluated right after the cell."""
    figures: tuple[bytes, ...] = ()
    """PNG images of the figures the cell drew, in order (only when requested with FIGURES)."""


FIGURES = "%figures"
"""A request that asks for a cell's figures as PNG; rendering them is the slow part of a plot."""
