"""Markdown to Anki HTML: math in MathJax delimiters, raw HTML escaped, images as deck media.

Rendering uses a parser with raw HTML disabled, so nothing from a notebook can inject script or style
into Anki. Math becomes `\\(..\\)` and `\\[..\\]`, the delimiters Anki's MathJax reads.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from srs.core.errors import MediaError, SourceError
from srs.core.model import Attachment, Location, Media
from srs.notebook.clozes import protect_clozes
from srs.notebook.markdown import check_dollar_tokens, new_parser

UNSAFE_MATH = re.compile(
    r"\\(?:href|style|class|cssId|unicode|require|html[A-Za-z]*|data|mmlToken|mathtip|texttip|toggle)"
    r"(?![A-Za-z])"
)
"""MathJax commands that put links, CSS, element ids, fonts or extensions into a card, not maths."""
UNSAFE_SVG = re.compile(
    rb"<\s*(?:script|foreignobject|iframe|embed|object)\b|\son[a-z]+\s*=|javascript:", re.IGNORECASE
)
"""What makes an SVG image run code when shown: script elements, event handlers, script links."""
LEFT_IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]")
"""Image syntax markdown-it left as text: a link it refused (file:) or an undefined reference."""
MAX_MARKUP = 10_000_000
"""Bytes of a markup image (SVG) searched for script."""
MAX_FIELD = 200_000
"""Characters one rendered field may hold; far more than a learner can read on a card."""



@cache
def _parser() -> Any:
    md = new_parser(False)
    md.add_render_rule("math_inline", _render_inline_math)
    md.add_render_rule("math_inline_double", _render_inline_display_math)
    md.add_render_rule("math_block", _render_display_math)
    md.add_render_rule("math_block_label", _render_display_math)
    md.add_render_rule("amsmath", _render_display_math)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("fence", _render_code_block)
    md.add_render_rule("code_block", _render_code_block)
    # compiled before a second thread can see it (markdown-it compiles its rule chains on first use)
    md.parse("*a* $b$")
    return md


def _math(tokens: Any, idx: int, env: Any) -> str:
    """A math token's content, checked for unsafe MathJax commands and escaped for HTML."""
    content = tokens[idx].content.strip()
    if match := UNSAFE_MATH.search(content):
        context: RenderContext = env["srs"]
        raise SourceError(
            f"math uses `{match.group(0)}`, a MathJax command that can add links, styles or scripts "
            "to a card; write the math without it",
            context.location,
            code="SRS029",
        )
    return protect_clozes(html.escape(content, quote=False), math=True)


def _render_inline_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "\\(" + _math(tokens, idx, env) + "\\)"


def _render_inline_display_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return '<span class="srs-math">\\[' + _math(tokens, idx, env) + "\\]</span>"


def _render_display_math(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return '<div class="srs-math">\\[' + _math(tokens, idx, env) + "\\]</div>\n"


def _render_code_block(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    language = (token.info or "").strip().split(" ")[0] if token.type == "fence" else ""
    return highlight_code(token.content, language or "python")


def _render_image(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    context: RenderContext = env["srs"]
    media = context.resolve_image(str(token.attrGet("src") or ""))
    alt = html.escape(self.renderInlineAsText(token.children or [], options, env))
    return f'<img src="{media.name}" alt="{alt}">'


def highlight_code(code: str, language: str = "python") -> str:
    """Code as a highlighted <pre> block; token colours come from the note type's CSS."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(nowrap=True)
    body = highlight(code.rstrip("\n"), lexer, formatter)
    return f'<pre class="srs-code"><code>{body.rstrip()}</code></pre>\n'


@dataclass
class RenderContext:
    """What rendering needs besides the text: where images may come from, where the text is."""

    folder: Path
    location: Location
    attachments: Sequence[Attachment] = ()
    media: list[Media] = field(default_factory=list)

    def resolve_image(self, src: str) -> Media:
        """Load an image referenced by markdown as deck media with a content-hash name."""
        if src.startswith("attachment:"):
            return self._add(self._attachment(src.removeprefix("attachment:")), src)
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            raise MediaError(
                f"image '{src}' is a URL; decks carry their images, so save it under images/ and link that",
                self.location,
            )
        path = (self.folder / src).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise MediaError(
                f"image '{src}' lies outside the lesson's folder; move it into the folder (e.g. images/)",
                self.location,
            )
        if not path.is_file():
            raise MediaError(f"image '{src}' not found next to the notebook", self.location)
        return self._add(path.read_bytes(), src)

    def _attachment(self, name: str) -> bytes:
        for attachment in self.attachments:
            if attachment.name == name:
                return attachment.data
        raise MediaError(f"the cell has no attachment named '{name}'", self.location)

    def _add(self, data: bytes, src: str) -> Media:
        if data.lstrip()[:1] == b"<" and UNSAFE_SVG.search(data[:MAX_MARKUP]):
            raise MediaError(
                f"image '{src}' holds script (a script element, an on...= handler or a javascript: "
                "link), which must not reach a card; export the drawing again without it",
                self.location,
                code="SRS041",
            )
        suffix = Path(src).suffix.lower() or (mimetypes.guess_extension("image/png") or ".png")
        media = Media.of(data, suffix)
        if media not in self.media:
            self.media.append(media)
        return media


def render_markdown(text: str, context: RenderContext) -> str:
    """Render card markdown to Anki HTML (math delimiters, escaped HTML, images as media)."""
    if not text.strip():
        return ""
    md = _parser()
    tokens = md.parse(text, {"srs": context})
    check_dollar_tokens(tokens, context.location)
    _check_left_images(tokens, context.location)
    rendered = md.renderer.render(tokens, md.options, {"srs": context})
    return protect_clozes(rendered, math=False).strip()


def render_inline(text: str, context: RenderContext) -> str:
    """One line of markdown (a heading, a title) as inline HTML, its math rendered as in card text."""
    if not text.strip():
        return ""
    rendered = _parser().renderInline(" ".join(text.split()), {"srs": context})
    return protect_clozes(rendered, math=False).strip()


def check_field_size(field: str, location: Location) -> str:
    """The field, or a SourceError when it holds more than a card can show."""
    if len(field) > MAX_FIELD:
        raise SourceError(
            f"a field of this card would hold {len(field):,} characters, more than the {MAX_FIELD:,} "
            "a card may show; shorten it (print less, or point the card at a smaller value)",
            location,
            code="SRS050",
        )
    return field


def _check_left_images(tokens: Any, location: Location) -> None:
    for token in tokens:
        for child in token.children or ():
            if child.type == "text" and (match := LEFT_IMAGE.search(child.content)):
                end = child.content.find(")" if match.group(0).endswith("(") else "]", match.end())
                shown = child.content[match.start() : end + 1 if end >= 0 else match.end()][:80]
                raise MediaError(
                    f"image `{shown}` cannot be loaded: write it as `![text](images/NAME.png)` with a "
                    "path inside the lesson's folder (no URL, no reference-style link)",
                    location,
                )
