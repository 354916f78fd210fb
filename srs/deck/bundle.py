"""One package holding the decks of many lessons, as subdecks of one parent deck.

The bundle is made from the lessons' own packages, so every note keeps its GUID, fields, tags and
modification time, and every deck its id and name: importing the bundle and importing the decks
one by one give the same collection. The decks' names are `<prefix>::<lesson title>`, so the
prefix (`[tool.srs] deck_prefix`) is the parent deck.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from srs.core.errors import SrsError
from srs.core.model import Media
from srs.deck.anki import CLOZE_MODEL_ID, DeckContent, Note, write_decks


class BundleError(SrsError):
    """The decks cannot be bundled (no common parent deck, a deck that cannot be read)."""

    code = "SRS075"


@dataclass(frozen=True)
class Bundle:
    """What a bundle holds."""

    path: Path
    parent: str
    decks: int
    notes: int


def parent_deck(names: Sequence[str], where: Path) -> str:
    """The deck every name is a subdeck of (the first part of `A::B`); a BundleError when there is none."""
    parents = {name.split("::")[0] if "::" in name else None for name in names}
    if len(parents) != 1 or None in parents:
        raise BundleError(
            "the decks have no common parent deck (their names are "
            + ", ".join(f"'{name}'" for name in names)
            + "); give every lesson the same [tool.srs] deck_prefix",
            where,
        )
    return str(parents.pop())


def bundle_path(out_dir: Path, parent: str) -> Path:
    """Where the bundle of a parent deck goes: `<out>/<parent>.apkg`, the name made safe for a file."""
    safe = re.sub(r"[^\w.-]+", "-", parent).strip("-.") or "curriculum"
    return out_dir / f"{safe}.apkg"


def write_bundle(decks: Sequence[Path], out_dir: Path) -> Bundle:
    """Bundle the lessons' packages, in the order given, into `<out>/<parent deck>.apkg`."""
    contents: list[DeckContent] = []
    media: dict[str, Media] = {}
    position = 0
    for deck in decks:
        content, deck_media = _read_package(deck)
        # new cards come in curriculum order: each deck's positions follow the decks before it
        notes = tuple(
            Note(n.guid, n.fields, n.tags, n.cloze, n.mod, position + n.position) for n in content.notes
        )
        position += len(notes)
        contents.append(DeckContent(content.id, content.name, notes))
        media.update((item.name, item) for item in deck_media)
    parent = parent_deck([content.name for content in contents], out_dir)
    target = bundle_path(out_dir, parent)
    write_decks(target, contents, sorted(media.values(), key=lambda item: item.name))
    return Bundle(target, parent, len(contents), sum(len(content.notes) for content in contents))


def _read_package(path: Path) -> tuple[DeckContent, list[Media]]:
    """The one deck of a package srs wrote, and its media files."""
    try:
        with zipfile.ZipFile(path) as archive:
            database = archive.read("collection.anki2")
            names = json.loads(archive.read("media"))
            media = [Media(str(name), archive.read(index)) for index, name in names.items()]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        raise BundleError("cannot read this deck to bundle it; build it again", path) from None
    with _opened(database) as connection:
        return _deck_of(connection, path), media


@contextmanager
def _opened(database: bytes) -> Iterator[sqlite3.Connection]:
    """A connection to a database given as bytes (in memory where SQLite can, else a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="srs-bundle-") as folder:
        connection = sqlite3.connect(":memory:")
        if hasattr(connection, "deserialize"):
            connection.deserialize(database)
        else:
            connection.close()
            file = Path(folder) / "collection.anki2"
            file.write_bytes(database)
            connection = sqlite3.connect(file)
        try:
            yield connection
        finally:
            connection.close()


def _deck_of(connection: sqlite3.Connection, path: Path) -> DeckContent:
    (decks_json,) = connection.execute("select decks from col").fetchone()
    decks = [deck for deck in json.loads(decks_json).values() if deck["name"] != "Default"]
    if len(decks) != 1:
        raise BundleError("this package does not hold exactly one deck; build it again", path)
    rows = connection.execute(
        "select n.guid, n.mid, n.mod, n.flds, n.tags, min(c.due) from notes n join cards c on c.nid = n.id "
        "group by n.id order by min(c.due), n.id"
    )
    notes = tuple(
        Note(guid, tuple(fields.split("\x1f")), tuple(tags.split()), mid == CLOZE_MODEL_ID, mod, due)
        for guid, mid, mod, fields, tags, due in rows
    )
    return DeckContent(int(decks[0]["id"]), str(decks[0]["name"]), notes)
