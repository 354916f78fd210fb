"""`srs suggest` on seed-format lessons nobody wrote cards for (tests/data/unannotated): the copy it
writes builds strictly and lints clean. (How many suggestions, and how many of them are usable, is
measured by bench/suggest_recall.py and blind review: see the README.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from srs.cli.app import app

UNANNOTATED = Path(__file__).parent / "data" / "unannotated"
NOTEBOOKS = sorted(UNANNOTATED.glob("*.ipynb"))


def test_there_are_lessons_to_check():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_lesson_without_cards_gets_suggestions_that_build_and_lint_clean(notebook: Path, tmp_path: Path):
    folder = tmp_path / "lesson"
    shutil.copytree(UNANNOTATED, folder)
    original = folder / notebook.name
    copy = folder / f"{notebook.stem}.suggested.ipynb"
    out = tmp_path / "decks"
    runner = CliRunner()
    # at --min-confidence 0.4 the weaker kinds, shown on request, must build and lint clean as well
    command = [
        "suggest",
        str(original),
        "--write",
        str(copy),
        "--json",
        "--out",
        str(out),
        "--min-confidence",
        "0.4",
    ]
    suggested = runner.invoke(app, command)
    assert suggested.exit_code == 0, suggested.output
    report = json.loads(suggested.stdout)
    kinds = {suggestion["kind"] for suggestion in report["suggestions"]}
    assert len(kinds) >= 3, kinds
    assert len(report["suggestions"]) >= 6  # a floor against losing heuristics, not the goal (see README)
    built = runner.invoke(app, ["build", str(copy), "--out", str(out), "--strict"])
    assert built.exit_code == 0, built.output
    assert (out / f"{copy.stem}.apkg").is_file()
    linted = runner.invoke(app, ["lint", str(copy), "--out", str(out)])
    assert linted.exit_code == 0 and linted.stdout.strip().endswith(" 0 finding(s)"), linted.output
