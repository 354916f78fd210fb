"""The shipped lessons, each built once per test session, for every test that needs their decks.

A lesson's notebook runs for seconds (minutes for the larger ones), so tests never build one
themselves: `lesson_build(name)` builds it the first time it is asked for and hands back the same
report (and `lesson_deck(name)` the same deck) afterwards, to any test module. Set SRS_TEST_DECKS to a folder to keep the decks and their run
caches between sessions too (an unchanged lesson then costs a hash of its inputs).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from srs.build.lesson import BuildOptions, BuildReport, build_lesson, deck_path_for

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"


def lesson_notebooks() -> list[Path]:
    """Every lesson notebook in lessons/, in file order."""
    return sorted(LESSONS.glob("*.ipynb"))


@cache
def decks_folder() -> Path:
    """Where this session's lesson decks go: SRS_TEST_DECKS, else a folder removed at exit."""
    chosen = os.environ.get("SRS_TEST_DECKS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    folder = Path(tempfile.mkdtemp(prefix="srs-lesson-decks-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def lesson_build(name: str) -> BuildReport:
    """The build of `lessons/<name>`, made on first use in this session.

    Forced, so that the report always lists the cards; the run cache beside the decks still spares
    the notebook's run when an earlier session (SRS_TEST_DECKS) ran the same code.
    """
    return build_lesson(LESSONS / name, BuildOptions(out_dir=decks_folder(), force=True))


def lesson_deck(name: str) -> Path:
    """The built .apkg of `lessons/<name>`."""
    report = lesson_build(name)
    assert report.deck_path == deck_path_for(LESSONS / name, decks_folder())
    return report.deck_path
