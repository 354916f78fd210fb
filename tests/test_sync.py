"""`srs sync` against real Anki collections: add, update, retire, restore, and never lose a review.

Every collection here is made by Anki's own engine in a temporary Anki base folder, reviews are
answered with Anki's scheduler, and every check reads the collection back with the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from support import import_deck
from typer.testing import CliRunner

from srs.cli.app import app

INTRO = (
    "md",
    "# Attention\n\nQ: What does one attention weight measure?\n\nA: How much a query attends to one key.",
    "intro",
)
SCORES = ("md", "## Scores\n\nA score is the {{c1::dot product}} of a query and a {{c2::key}}.", "scores")
SOFTMAX = ("md", "## Weights\n\nQ: What turns a row of scores into weights?\n\nA: The softmax.", "softmax")
PROFILE = "User 1"


def make_profile(base: Path, names: tuple[str, ...] = (PROFILE,), last: str | None = PROFILE) -> Path:
    """An Anki base folder as Anki leaves it: prefs21.db and one folder per profile."""
    from anki.collection import Collection

    base.mkdir(parents=True, exist_ok=True)
    for name in names:
        (base / name).mkdir()
        Collection(str(base / name / "collection.anki2")).close()
    prefs = sqlite3.connect(base / "prefs21.db")
    prefs.execute("create table profiles (name text primary key collate nocase, data blob not null)")
    meta = {"created": 1, **({"last_loaded_profile_name": last} if last else {})}
    prefs.execute("insert into profiles values ('_global', ?)", (pickle.dumps(meta),))
    for name in names:
        prefs.execute("insert into profiles values (?, ?)", (name, pickle.dumps({"mainWindowState": None})))
    prefs.commit()
    prefs.close()
    return base / names[0] / "collection.anki2"


@pytest.fixture
def anki_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary Anki base with one profile; ANKI_BASE points at it."""
    base = tmp_path / "Anki2"
    make_profile(base)
    monkeypatch.setenv("ANKI_BASE", str(base))
    return base


@pytest.fixture
def profile_collection(anki_base: Path) -> Path:
    return anki_base / PROFILE / "collection.anki2"


def srs(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def sync(path: Path, tmp_path: Path, *args: str) -> Any:
    return srs("sync", str(path), "--out", str(tmp_path / "decks"), *args)


class Opened:
    """The collection opened with Anki's engine for the length of a with-block."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Any:
        from anki.collection import Collection

        self.col = Collection(str(self.path))
        return self.col

    def __exit__(self, *exc: object) -> None:
        self.col.close()


def snapshot(col: Any) -> dict[str, tuple[Any, ...]]:
    """Key -> (fields, tags, sorted (ord, queue, reps, deck) of its cards), for srs's notes."""
    found = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        key = dict(note.items()).get("Key", note.guid)
        cards = tuple(sorted((c.ord, c.queue, c.reps, col.decks.name(c.did)) for c in note.cards()))
        found[key] = (tuple(note.fields), tuple(sorted(note.tags)), cards)
    return found


def review(col: Any, ease: int = 3) -> int:
    """Answer every new card once with Anki's scheduler; return how many were answered."""
    new = col.find_cards("is:new")
    for cid in new:
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, ease)
    return len(new)


def revlog(col: Any) -> list[tuple[int, ...]]:
    return col.db.all("select id, cid, ease, type from revlog order by id")


