"""Every user mistake gets one line `path:cell N:line L: [CODE] message`, exit code 2, and no deck."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import notebook_json
from typer.testing import CliRunner

from srs.cli import app

FORMULA_BAD_KEY = "<!-- #| card: formula\n     #| name: score\n     #| nmae: oops -->\n$$s = q k$$"

# name (what it breaks) -> (cells, expected message tail)
BROKEN_NOTEBOOKS = {
    "unknown-kind": ([("code", "#| card: shaep\nx = 1")], "cell 1:line 1: [SRS012] unknown card kind 'shaep' (did you mean 'shape'?)"),
    "unknown-option": ([("md", FORMULA_BAD_KEY)], "cell 1:line 3: [SRS013] unknown option 'nmae' for a formula card (did you mean 'name'?)"),
    "misspelt-card-in-plain-cell": ([("code", "#| export\n#| crad: shape\nx = 1")], "cell 1:line 2: [SRS011] unknown option 'crad' (did you mean 'card'?)"),
    "question-without-answer": ([("md", "# T\n\nQ: What is a key?\n\nThe key is a vector.")], "cell 1:line 3: [SRS024] `Q:` without an answer"),
    "unbalanced-dollar": ([("md", "Q: What is $x_i?\n\nA: A logit.")], "cell 1:line 1: [SRS021] unbalanced `$`"),
    "unclosed-cloze": ([("md", "Intro.\n\nA score is the {{c1::dot product of q and k.")], "cell 1:line 3: [SRS026] unclosed cloze"),
    "yaml-error": ([("code", "#| card: numeric\n#| front: [unclosed\nx = 1")], "cell 1:line 2: [SRS010] options are not valid YAML"),
    "yaml-backtick": ([("code", "#| card: numeric\n#| front: `x` squared\nx = 1")], "cell 1:line 2: [SRS010] options are not valid YAML (found character '`' that cannot start any token)"),
    "yaml-lone-surrogate": ([("code", "#| card: numeric\n#| front: \ud800\nx = 1")], "cell 1: [SRS001] the notebook holds a lone surrogate"),
    "comment-without-block": ([("md", "Some text.\n\n<!-- #| card: formula\n     #| name: x -->")], "cell 1:line 3: [SRS022] this option comment has no block after it"),
    "wrong-cell-type": ([("md", "<!-- #| card: shape -->\nText.")], "[SRS016] a shape card belongs in a code cell's first lines"),
    "missing-required-key": ([("md", "<!-- #| card: formula -->\n$$a = b$$")], "[SRS014] a formula card needs `name:`"),
    "bad-value-type": ([("code", "#| card: numeric\n#| digits: many\nx = 1")], "cell 1:line 2: [SRS015] `digits:` must be a whole number 1-15"),
    "duplicate-card-id": (
        [("md", "<!-- #| id: same -->\nQ: What is a query?\n\nA: A vector.", "a"),
         ("md", "<!-- #| id: same -->\nQ: What is a key?\n\nA: Another vector.", "b")],
        "cell 2:line 1: [SRS031] card id 'same' is already used by the card at cell 1 (cell id a)",
    ),
    "duplicate-cell-id": ([("md", "Q: A?\n\nA: B.", "x"), ("md", "Q: C?\n\nA: D.", "x")], "cell 2: [SRS030] cell id 'x' is also the id of cell 1"),
    "formula-without-math": ([("md", "<!-- #| card: formula\n     #| name: s -->\nJust words.")], "[SRS027] a formula card needs display math"),
}

BROKEN_FILES = {
    "not-a-notebook.txt": ("hello", "[SRS001] not a notebook: srs reads .ipynb files"),
    "invalid-json.ipynb": ('{"cells": [', "[SRS001] not a notebook: invalid JSON at line 1"),
    "nbformat-3.ipynb": (json.dumps({"nbformat": 3, "worksheets": []}), "[SRS003] notebook format 3 is not supported"),
    "not-a-dict.ipynb": ("[1, 2]", "[SRS001] not a Jupyter notebook"),
}


def run_build(*args: str):
    return CliRunner().invoke(app, ["build", *args])


@pytest.mark.parametrize("name", sorted(BROKEN_NOTEBOOKS))
def test_broken_notebook(name: str, tmp_path: Path):
    cells, expected = BROKEN_NOTEBOOKS[name]
    path = tmp_path / f"{name}.ipynb"
    path.write_text(json.dumps(notebook_json(cells)))
    result = run_build(str(path), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith(str(path) + ":")
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "decks" / f"{name}.apkg").exists()


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_file(name: str, tmp_path: Path):
    content, expected = BROKEN_FILES[name]
    path = tmp_path / name
    path.write_text(content)
    result = run_build(str(path), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}: {expected}" or result.stderr.startswith(f"{path}: {expected}")
    assert "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.apkg"))


def test_missing_file(tmp_path: Path):
    result = run_build(str(tmp_path / "nowhere.ipynb"))
    assert result.exit_code == 2 and "[SRS002] no such file" in result.stderr


def test_failed_rebuild_leaves_previous_deck_untouched(write_notebook, tmp_path: Path):
    out = tmp_path / "decks"
    path = write_notebook([("md", "Q: What is a query?\n\nA: A vector.")])
    assert run_build(str(path), "--out", str(out)).exit_code == 0
    deck = out / "lesson.apkg"
    before = deck.read_bytes()
    write_notebook([("md", "Q: What is a query?\n\nA vector.")])
    assert run_build(str(path), "--out", str(out)).exit_code == 2
    assert deck.read_bytes() == before
    assert not [p for p in out.iterdir() if p.suffix == ".tmp" or p.name.endswith(".apkg.tmp")]


def test_one_failing_lesson_does_not_stop_the_others(write_notebook, tmp_path: Path):
    good = write_notebook([("md", "Q: What is a key?\n\nA: A vector.")], name="good.ipynb")
    bad = write_notebook([("md", "Q: What is a key?")], name="bad.ipynb")
    result = run_build(str(bad), str(good), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 2
    assert (tmp_path / "decks" / "good.apkg").exists()
    assert not (tmp_path / "decks" / "bad.apkg").exists()


def test_notebook_without_cell_ids_warns_and_srs_ids_fixes_it(tmp_path: Path):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(notebook_json([("md", "Q: What is a key?\n\nA: A vector.")], ids=False)))
    result = run_build(str(path), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 0 and "run `srs ids`" in result.stderr
    assert CliRunner().invoke(app, ["ids", str(path)]).exit_code == 0
    data = json.loads(path.read_text())
    assert data["nbformat_minor"] >= 5 and all(cell.get("id") for cell in data["cells"])
    ids_before = [cell["id"] for cell in data["cells"]]
    CliRunner().invoke(app, ["ids", str(path)])
    assert [cell["id"] for cell in json.loads(path.read_text())["cells"]] == ids_before
