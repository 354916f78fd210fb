"""Answers kept between builds: sympy's verdicts and values, shape diagrams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from srs.build.lesson import BuildOptions, build_lesson
from srs.core.errors import CheckFailed
from srs.core.memo import Memo, remembered, remembering

DERIVATION = ("md", "<!-- #| card: derivation\n     #| name: square of a sum -->\n$$(a + b)^2$$\n"
              "$$= a^2 + 2ab + b^2$$", "derivation")
FALSE_STEP = ("md", "<!-- #| card: derivation\n     #| name: square of a sum -->\n$$(a + b)^2$$\n$$= a^2 + b^2$$",
              "derivation")
EXAMPLE = ("md", "<!-- #| card: formula\n     #| name: scale\n     #| example: {d_k: 64} -->\n"
           "$$s = \\frac{1}{\\sqrt{d_k}}$$", "formula")
SHAPE = ("code", "#| card: shape\nimport numpy as np\nx = np.zeros((2, 3)) @ np.zeros((3, {n}))", "shape")


def test_an_answer_is_made_once_and_kept(tmp_path: Path):
    made = []

    def make() -> int:
        made.append(1)
        return 42

    path = tmp_path / "answers.json"
    for _ in range(2):
        with remembering(path):
            assert remembered("number", ["x", 1], make, int, int) == 42
    assert len(made) == 1
    assert remembered("number", ["x", 1], make, int, int) == 42 and len(made) == 2  # no memo open


def test_a_memo_keeps_only_what_the_build_used_and_drops_damaged_entries(tmp_path: Path):
    path = tmp_path / "answers.json"
    with remembering(path):
        remembered("number", "old", lambda: 1, int, int)
        remembered("number", "bad", lambda: 2, int, int)
    document = json.loads(path.read_text())
    damaged = next(key for key in document["answers"] if document["answers"][key] == 2)
    document["answers"][damaged] = "not a number"
    path.write_text(json.dumps(document))
    with remembering(path):
        assert remembered("number", "bad", lambda: 3, int, int) == 3
    assert list(json.loads(path.read_text())["answers"].values()) == [3]


def test_new_package_versions_forget_every_answer(tmp_path: Path):
    path = tmp_path / "answers.json"
    with remembering(path):
        remembered("number", "x", lambda: 1, int, int)
    document = json.loads(path.read_text())
    document["versions"]["sympy"] = "0.0"
    path.write_text(json.dumps(document))
    assert Memo(path).old == {}


def test_a_code_edit_rebuild_reuses_verdicts_values_and_diagrams(write_notebook, tmp_path: Path):
    out = tmp_path / "d"
    first = build_lesson(write_notebook([DERIVATION, EXAMPLE, ("code", SHAPE[1].format(n=4), "shape")]),
                         BuildOptions(out_dir=out))
    edited = SHAPE[1].format(n=4).replace("as np", "as np  # edited")
    path = write_notebook([DERIVATION, EXAMPLE, ("code", edited, "shape")])
    probe = (
        "import sys\nfrom pathlib import Path\nfrom srs.build.lesson import BuildOptions, build_lesson\n"
        f"report = build_lesson(Path({str(path)!r}), BuildOptions(out_dir=Path({str(out)!r})))\n"
        "print(report.ran, sorted({'sympy', 'matplotlib'} & set(sys.modules)))\n"
        "print([card.back for card in report.cards])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    ran, backs = done.stdout.strip().splitlines()
    assert ran == "True []"  # the notebook ran again; sympy and matplotlib were not needed
    assert backs == repr([card.back for card in first.cards])


def test_a_changed_step_is_checked_afresh(write_notebook, tmp_path: Path):
    out = tmp_path / "d"
    build_lesson(write_notebook([DERIVATION]), BuildOptions(out_dir=out))
    with pytest.raises(CheckFailed, match="a\\^2 \\+ b\\^2"):
        build_lesson(write_notebook([FALSE_STEP]), BuildOptions(out_dir=out))


def test_a_new_shape_gets_a_new_diagram(write_notebook, tmp_path: Path):
    out = tmp_path / "d"
    four = build_lesson(write_notebook([("code", SHAPE[1].format(n=4), "shape")]), BuildOptions(out_dir=out))
    five = build_lesson(write_notebook([("code", SHAPE[1].format(n=5), "shape")]), BuildOptions(out_dir=out))
    assert "(2, 5)" in five.cards[0].back
    assert four.cards[0].media[0].name != five.cards[0].media[0].name


def test_without_the_cache_nothing_is_kept_or_trusted(write_notebook, tmp_path: Path):
    out = tmp_path / "d"
    build_lesson(write_notebook([DERIVATION]), BuildOptions(out_dir=out))
    answers = out / ".srs" / "cache" / "lesson.answers.json"
    document = json.loads(answers.read_text())
    # a kept verdict that says the false step holds: only a build that trusts the memo believes it
    document["answers"] = {key: ["verified", "kept"] for key in document["answers"]}
    answers.write_text(json.dumps(document))
    with pytest.raises(CheckFailed):
        build_lesson(write_notebook([FALSE_STEP]), BuildOptions(out_dir=out, use_cache=False))
