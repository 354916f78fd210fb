"""Cards answered by running the notebook: answers known independently, failures, and the cache."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import import_deck, notebook_json
from typer.testing import CliRunner

from srs.build.lesson import BuildOptions, build_lesson
from srs.cli.app import app
from srs.core.errors import CheckFailed, OptionError, SourceError

SETUP = ("code", "import torch\ntorch.manual_seed(0)", "setup")
TENSORS = ("code", "Q = torch.randn(3, 4)\nK = torch.randn(5, 4)", "tensors")
SHAPE = ("code", "#| card: shape\n#| id: scores-shape\n#| dims: {Q: [queries, d_k], K: [keys, d_k], scores: [queries, keys]}\n"
         "scores = Q @ K.T", "shape")
SOFTMAX = ("code", "#| card: numeric\n#| id: softmax-123\n#| front: Softmax of the logits [1, 2, 3]?\n#| digits: 3\n"
           "torch.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)", "softmax")
TITLE = ("md", "# Shapes of attention", "title")


def softmax_by_hand() -> list[float]:
    exps = [math.exp(x) for x in (1.0, 2.0, 3.0)]
    return [e / sum(exps) for e in exps]


def test_answers_match_what_the_code_really_computes(write_notebook, tmp_path: Path, collection):
    report = build_lesson(write_notebook([TITLE, SETUP, TENSORS, SHAPE, SOFTMAX]), BuildOptions(out_dir=tmp_path / "d"))
    shape, numeric = report.cards
    assert "(3, 5)" in shape.back and "queries × keys" in shape.back
    assert "`Q`: (3, 4)" in shape.front and "`K`: (5, 4)" in shape.front
    shown = [float(x) for x in numeric.value.strip("[]").split(",")]
    assert shown == pytest.approx(softmax_by_hand(), abs=5e-3)

    import_deck(collection, report.deck_path)
    note = collection.get_note(collection.find_notes('"Key:lesson/scores-shape"')[0])
    assert "(3, 5)" in note["Back"] and 'src="srs-' in note["Diagram"]
    diagram = note["Diagram"].split('src="')[1].split('"')[0]
    assert (Path(collection.media.dir()) / diagram).read_bytes().lstrip().startswith(b"<?xml")
    value_note = collection.get_note(collection.find_notes('"Key:lesson/softmax-123"')[0])
    assert value_note["Value"] == numeric.value and ">softmax<" in value_note["Code"]


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_failing_expect_fails_the_build_with_both_values(write_notebook, tmp_path: Path):
    wrong = ("code", "#| card: numeric\n#| front: Sum of 0.1 and 0.2?\n#| expect: 0.4\n#| tol: 0.001\n0.1 + 0.2", "sum")
    result = cli("build", str(write_notebook([wrong])), "--out", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert ":cell 1" in result.stderr and "0.4" in result.stderr and "0.3" in result.stderr
    assert not (tmp_path / "d" / "lesson.apkg").exists()


def test_fixing_a_failed_expect_needs_no_second_run(write_notebook, tmp_path: Path):
    # the run finishes and fills the cache although a card failed; correcting the expectation is an
    # option edit, which reuses the run
    out = tmp_path / "d"
    card = "#| card: numeric\n#| front: Sum of 0.1 and 0.2?\n#| expect: {}\n#| tol: 0.001\n0.1 + 0.2"
    later = ("code", "#| card: output\nprint('after')", "after")
    with pytest.raises(CheckFailed, match="0.4"):
        build_lesson(write_notebook([("code", card.format(0.4), "sum"), later]), BuildOptions(out_dir=out))
    report = build_lesson(write_notebook([("code", card.format(0.3), "sum"), later]), BuildOptions(out_dir=out))
    assert not report.ran and [c.kind for c in report.cards] == ["numeric", "output"]


def test_raising_cell_names_cell_line_and_exception(write_notebook, tmp_path: Path):
    bad = ("code", "x = 1\ny = x / 0", "bad")
    result = cli("build", str(write_notebook([SETUP, bad, SOFTMAX])), "--out", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert ":cell 2:line 2:" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "Traceback (most recent call last)" not in result.stdout


def test_raises_exception_tag_lets_the_lesson_go_on(write_notebook, tmp_path: Path):
    path = write_notebook([SETUP, ("code", "raise ValueError('an exercise left to the reader')", "ex"), SOFTMAX])
    data = json.loads(path.read_text())
    data["cells"][1]["metadata"]["tags"] = ["raises-exception"]
    path.write_text(json.dumps(data))
    assert cli("build", str(path), "--out", str(tmp_path / "d")).exit_code == 0


@pytest.mark.parametrize(
    ("code", "words"),
    [("import time\ntime.sleep(60)", "still running"), ("import sys\nsys.exit(3)", "exit"), ("import os\nos._exit(1)", "")],
    ids=["timeout", "sys-exit", "worker-dies"],
)
def test_cell_that_never_finishes_or_kills_the_worker(write_notebook, tmp_path: Path, code: str, words: str):
    path = write_notebook([("code", code, "stop"), SOFTMAX])
    result = cli("build", str(path), "--out", str(tmp_path / "d"), "--timeout", "3")
    assert result.exit_code == 1
    assert ":cell 1" in result.stderr and words in result.stderr.lower()


def test_magics_and_shell_lines_run_as_in_jupyter(write_notebook, tmp_path: Path):
    cells = [("code", "%time x = 2\n!echo from-the-shell", "magic"),
             ("code", "#| card: output\nprint(x * 21)", "out")]
    report = build_lesson(write_notebook(cells), BuildOptions(out_dir=tmp_path / "d"))
    assert report.cards[0].value.strip() == "42"


def test_unchanged_rebuild_runs_nothing_and_never_imports_torch(write_notebook, tmp_path: Path):
    path = write_notebook([SETUP, TENSORS, SHAPE, SOFTMAX])
    out = tmp_path / "d"
    assert build_lesson(path, BuildOptions(out_dir=out)).ran
    probe = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from srs.build.lesson import BuildOptions, build_lesson
        report = build_lesson(Path({str(path)!r}), BuildOptions(out_dir=Path({str(out)!r}), force=True))
        assert not report.ran and len(report.cards) == 2, report
        assert "torch" not in sys.modules, "torch was imported"
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_markdown_edit_reuses_the_run_code_edit_reruns(write_notebook, tmp_path: Path):
    out = tmp_path / "d"
    build_lesson(write_notebook([TITLE, SETUP, TENSORS, SHAPE]), BuildOptions(out_dir=out))
    retitled = ("md", "# Shapes, retitled\n\nQ: What shape has `Q @ K.T`?\n\nA: queries × keys.", "title")
    assert not build_lesson(write_notebook([retitled, SETUP, TENSORS, SHAPE]), BuildOptions(out_dir=out)).ran
    bigger = ("code", "Q = torch.randn(7, 4)\nK = torch.randn(5, 4)", "tensors")
    report = build_lesson(write_notebook([retitled, SETUP, bigger, SHAPE]), BuildOptions(out_dir=out))
    assert report.ran and "(7, 5)" in report.cards[-1].back


def test_sibling_module_edit_reruns(write_notebook, tmp_path: Path):
    (tmp_path / "helpers.py").write_text("SIZE = 3\n")
    cells = [("code", "import torch, helpers\nx = torch.zeros(helpers.SIZE)", "a"), ("code", "#| card: shape\ny = x * 2", "b")]
    out = tmp_path / "d"
    path = write_notebook(cells)
    assert "(3,)" in build_lesson(path, BuildOptions(out_dir=out)).cards[0].back
    (tmp_path / "helpers.py").write_text("SIZE = 4\n")
    report = build_lesson(path, BuildOptions(out_dir=out))
    assert report.ran and "(4,)" in report.cards[0].back


def test_check_repeat_flags_answers_that_change_between_runs(write_notebook, tmp_path: Path):
    unseeded = ("code", "#| card: numeric\n#| front: A fresh random number?\nimport random\nrandom.random()", "r")
    result = cli("check", str(write_notebook([unseeded])), "--repeat", "2")
    assert result.exit_code == 1 and "[SRS202] the answer differs between runs" in result.stderr
    steady = cli("check", str(write_notebook([SETUP, SOFTMAX], name="steady.ipynb")), "--repeat", "2")
    assert steady.exit_code == 0, steady.output


def test_build_says_what_it_reused(write_notebook, tmp_path: Path):
    path = write_notebook([SETUP, SOFTMAX])
    out = str(tmp_path / "d")
    assert "ran the notebook" in cli("build", path.as_posix(), "--out", out).stdout
    path.write_text(path.read_text().replace("Softmax of the logits", "Softmax of logits"))
    assert "reused the last run" in cli("build", path.as_posix(), "--out", out).stdout
    assert "up to date" in cli("build", path.as_posix(), "--out", out).stdout


def test_sibling_package_edit_is_noticed_by_the_unchanged_check(write_notebook, tmp_path: Path):
    package = tmp_path / "mylib"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sizes.py").write_text("N = 2\n")
    cells = [("code", "import torch\nfrom mylib import sizes\nx = torch.zeros(sizes.N)", "a"),
             ("code", "#| card: shape\ny = x + 1", "b")]
    out = tmp_path / "d"
    path = write_notebook(cells)
    assert "(2,)" in build_lesson(path, BuildOptions(out_dir=out)).cards[0].back
    (package / "sizes.py").write_text("N = 5\n")
    report = build_lesson(path, BuildOptions(out_dir=out))
    assert not report.up_to_date and "(5,)" in report.cards[0].back


def _workers(folder: Path) -> list[str]:
    """Worker processes still alive whose working folder lies in `folder` (other builds may run
    on the same machine)."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            text = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            where = Path(os.readlink(process / "cwd"))
        except OSError:
            continue
        if "srs.run.worker" in text and where.is_relative_to(folder.resolve()):
            found.append(text)
    return found


