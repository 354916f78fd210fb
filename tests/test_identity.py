"""A lesson's identity is unique: GUIDs join lesson id and card key unambiguously, without changing
the GUIDs of existing lessons, and two lessons of one build may not share a deck or an id."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from support import import_deck, notebook_json
from typer.testing import CliRunner

from srs.build.lesson import BuildOptions, build_lesson
from srs.cli.app import app
from srs.deck.anki import joins_unambiguously, note_guid


def test_guids_of_ordinary_lesson_ids_are_the_ones_they_always_were():
    # values written by earlier versions (genanki.guid_for(lesson_id, key)); users' review history hangs on them
    assert note_guid("07-attention", "c1:qa:0") == "c2S{6bRCl("
    assert note_guid("lesson", "query") == "sLvjE52%<6"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("a__b", "c"), ("a", "b__c")),
        (("a_", "_b"), ("a", "__b")),
        (("a_", "b"), ("a", "_b")),
        (("__", "x"), ("", "_x")),
    ],
)
def test_pairs_that_join_to_the_same_text_get_different_guids(one, other):
    assert note_guid(*one) != note_guid(*other)


def test_no_two_pairs_share_a_guid():
    parts = ["a", "b", "_", "__", "a_", "_a", "a__b", "b__", "x:qa:0", "c1__", '["a"', "a\"]"]
    pairs = [(lesson, key) for lesson, key in itertools.product(parts, repeat=2) if lesson]
    assert len({note_guid(lesson, key) for lesson, key in pairs}) == len(pairs)


@pytest.mark.parametrize(("lesson_id", "plain"), [("07-attention", True), ("a_b", True), ("_a", True),
                                                  ("a__b", False), ("a_", False), ("", False)])
def test_which_lesson_ids_keep_the_plain_join(lesson_id: str, plain: bool):
    assert joins_unambiguously(lesson_id) is plain


def write(path: Path, cells: list[Any], lesson_id: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"srs": {"id": lesson_id}} if lesson_id else None
    path.write_text(json.dumps(notebook_json(cells, metadata=metadata)))
    return path


QA = ("md", "Q: What is a key?\n\nA: A vector to match.")


def test_two_notebooks_with_one_name_are_refused_naming_both(tmp_path: Path):
    first, second = write(tmp_path / "a" / "intro.ipynb", [QA]), write(tmp_path / "b" / "intro.ipynb", [QA])
    result = CliRunner().invoke(app, ["build", str(first), str(second), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{second}: [SRS032] this notebook and {first} would have the same deck file")
    assert "the same lesson id 'intro'" in line and '"srs": {"id":' in line
    assert not (tmp_path / "d").exists()


def test_two_notebooks_with_one_lesson_id_are_refused(tmp_path: Path):
    first = write(tmp_path / "one.ipynb", [QA], lesson_id="attention")
    second = write(tmp_path / "two.ipynb", [QA], lesson_id="attention")
    result = CliRunner().invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert f"{second}: [SRS032] this notebook and {first} would have the same lesson id 'attention'," in result.stderr
    # the same notebook named twice is one lesson, not two
    again = CliRunner().invoke(app, ["build", str(first), str(first), "--out", str(tmp_path / "d")])
    assert again.exit_code == 0, again.stderr


def test_lessons_whose_ids_join_alike_keep_their_own_notes_in_anki(tmp_path: Path, collection: Any):
    # lesson `a__b` with card `c` and lesson `a` with card `b__c` once had one GUID: the second
    # import overwrote the first lesson's note
    card = "<!-- #| id: {} -->\nQ: What is {}?\n\nA: A vector."
    one = write(tmp_path / "one.ipynb", [("md", card.format("c", "a key"))], lesson_id="a__b")
    other = write(tmp_path / "other.ipynb", [("md", card.format("b__c", "a value"))], lesson_id="a")
    for path in (one, other):
        import_deck(collection, build_lesson(path, BuildOptions(out_dir=tmp_path / "d")).deck_path)
    assert collection.note_count() == 2
    keys = sorted(collection.get_note(nid)["Key"] for nid in collection.find_notes(""))
    assert keys == ["a/b__c", "a__b/c"]


def test_a_lesson_built_with_the_old_join_is_told_its_notes_have_new_ids(tmp_path: Path):
    path = write(tmp_path / "one.ipynb", [QA], lesson_id="a__b")
    out = tmp_path / "d"
    build_lesson(path, BuildOptions(out_dir=out))
    manifest = out / ".srs" / "one.json"
    data = json.loads(manifest.read_text())
    del data["guid_join"]  # as an earlier version wrote it
    manifest.write_text(json.dumps(data))
    report = build_lesson(path, BuildOptions(out_dir=out, force=True))
    assert any("holds '__' or ends in '_'" in message for message in report.messages)
    assert not build_lesson(path, BuildOptions(out_dir=out, force=True)).messages  # said once


def test_a_notebook_of_the_same_name_is_not_built_over_another_ones_deck(tmp_path: Path):
    out = tmp_path / "d"
    first, second = write(tmp_path / "a" / "intro.ipynb", [QA]), write(tmp_path / "b" / "intro.ipynb", [QA])
    assert CliRunner().invoke(app, ["build", str(first), "--out", str(out)]).exit_code == 0
    deck = (out / "intro.apkg").read_bytes()
    result = CliRunner().invoke(app, ["build", str(second), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{second}: [SRS032] {out / 'intro.apkg'} is the deck of {first.resolve()}")
    assert (out / "intro.apkg").read_bytes() == deck
    # a notebook that moved takes its deck along
    first.unlink()
    assert CliRunner().invoke(app, ["build", str(second), "--out", str(out)]).exit_code == 0
