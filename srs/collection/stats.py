"""Which cells a learner keeps forgetting: srs's notes and their review log, per lesson and section.

Retention is counted as Anki counts true retention: only review entries (learning and relearning
steps, manual reschedules and filtered-deck entries left out); an entry passes unless it was
answered "Again". A card never reviewed is new, not retained. A review is young when the interval
before it was under 21 days, mature otherwise.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from srs.collection.sync import srs_notetype_ids
from srs.deck.anki import FIELDS

REVIEW_ENTRY = 1
"""revlog.type of a review of a graduated card."""
AGAIN = 1
MATURE_DAYS = 21
CELL = re.compile(r"·\s*cell\s+(\d+)")


@dataclass
class Tally:
    """Counts over a set of cards and their review entries."""

    cards: int = 0
    new: int = 0
    reviews: int = 0
    lapses: int = 0
    young: tuple[int, int] = (0, 0)
    """(reviews, passed) of young reviews."""
    mature: tuple[int, int] = (0, 0)

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.cards += other.cards
        self.new += other.new
        self.reviews += other.reviews
        self.lapses += other.lapses
        self.young = (self.young[0] + other.young[0], self.young[1] + other.young[1])
        self.mature = (self.mature[0] + other.mature[0], self.mature[1] + other.mature[1])

    @property
    def retention(self) -> float | None:
        """Share of review entries passed; None when nothing was reviewed."""
        return None if not self.reviews else (self.reviews - self.lapses) / self.reviews

    def as_dict(self) -> dict[str, Any]:
        """The counts as JSON data."""
        return {
            "cards": self.cards,
            "new": self.new,
            "reviews": self.reviews,
            "lapses": self.lapses,
            "retention": self.retention,
            "young_retention": _share(self.young),
            "mature_retention": _share(self.mature),
        }


def _share(pair: tuple[int, int]) -> float | None:
    return pair[1] / pair[0] if pair[0] else None


@dataclass
class CellTally:
    """A notebook cell and the reviews of the cards made from it."""

    where: str
    """`path:cell N`."""
    front: str
    """The front of the cell's card that lapsed most."""
    tally: Tally = field(default_factory=Tally)


@dataclass
class LessonStats:
    """One lesson's counts, by section, and its cells that lapse most."""

    lesson: str
    notebook: str
    tally: Tally = field(default_factory=Tally)
    sections: dict[str, Tally] = field(default_factory=dict)
    cells: list[CellTally] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The lesson's statistics as JSON data."""
        return {
            "lesson": self.lesson,
            "notebook": self.notebook,
            **self.tally.as_dict(),
            "sections": [{"section": name, **t.as_dict()} for name, t in self.sections.items()],
            "cells": [{"cell": c.where, "front": c.front, **c.tally.as_dict()} for c in self.cells],
        }


@dataclass(frozen=True)
class _Card:
    id: int
    lesson: str
    section: str
    notebook: str
    cell: int | None
    front: str
    new: bool


def _plain(text: str) -> str:
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _notebook_of(source: str, lesson: str, paths: dict[str, str]) -> str:
    if lesson in paths:
        return paths[lesson]
    link = re.search(r'href="([^"]+)"', source)
    if link and link.group(1).startswith("file://"):
        return unquote(urlparse(html.unescape(link.group(1))).path)
    name = _plain(source).split("·")[0].strip()
    return name or lesson


def _cards(col: Any, paths: dict[str, str], lessons: set[str] | None) -> list[_Card]:
    models = srs_notetype_ids(col)
    if not models:
        return []
    marks = ",".join(str(m) for m in models)
    index = {name: FIELDS.index(name) for name in ("Front", "Context", "Source", "Key")}
    found = []
    rows = col.db.all(
        f"select c.id, c.type, n.flds from cards c join notes n on n.id = c.nid where n.mid in ({marks})"
    )
    for cid, card_type, flds in rows:
        parts = flds.split("\x1f")
        if len(parts) < len(FIELDS):
            continue
        lesson = parts[index["Key"]].split("/", 1)[0]
        if lessons is not None and lesson not in lessons:
            continue
        context = _plain(parts[index["Context"]])
        section = context.split("›")[-1].strip() if "›" in context else "(no section)"
        cell = CELL.search(_plain(parts[index["Source"]]))
        notebook = _notebook_of(parts[index["Source"]], lesson, paths)
        front = _plain(re.sub(r"\{\{c\d+::(.*?)(::.*?)?\}\}", r"[\1]", parts[index["Front"]]))
        found.append(
            _Card(cid, lesson, section, notebook, int(cell.group(1)) if cell else None, front, card_type == 0)
        )
    return found


