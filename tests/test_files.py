"""Files are replaced in one step: a failed write leaves the old file and no debris; a killed one
leaves debris that the next write removes; new files follow the user's umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from srs.core.files import remove_leftovers, replacing, write_text_atomically


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path):
    target = tmp_path / "deep" / "state.json"
    write_text_atomically(target, "old")
    write_text_atomically(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "deck.apkg"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def ended_process_id() -> int:
    """The id of a process that has ended (its id is free again, and nobody is writing as it)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_the_next_write_removes_what_a_killed_writer_left(tmp_path: Path):
    target = tmp_path / "deck.apkg"
    target.write_text("old")
    gone = tmp_path / f".deck.apkg.{ended_process_id()}-0123abcd.tmp"
    earlier = tmp_path / ".deck.apkg-k2j_x9q1.apkg.tmp"  # an earlier version's name for the same
    living = tmp_path / f".deck.apkg.{os.getppid()}-0123abcd.tmp"  # a writer that is still alive
    other = tmp_path / f".other.apkg.{ended_process_id()}-0123abcd.tmp"  # another file's
    for leftover in (gone, earlier, living, other):
        leftover.write_text("half")
    write_text_atomically(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["deck.apkg", living.name, other.name])
    assert remove_leftovers(tmp_path / "other.apkg") == [other]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int):
    old = os.umask(umask)
    try:
        write_text_atomically(tmp_path / "deck.apkg", "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "deck.apkg").stat().st_mode) == 0o666 & ~umask
