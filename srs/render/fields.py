"""Cards to notes: markdown rendered to HTML fields, tags, the link back to the cell, identity."""

from __future__ import annotations

import hashlib
import html
import json
import re

from srs.core.config import LinkTarget, Settings, source_link
from srs.core.model import Card, Lesson, Media
from srs.render.markdown import (
    RenderContext,
    check_field_size,
    highlight_code,
    render_inline,
    render_markdown,
)

HALF_CHARACTER = re.compile("[\ud800-\udfff]")
"""A lone surrogate, which a cell can print but no file can hold: shown as the replacement character."""


def render_fields(card: Card, lesson: Lesson, settings: Settings) -> tuple[tuple[str, ...], list[Media]]:
    """The nine note fields of a card, in the note type's order, and the media they reference."""
    context = RenderContext(lesson.folder, card.location, card.source.cell.attachments)
    front = render_markdown(card.front, context)
    back = render_markdown(card.back, context)
    extra = render_markdown(card.extra, context)
    media = list(context.media) + [m for m in card.media if m not in context.media]
    diagram = "".join(f'<img src="{m.name}" alt="{card.kind} diagram">' for m in card.media)
    code = highlight_code(card.code) if card.code.strip() else ""
    value = html.escape(card.value)
    heading = card.heading
    # headings may hold math ("Why divide by $\sqrt{d_k}$"): rendered as card text is, never raw `$`
    context_line = render_inline(lesson.title, context) + (
        f" › {render_inline(heading, context)}" if heading and heading != lesson.title else ""
    )
    fields = (
        front,
        back,
        extra,
        code,
        diagram,
        value,
        context_line,
        _source_html(card, lesson, settings, context),
        key_field(lesson.lesson_id, card.key),
    )
    for field in fields:
        check_field_size(field, card.location)
    return tuple(HALF_CHARACTER.sub("\ufffd", field) for field in fields), media


def _source_html(card: Card, lesson: Lesson, settings: Settings, context: RenderContext) -> str:
    cell = card.source.cell
    url = source_link(settings, LinkTarget(lesson.path, cell.index, cell.id or "", card.heading))
    label = f"{lesson.path.name} · cell {cell.index}"
    if cell.id:
        label += f" · id {cell.id}"
    section = f" · {render_inline(card.heading, context)}" if card.heading else ""
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>{section}'


def card_tags(card: Card, lesson: Lesson) -> tuple[str, ...]:
    """Lesson, kind and section tags, plus the author's own."""
    tags = [f"srs::{_slug(lesson.lesson_id)}", f"kind::{card.kind}"]
    if card.heading:
        tags.append(f"section::{_slug(card.heading)}")
    tags += [_slug(tag) for tag in card.tags]
    return tuple(dict.fromkeys(t for t in tags if t))


def _slug(text: str) -> str:
    return re.sub(r"[^\w:.-]+", "-", text.strip().lower()).strip("-")


def content_hash(fields: tuple[str, ...], tags: tuple[str, ...], card: Card) -> str:
    """Hash of everything the note shows; its change is what moves the note's modification time."""
    payload = json.dumps([fields, tags, card.cloze], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def key_field(lesson_id: str, card_key: str) -> str:
    """The Key field: lesson id and card key, HTML-escaped as every field is (Anki shows fields as HTML)."""
    return html.escape(f"{lesson_id}/{card_key}", quote=False)
