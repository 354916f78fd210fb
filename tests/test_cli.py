"""The command line: help on every command, documented in the README, version, `python -m srs`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import srs
from srs.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["build", "cards", "check", "lint", "inspect", "ids", "preview", "sync", "stats", "suggest"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 4
    assert f"`srs {command} " in (ROOT / "README.md").read_text()


def test_the_app_lists_exactly_the_documented_commands():
    listed = CliRunner().invoke(app, ["--help"]).output
    for command in COMMANDS:
        assert command in listed
    assert sorted(c.name or c.callback.__name__ for c in app.registered_commands) == sorted(COMMANDS)


def test_version_and_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "srs", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"srs {srs.__version__}"


@pytest.mark.parametrize(
    ("cells", "code", "said"),
    [
        ([("md", "Q: What is a key?\n\nA: A vector to match.")], 0, "1 cards"),
        ([("code", "#| card: output\nraise ValueError('boom')")], 1, "raised ValueError: boom"),
        ([("md", "Q: What is a key?")], 2, "SRS"),
    ],
)
def test_the_script_exits_with_the_commands_code_and_all_its_output(write_notebook, tmp_path, cells, code, said):
    # `srs` skips the interpreter's teardown on exit; nothing it printed or wrote may be lost
    path = write_notebook(cells)
    done = subprocess.run(
        [sys.executable, "-m", "srs", "build", str(path), "--out", str(tmp_path / "d")],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == code, done.stderr
    assert said in done.stdout + done.stderr
    assert (tmp_path / "d" / "lesson.apkg").exists() == (code == 0)


def test_a_string_exit_is_printed_and_fails(capsys):
    from srs.core.process import exit_code

    assert (exit_code(None), exit_code(3)) == (0, 3)
    assert exit_code("stopped") == 1 and capsys.readouterr().err == "stopped\n"


def test_help_does_not_import_heavy_libraries():
    probe = (
        "import sys\nfrom srs.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'torch', 'numpy', 'matplotlib', 'sympy', 'IPython', 'genanki'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_cards_json_prints_only_json(write_notebook):
    import json

    path = write_notebook([("md", "Q: What is a key?\n\nA: A vector to match.")])
    result = CliRunner().invoke(app, ["cards", str(path), "--json"])
    assert result.exit_code == 0
    cards = json.loads(result.stdout)
    assert cards[0]["kind"] == "qa" and cards[0]["key"] == "c1:qa:0"


def test_inspect_shows_the_deck(write_notebook, tmp_path: Path):
    path = write_notebook([("md", "# Keys\n\nQ: What is a key?\n\nA: A vector to match.")])
    CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d")])
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "d" / "lesson.apkg")])
    assert result.exit_code == 0
    assert "deck 'srs::Keys', 1 notes, 1 cards" in result.stdout and "lesson/c1:qa:0" in result.stdout
    bad = CliRunner().invoke(app, ["inspect", str(path)])
    assert bad.exit_code == 2 and "[SRS001] not an Anki package" in bad.stderr


def test_folder_argument_builds_every_notebook(write_notebook, tmp_path: Path):
    write_notebook([("md", "Q: What is a key?\n\nA: A vector.")], name="a.ipynb")
    write_notebook([("md", "Q: What is a value?\n\nA: A vector.")], name="b.ipynb")
    result = CliRunner().invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0
    assert (tmp_path / "d" / "a.apkg").exists() and (tmp_path / "d" / "b.apkg").exists()


def test_strict_fails_on_lint_warnings(write_notebook, tmp_path: Path):
    path = write_notebook([("md", "Q: Is attention a weighted average?\n\nA: Yes.")])
    lenient = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d")])
    assert lenient.exit_code == 0 and "SRS106" in lenient.stderr
    strict = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "e"), "--strict"])
    assert strict.exit_code == 1 and not (tmp_path / "e" / "lesson.apkg").exists()
    assert CliRunner().invoke(app, ["lint", str(path)]).exit_code == 1


@pytest.mark.parametrize(
    ("argv", "starts"),
    [
        (["build", "lessons/"], True),
        (["check", "--repeat", "2", "x.ipynb"], True),
        (["build", "--help"], False),
        (["lint", "x.ipynb"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_a_spare_worker_starts_only_for_commands_that_run_notebooks(argv, starts):
    from srs.cli.launch import may_run_notebooks

    assert may_run_notebooks(argv) is starts


def test_the_spare_worker_starts_before_most_of_srs_is_loaded():
    # `srs build` starts it first thing; the sooner it starts, the sooner the first cell runs
    script = (
        "import sys\n"
        "from srs.run import start_spare_worker\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('srs'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["srs", "srs.run", "srs.run.channel", "srs.run.portable", "srs.run.spawn"]
