"""`#|` option lines, found the one way wherever srs looks: at the top of a code cell, inside a
markdown cell's HTML comment. nbdev's `# | export` spelling counts too."""

from __future__ import annotations

import re
from collections.abc import Iterable

OPTION_LINE = re.compile(r"^\s*#\s*\|\s?(.*)$")
CARD_KEY = re.compile(r"^\s*card\s*:\s*([A-Za-z]\w*)")


def split_code_options(source: str) -> tuple[list[str], str, int]:
    """Split a code cell into its leading option lines, the remaining code, and the code's first line."""
    lines = source.splitlines(keepends=True)
    count = 0
    while count < len(lines) and OPTION_LINE.match(lines[count]):
        count += 1
    option_lines = [OPTION_LINE.match(line).group(1) for line in lines[:count]]  # type: ignore[union-attr]
    return option_lines, "".join(lines[count:]), count + 1


def comment_option_lines(comment: str) -> list[tuple[int, str]] | None:
    """The `#|` lines inside an HTML comment as (offset, text); None when it holds none."""
    body = comment.strip()
    body = body.removeprefix("<!--").removesuffix("-->")
    found = []
    for offset, line in enumerate(body.splitlines()):
        if match := OPTION_LINE.match(line):
            found.append((offset, match.group(1)))
    return found or None


def named_kind(option_lines: Iterable[str]) -> str | None:
    """The card kind a `card:` line among option lines (their text after `#|`) names; None for none
    or for `card: false`."""
    for line in option_lines:
        if (match := CARD_KEY.match(line)) and match.group(1) != "false":
            return match.group(1)
    return None
