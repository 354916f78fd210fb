"""A build's two threads: the one following the run only hands results over; every card is made and
rendered by the other. Cold builds never race on a first import, and an error on either thread
reaches the user."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from srs.build.lesson import BuildOptions, collect_cards
from srs.core.config import load_settings

FENCED_AND_COMPUTED = [
    ("md", "# Code\n\nQ: What does the loop below print?\n\nA: Six.\n\n```python\nprint(sum(range(4)))\n```"),
    ("code", "#| card: output\nprint(sum(range(4)))"),
]
COLD_BUILDS = 20


def cold_build(path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`srs build` in a fresh process, into an empty folder: every import is a first import."""
    return subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", str(out)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_cold_builds_of_a_fenced_block_and_an_output_card_never_crash(write_notebook, tmp_path: Path):
    # pygments' lexer and formatter modules replace themselves in sys.modules while importing, and
    # two threads importing them at once failed about four builds in ten
    path = write_notebook(FENCED_AND_COMPUTED)
    with ThreadPoolExecutor(max_workers=2) as pool:
        builds = list(pool.map(lambda n: cold_build(path, tmp_path / f"d{n}"), range(COLD_BUILDS)))
    failed = [done.stderr for done in builds if done.returncode != 0]
    assert failed == []
    decks = {(tmp_path / f"d{n}" / "lesson.apkg").exists() for n in range(COLD_BUILDS)}
    assert decks == {True}


def test_an_error_on_the_thread_following_the_run_reaches_the_caller(write_notebook):
    path = write_notebook(FENCED_AND_COMPUTED)

    def broken_progress(_message: str) -> None:  # called on the following thread, as cells start
        raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError, match="the progress display broke"):
        collect_cards(path, load_settings(path), BuildOptions(out_dir=path.parent / "d", use_cache=False), broken_progress)


def test_an_error_while_cards_are_made_stops_the_run_at_once(write_notebook):
    path = write_notebook([*FENCED_AND_COMPUTED, ("code", "import time\ntime.sleep(30)")])

    def broken_renderer(_lesson, _cards) -> None:
        raise RuntimeError("rendering broke")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="rendering broke"):
        collect_cards(path, load_settings(path), BuildOptions(out_dir=path.parent / "d", use_cache=False), during_run=broken_renderer)
    assert time.monotonic() - started < 15  # not after the 30 s cell


def test_an_error_while_a_computed_card_is_made_reaches_the_caller(write_notebook):
    path = write_notebook(FENCED_AND_COMPUTED)

    def broken(_lesson, _cards) -> None:
        raise RuntimeError("a computed card broke")

    with pytest.raises(RuntimeError, match="a computed card broke"):
        collect_cards(path, load_settings(path), BuildOptions(out_dir=path.parent / "d", use_cache=False), on_computed=broken)
