"""Apply built decks to an Anki collection: add, update, retire and restore srs's notes.

Notes are added and updated by Anki's own importer, with the options of Anki's import dialog
(update notes and note types when newer), so syncing and importing the `.apkg` agree. What an
`.apkg` cannot express, a card whose source left the notebook, is handled here: its card is
suspended and its note tagged `srs::removed` (or deleted on request), and undone if it comes back.

All of it happens on a copy of the collection, which replaces the original in one rename at the
end: an interrupted sync leaves the collection as it was, or fully synced. Only notes of srs's note
types whose Key belongs to the lesson are ever touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srs.collection.engine import opened
from srs.collection.locate import CollectionPlace
from srs.core.errors import CollectionError, NotebookError
from srs.core.hashing import file_digest
from srs.deck.anki import FIELDS

REMOVED_TAG = "srs::removed"
SUSPENDED = -1
"""Anki's queue value of a suspended card."""
SCRATCH_PREFIX = ".srs-sync-"
CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


@dataclass(frozen=True)
class PackageNote:
    """One note of a built deck: its identity, its modification time and the cards it makes."""

    guid: str
    key: str
    mod: int
    ords: frozenset[int]
    """The card ordinals the note makes: {0} for a basic note, cloze number - 1 for each cloze."""


@dataclass(frozen=True)
class LessonPackage:
    """A lesson's built deck, read back."""

    notebook: Path
    deck: Path
    lesson_id: str
    notes: tuple[PackageNote, ...]

    @property
    def key_prefix(self) -> str:
        """What every Key field of this lesson starts with."""
        return f"{self.lesson_id}/"


@dataclass(frozen=True)
class CollectionNote:
    """One of srs's notes as the collection holds it."""

    id: int
    guid: str
    key: str
    mod: int
    tags: tuple[str, ...]
    cards: tuple[tuple[int, int, int], ...]
    """(card id, ordinal, queue) of each card."""

    @property
    def retired(self) -> bool:
        """Does the note carry srs's removed tag?"""
        return REMOVED_TAG in self.tags


@dataclass
class LessonPlan:
    """What a sync does to one lesson's notes."""

    package: LessonPackage
    add: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    retire: list[str] = field(default_factory=list)
    """Keys of notes (or `key (cN)` for one cloze) leaving the notebook."""
    restore: list[str] = field(default_factory=list)
    """Keys of retired notes that are back in the notebook."""

    def is_empty(self) -> bool:
        """Does the sync change nothing for this lesson?"""
        return not (self.add or self.update or self.retire or self.restore)

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON data."""
        return {
            "notebook": str(self.package.notebook),
            "deck": str(self.package.deck),
            "lesson": self.package.lesson_id,
            "add": self.add,
            "update": self.update,
            "retire": self.retire,
            "restore": self.restore,
        }


@dataclass
class SyncResult:
    """What a sync did (or, with dry_run, would do)."""

    collection: Path
    plans: list[LessonPlan]
    dry_run: bool
    delete: bool
    backup: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON data (`srs sync --json`)."""
        return {
            "collection": str(self.collection),
            "dry_run": self.dry_run,
            "delete": self.delete,
            "backup": str(self.backup) if self.backup else None,
            "lessons": [plan.as_dict() for plan in self.plans],
        }


def read_package(deck: Path, notebook: Path, lesson_id: str) -> LessonPackage:
    """The notes of a built `.apkg`, read with sqlite alone."""
    try:
        archive = zipfile.ZipFile(deck)
    except (OSError, zipfile.BadZipFile):
        raise NotebookError("not an Anki package (.apkg): cannot open it as a zip file", deck) from None
    with archive, tempfile.TemporaryDirectory(prefix="srs-package-") as folder:
        database = Path(archive.extract("collection.anki2", folder))
        connection = sqlite3.connect(database)
        try:
            rows = connection.execute("select guid, mod, flds from notes order by id").fetchall()
        finally:
            connection.close()
    notes = []
    for guid, mod, flds in rows:
        values = dict(zip(FIELDS, flds.split("\x1f"), strict=False))
        numbers = {int(n) for n in CLOZE_NUMBER.findall(values.get("Front", ""))}
        ords = frozenset(n - 1 for n in numbers) if numbers else frozenset({0})
        notes.append(PackageNote(guid, values.get("Key", ""), int(mod), ords))
    return LessonPackage(notebook, deck, lesson_id, tuple(notes))


def srs_notetype_ids(col: Any) -> list[int]:
    """The note types srs made: those whose fields are exactly srs's."""
    return [
        int(model["id"]) for model in col.models.all() if [f["name"] for f in model["flds"]] == list(FIELDS)
    ]


