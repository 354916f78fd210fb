"""The Anki side: note types, stable ids, and writing the .apkg; the only module that imports genanki.

The note types are designed once for every card kind, because changing their fields later would break
re-import for every user: Front, Back, Extra, Code, Diagram, Value, Context, Source, Key.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.core.files import replacing
from srs.core.model import Media

FIELDS = ("Front", "Back", "Extra", "Code", "Diagram", "Value", "Context", "Source", "Key")
BASIC_MODEL_ID = 1732542301
CLOZE_MODEL_ID = 1732542302
BASIC_MODEL_NAME = "srs basic"
CLOZE_MODEL_NAME = "srs cloze"

_BACK_PARTS = """
{{#Back}}<div class="srs-back">{{Back}}</div>{{/Back}}
{{#Value}}<div class="srs-value">{{Value}}</div>{{/Value}}
{{#Diagram}}<div class="srs-diagram">{{Diagram}}</div>{{/Diagram}}
{{#Extra}}<div class="srs-extra">{{Extra}}</div>{{/Extra}}
{{#Code}}<details class="srs-code-details"><summary>code</summary>{{Code}}</details>{{/Code}}
<div class="srs-source">{{Source}}</div>
"""

BASIC_TEMPLATE = {
    "name": "Card",
    "qfmt": '<div class="srs-context">{{Context}}</div>\n<div class="srs-front">{{Front}}</div>',
    "afmt": '{{FrontSide}}\n<hr id="answer">' + _BACK_PARTS,
}

CLOZE_TEMPLATE = {
    "name": "Cloze",
    "qfmt": '<div class="srs-context">{{Context}}</div>\n<div class="srs-front">{{cloze:Front}}</div>',
    "afmt": '<div class="srs-context">{{Context}}</div>\n<div class="srs-front">{{cloze:Front}}</div>\n'
    '<hr id="answer">' + _BACK_PARTS,
}

CSS = (Path(__file__).parent / "card.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Note:
    """A note ready to write: its identity, rendered fields and scheduling position."""

    guid: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cloze: bool
    mod: int
    """Modification time (seconds); Anki's "update if newer" import compares it with the user's copy."""
    position: int
    """New-card position: notebook order."""


def note_guid(lesson_id: str, card_key: str) -> str:
    """The note GUID: a function of the lesson id and card key only, never of card text.

    genanki hashes `lesson_id + "__" + card_key`. That join can be read back one way only when
    the lesson id neither holds `__` nor ends in `_` (then the first `__` is the one that joins),
    which every file name srs has seen so far satisfies; those ids keep the GUIDs they always had.
    Any other id (`a__b`, whose card `c` would be lesson `a`'s card `b__c`) is joined as
    `"__" + JSON of the pair`, which no id of the first kind can produce (it would have to be
    empty) and no two pairs share.
    """
    import genanki

    if joins_unambiguously(lesson_id):
        return str(genanki.guid_for(lesson_id, card_key))
    return str(genanki.guid_for("", json.dumps([lesson_id, card_key])))


def joins_unambiguously(lesson_id: str) -> bool:
    """Does `lesson_id + "__" + key` name one (lesson, key) pair for every key?"""
    return bool(lesson_id) and "__" not in lesson_id and not lesson_id.endswith("_")


def prepare() -> None:
    """Import genanki now (a few hundredths of a second), so writing the deck later does not wait."""
    import genanki  # noqa: F401


def deck_id(lesson_id: str) -> int:
    """A stable deck id derived from the lesson id (Anki ids are 64-bit; stay well inside)."""
    digest = hashlib.sha256(f"srs-deck:{lesson_id}".encode()).digest()
    return int.from_bytes(digest[:6], "big") + (1 << 50)


def _models() -> tuple[Any, Any]:
    import genanki

    fields = [{"name": name} for name in FIELDS]
    basic = genanki.Model(
        BASIC_MODEL_ID,
        BASIC_MODEL_NAME,
        fields=fields,
        templates=[BASIC_TEMPLATE],
        css=CSS,
        sort_field_index=0,
    )
    cloze = genanki.Model(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        fields=fields,
        templates=[CLOZE_TEMPLATE],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )
    return basic, cloze


def _note_class() -> Any:
    import genanki

    class TimedNote(genanki.Note):  # type: ignore[misc]
        """A genanki note whose modification time is its own, not the package's."""

        mod: int = 0

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

    return TimedNote


def write_package(
    path: Path, deck_name: str, lesson_id: str, notes: Sequence[Note], media: Sequence[Media]
) -> None:
    """Write the deck to `path` atomically: a failure leaves any previous deck untouched."""
    write_decks(path, [DeckContent(deck_id(lesson_id), deck_name, tuple(notes))], media)


@dataclass(frozen=True)
class DeckContent:
    """One deck of a package: its id, its name and its notes."""

    id: int
    name: str
    notes: tuple[Note, ...]


def write_decks(path: Path, decks: Sequence[DeckContent], media: Sequence[Media]) -> None:
    """Write several decks into one package at `path`, atomically."""
    import genanki

    basic, cloze = _models()
    note_class = _note_class()
    written_decks = []
    for content in decks:
        deck = genanki.Deck(content.id, content.name)
        for note in content.notes:
            written = note_class(
                model=cloze if note.cloze else basic,
                fields=list(note.fields),
                guid=note.guid,
                tags=list(note.tags),
                due=note.position,
            )
            written.mod = note.mod
            deck.add_note(written)
        written_decks.append(deck)
    with replacing(path) as temporary:
        _write_apkg(temporary, genanki.Package(written_decks), media)


def _write_apkg(target: Path, package: Any, media: Sequence[Media]) -> None:
    """The .apkg layout genanki's `write_to_file` makes, written without its leftovers.

    genanki builds the collection in a temporary file it never removes, so every build would
    leave one in the system's temporary folder, and syncs that file to disk on the way. Here the
    collection is built in memory, and the media go into the archive straight from memory too.
    """
    import itertools
    import sqlite3
    import time
    import zipfile

    timestamp = time.time()
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        collection = _database_bytes(connection)
    finally:
        connection.close()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", json.dumps({str(index): item.name for index, item in enumerate(media)}))
        for index, item in enumerate(media):
            archive.writestr(str(index), item.data)


def _database_bytes(connection: Any) -> bytes:
    """The SQLite database file of an open connection, as bytes."""
    if hasattr(connection, "serialize"):  # SQLite built with serialization, as in most Pythons
        return bytes(connection.serialize())
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="srs-collection-") as folder:
        file = Path(folder) / "collection.anki2"
        copy = sqlite3.connect(file)
        try:
            connection.backup(copy)
        finally:
            copy.close()
        return file.read_bytes()


ANKI_SEARCH_SPECIALS = str.maketrans({"\\": "\\\\", '"': '\\"', "*": "\\*", "_": "\\_"})
"""Characters Anki's search reads as wildcards or syntax inside a quoted term, with their escapes."""


def key_search(lesson_id: str, card_key: str) -> str:
    """An Anki search that finds exactly the note of this card (by its Key field, as stored)."""
    from srs.render.fields import key_field  # here: reading and syncing decks need no rendering

    return '"Key:' + key_field(lesson_id, card_key).translate(ANKI_SEARCH_SPECIALS) + '"'
