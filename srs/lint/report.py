"""Findings written for machines: GitHub Actions annotations and JSON, for a lessons repository's CI.

A finding knows its cell and the line within the cell; an annotation needs the line of the notebook
file itself, so `file_line` finds where that cell's source sits in the .ipynb JSON (nbformat writes
one source line per file line). Where it cannot tell, the annotation goes on the cell's first line
found, or on line 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from srs.core.model import Finding

FORMATS = ("text", "github", "json")
"""The output formats of `srs lint --format`."""


def github_annotation(finding: Finding) -> str:
    """`::warning file=PATH,line=N,title=srs (CODE)::message`, escaped as the runner expects."""
    location = finding.location
    level = "error" if finding.severity == "error" else "warning"
    properties = {
        "file": str(location.path),
        "line": str(file_line(finding)),
        "title": f"srs ({finding.code})",
    }
    fields = ",".join(f"{key}={_escape(value, True)}" for key, value in properties.items())
    message = f"[{finding.code}] {finding.message}"
    if location.cell:
        message += f" (cell {location.cell}" + (f", line {location.line})" if location.line else ")")
    return f"::{level} {fields}::{_escape(message, False)}"


def json_findings(findings: Sequence[Finding]) -> str:
    """Every finding as a JSON list of objects, in the order given."""
    return json.dumps([_as_dict(finding) for finding in findings], indent=2, ensure_ascii=False)


def _as_dict(finding: Finding) -> dict[str, Any]:
    from srs.lint import RULES

    rule = RULES.get(finding.code)
    location = finding.location
    return {
        "code": finding.code,
        "rule": rule.name if rule else None,
        "severity": finding.severity,
        "message": finding.message,
        "path": str(location.path),
        "cell": location.cell,
        "cell_id": location.cell_id,
        "line": location.line,
        "file_line": file_line(finding),
    }


def file_line(finding: Finding) -> int:
    """The line of the notebook file where the finding's cell line is written (1 when unknown)."""
    location = finding.location
    if location.cell is None:
        return 1
    starts = _source_starts(str(location.path))
    if location.cell > len(starts) or starts[location.cell - 1] is None:
        return 1
    start = starts[location.cell - 1]
    assert start is not None
    return start + max((location.line or 1) - 1, 0)


@cache
def _source_starts(path: str) -> list[int | None]:
    """For each cell in order, the file line of its first source line (None when not found)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    starts: list[int | None] = []
    in_cell = False
    for number, line in enumerate(lines, start=1):
        if re.match(r'\s*"cell_type":', line):
            starts.append(None)
            in_cell = True
        source = re.match(r'\s*"source":\s*(\[)?\s*("?)', line)
        if in_cell and source and starts:
            # `"source": [` puts the first line on the next file line; `"source": "text"` on this one
            starts[-1] = number + 1 if source.group(1) and not source.group(2) else number
            in_cell = False
    # nbformat sorts a cell's keys, so "cell_type" comes before "source": each cell is found once
    return starts


def _escape(text: str, in_property: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
