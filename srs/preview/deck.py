"""Card sides as Anki shows them: the package imported into a throwaway collection of the real engine.

Nothing here re-implements Anki. The `anki` package imports the .apkg into a temporary collection and
renders every card with the note type's own templates, so field substitution, conditionals, cloze
handling and the CSS are exactly what a reviewer gets. Only the metadata around a card (its key,
kind, section and cell link) is read from the fields and tags srs writes, with plain fallbacks for
decks made elsewhere.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.core.errors import SrsError

INSTALL_HINT = "pip install 'srs[preview]' (or `make setup`, which installs it)"


class PreviewUnavailable(SrsError):
    """A package the preview needs (anki, MathJax) is not installed."""

    code = "SRS005"


@dataclass(frozen=True)
class PreviewCard:
    """One card of the deck, both sides rendered by Anki."""

    key: str
    """The note's `Key` field (lesson/card key), else its GUID."""
    kind: str
    """Card kind from the `kind::` tag, else the note type's name."""
    section: str
    """The notebook heading the card sits under ('' when unknown)."""
    source_url: str
    """Where the card's cell is (the link in the `Source` field), '' when the note has none."""
    source_label: str
    cloze_number: int | None
    """For a cloze card, which cloze it asks (1 for c1); None for other cards."""
    question: str
    """The front as Anki renders it (HTML, without the note type's CSS)."""
    answer: str
    """The back as Anki renders it."""
    style: int
    """Index of the note type's CSS in `PreviewDeck.styles`."""


@dataclass(frozen=True)
class PreviewDeck:
    """Every card of a package in review order, with the CSS and the images they use."""

    name: str
    cards: tuple[PreviewCard, ...]
    styles: tuple[str, ...]
    """The note types' CSS, each once."""
    media: Mapping[str, bytes]
    """The media files the cards reference, by name."""


def read_preview_deck(apkg: Path) -> PreviewDeck:
    """Import `apkg` into a temporary Anki collection and render every card."""
    from srs.core.errors import NotebookError

    if not apkg.is_file():
        raise NotebookError("no such deck; build it first with `srs build`", apkg, code="SRS002")
    with _temporary_collection(apkg) as collection:
        try:
            _import(collection, apkg)
        except Exception as problem:  # the engine's own error types vary between releases
            raise NotebookError(f"Anki cannot import this package: {problem}", apkg) from None
        return _render_all(collection)


@contextmanager
def _temporary_collection(apkg: Path) -> Iterator[Any]:
    try:
        from anki.collection import Collection
    except ImportError:
        raise PreviewUnavailable(
            f"the preview renders cards with Anki's own engine, which is not installed: {INSTALL_HINT}", apkg
        ) from None
    with tempfile.TemporaryDirectory(prefix="srs-preview-") as folder:
        collection = Collection(str(Path(folder) / "preview.anki2"))
        try:
            yield collection
        finally:
            collection.close()


def _import(collection: Any, apkg: Path) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    # with scheduling, new cards keep the package's positions: notebook order for srs decks
    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False)
    collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))


def _render_all(collection: Any) -> PreviewDeck:
    cards = [collection.get_card(card_id) for card_id in collection.find_cards("")]
    cards.sort(key=_review_order)
    styles: dict[str, int] = {}
    rendered = []
    names: set[str] = set()
    for card in cards:
        output = card.render_output()
        style = styles.setdefault(output.css, len(styles))
        rendered.append(_preview_card(card, output.question_text, output.answer_text, style))
        names.add(collection.decks.name(card.did))
    media_folder = Path(collection.media.dir())
    media = {
        name: (media_folder / name).read_bytes()
        for name in sorted(_media_names(rendered))
        if (media_folder / name).is_file()
    }
    return PreviewDeck(_deck_name(names), tuple(rendered), tuple(styles), media)


def _review_order(card: Any) -> tuple[int, int, int, int]:
    """New cards by their position (notebook order), the others after them; a note's cards by template."""
    is_new = card.type == 0
    return (0 if is_new else 1, card.due if is_new else 0, card.nid, card.ord)


def _deck_name(names: set[str]) -> str:
    """The deck the cards are in (the deepest one when they span a parent and its children)."""
    return max(names, key=lambda name: (name.count("::"), name)) if names else ""


def _preview_card(card: Any, question: str, answer: str, style: int) -> PreviewCard:
    note = card.note()
    fields = dict(note.items())
    tags = note.tags
    kind = _tag_value(tags, "kind") or note.note_type()["name"]
    is_cloze = note.note_type().get("type") == 1
    url, label = _source_link(fields.get("Source", ""))
    return PreviewCard(
        key=_plain(fields.get("Key", "")) or note.guid,
        kind=kind,
        section=_section(fields.get("Context", ""), tags),
        source_url=url,
        source_label=label,
        cloze_number=card.ord + 1 if is_cloze else None,
        question=question,
        answer=answer,
        style=style,
    )


def _tag_value(tags: list[str], prefix: str) -> str:
    for tag in tags:
        if tag.lower().startswith(prefix + "::"):
            return tag.split("::", 1)[1]
    return ""


def _section(context: str, tags: list[str]) -> str:
    """The heading part of the context line `Title › Heading` (the title alone under the title's own
    heading), else the `section::` tag."""
    text = _plain(context)
    if "›" in text:
        return text.split("›", 1)[1].strip()
    return text or _tag_value(tags, "section").replace("-", " ")


def _source_link(source: str) -> tuple[str, str]:
    found = re.search(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', source, re.DOTALL)
    if not found:
        return "", ""
    return html.unescape(found.group(1)), _plain(found.group(2))


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


MEDIA_REFERENCE = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])([^"']+)\2""", re.IGNORECASE)


def _media_names(cards: list[PreviewCard]) -> set[str]:
    names = set()
    for card in cards:
        for side in (card.question, card.answer):
            names.update(match.group(3) for match in MEDIA_REFERENCE.finditer(side))
    return {name for name in names if "/" not in name and ":" not in name}