def test_no_worker_outlives_a_build(write_notebook, tmp_path: Path):
    path = write_notebook([SETUP, SOFTMAX])
    out = tmp_path / "d"
    build_lesson(path, BuildOptions(out_dir=out))
    build_lesson(path, BuildOptions(out_dir=out, force=True))  # cache hit: the early worker is not needed
    broken = write_notebook([SETUP, ("code", "#| card: shaep\nx = 1", "bad")], name="broken.ipynb")
    with pytest.raises(Exception, match="unknown card kind"):
        build_lesson(broken, BuildOptions(out_dir=out))
    assert _workers(tmp_path) == []


def test_the_script_leaves_no_worker_even_when_no_run_was_needed(write_notebook, tmp_path: Path):
    # `srs build` starts a spare worker before it knows whether anything must run
    path = write_notebook([SETUP, SOFTMAX])
    out = str(tmp_path / "d")
    for _ in range(2):  # a cold build, then an unchanged one whose spare worker goes unused
        done = subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", out],
                              capture_output=True, text=True, check=False, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "srs", "build", str(tmp_path / "missing.ipynb"), "--out", out],
                             capture_output=True, text=True, check=False, cwd=tmp_path)
    assert missing.returncode == 2 and "missing.ipynb" in missing.stderr
    assert _workers(tmp_path) == []