def test_first_sync_adds_every_note_in_notebook_order_and_a_second_changes_nothing(
    write_notebook, tmp_path, profile_collection
):
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    dry = sync(path, tmp_path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "3 to add, 0 to update, 0 to retire" in dry.output and "was not changed" in dry.output
    with Opened(profile_collection) as col:
        assert col.note_count() == 0

    first = sync(path, tmp_path)
    assert first.exit_code == 0, first.output
    with Opened(profile_collection) as col:
        assert col.note_count() == 3 and col.card_count() == 4
        new_order = [
            col.get_card(c).note()["Key"]
            for c in sorted(col.find_cards(""), key=lambda c: col.get_card(c).due)
        ]
        assert new_order[0] == "lesson/intro:qa:0" and new_order[-1].startswith("lesson/softmax")
        before = snapshot(col)

    again = sync(path, tmp_path, "--json")
    assert again.exit_code == 0, again.output
    plan = json.loads(again.output)["lessons"][0]
    assert plan["add"] == plan["update"] == plan["retire"] == plan["restore"] == []
    with Opened(profile_collection) as col:
        assert snapshot(col) == before


def test_edits_update_in_place_and_keep_every_review(write_notebook, tmp_path, profile_collection):
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    with Opened(profile_collection) as col:
        assert review(col) == 4
        history = revlog(col)
        scheduled = {c: (col.get_card(c).type, col.get_card(c).due) for c in col.find_cards("")}

    edited = ("md", SOFTMAX[1].replace("The softmax.", "The softmax, row by row."), "softmax")
    path = write_notebook([INTRO, SCORES, edited])
    result = sync(path, tmp_path, "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)["lessons"][0]
    assert plan["update"] == ["softmax:qa:0"] and plan["add"] == [] and plan["retire"] == []
    with Opened(profile_collection) as col:
        assert col.note_count() == 3 and col.card_count() == 4  # no duplicates
        assert revlog(col) == history
        assert {c: (col.get_card(c).type, col.get_card(c).due) for c in col.find_cards("")} == scheduled
        note = col.get_note(col.find_notes('"Key:lesson/softmax:qa:0"')[0])
        assert "row by row" in note["Back"]


def test_a_removed_note_is_suspended_and_tagged_then_restored_when_it_returns(
    write_notebook, tmp_path, profile_collection
):
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    with Opened(profile_collection) as col:
        review(col)
        history = revlog(col)

    path = write_notebook([INTRO, SCORES])
    result = sync(path, tmp_path)
    assert result.exit_code == 0 and "1 to retire" in result.output and "softmax:qa:0" in result.output
    with Opened(profile_collection) as col:
        note = col.get_note(col.find_notes('"Key:lesson/softmax:qa:0"')[0])
        assert "srs::removed" in note.tags
        assert all(card.queue == -1 for card in note.cards())
        assert revlog(col) == history
        assert col.find_notes("tag:srs::removed") == [note.id]
        retired = snapshot(col)
    again = sync(path, tmp_path)
    assert "0 to retire" in again.output and "already in sync" in again.output
    with Opened(profile_collection) as col:
        assert snapshot(col) == retired

    path = write_notebook([INTRO, SCORES, SOFTMAX])
    back = sync(path, tmp_path, "--json")
    assert json.loads(back.output)["lessons"][0]["restore"] == ["softmax:qa:0"]
    with Opened(profile_collection) as col:
        note = col.get_note(col.find_notes('"Key:lesson/softmax:qa:0"')[0])
        assert "srs::removed" not in note.tags
        assert all(card.queue != -1 for card in note.cards())
        assert revlog(col) == history and col.note_count() == 3


def test_one_cloze_number_leaving_retires_only_its_card(write_notebook, tmp_path, profile_collection):
    path = write_notebook([INTRO, SCORES])
    assert sync(path, tmp_path).exit_code == 0
    one_cloze = ("md", "## Scores\n\nA score is the {{c1::dot product}} of a query and a key.", "scores")
    path = write_notebook([INTRO, one_cloze])
    result = sync(path, tmp_path, "--json")
    assert json.loads(result.output)["lessons"][0]["retire"] == ["scores:cloze:0 (c2)"]
    with Opened(profile_collection) as col:
        note = col.get_note(col.find_notes('"Key:lesson/scores:cloze:0"')[0])
        queues = {card.ord: card.queue for card in note.cards()}
        assert queues[1] == -1 and queues[0] != -1 and "srs::removed" in note.tags

    path = write_notebook([INTRO, SCORES])
    assert sync(path, tmp_path).exit_code == 0
    with Opened(profile_collection) as col:
        note = col.get_note(col.find_notes('"Key:lesson/scores:cloze:0"')[0])
        assert all(card.queue != -1 for card in note.cards()) and "srs::removed" not in note.tags


def test_delete_removes_what_left_only_when_confirmed(write_notebook, tmp_path, profile_collection):
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    path = write_notebook([INTRO, SCORES])
    declined = CliRunner().invoke(
        app, ["sync", str(path), "--out", str(tmp_path / "decks"), "--delete"], input="n\n"
    )
    assert declined.exit_code == 2 and "nothing was changed" in declined.output
    with Opened(profile_collection) as col:
        assert col.note_count() == 3 and not col.find_notes("tag:srs::removed")
    deleted = sync(path, tmp_path, "--delete", "--yes")
    assert deleted.exit_code == 0, deleted.output
    with Opened(profile_collection) as col:
        assert col.note_count() == 2 and not col.find_notes('"Key:lesson/softmax:qa:0"')


def test_notes_srs_did_not_make_are_never_touched(write_notebook, tmp_path, profile_collection):
    with Opened(profile_collection) as col:
        basic = col.models.by_name("Basic")
        for front in ("capital of France", "Key:lesson/intro:qa:0"):
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, "x"
            col.add_note(note, col.decks.id_for_name("Default"))
        review_before = snapshot(col)
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    assert sync(write_notebook([INTRO]), tmp_path, "--delete", "--yes").exit_code == 0
    with Opened(profile_collection) as col:
        after = snapshot(col)
        for key, state in review_before.items():
            assert after[key] == state
        assert col.note_count() == 3  # the two foreign notes and the one srs note left


def test_cards_moved_to_another_deck_stay_there(write_notebook, tmp_path, profile_collection):
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    with Opened(profile_collection) as col:
        elsewhere = col.decks.id(name="Mine")
        moved = col.find_cards('"Key:lesson/softmax:qa:0"')
        col.set_deck(moved, elsewhere)
    edited = ("md", SOFTMAX[1].replace("The softmax.", "The softmax of the row."), "softmax")
    assert sync(write_notebook([INTRO, SCORES, edited]), tmp_path).exit_code == 0
    with Opened(profile_collection) as col:
        assert col.decks.name(col.get_card(moved[0]).did) == "Mine"
        assert "of the row" in col.get_card(moved[0]).note()["Back"]


def test_sync_and_apkg_import_agree_both_ways(write_notebook, tmp_path, anki_base):
    other = tmp_path / "other.anki2"
    from anki.collection import Collection

    Collection(str(other)).close()
    path = write_notebook([INTRO, SCORES, SOFTMAX])
    assert sync(path, tmp_path, "--collection", str(other)).exit_code == 0
    deck = tmp_path / "decks" / "lesson.apkg"
    with Opened(other) as col:
        before = snapshot(col)
        result = import_deck(col, deck)
        assert not result.log.updated and not result.log.new
        assert snapshot(col) == before

    imported = anki_base / PROFILE / "collection.anki2"
    with Opened(imported) as col:
        import_deck(col, deck)
        before = snapshot(col)
    again = sync(path, tmp_path, "--json")
    plan = json.loads(again.output)["lessons"][0]
    assert plan["add"] == plan["update"] == plan["retire"] == []
    with Opened(imported) as col:
        assert snapshot(col) == before


def test_a_backup_is_made_by_anki_and_named(write_notebook, tmp_path, anki_base):
    result = sync(write_notebook([INTRO]), tmp_path)
    backups = sorted((anki_base / PROFILE / "backups").glob("*.colpkg"))
    assert len(backups) == 1 and str(backups[0]) in result.output


def _hold_open(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom anki.collection import Collection\n"
            "c = Collection(sys.argv[1])\nprint('open', flush=True)\ntime.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    return holder


def test_a_collection_open_in_anki_is_refused_before_any_notebook_runs(
    write_notebook, tmp_path, profile_collection
):
    digest = hashlib.sha256(profile_collection.read_bytes()).hexdigest()
    slow = ("code", "import time\ntime.sleep(30)", "slow")
    path = write_notebook([INTRO, slow])
    holder = _hold_open(profile_collection)
    try:
        started = time.monotonic()
        result = sync(path, tmp_path)
        took = time.monotonic() - started
        stats = srs("stats")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2 and took < 20
    assert "Anki has this collection open; close Anki, or import" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "decks" / "lesson.apkg").exists()
    assert stats.exit_code == 2 and "close Anki" in stats.output
    assert hashlib.sha256(profile_collection.read_bytes()).hexdigest() == digest


def test_a_collection_from_a_newer_anki_is_refused_and_unchanged(
    write_notebook, tmp_path, profile_collection
):
    database = sqlite3.connect(profile_collection)
    database.execute("update col set ver = 99")
    database.commit()
    database.close()
    digest = hashlib.sha256(profile_collection.read_bytes()).hexdigest()
    result = sync(write_notebook([INTRO]), tmp_path)
    assert result.exit_code == 2 and "[SRS060]" in result.output and "newer Anki" in result.output
    assert hashlib.sha256(profile_collection.read_bytes()).hexdigest() == digest


def test_profiles_are_found_as_anki_finds_them(tmp_path):
    from srs.collection.locate import anki_base, locate_collection
    from srs.core.errors import CollectionError

    assert anki_base({"ANKI_BASE": "/x"}, "linux") == Path("/x")
    assert anki_base({"XDG_DATA_HOME": "/d"}, "linux") == Path("/d/Anki2")
    assert anki_base({"APPDATA": "/w"}, "win32") == Path("/w/Anki2")
    assert anki_base({}, "darwin").parts[-3:] == ("Library", "Application Support", "Anki2")

    base = tmp_path / "base"
    make_profile(base, ("Alice", "Bob"), last="Bob")
    assert locate_collection(base=base).path == base / "Bob" / "collection.anki2"
    assert locate_collection(profile="Alice", base=base).backups == base / "Alice" / "backups"
    with pytest.raises(CollectionError, match="no Anki profile named 'Carol'"):
        locate_collection(profile="Carol", base=base)
    undecided = tmp_path / "undecided"
    make_profile(undecided, ("Alice", "Bob"), last=None)
    with pytest.raises(CollectionError, match="choose one with --profile"):
        locate_collection(base=undecided)


def test_a_hostile_preferences_file_runs_nothing(tmp_path):
    from srs.collection.locate import profiles

    class Boom:
        def __reduce__(self) -> Any:
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    base = tmp_path / "base"
    make_profile(base, ("Alice",), last="Alice")
    prefs = sqlite3.connect(base / "prefs21.db")
    prefs.execute("update profiles set data = ? where name = '_global'", (pickle.dumps(Boom()),))
    prefs.commit()
    prefs.close()
    assert profiles(base) == (["Alice"], None)
    assert not (tmp_path / "pwned").exists()


def test_settings_name_the_collection(write_notebook, tmp_path, anki_base):
    from anki.collection import Collection

    chosen = tmp_path / "mine.anki2"
    Collection(str(chosen)).close()
    (tmp_path / "pyproject.toml").write_text('[tool.srs]\ncollection = "mine.anki2"\n')
    assert sync(write_notebook([INTRO]), tmp_path).exit_code == 0
    with Opened(chosen) as col:
        assert col.note_count() == 1
    with Opened(anki_base / PROFILE / "collection.anki2") as col:
        assert col.note_count() == 0


def test_an_interrupted_sync_leaves_the_collection_unchanged_or_fully_synced(write_notebook, tmp_path):
    """Kill `srs sync` at many moments; afterwards the collection opens and is one of the two states."""
    import shutil

    from anki.collection import Collection

    template = tmp_path / "template.anki2"
    Collection(str(template)).close()
    facts = [
        ("md", f"## Part {n}\n\nQ: What is fact {n} about attention heads?\n\nA: Answer number {n}.", f"f{n}")
        for n in range(40)
    ]
    first = write_notebook([INTRO, SCORES, SOFTMAX, *facts[:17]], name="first.ipynb")
    assert sync(first, tmp_path, "--collection", str(template)).exit_code == 0
    with Opened(template) as col:
        review(col)
        before = snapshot(col)
    second = write_notebook([INTRO, *facts[5:]], name="second.ipynb")  # some leave, some change, many arrive
    (tmp_path / "decks" / "first.apkg").rename(tmp_path / "decks" / "second.apkg")
    command = [
        sys.executable,
        "-m",
        "srs",
        "sync",
        str(second),
        "--out",
        str(tmp_path / "decks"),
        "--collection",
    ]

    def fresh(name: str) -> Path:
        copy = tmp_path / name
        shutil.copyfile(template, copy)
        return copy

    def start(target: Path) -> tuple[subprocess.Popen[bytes], float]:
        """Start a sync; return it once it begins writing (its scratch copy appears), with that time."""
        for leftover in tmp_path.glob(".srs-sync-*"):  # what a killed sync left (the next one removes it too)
            shutil.rmtree(leftover)
        process = subprocess.Popen(
            [*command, str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while process.poll() is None and not list(tmp_path.glob(".srs-sync-*")):
            time.sleep(0.001)
        return process, time.monotonic()

    whole = fresh("whole.anki2")
    subprocess.run([*command, str(whole), "--dry-run"], check=True, capture_output=True)  # builds the deck
    process, writing = start(whole)
    assert process.wait() == 0
    window = time.monotonic() - writing
    with Opened(whole) as col:
        after = snapshot(col)
    assert after != before
    seen = []
    for step in range(16):
        target = fresh(f"c{step}.anki2")
        process, writing = start(target)
        time.sleep(max(0.0, writing + window * step / 12 - time.monotonic()))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with Opened(target) as col:
            state = snapshot(col)
        assert state in (before, after), (
            f"killed {window * step / 12:.3f}s into writing: a half-synced collection"
        )
        seen.append(state == after)
    assert not all(seen), "no kill landed before the sync finished; the test checks nothing"


def test_without_the_anki_package_sync_says_how_to_install_it_and_build_still_works(write_notebook, tmp_path):
    path = write_notebook([INTRO])
    blocked = "import sys; sys.modules['anki'] = None; from srs.cli.app import main; sys.argv = ['srs', *sys.argv[1:]]; main()"
    for command in (["sync", str(path)], ["stats"]):
        done = subprocess.run([sys.executable, "-c", blocked, *command], capture_output=True, text=True)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "needs Anki's engine, the `anki` package; install it with" in done.stderr
    built = subprocess.run(
        [sys.executable, "-c", blocked, "build", str(path), "--out", str(tmp_path / "d")],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0 and (tmp_path / "d" / "lesson.apkg").is_file()


def test_delete_with_no_one_to_ask_deletes_nothing(write_notebook, tmp_path, profile_collection):
    path = write_notebook([INTRO, SOFTMAX])
    assert sync(path, tmp_path).exit_code == 0
    result = CliRunner().invoke(
        app, ["sync", str(write_notebook([INTRO])), "--out", str(tmp_path / "decks"), "--delete"]
    )
    assert result.exit_code == 2 and "pass --yes" in result.output
    with Opened(profile_collection) as col:
        assert col.note_count() == 2


def test_a_file_the_engine_cannot_open_is_refused_and_unchanged(write_notebook, tmp_path):
    junk = tmp_path / "junk.anki2"
    junk.write_bytes(b"not a database at all" * 100)
    result = sync(write_notebook([INTRO]), tmp_path, "--collection", str(junk))
    assert result.exit_code == 2 and "cannot open this collection" in result.output
    assert "Traceback" not in result.output and junk.read_bytes() == b"not a database at all" * 100
