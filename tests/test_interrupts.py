"""Ctrl-C, SIGTERM, SIGHUP and SIGKILL: a build told to stop ends at once, kills its worker, and
leaves the files of the last build as they were."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import is_running, notebook_json

SLOW_CELL = "#| card: output\nimport os, time\nopen('worker.pid', 'w').write(str(os.getpid()))\ntime.sleep(30)\nprint(1)"
SPINNING_CELL = "#| card: output\nimport os\nopen('worker.pid', 'w').write(str(os.getpid()))\nwhile True:\n    pass"


def write(folder: Path, code: str, name: str = "lesson.ipynb") -> Path:
    cells = [("md", "# Slow\n\nQ: What is a key?\n\nA: A vector to match."), ("code", "#| card: output\nprint(1 + 1)"), ("code", code)]
    path = folder / name
    path.write_text(json.dumps(notebook_json(cells)))
    return path


def start_build(path: Path, out: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "srs", "build", str(path), "--out", str(out)],
        cwd=path.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )


def wait_for_worker(folder: Path, build: subprocess.Popen[str], limit: float = 60.0) -> int:
    """The pid of the worker once it runs the slow cell (which writes it down)."""
    pid_file = folder / "worker.pid"
    deadline = time.monotonic() + limit
    while not (pid_file.exists() and pid_file.read_text()):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the slow cell never started"
        time.sleep(0.05)
    return int(pid_file.read_text())



def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not is_running(pid)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under the output folder, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A lesson built once with a quick cell, then given a 30 s cell: (notebook, out, files of the build)."""
    path = write(tmp_path, "#| card: output\nprint(3)")
    out = tmp_path / "decks"
    done = subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    write(tmp_path, SLOW_CELL)
    return path, out, snapshot(out)


@pytest.mark.parametrize(("signal_number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_build_in_a_slow_cell_at_once(built, signal_number: int, code: int):
    path, out, before = built
    build = start_build(path, out)
    worker = wait_for_worker(path.parent, build)
    time.sleep(max(0.0, 3.0 - 0.5))  # about 3 s into the build, well inside the 30 s cell
    sent = time.monotonic()
    build.send_signal(signal_number)
    stdout, stderr = build.communicate(timeout=30)
    took = time.monotonic() - sent
    assert build.returncode == code, stderr
    assert took < 5.0
    name = signal.Signals(signal_number).name
    assert stderr.splitlines() == [
        f"{path}: stopped by {name} while cell 3 was running; the deck and the run cache were left as they were"
    ]
    assert "Traceback" not in stdout + stderr
    assert gone_within(worker, 2.0)
    assert snapshot(out) == before  # the deck byte for byte, the manifest, the run cache


def test_a_cell_that_sends_sigterm_to_srs_ends_the_build_with_143(tmp_path: Path):
    path = write(tmp_path, "#| card: output\nimport os, signal, time\nos.kill(os.getppid(), signal.SIGTERM)\ntime.sleep(30)")
    done = subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", str(tmp_path / "d")],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 143
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{path}: stopped by SIGTERM") and line.endswith("left as they were")
    assert not (tmp_path / "d" / "lesson.apkg").exists()


@pytest.mark.parametrize("portable", ["0", "1"])
def test_a_worker_dies_with_srs_whatever_kills_srs(tmp_path: Path, portable: str):
    # with SRS_PORTABLE=1 the kernel's parent-death signal is not used: the worker's lifeline pipe
    # alone must end it, while its cell keeps a core busy
    path = write(tmp_path, SPINNING_CELL)
    build = start_build(path, tmp_path / "d", SRS_PORTABLE=portable)
    worker = wait_for_worker(tmp_path, build)
    assert is_running(worker)
    build.kill()
    build.communicate()
    assert gone_within(worker, 5.0)


def test_a_build_killed_while_writing_the_deck_leaves_debris_the_next_build_removes(tmp_path: Path):
    path = write(tmp_path, "#| card: output\nprint(3)")
    out = tmp_path / "decks"
    assert subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", str(out)],
                          capture_output=True, check=False).returncode == 0
    before = (out / "lesson.apkg").read_bytes()
    write(tmp_path, "#| card: output\nprint(4)")
    # the process dies by SIGKILL halfway through writing the new deck
    dies_while_writing = (
        "import os, signal, sys\n"
        "import srs.deck.anki\n"
        "def half_then_killed(target, package, media):\n"
        "    target.write_bytes(b'PK half a deck')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "srs.deck.anki._write_apkg = half_then_killed\n"
        "from srs.cli.app import main\n"
        f"sys.argv = ['srs', 'build', {str(path)!r}, '--out', {str(out)!r}]\n"
        "main()\n"
    )
    killed = subprocess.run([sys.executable, "-c", dies_while_writing], capture_output=True, check=False)
    assert killed.returncode == -signal.SIGKILL
    debris = [p.name for p in out.iterdir() if p.name.startswith(".lesson.apkg.")]
    assert len(debris) == 1 and (out / "lesson.apkg").read_bytes() == before
    # the next build, even one that finds nothing to do, removes it
    write(tmp_path, "#| card: output\nprint(3)")
    again = subprocess.run([sys.executable, "-m", "srs", "build", str(path), "--out", str(out)],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 0 and "up to date" in again.stdout
    assert sorted(p.name for p in out.iterdir()) == [".srs", "lesson.apkg"]
