"""Every user mistake gets one line `path:cell N:line L: [CODE] message`, exit code 2, and no deck."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import notebook_json
from typer.testing import CliRunner

from srs.cli.app import app
from srs.core.errors import SrsError
from srs.core.model import Location

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
    "options-without-card": ([("md", "<!-- #| id: lonely -->\nJust a paragraph.")], "cell 1:line 1: [SRS023] options without `card:` must come before a Q:/A: pair or a cloze"),
    "srs-options-in-plain-code-cell": ([("code", "#| echo: false\n#| id: scores\nx = 1")], "cell 1:line 2: [SRS023] `id:` is an srs option, but this code cell has no `card:` line"),
    "cloze-card-without-cloze": ([("md", "<!-- #| card: cloze -->\nNo cloze here.")], "[SRS025] a cloze card needs a `{{c1::...}}`"),
    # option YAML that parses, but not into options
    "yaml-python-tag": ([("md", "<!-- #| tags: !!python/object/apply:os.system [ls] -->\nQ: What is a key?\n\nA: A vector.")], "cell 1:line 1: [SRS010] options cannot use the YAML tag 'python/object/apply:os.system'"),
    "yaml-nested-deep": ([("md", "<!-- #| tags: " + "[" * 1000 + "]" * 1000 + " -->\nQ: What is a key?\n\nA: A vector.")], "[SRS010] options are nested more than 8 levels deep"),
    "expect-nested-deep": ([("code", "#| card: numeric\n#| expect: " + "[" * 1000 + "1" + "]" * 1000 + "\nx = 1")], "[SRS010] options are nested more than 8 levels deep"),
    "yaml-not-a-mapping": ([("md", "<!-- #| - card\n     #| - qa -->\nQ: What is a key?\n\nA: A vector.")], "cell 1:line 1: [SRS010] options must be `key: value` lines"),
    "yaml-aliases-billion-laughs": ([("md", "<!-- #| a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"     #| {n}: &{n} [{', '.join(['*' + p] * 40)}]\n" for p, n in zip("abcd", "bcde", strict=True)) + "-->\nQ: What is a key?\n\nA: A vector.")], "[SRS010] options cannot use YAML aliases"),
    "yaml-key-twice": ([("md", "<!-- #| id: one\n     #| id: two -->\nQ: What is a key?\n\nA: A vector.")], "cell 1:line 2: [SRS010] option `id:` is given twice; keep one"),
    "tags-with-a-space": ([("md", "<!-- #| tags: one two -->\nQ: What is a key?\n\nA: A vector.")], "[SRS015] `tags:` must be a list of words without spaces"),
    "id-null": ([("md", "<!-- #| id: null -->\nQ: What is a key?\n\nA: A vector.")], "[SRS015] `id:` needs a text value"),
    "id-too-long": ([("md", "<!-- #| id: " + "k" * 5000 + " -->\nQ: What is a key?\n\nA: A vector.")], "[SRS015] `id:` must be one line of at most 100 characters"),
    # numbers out of range
    "expect-400-digits": ([("code", "#| card: numeric\n#| expect: " + "9" * 400 + "\nx = 1")], "cell 1:line 2: [SRS015] `expect:` must be a finite number"),
    "tol-infinite": ([("code", "#| card: numeric\n#| tol: .inf\nx = 1.0")], "cell 1:line 2: [SRS015] `tol:` must be a finite non-negative number, not inf"),
    "example-400-digits": ([("md", "<!-- #| card: formula\n     #| name: f\n     #| example: {x: " + "9" * 400 + "} -->\n$$f = x^2$$")], "[SRS015] `example:` must be a mapping of symbols to finite numbers"),
    "cloze-number-too-large": ([("md", "A {{c99999999999999999999::key}} is a vector.")], "[SRS026] cloze numbers go from c1 to c999"),
    "cloze-number-of-5000-digits": ([("md", "A {{c" + "9" * 5000 + "::key}} is a vector.")], "[SRS026] cloze numbers go from c1 to c999"),
    "cloze-nested": ([("md", "A {{c1::key {{c2::max}} }} is a vector.")], "[SRS026] a cloze inside cloze c1: clozes cannot be nested"),
    "cloze-negative": ([("md", "A {{c-1::key}} is a vector.")], "[SRS026] `{{c-1::` is not a cloze"),
    "answer-empty": ([("md", "Q: What is a key?\n\nA:")], "cell 1:line 1: [SRS024] `A:` with nothing after it"),
    "image-file-url": ([("md", "Q: What is in it?\n\nA: ![x](file:///etc/passwd)")], "[SRS040] image `![x](file:///etc/passwd)` cannot be loaded"),
    "image-reference-style": ([("md", "Q: What is shown?\n\nA: ![x][fig]\n\n[fig]: images/fig.png")], "[SRS040] image `![x][fig]` cannot be loaded"),
    "math-href": ([("md", "Q: What is $\\href{javascript:alert(1)}{x}$?\n\nA: A vector.")], "[SRS029] math uses `\\href`"),
    "math-style": ([("md", "<!-- #| card: formula\n     #| name: s -->\n$$s = \\style{color:red}{q} k$$")], "[SRS029] math uses `\\style`"),
    "math-class": ([("md", "A score is {{c1::$\\class{x}{q k}$}}.")], "[SRS029] math uses `\\class`"),
}

def cell(cell_type: str = "markdown", source: object = "Q: What is a key?\n\nA: A vector.", **fields: object) -> dict:
    """A raw cell as JSON data, for notebooks that break the format itself."""
    raw = {"cell_type": cell_type, "id": "c1", "metadata": {}, "source": source}
    if cell_type == "code":
        raw.update(outputs=[], execution_count=None)
    raw.update(fields)
    return {k: v for k, v in raw.items() if v is not ABSENT}


ABSENT = object()


def raw_notebook(*cells: dict, metadata: dict | None = None) -> str:
    return json.dumps({"cells": list(cells), "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5})


NESTED = "[" * 100_000 + "]" * 100_000

# name (what it breaks) -> (file content, expected message tail); every one is exit 2 and no deck
MALFORMED_NOTEBOOKS = {
    "source-a-number": (raw_notebook(cell(source=3)), "cell 1: [SRS001] not a valid cell: its source must be text or a list of text lines, not a number"),
    "source-null": (raw_notebook(cell(source=None)), "its source must be text or a list of text lines, not null"),
    "source-a-dict": (raw_notebook(cell(source={"a": 1})), "its source must be text or a list of text lines, not an object"),
    "source-a-bool": (raw_notebook(cell(source=True)), "its source must be text or a list of text lines, not true/false"),
    "source-list-of-lists": (raw_notebook(cell("code", [["x = 1"]])), "its source must be text or a list of text lines, not a list holding other things than text"),
    "source-missing": (raw_notebook(cell("code", ABSENT)), "cell 1: [SRS001] not a valid cell: it has no source"),
    "metadata-a-string": (raw_notebook(cell(metadata="hi")), "cell 1: [SRS001] not a valid cell: its metadata must be a JSON object, not text"),
    "metadata-a-number": (raw_notebook(cell(metadata=7)), "its metadata must be a JSON object, not a number"),
    "tags-not-a-list": (raw_notebook(cell(metadata={"tags": "a b"})), "its metadata `tags` must be a list of text"),
    "cell-type-unknown": (raw_notebook(cell("heading")), "cell 1: [SRS001] not a valid cell: unknown cell_type 'heading'; a cell is code, markdown or raw"),
    "cell-type-missing": (raw_notebook(cell(ABSENT)), "cell 1: [SRS001] not a valid cell: it has no cell_type"),
    "cell-not-an-object": (raw_notebook("just text"), "cell 1: [SRS001] not a valid cell: a cell is a JSON object, not text"),
    "attachment-not-base64": (raw_notebook(cell(source="Q: What?\n\nA: ![x](attachment:a.png)", attachments={"a.png": {"image/png": "!!not base64!!"}})), "cell 1: [SRS001] not a valid cell: attachment 'a.png' is not base64 data"),
    "json-nested-deep": ('{"cells": [], "metadata": {"a": ' + NESTED + '}, "nbformat": 4, "nbformat_minor": 5}', "[SRS001] not a notebook: its JSON is nested too deeply"),
    "json-integer-of-5000-digits": ('{"cells": [], "metadata": {"a": ' + "1" * 5000 + '}, "nbformat": 4, "nbformat_minor": 5}', "[SRS001] not a notebook: unreadable JSON"),
    "cell-id-too-long": (raw_notebook(cell(id="x" * 5000)), "cell 1: [SRS001] not a valid cell id: 'xxxx"),
    "cell-id-a-number": (raw_notebook(cell(id=7)), "[SRS001] not a valid cell id: 7"),
    "lesson-id-too-long": (raw_notebook(cell(), metadata={"srs": {"id": "z" * 5000}}), "[SRS001] the notebook's metadata `srs.id` is 'zzz"),
    "lesson-id-a-list": (raw_notebook(cell(), metadata={"srs": {"id": ["a"]}}), "[SRS001] the notebook's metadata `srs.id` is a list"),
    "surrogate-in-markdown": (raw_notebook(cell(source="Q: What is \ud800?\n\nA: A vector.")), "cell 1: [SRS001] the notebook holds a lone surrogate"),
    "surrogate-in-cell-id": (raw_notebook(cell(id="a\udfff")), "cell 1: [SRS001] the notebook holds a lone surrogate"),
    "surrogate-in-lesson-id": (raw_notebook(cell(), metadata={"srs": {"id": "a\ud800"}}), "[SRS001] the notebook holds a lone surrogate"),
    "output-breaks-schema": (raw_notebook(cell("code", "x = 1", outputs=[{"output_type": "weird"}])), "cell 1: [SRS001] not a valid notebook cell (nbformat 4): outputs[0].output_type must be one of \"execute_result\""),
    "nbformat-minor-a-string": (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": "5"}), "[SRS001] not a valid notebook (nbformat 4): nbformat_minor must be of type integer"),
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


@pytest.mark.parametrize("name", sorted(MALFORMED_NOTEBOOKS))
def test_malformed_notebook(name: str, tmp_path: Path):
    content, expected = MALFORMED_NOTEBOOKS[name]
    path = tmp_path / f"{name}.ipynb"
    path.write_text(content)
    result = run_build(str(path), "--out", str(tmp_path / "decks"))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{path}:") and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.apkg"))


def test_srs_ids_refuses_a_malformed_notebook_and_leaves_it_as_it_was(tmp_path: Path):
    path = tmp_path / "lesson.ipynb"
    path.write_text(raw_notebook(cell(id="x" * 100), cell(source=3)))
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["ids", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip().startswith(f"{path}:cell 2") and "[SRS001] not a valid cell: its source" in result.stderr
    assert path.read_bytes() == before


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


def test_a_problem_without_its_own_code_still_prints_as_one_line():
    error = SrsError("first line\nlesson.ipynb: [SRS001] a forged line", Location(Path("lesson.ipynb"), 3, "abc"))
    assert str(error) == "lesson.ipynb:cell 3: [SRS000] first line | lesson.ipynb: [SRS001] a forged line (cell id abc)"
    assert error.exit_code == 2


def test_a_folder_without_notebooks_is_an_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "decks")])
    assert result.exit_code == 2
    assert f"{tmp_path}: [SRS004] no notebooks in this folder" in result.stderr


def test_strict_names_its_code(write_notebook, tmp_path: Path):
    path = write_notebook([("md", "Q: Is attention a weighted average?\n\nA: Yes.")])
    result = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d"), "--strict"])
    assert result.exit_code == 1
    assert "[SRS300] 1 warning(s) and --strict is on" in result.stderr