def test_the_script_builds_from_a_folder_that_no_longer_exists(write_notebook, tmp_path: Path):
    # the spare worker starts in the current folder; without one, the build starts its own
    path = write_notebook([SETUP, SOFTMAX])
    gone = tmp_path / "gone"
    gone.mkdir()
    script = Path(sys.executable).parent / "srs"
    command = f"cd {gone} && rmdir {gone} && exec {script} build {path} --out {tmp_path / 'd'}"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "d" / "lesson.apkg").exists()


def test_a_spare_worker_runs_the_lesson_from_its_own_folder(tmp_path: Path):
    # the spare worker starts in the folder srs was called from; the lesson must not see that folder
    lesson_folder, elsewhere = tmp_path / "lesson", tmp_path / "elsewhere"
    lesson_folder.mkdir()
    elsewhere.mkdir()
    (lesson_folder / "helpers.py").write_text("WHERE = 'lesson folder'\n")
    (elsewhere / "helpers.py").write_text("WHERE = 'caller folder'\n")
    (elsewhere / "only_here.py").write_text("")
    cells = [("code", "#| card: output\nimport helpers, os\nprint(helpers.WHERE, os.path.basename(os.getcwd()))", "a"),
             ("code", "#| card: output\ntry:\n    import only_here\nexcept ImportError:\n    print('hidden')", "b")]
    (lesson_folder / "lesson.ipynb").write_text(json.dumps(notebook_json(cells)))
    done = subprocess.run([sys.executable, "-m", "srs", "build", "../lesson/lesson.ipynb", "--out", "d"],
                          cwd=elsewhere, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    report = build_lesson(lesson_folder / "lesson.ipynb", BuildOptions(out_dir=elsewhere / "d", force=True))
    assert not report.ran  # the cards come from the run the script made
    assert [card.value.strip() for card in report.cards] == ["lesson folder lesson", "hidden"]


@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        ("<!-- #| card: formula\n     #| nmae: dot product -->\n$$a \\cdot b = \\sum_i a_i b_i$$", OptionError, "nmae"),
        ("<!-- #| card: formula\n     #| name: scale\n     #| example: {d_v: 64} -->\n$$s = \\frac{1}{\\sqrt{d_k}}$$",
         SourceError, "d_v"),
    ],
)
def test_bad_markdown_stops_a_run_in_progress(write_notebook, tmp_path: Path, bad, error, words):
    # code cells start running before markdown is read; a markdown mistake must not wait for the run
    slow = ("code", "#| card: output\nimport time, pathlib\ntime.sleep(30)\npathlib.Path('finished').touch()\nprint(1)", "slow")
    with pytest.raises(error, match=words):
        build_lesson(write_notebook([slow, ("md", bad, "bad")]), BuildOptions(out_dir=tmp_path / "d"))
    assert not (tmp_path / "finished").exists()
    assert _workers(tmp_path) == []


def test_widgets_are_harmless(write_notebook, tmp_path: Path):
    cells = [("code", "import ipywidgets as widgets\nslider = widgets.IntSlider(value=3, max=10)\ndisplay(slider)", "w1"),
             ("code", "from ipywidgets import interact\n@interact(a=(0, 10))\ndef show(a=2):\n    print('a is', a)", "w2"),
             ("code", "#| card: output\nprint(slider.value * 2)", "w3")]
    report = build_lesson(write_notebook(cells), BuildOptions(out_dir=tmp_path / "d"))
    assert report.cards[0].value.strip() == "6"
