"""Starting and ending worker processes; light enough to import before anything else.

`srs build` starts a spare worker here before its command line is parsed, so this module (and the
package's `__init__`) imports nothing of srs but `srs` itself and the two small modules that say how
this platform reaches a worker (srs.run.portable, srs.run.channel), and only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import srs
from srs.run.channel import open_channel
from srs.run.portable import fast_paths

if TYPE_CHECKING:
    from srs.core.model import Lesson
    from srs.run.job import CellJob

FIGURE_BACKEND = "module://srs.run.figures"
"""The worker's matplotlib backend: Agg drawing, figures collected at `plt.show()`."""


def worker_environment() -> dict[str, str]:
    """The environment of a worker: ours, plus what makes runs repeatable and srs importable."""
    env = dict(os.environ)
    env["MPLBACKEND"] = FIGURE_BACKEND
    env["PYTHONHASHSEED"] = "0"
    root = str(Path(srs.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


class Worker:
    """A worker process, started early so its start-up overlaps the caller's own work.

    It imports IPython and builds its shell, then waits for its job on stdin; `close` ends it and
    removes its scratch files, whether or not it ever got a job.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._scratch = tempfile.TemporaryDirectory(prefix="srs-run-")
        self.stderr = Path(self._scratch.name, "stderr.txt")
        self.channel = open_channel()
        report, lifeline = self.channel.worker_args()
        # the kernel's parent-death signal follows the starting thread, so only the main thread's
        # workers (whose thread ends with srs) may use it
        tie = fast_paths() and threading.current_thread() is threading.main_thread()
        command = [sys.executable, "-m", "srs.run.worker", "-", report, str(os.getpid()), lifeline]
        command.append("kernel" if tie else "pipe")
        # the worker reads back what cells write straight to its file descriptor 1 (os.system,
        # subprocesses, C code), so its stdout file is open for reading too
        try:
            with open(Path(self._scratch.name, "stdout.txt"), "w+b") as out, open(self.stderr, "wb") as err:
                self.process = subprocess.Popen(
                    command,
                    cwd=self.folder,
                    env={**worker_environment(), **self.channel.environment},
                    stdin=subprocess.PIPE,
                    stdout=out,
                    stderr=err,
                    pass_fds=self.channel.pass_fds,
                    start_new_session=True,
                )
        except BaseException:
            self.channel.started()
            self.channel.close()
            self._scratch.cleanup()
            raise
        self.channel.started()
        self.closed = False

    def send(self, jobs: tuple[CellJob, ...]) -> None:
        """Hand the worker its cells; closing stdin afterwards means `input()` in a cell gets EOF."""
        assert self.process.stdin is not None
        payload = {
            "folder": str(self.folder),
            "scratch": self._scratch.name,
            "cells": [job.to_json() for job in jobs],
        }
        import json

        with contextlib.suppress(BrokenPipeError):  # a worker that died is reported by the watch
            self.process.stdin.write(json.dumps(payload).encode())
            self.process.stdin.close()

    def kill(self) -> None:
        """End the worker's processes at once; whoever follows its reports sees it die."""
        _kill_group(self.process)

    def close(self, *, finished: bool = False) -> None:
        """Stop the worker and anything it started, and remove its files.

        A worker that reported `done` is leaving by itself; the kernel takes a few hundredths of a
        second to free a process that loaded torch, so a background thread waits for that. Any
        other worker is killed and reaped here.
        """
        if self.closed:
            return
        self.closed = True
        self.channel.close()
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        if finished:
            # still unreaped, so the group id cannot have been reused: safe to signal
            _kill_group(self.process)
            threading.Thread(target=self.process.wait, name="srs-reap-worker", daemon=True).start()
        else:
            stop(self.process, 0.0)
        self._scratch.cleanup()


def start_worker(lesson: Lesson) -> Worker:
    """A worker for this lesson, to hand to `run_lesson` later (close it if unused).

    The spare worker is taken when there is one; otherwise a new one starts now.
    """
    global _spare
    spare, _spare = _spare, None
    if spare is not None and spare.process.poll() is None:
        spare.folder = lesson.folder.resolve()
        return spare
    if spare is not None:
        spare.close()
    return Worker(lesson.folder)


def start_spare_worker() -> None:
    """Start a worker before the lesson is known; the next `start_worker` takes it.

    Its start-up then overlaps everything this process does before it knows what to run. One that
    is never taken is closed when the process exits.
    """
    global _spare
    import atexit

    _spare = Worker(Path.cwd())
    atexit.register(_close_spare)


def _close_spare() -> None:
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        spare.close()


_spare: Worker | None = None


def stop(process: subprocess.Popen[bytes], grace: float) -> None:
    """End the worker and anything it started, after `grace` seconds for a clean exit."""
    if process.returncode is not None:
        return
    end = time.monotonic() + grace
    while time.monotonic() < end and not process_ended(process):
        time.sleep(0.01)
    # The worker leads its own process group; until it is reaped, the group id cannot be reused.
    _kill_group(process)
    process.wait()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    # once reaped, its id (and so its group's) may belong to someone else
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows: no process groups; the worker's lifeline ends what it started
            process.kill()


def process_ended(process: subprocess.Popen[bytes]) -> bool:
    """Has the worker exited? On Linux it is left unreaped (see `has_exited`)."""
    if process.returncode is not None:
        return True
    if fast_paths() and hasattr(os, "waitid"):
        return has_exited(process.pid)
    return process.poll() is not None


def has_exited(pid: int) -> bool:
    """Has the process exited? Leaves it unreaped, so its id stays reserved."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None
