"""Markdown as srs reads it: markdown-it-py with the math plugins, and unbalanced dollars found early.

The same setup serves reading (finding blocks and option comments: `block_parser` keeps HTML comments
as tokens) and rendering (`srs.render.markdown` adds its render rules to a parser made here).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from srs.core.errors import SourceError
from srs.core.model import Location


def new_parser(allow_html: bool) -> Any:
    """A markdown-it parser with tables, strikethrough, dollar math and amsmath environments."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": allow_html}).enable("table").enable("strikethrough")
    # As in pandoc: no space just inside the dollars, no digit right after the closing one, so
    # `costs $5 and $10` stays text while `$1$` and `$x_i$` are math.
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False, double_inline=True)
    md.use(amsmath_plugin)
    return md


@cache
def block_parser() -> Any:
    """A parser that keeps HTML comments as tokens, for finding option comments and blocks."""
    md = new_parser(True)
    # markdown-it compiles its rule chains on first use, in a way another thread could see half
    # done; each parser is compiled before it is shared
    md.parse("*a* $b$")
    return md


@cache
def _text_parser() -> Any:
    md = new_parser(False)
    md.parse("*a* $b$")
    return md


def check_dollars(text: str, location: Location) -> None:
    """Raise SourceError for a `$` that opens math and never closes (location: the text's first line)."""
    check_dollar_tokens(_text_parser().parse(text), location)


def check_dollar_tokens(tokens: Any, location: Location) -> None:
    """Raise SourceError for an unclosed `$` among parsed tokens."""
    for token in tokens:
        leftover = any(
            child.type == "text" and re.search(r"\$(?!\d)", child.content) for child in token.children or ()
        )
        if leftover and _has_lone_dollar(token.content):
            line = (location.line or 1) + (token.map[0] if token.map else 0)
            raise SourceError(
                "unbalanced `$`: math needs a closing `$`; write `\\$` for a literal dollar sign",
                location.at_line(line),
                code="SRS021",
            )


def _has_lone_dollar(raw: str) -> bool:
    """Is a `$` left once escapes, code spans, math pairs and amounts like `$5` are taken out?"""
    raw = re.sub(r"\\.", "", raw)
    raw = re.sub(r"(`+).*?\1", "", raw, flags=re.DOTALL)
    raw = re.sub(r"\$\$.+?\$\$", "", raw, flags=re.DOTALL)
    raw = re.sub(r"\$(?!\d)[^$]+?\$", "", raw, flags=re.DOTALL)
    return re.search(r"\$(?!\d)", raw) is not None
