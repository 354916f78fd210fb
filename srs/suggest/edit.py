"""Put suggestions into cell sources, and write a copy of the notebook that carries them.

The copy is the original JSON with only the suggested cells' sources changed: cell ids, outputs,
metadata and every other cell stay as they were. The original is never written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from srs.core.errors import NotebookError
from srs.suggest.model import Suggestion


def edited_source(source: str, suggestions: Sequence[Suggestion]) -> str:
    """A cell's source with the suggestions for it inserted (options, comments, Q/A pairs)."""
    lines = source.splitlines()
    code = [s for s in suggestions if s.is_code]
    # from the bottom up, so that each insertion leaves the lines above it where they were; on one line,
    # text after it goes in before options above it
    markdown = [s for s in suggestions if not s.is_code]
    bottom_up = sorted(markdown, key=lambda s: (-(s.line or 0), not s.inserts))
    for suggestion in bottom_up:
        line = suggestion.line or 1
        if suggestion.inserts:
            after = lines[line:]
            lines[line:] = [
                "",
                *suggestion.snippet().splitlines(),
                *([""] if after and after[0].strip() else []),
                *after,
            ]
        else:
            if suggestion.math is not None:
                lines[line - 1 :] = _rewritten(lines[line - 1 :], *suggestion.math)
            lines[line - 1 : line - 1] = suggestion.option_comment().splitlines()
    for suggestion in code:
        lines[0:0] = suggestion.snippet().splitlines()
    return "\n".join(lines)


def _rewritten(lines: list[str], old: str, new: str) -> list[str]:
    """The lines with the first occurrence of a display formula's text replaced by its new text."""
    text = "\n".join(lines)
    if old not in text:
        raise ValueError(f"display formula not found where the suggestion points: {old[:40]}")
    return text.replace(old, new, 1).split("\n")


def write_suggested(original: Path, target: Path, suggestions: Sequence[Suggestion]) -> int:
    """Write a copy of the notebook with the suggestions in it; return how many cells changed."""
    if target.resolve() == original.resolve():
        raise NotebookError("--write must name a new file; the original notebook is never written", target)
    data = json.loads(original.read_text(encoding="utf-8"))
    by_cell: dict[int, list[Suggestion]] = {}
    for suggestion in suggestions:
        by_cell.setdefault(suggestion.cell.index, []).append(suggestion)
    cells = data["cells"]
    for index, wanted in by_cell.items():
        cell = cells[index - 1]
        text = edited_source(suggestion_source(cell), wanted)
        cell["source"] = text.splitlines(keepends=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(by_cell)


def suggestion_source(cell: dict[str, object]) -> str:
    """A cell's source as one string, as nbformat stores it (a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)