def collection_notes(col: Any, key_prefix: str | None = None) -> list[CollectionNote]:
    """srs's notes in the collection (those of one lesson when a Key prefix is given)."""
    models = srs_notetype_ids(col)
    if not models:
        return []
    marks = ",".join(str(m) for m in models)
    key_index = FIELDS.index("Key")
    cards: dict[int, list[tuple[int, int, int]]] = {}
    for cid, nid, ord_, queue in col.db.all(
        "select c.id, c.nid, c.ord, c.queue from cards c join notes n on n.id = c.nid "
        f"where n.mid in ({marks})"
    ):
        cards.setdefault(nid, []).append((cid, ord_, queue))
    found = []
    for nid, guid, mod, flds, tags in col.db.all(
        f"select id, guid, mod, flds, tags from notes where mid in ({marks})"
    ):
        parts = flds.split("\x1f")
        key = parts[key_index] if len(parts) > key_index else ""
        if key_prefix is not None and not key.startswith(key_prefix):
            continue
        found.append(
            CollectionNote(nid, guid, key, mod, tuple(tags.split()), tuple(sorted(cards.get(nid, []))))
        )
    return found


@dataclass
class NoteActions:
    """What a sync does to one of the collection's notes."""

    suspend: list[int] = field(default_factory=list)
    unsuspend: list[int] = field(default_factory=list)
    remove_cards: list[int] = field(default_factory=list)
    remove_note: bool = False
    tag: bool = False
    untag: bool = False
    retired_ords: list[int] = field(default_factory=list)
    """Cloze ordinals of a kept note that leave the notebook with this sync."""

    def retires(self) -> bool:
        """Does this sync retire (or delete) something of the note?"""
        return self.remove_note or bool(self.retired_ords) or (self.tag and not self.unsuspend)

    def restores(self) -> bool:
        """Does this sync bring back something it had retired?"""
        return bool(self.unsuspend) or self.untag


def note_actions(
    note: CollectionNote, ords: frozenset[int] | None, delete: bool, was_retired: bool
) -> NoteActions:
    """The changes one note needs: `ords` are the cards the notebook makes now (None: the note left it)."""
    actions = NoteActions()
    if ords is None:
        if delete:
            actions.remove_note = True
        else:
            actions.suspend = [cid for cid, _, queue in note.cards if queue != SUSPENDED]
            actions.tag = not note.retired
        return actions
    gone = [(cid, ord_, queue) for cid, ord_, queue in note.cards if ord_ not in ords]
    if delete:
        actions.remove_cards = [cid for cid, _, _ in gone]
    else:
        actions.suspend = [cid for cid, _, queue in gone if queue != SUSPENDED]
    if was_retired:
        actions.unsuspend = [cid for cid, ord_, queue in note.cards if ord_ in ords and queue == SUSPENDED]
    keep_tag = bool(gone) and not delete
    actions.tag = keep_tag and not note.retired
    actions.untag = not keep_tag and note.retired
    if delete or actions.suspend or actions.tag:
        actions.retired_ords = sorted(ord_ for _, ord_, _ in gone)
    return actions


def plan_lesson(package: LessonPackage, existing: Sequence[CollectionNote], delete: bool) -> LessonPlan:
    """What syncing a lesson's package into the collection would change."""
    plan = LessonPlan(package)
    by_guid = {note.guid: note for note in existing}
    short = _short_key(package)
    for note in package.notes:
        mine = by_guid.get(note.guid)
        if mine is None:
            plan.add.append(short(note.key))
            continue
        if note.mod > mine.mod:
            plan.update.append(short(note.key))
        actions = note_actions(mine, note.ords, delete, mine.retired)
        if actions.restores():
            plan.restore.append(short(note.key))
        plan.retire.extend(f"{short(note.key)} (c{ord_ + 1})" for ord_ in actions.retired_ords)
    wanted = {note.guid for note in package.notes}
    for mine in existing:
        if mine.guid not in wanted and note_actions(mine, None, delete, mine.retired).retires():
            plan.retire.append(short(mine.key))
    return plan


def _short_key(package: LessonPackage) -> Any:
    return lambda key: key.removeprefix(package.key_prefix)


def import_options() -> Any:
    """The options of Anki's import dialog that the README recommends: update notes when newer."""
    from anki.collection import ImportAnkiPackageOptions
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER as IF_NEWER

    return ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )


def plan_sync(place: CollectionPlace, packages: Sequence[LessonPackage], delete: bool) -> list[LessonPlan]:
    """Each lesson's plan against the collection as it is now (nothing is written)."""
    with opened(place.path, _fallback(packages)) as col:
        return [plan_lesson(p, collection_notes(col, p.key_prefix), delete) for p in packages]


def sync_packages(
    place: CollectionPlace, packages: Sequence[LessonPackage], delete: bool = False, dry_run: bool = False
) -> SyncResult:
    """Plan, then (unless dry_run) back up and apply every lesson's package in one step."""
    plans = plan_sync(place, packages, delete)
    result = SyncResult(place.path, plans, dry_run, delete)
    if dry_run or all(plan.is_empty() for plan in plans):
        return result
    result.backup = back_up(place, _fallback(packages))
    _apply(place, packages, delete, _fallback(packages))
    return result


