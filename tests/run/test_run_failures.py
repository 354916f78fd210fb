"""A lesson that raises, hangs, exits or crashes stops the run with a RunError naming the cell."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lessons_for_tests import build_lesson
from support import is_running

from srs.core.errors import EXIT_CHECK_FAILED, RunError
from srs.run import run_lesson


def run_error(lesson, requests=None, **options) -> RunError:
    with pytest.raises(RunError) as caught:
        run_lesson(lesson, requests or {}, cache_dir=None, **options)
    return caught.value


def test_a_raising_cell_names_its_cell_and_its_line(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "x = 1",
        ("markdown", "Now divide."),
        "#| card: numeric\n#| of: y\nzero = 0\ny = x / zero\nprint('never')",
    )
    error = run_error(lesson)
    assert error.exit_code == EXIT_CHECK_FAILED
    assert (error.location.cell, error.location.cell_id, error.location.line) == (3, "c03", 4)
    assert error.location.path == lesson.path
    assert error.message.startswith("cell 3 raised ZeroDivisionError: division by zero\n")
    assert "  cell 3, line 4: y = x / zero" in error.message
    assert "raises-exception" in error.message


def test_line_numbers_count_leading_blank_lines(tmp_path: Path) -> None:
    error = run_error(build_lesson(tmp_path, "\n\n#| card: output\n\nraise ValueError('bad value')"))
    assert error.location.line == 5
    assert "ValueError: bad value" in error.message


def test_the_traceback_keeps_the_lessons_own_frames(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("import json\n\n\ndef parse(text):\n    return json.loads(text)\n")
    lesson = build_lesson(
        tmp_path,
        "import helpers\n\ndef load(text):\n    return helpers.parse(text)",
        "data = load('{\"a\": 1}')\nbroken = load('{oops')",
    )
    error = run_error(lesson)
    assert (error.location.cell, error.location.line) == (2, 2)
    frames = error.message.splitlines()[1:-1]
    assert frames == [
        "  cell 2, line 2: broken = load('{oops')",
        "  cell 1, line 4, in load: return helpers.parse(text)",
        "  helpers.py, line 5, in parse: return json.loads(text)",
    ]
    assert "JSONDecodeError" in error.message.splitlines()[0]


def test_a_syntax_error_points_at_its_line(tmp_path: Path) -> None:
    error = run_error(build_lesson(tmp_path, "#| card: output\nx = (1,\ny = ]"))
    assert (error.location.cell, error.location.line) == (1, 3)
    assert error.message.startswith("cell 1 raised SyntaxError")


def test_a_cell_tagged_raises_exception_lets_the_run_go_on(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "x = 1",
        ("code", "print('trying')\nx = x / 0", ("raises-exception",)),
        "y = x + 1",
    )
    results = run_lesson(lesson, {}, cache_dir=None).results
    assert sorted(results) == [1, 2, 3]
    assert results[2].stdout == "trying\n"
    assert "Traceback" not in results[2].stdout
    assert results[3].after["y"].data == 2


def test_a_cell_past_its_timeout_is_stopped(tmp_path: Path) -> None:
    lesson = build_lesson(tmp_path, "x = 1", "import time\ntime.sleep(30)", "y = 2")
    error = run_error(lesson, timeout=2)
    assert error.location.cell == 2
    assert "cell 2 was still running after the per-cell limit of 2 s" in error.message
    assert "[tool.srs]" in error.message and "--timeout" in error.message


def test_the_timeout_stops_what_the_cell_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    lesson = build_lesson(
        tmp_path,
        f"import subprocess, time\nsubprocess.Popen(['sh', '-c', 'echo $$ > {pid_file}; exec sleep 60'])\n"
        "time.sleep(30)",
    )
    run_error(lesson, timeout=1)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while is_running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_running(child)



@pytest.mark.parametrize(
    ("source", "called"),
    [
        ("import sys\nsys.exit(3)", "sys.exit(3)"),
        ("exit()", "exit()"),
        ("raise SystemExit", "sys.exit(None)"),
    ],
)
def test_a_cell_that_exits_is_an_error(tmp_path: Path, source: str, called: str) -> None:
    error = run_error(build_lesson(tmp_path, "x = 1", source, "y = 2"))
    assert error.location.cell == 2
    assert error.message.startswith(f"cell 2 called {called}")


@pytest.mark.parametrize(
    ("source", "how"),
    [
        ("import os\nos._exit(1)", "exited with code 1"),
        ("import ctypes\nctypes.string_at(0)", "was killed by SIGSEGV"),
        ("import signal, os\nos.kill(os.getpid(), signal.SIGKILL)", "was killed by SIGKILL"),
    ],
)
def test_a_worker_that_dies_names_the_cell(tmp_path: Path, source: str, how: str) -> None:
    error = run_error(build_lesson(tmp_path, "x = 1", ("markdown", "Bye."), source))
    assert error.location.cell == 3
    assert error.message.startswith(f"the worker process running the notebook {how} while running cell 3")


def test_a_cell_waiting_for_input_fails_instead_of_hanging(tmp_path: Path) -> None:
    error = run_error(build_lesson(tmp_path, "name = input('Your name? ')"))
    assert error.message.startswith("cell 1 raised EOFError")


def test_a_request_that_raises_names_the_cell_and_the_expression(tmp_path: Path) -> None:
    error = run_error(build_lesson(tmp_path, "x = 1", "y = 2"), {2: ("x + y", "z * 2")})
    assert error.location.cell == 2
    assert error.message == "cannot evaluate `z * 2` after cell 2: NameError: name 'z' is not defined"


def test_requests_must_name_code_cells(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\[1\]"):
        run_lesson(build_lesson(tmp_path, ("markdown", "# Title"), "x = 1"), {1: ("x",)}, cache_dir=None)


@pytest.mark.parametrize(
    "writes",
    [
        "os.write(report, b'garbage')",  # glued to the report that follows
        "os.write(report, b'\\xff\\xfe not even text\\n')",
        "os.write(report, b'[1, 2, 3]\\n')",
        "os.write(report, b'{\"event\": \"start\", \"cell\": 99}\\n')",
    ],
)
def test_bytes_a_cell_writes_onto_the_report_channel_are_an_error_naming_the_cell(tmp_path: Path, writes: str) -> None:
    # the channel's descriptor is the number the worker was given on its command line
    find = "import os, sys\nreport = int(sys.argv[2])\n"
    error = run_error(build_lesson(tmp_path, "x = 1", find + writes + "\nprint('after')", "y = 2"))
    assert error.location.cell == 2
    assert error.message.startswith("the worker's report channel received ")
    assert "which is not a report, while cell 2 ran" in error.message
    assert "\n" not in error.message


def test_what_a_cell_starts_cannot_reach_the_report_channel(tmp_path: Path) -> None:
    source = (
        "import os, subprocess, sys\n"
        "fd = int(sys.argv[2])\n"
        "done = subprocess.run(['sh', '-c', f'echo junk >&{fd}'], close_fds=False, capture_output=True)\n"
        "code = done.returncode"
    )
    results = run_lesson(build_lesson(tmp_path, source, "y = 2"), {1: ("code",)}, cache_dir=None).results
    assert results[1].evaluated["code"].data != 0  # the descriptor is closed in the child
    assert results[2].after["y"].data == 2
