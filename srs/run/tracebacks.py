"""Short tracebacks for errors raised in the worker: only the lesson's own frames, by cell and line.

IPython compiles cell N of the session under the file name `<ipython-input-N-HASH>` and drops the
cell's leading blank lines first, so a frame's line is shifted back by that many lines to point
into the cell as the notebook shows it.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

MAX_FRAMES = 6
MAX_MESSAGE = 1000
CELL_FILE = re.compile(r"^<ipython-input-(\d+)-")
INSTALLED = frozenset({"site-packages", "dist-packages"})
"""Folders of installed packages: never the lesson's own code, even inside the lesson's folder."""


@dataclass(frozen=True)
class Failure:
    """An exception summed up for a message: headline, line in the running cell, frames."""

    headline: str
    """`TypeName: text`."""
    line: int | None
    """Line in the raw source of the cell that was running, when a frame points into it."""
    frames: tuple[str, ...]


@dataclass
class CellFiles:
    """Which notebook cell each IPython execution number ran, and the lesson's folder."""

    folder: Path
    cells: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Execution number -> (cell number, leading blank lines IPython dropped)."""

    def record(self, execution: int, cell: int, source: str) -> None:
        """Note that IPython's execution `execution` is cell `cell`."""
        self.cells[execution] = (cell, _leading_blank_lines(source))

    def place(self, filename: str, line: int | None) -> tuple[str, int | None, int | None]:
        """(label for messages, cell number or None, line in that cell's raw source) of a file line."""
        match = CELL_FILE.match(filename)
        if match and int(match.group(1)) in self.cells:
            cell, offset = self.cells[int(match.group(1))]
            raw_line = None if line is None else line + offset
            return f"cell {cell}", cell, raw_line
        path = Path(filename)
        if not path.is_absolute() or INSTALLED.intersection(path.parts):
            return "", None, line
        path = path.resolve()
        if path.is_relative_to(self.folder):
            return path.relative_to(self.folder).as_posix(), None, line
        return "", None, line


def summarize(error: BaseException, files: CellFiles, cell: int) -> Failure:
    """The failure of cell number `cell`, told with the frames of the lesson's cells and modules."""
    frames: list[str] = []
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        label, frame_cell, frame_line = files.place(frame.filename, frame.lineno)
        if not label:
            continue
        if frame_cell == cell:
            line = frame_line
        frames.append(_frame_text(label, frame_line, frame.name, frame.line))
    if isinstance(error, SyntaxError) and error.filename:
        label, frame_cell, frame_line = files.place(error.filename, error.lineno)
        if label:
            frames.append(_frame_text(label, frame_line, "", error.text))
        if frame_cell == cell and line is None:
            line = frame_line
    return Failure(headline(error), line, tuple(frames[-MAX_FRAMES:]))


def headline(error: BaseException) -> str:
    """`TypeName: text` of an exception, trimmed."""
    text = error.msg if isinstance(error, SyntaxError) else str(error)
    text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + " ..."


def _frame_text(label: str, line: int | None, function: str, code: str | None) -> str:
    where = label if line is None else f"{label}, line {line}"
    if function and function != "<module>":
        where += f", in {function}"
    code = (code or "").strip()
    return f"{where}: {code}" if code else where


def _leading_blank_lines(source: str) -> int:
    count = 0
    for line in source.splitlines():
        if line and not line.isspace():
            break
        count += 1
    return count
