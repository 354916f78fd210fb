"""How fast does `srs build` stop when told to? Time from the signal to the exit, and to the worker's end.

Builds a small lesson whose third cell sleeps for 30 s, sends the signal about 3 s into the build
(once the slow cell runs), and measures how long srs takes to exit and how long until its worker
process is gone. SIGKILL is measured too: srs cannot handle it, so only the worker's end counts
(it dies with srs through the kernel's parent-death signal, or its lifeline with SRS_PORTABLE=1).

    python bench/interrupt_latency.py [--rounds 5] [--portable]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CELLS = [
    {"cell_type": "markdown", "id": "c1", "metadata": {},
     "source": "# Slow\n\nQ: What is a key?\n\nA: A vector."},
    {"cell_type": "code", "id": "c2", "metadata": {}, "outputs": [], "execution_count": None,
     "source": "#| card: output\nprint(1 + 1)"},
    {"cell_type": "code", "id": "c3", "metadata": {}, "outputs": [], "execution_count": None,
     "source": "#| card: output\nimport os, time\nopen('worker.pid', 'w').write(str(os.getpid()))\n"
               "time.sleep(30)\nprint(3)"},
]


def is_running(pid: int) -> bool:
    """Is the process alive (a zombie counts as gone)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def one_round(folder: Path, number: int, env: dict[str, str]) -> tuple[float | None, float]:
    """(seconds from the signal to srs's exit (None for SIGKILL), seconds to the worker's end)."""
    pid_file = folder / "worker.pid"
    pid_file.unlink(missing_ok=True)
    build = subprocess.Popen(
        [sys.executable, "-m", "srs", "build", "lesson.ipynb", "--out", "decks", "--force"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    while not (pid_file.exists() and pid_file.read_text()):
        if build.poll() is not None:
            said = build.stderr.read().decode() if build.stderr else ""
            sys.exit(f"the build ended before the slow cell: {said}")
        time.sleep(0.01)
    worker = int(pid_file.read_text())
    time.sleep(2.5)
    sent = time.perf_counter()
    build.send_signal(number)
    build.wait()
    exited = time.perf_counter() - sent
    while is_running(worker):
        time.sleep(0.001)
    worker_gone = time.perf_counter() - sent
    expected = -number if number == signal.SIGKILL else 128 + number
    if build.returncode != expected:
        sys.exit(f"exit status {build.returncode}, expected {expected}")
    return (None if number == signal.SIGKILL else exited), worker_gone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--portable", action="store_true", help="force the portable paths (SRS_PORTABLE=1)")
    args = parser.parse_args()
    env = {**os.environ, "SRS_PORTABLE": "1" if args.portable else "0"}
    with tempfile.TemporaryDirectory(prefix="srs-bench-") as scratch:
        folder = Path(scratch)
        notebook = {"cells": CELLS, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (folder / "lesson.ipynb").write_text(json.dumps(notebook))
        print(f"{'portable' if args.portable else 'Linux'} paths, {args.rounds} rounds per signal")
        print("| signal | exit after the signal: median (max) | worker gone after the signal: median (max) |")
        print("| --- | --- | --- |")
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL):
            rounds = [one_round(folder, number, env) for _ in range(args.rounds)]
            exits = [exit for exit, _ in rounds if exit is not None]
            gone = [worker for _, worker in rounds]
            shown = f"{statistics.median(exits):.3f} s ({max(exits):.3f} s)" if exits else "(killed at once)"
            worker = f"{statistics.median(gone):.3f} s ({max(gone):.3f} s)"
            print(f"| {signal.Signals(number).name} | {shown} | {worker} |")


if __name__ == "__main__":
    main()
