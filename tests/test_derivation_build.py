"""A false derivation step fails the build with no deck; an unverified one warns, and fails check and --strict."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from srs.cli.app import app

FALSE_STEP = ("md", "<!-- #| card: derivation\n     #| name: square of a sum -->\n$$(a + b)^2$$\n$$= a^2 + b^2$$")
TRUE_STEPS = ("md", "<!-- #| card: derivation\n     #| name: square of a sum -->\n$$(a + b)^2$$\n$$= (a + b)(a + b)$$\n"
              "$$= a^2 + 2ab + b^2$$")
UNVERIFIED = ("md", "<!-- #| card: derivation\n     #| name: transpose of a product -->\n$$(AB)^\\top$$\n$$= B^\\top A^\\top$$")


def test_false_step_fails_the_build_and_writes_no_deck(write_notebook, tmp_path: Path):
    result = CliRunner().invoke(app, ["build", str(write_notebook([FALSE_STEP])), "--out", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert ":cell 1:line 4:" in result.stderr and "a^2 + b^2" in result.stderr
    assert not (tmp_path / "d" / "lesson.apkg").exists()


def test_true_steps_build_one_card_per_step(write_notebook, tmp_path: Path):
    result = CliRunner().invoke(app, ["cards", str(write_notebook([TRUE_STEPS])), "--json"])
    assert result.exit_code == 0
    import json

    cards = json.loads(result.stdout)
    assert [c["key"] for c in cards] == ["c1:derivation:0:step1", "c1:derivation:0:step2"]


def test_unverified_step_warns_in_build_and_fails_check_and_strict(write_notebook, tmp_path: Path):
    path = str(write_notebook([UNVERIFIED]))
    build = CliRunner().invoke(app, ["build", path, "--out", str(tmp_path / "d")])
    assert build.exit_code == 0 and "[SRS301]" in build.stderr
    strict = CliRunner().invoke(app, ["build", path, "--out", str(tmp_path / "e"), "--strict"])
    assert strict.exit_code == 1
    check = CliRunner().invoke(app, ["check", path])
    assert check.exit_code == 1 and "[SRS301]" in check.stderr
