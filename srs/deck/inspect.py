"""Read a built .apkg back: deck name, notes, media. Plain sqlite; no Anki needed."""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from srs.core.errors import NotebookError
from srs.deck.anki import FIELDS


@dataclass(frozen=True)
class DeckNote:
    """One note of a package, summarised."""

    key: str
    model: str
    front: str
    tags: str


@dataclass(frozen=True)
class DeckSummary:
    """What a package holds."""

    deck_name: str
    notes: list[DeckNote]
    card_count: int
    media: list[str]


def read_deck(path: Path) -> DeckSummary:
    """Summarise an .apkg written by srs (or any Anki package)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise NotebookError("not an Anki package (.apkg): cannot open it as a zip file", path) from None
    with archive, tempfile.TemporaryDirectory() as folder:
        name = next((n for n in ("collection.anki21", "collection.anki2") if n in archive.namelist()), None)
        if name is None:
            raise NotebookError("not an Anki package: it holds no collection", path)
        database = Path(archive.extract(name, folder))
        media = list(json.loads(archive.read("media")).values()) if "media" in archive.namelist() else []
        with sqlite3.connect(database) as connection:
            return _summary(connection, sorted(media))


def _summary(connection: sqlite3.Connection, media: list[str]) -> DeckSummary:
    models_json, decks_json = connection.execute("select models, decks from col").fetchone()
    models = {int(k): v["name"] for k, v in json.loads(models_json).items()}
    decks = [d["name"] for d in json.loads(decks_json).values() if d["name"] != "Default"]
    notes = []
    for mid, fields, tags in connection.execute("select mid, flds, tags from notes order by id"):
        values = dict(zip(FIELDS, fields.split("\x1f"), strict=False))
        front = re.sub(r"<[^>]+>", " ", values.get("Front", ""))
        notes.append(DeckNote(values.get("Key", ""), models.get(mid, str(mid)), front, tags.strip()))
    cards = connection.execute("select count(*) from cards").fetchone()[0]
    return DeckSummary(decks[-1] if decks else "", notes, cards, media)