def _review_tallies(col: Any, card_ids: Sequence[int], since_ms: int) -> dict[int, Tally]:
    tallies: dict[int, Tally] = {}
    if not card_ids:
        return tallies
    marks = ",".join(str(c) for c in card_ids)
    for cid, ease, last_ivl in col.db.all(
        f"select cid, ease, lastIvl from revlog where type = {REVIEW_ENTRY} and ease > 0 "
        f"and id >= {int(since_ms)} and cid in ({marks})"
    ):
        tally = tallies.setdefault(cid, Tally())
        passed = int(ease != AGAIN)
        tally.reviews += 1
        tally.lapses += 1 - passed
        if last_ivl >= MATURE_DAYS:
            tally.mature = (tally.mature[0] + 1, tally.mature[1] + passed)
        else:
            tally.young = (tally.young[0] + 1, tally.young[1] + passed)
    return tallies


def collection_stats(
    col: Any,
    lessons: dict[str, str] | None = None,
    since_days: float | None = None,
    top: int = 5,
) -> list[LessonStats]:
    """Per-lesson statistics of srs's cards; `lessons` maps lesson ids to notebook paths to keep."""
    paths = lessons or {}
    cards = _cards(col, paths, set(paths) if lessons is not None else None)
    since_ms = 0 if since_days is None else int((time.time() - since_days * 86400) * 1000)
    reviews = _review_tallies(col, [c.id for c in cards], since_ms)
    result: dict[str, LessonStats] = {}
    cells: dict[tuple[str, str, int | None], CellTally] = {}
    worst: dict[tuple[str, str, int | None], int] = {}
    for card in sorted(cards, key=lambda c: c.id):
        tally = reviews.get(card.id, Tally())
        tally.cards, tally.new = 1, int(card.new)
        stats = result.setdefault(card.lesson, LessonStats(card.lesson, card.notebook))
        stats.tally.add(tally)
        stats.sections.setdefault(card.section, Tally()).add(tally)
        where = (card.lesson, card.notebook, card.cell)
        cell = cells.setdefault(where, CellTally(_where(card), card.front))
        cell.tally.add(tally)
        if tally.lapses > worst.get(where, -1):
            worst[where], cell.front = tally.lapses, card.front
    for (lesson, _, _), cell in cells.items():
        result[lesson].cells.append(cell)
    for stats in result.values():
        lapsing = [c for c in stats.cells if c.tally.lapses]
        stats.cells = sorted(lapsing, key=lambda c: (-c.tally.lapses, -c.tally.reviews, c.where))[:top]
    return [result[name] for name in sorted(result)]


def _where(card: _Card) -> str:
    return f"{card.notebook}:cell {card.cell}" if card.cell is not None else card.notebook


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _summary(tally: Tally) -> str:
    text = (
        f"{tally.cards} cards ({tally.new} new), {tally.reviews} reviews, {tally.lapses} lapses, "
        f"retention {_percent(tally.retention)}"
    )
    if tally.reviews:
        text += f" (young {_percent(_share(tally.young))}, mature {_percent(_share(tally.mature))})"
    return text


def stats_lines(all_stats: Iterable[LessonStats]) -> list[str]:
    """The statistics as lines for a terminal."""
    lines = []
    for stats in all_stats:
        lines.append(f"{stats.notebook} ({stats.lesson}): {_summary(stats.tally)}")
        for name, tally in stats.sections.items():
            lines.append(f"  {name}: {_summary(tally)}")
        if stats.cells:
            lines.append("  cells whose cards lapse most (open them and read again):")
            for cell in stats.cells:
                front = cell.front if len(cell.front) <= 80 else cell.front[:79] + "…"
                lines.append(
                    f"    {cell.where}: {cell.tally.lapses} lapse(s) in {cell.tally.reviews} review(s): "
                    + front
                )
    return lines


def lesson_paths(notebooks: Iterable[Path]) -> dict[str, str]:
    """Lesson id -> notebook path, for the notebooks named on the command line."""
    from srs.notebook.reader import read_lesson

    return {read_lesson(path).lesson_id: str(path) for path in notebooks}