def _fallback(packages: Sequence[LessonPackage]) -> str:
    decks = " and ".join(str(p.deck) for p in packages[:2]) + (" ..." if len(packages) > 2 else "")
    return f"import {decks or 'the .apkg'} instead"


def back_up(place: CollectionPlace, fallback: str) -> Path | None:
    """A backup by Anki's own mechanism into the backups folder; the newest backup there."""
    place.backups.mkdir(parents=True, exist_ok=True)
    with opened(place.path, fallback) as col:
        col.create_backup(backup_folder=str(place.backups), force=True, wait_for_completion=True)
    return newest_backup(place.backups)


def newest_backup(folder: Path) -> Path | None:
    """The most recent backup file in a backups folder."""
    found = [p for p in folder.glob("*.colpkg") if p.is_file()]
    return max(found, key=lambda p: (p.stat().st_mtime_ns, p.name)) if found else None


def remove_scratch(place: CollectionPlace) -> None:
    """Remove what an interrupted sync left beside the collection (its own scratch folders only)."""
    for folder in place.path.parent.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _apply(place: CollectionPlace, packages: Sequence[LessonPackage], delete: bool, fallback: str) -> None:
    remove_scratch(place)
    before = _fingerprint(place.path)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=place.path.parent))
    try:
        copy = scratch / "collection.anki2"
        shutil.copyfile(place.path, copy)
        with opened(copy, fallback) as col:
            for package in packages:
                _apply_lesson(col, package, delete)
        _copy_media(scratch / "collection.media", media_folder(place.path))
        _replace(place, copy, before, fallback)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _apply_lesson(col: Any, package: LessonPackage, delete: bool) -> None:
    from anki.collection import ImportAnkiPackageRequest

    # the importer may rewrite a returning note's tags, so remember which notes were retired first
    was_retired = {note.guid for note in collection_notes(col, package.key_prefix) if note.retired}
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package.deck), options=import_options())
    )
    wanted = {note.guid: note.ords for note in package.notes}
    total = NoteActions()
    tag: list[int] = []
    untag: list[int] = []
    remove_notes: list[int] = []
    for note in collection_notes(col, package.key_prefix):
        actions = note_actions(note, wanted.get(note.guid), delete, note.guid in was_retired)
        total.suspend += actions.suspend
        total.unsuspend += actions.unsuspend
        total.remove_cards += actions.remove_cards
        remove_notes += [note.id] if actions.remove_note else []
        tag += [note.id] if actions.tag else []
        untag += [note.id] if actions.untag else []
    if total.suspend:
        col.sched.suspend_cards(total.suspend)
    if total.unsuspend:
        col.sched.unsuspend_cards(total.unsuspend)
    if tag:
        col.tags.bulk_add(tag, REMOVED_TAG)
    if untag:
        col.tags.bulk_remove(untag, REMOVED_TAG)
    if total.remove_cards:
        col.remove_cards_and_orphaned_notes(total.remove_cards)
    if remove_notes:
        col.remove_notes(remove_notes)


def media_folder(collection: Path) -> Path:
    """The media folder Anki keeps beside a collection file."""
    return collection.with_suffix(".media")


def _copy_media(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and not (target / item.name).exists():
            shutil.copyfile(item, target / item.name)


def _fingerprint(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, file_digest(path)


def _replace(place: CollectionPlace, copy: Path, before: tuple[int, int, str], fallback: str) -> None:
    """Put the synced copy in place, unless the collection changed or was opened meanwhile."""
    if _fingerprint(place.path) != before or Path(f"{place.path}-wal").exists():
        raise CollectionError(
            f"the collection changed while srs was syncing; nothing was written; {fallback}", place.path
        )
    with opened(place.path, fallback):
        pass
    os.replace(copy, place.path)


def plan_lines(plans: Iterable[LessonPlan]) -> list[str]:
    """Human-readable lines describing the plans."""
    lines = []
    for plan in plans:
        what = f"{len(plan.add)} to add, {len(plan.update)} to update, {len(plan.retire)} to retire" + (
            f", {len(plan.restore)} to restore" if plan.restore else ""
        )
        lines.append(f"{plan.package.notebook}: {what}")
        for label, keys in (
            ("add", plan.add),
            ("update", plan.update),
            ("retire", plan.retire),
            ("restore", plan.restore),
        ):
            if keys:
                lines.append(f"  {label}: {', '.join(keys)}")
    return lines


def plans_json(result: SyncResult) -> str:
    """`srs sync --json`: the result as one JSON document."""
    return json.dumps(result.as_dict(), indent=1, ensure_ascii=False)
