"""`srs stats`: reviews, lapses and retention read from a real collection's review log."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from test_sync import INTRO, SCORES, SOFTMAX, Opened, srs, sync

DAY_MS = 86_400_000


def _make_due(col: Any, cid: int, interval: int) -> None:
    card = col.get_card(cid)
    card.type, card.queue, card.ivl, card.due = 2, 2, interval, col.sched.today
    col.update_card(card)


def _answer(col: Any, cid: int, ease: int) -> None:
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, ease)


def reviewed_collection(write_notebook: Any, tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """A synced lesson whose cards were learned, then reviewed with known answers."""
    from anki.collection import Collection

    collection = tmp_path / "c.anki2"
    Collection(str(collection)).close()
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path, "--collection", str(collection)).exit_code == 0
    with Opened(collection) as col:
        cards = {col.get_card(c).note()["Key"] + f"#{col.get_card(c).ord}": c for c in col.find_cards("")}
        for cid in cards.values():
            _answer(col, cid, 4)  # learning entries: never counted
        _make_due(col, cards["lesson/intro:qa:0#0"], 30)  # mature
        _make_due(col, cards["lesson/scores:cloze:0#0"], 3)
        _make_due(col, cards["lesson/scores:cloze:0#1"], 3)
        _make_due(col, cards["lesson/softmax:qa:0#0"], 3)
        _answer(col, cards["lesson/intro:qa:0#0"], 1)  # a mature lapse
        _answer(col, cards["lesson/scores:cloze:0#0"], 1)  # a young lapse
        _answer(col, cards["lesson/scores:cloze:0#1"], 3)
        _answer(col, cards["lesson/softmax:qa:0#0"], 2)
        col.sched.set_due_date([cards["lesson/softmax:qa:0#0"]], "0")  # a manual reschedule: not counted
        now = int(time.time() * 1000)
        for offset, kind, ease in ((1, 3, 1), (2, 4, 0)):  # a filtered-deck entry, a manual one
            col.db.execute(
                "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)",
                # ids clear of those the scheduler just gave its own entries
                now + 60_000 + offset, cards["lesson/scores:cloze:0#1"], -1, ease, 1, 1, 2500, 1000, kind,
            )
        old = now - 40 * DAY_MS  # a lapse forty days ago: out of a --since 30 window
        col.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)",
            old, cards["lesson/softmax:qa:0#0"], -1, 1, 1, 5, 2500, 1000, 1,
        )
    return collection, path, cards


def independent_counts(collection: Path, since_ms: int = 0) -> dict[str, Any]:
    """The figures computed here from the raw review log, by the definition of true retention."""
    with Opened(collection) as col:
        rows = col.db.all("select cid, ease, lastIvl, type, id from revlog")
        card_count = col.card_count()
        new = len(col.find_cards("is:new"))
    reviews = [(ease, last) for _cid, ease, last, kind, rid in rows if kind == 1 and ease >= 1 and rid >= since_ms]
    passed = [ease > 1 for ease, _ in reviews]
    young = [ease > 1 for ease, last in reviews if last < 21]
    mature = [ease > 1 for ease, last in reviews if last >= 21]
    return {
        "cards": card_count,
        "new": new,
        "reviews": len(reviews),
        "lapses": passed.count(False),
        "retention": sum(passed) / len(passed),
        "young_retention": sum(young) / len(young) if young else None,
        "mature_retention": sum(mature) / len(mature) if mature else None,
    }


def test_figures_match_the_review_log(write_notebook, tmp_path):
    collection, path, _ = reviewed_collection(write_notebook, tmp_path)
    result = srs("stats", str(path), "--collection", str(collection), "--json")
    assert result.exit_code == 0, result.output
    lesson = json.loads(result.output)["lessons"][0]
    expected = independent_counts(collection)
    assert {key: lesson[key] for key in expected} == expected
    assert expected["reviews"] == 5 and expected["lapses"] == 3  # the log holds what the test answered
    sections = {s["section"]: s for s in lesson["sections"]}
    assert sections["Scores"]["reviews"] == 2 and sections["Scores"]["lapses"] == 1
    worst = lesson["cells"]
    assert {c["cell"] for c in worst} == {f"{path}:cell 1", f"{path}:cell 2", f"{path}:cell 3"}
    assert lesson["notebook"] == str(path)


def test_since_counts_only_recent_reviews(write_notebook, tmp_path):
    collection, path, _ = reviewed_collection(write_notebook, tmp_path)
    result = srs("stats", str(path), "--collection", str(collection), "--since", "30", "--json")
    lesson = json.loads(result.output)["lessons"][0]
    since = int((time.time() - 30 * 86400) * 1000)
    expected = independent_counts(collection, since)
    assert {key: lesson[key] for key in expected} == expected
    assert lesson["reviews"] == 4


def test_the_text_names_the_cells_to_read_again(write_notebook, tmp_path):
    collection, path, _ = reviewed_collection(write_notebook, tmp_path)
    result = srs("stats", "--collection", str(collection))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path} (lesson): 4 cards (0 new), 5 reviews, 3 lapses, retention 40.0%")
    assert "cells whose cards lapse most" in result.output
    assert any(line.strip().startswith(f"{path}:cell 1: 1 lapse(s)") and "attention weight" in line for line in lines)


def test_a_collection_without_srs_cards_says_so(tmp_path):
    from anki.collection import Collection

    collection = tmp_path / "empty.anki2"
    Collection(str(collection)).close()
    result = srs("stats", "--collection", str(collection))
    assert result.exit_code == 0 and "no srs cards found" in result.output
