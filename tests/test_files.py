"""Files are replaced in one step: a failed write leaves the old file and no debris."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs.files import replacing, write_text_atomically


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path):
    target = tmp_path / "deep" / "state.json"
    write_text_atomically(target, "old")
    write_text_atomically(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "deck.apkg"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target, suffix=".apkg.tmp") as temporary:
        temporary.write_text("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]
