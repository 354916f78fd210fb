"""Run planned cells in a fresh worker process and watch it: progress, per-cell time limits, deaths.

The worker reports JSON lines on a pipe. The parent waits on that pipe with a deadline that restarts
whenever a cell starts; a worker past its deadline is killed with its whole process group, so a
lesson that hangs, exits or crashes never takes the caller down with it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from srs.core.errors import RunError
from srs.core.model import CellResult, Lesson, Location, Progress
from srs.run.channel import Channel
from srs.run.codec import ResultReader
from srs.run.job import CellJob
from srs.run.spawn import Worker, process_ended, stop

STARTUP_LIMIT = 60.0
"""Seconds the worker may take to start (import IPython) before its first cell."""
EXIT_GRACE = 5.0
"""Seconds a worker that closed its report pipe early may take to exit (and give its exit status)
before it is killed."""
POLL = 0.5
"""Longest wait on the pipe before checking whether the worker is still alive."""


def run_cells(
    lesson: Lesson,
    jobs: tuple[CellJob, ...],
    timeout: float,
    progress: Progress,
    worker: Worker | None = None,
    on_result: Callable[[CellResult], None] = lambda _result: None,
) -> dict[int, CellResult]:
    """Run the cells in a worker (a new one unless given), or raise RunError.

    Returns the results by cell number. `on_result` sees every result as soon as it arrives,
    while later cells are still running.
    """
    worker = worker or Worker(lesson.folder)
    if not jobs:
        worker.close()
        return {}
    return follow_run(worker, jobs, Watch(lesson, jobs, timeout, progress, worker.stderr, on_result))


def follow_run(worker: Worker, jobs: tuple[CellJob, ...], watch: Watch) -> dict[int, CellResult]:
    """Hand the worker its cells and follow its reports with `watch`; the worker is closed after."""
    try:
        worker.send(jobs)
        return watch.follow(worker.process, LineReader(worker.channel))
    finally:
        worker.close(finished=watch.finished)


class LineReader:
    """Complete lines from the worker's report channel, waiting at most a given time for more."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.pending = bytearray()

    def read(self, wait: float) -> tuple[list[bytes], bool]:
        """(lines that arrived within `wait` seconds, has the writer closed the channel?)."""
        if not self.channel.wait(wait):
            return [], False
        chunk = self.channel.receive()
        if not chunk:
            return [], True
        self.pending.extend(chunk)
        if b"\n" not in chunk:
            return [], False
        *lines, rest = bytes(self.pending).split(b"\n")
        self.pending = bytearray(rest)
        return lines, False

    def drain(self) -> list[bytes]:
        """Every complete line already waiting in the channel, without waiting for more."""
        found: list[bytes] = []
        while True:
            lines, closed = self.read(0.0)
            found.extend(lines)
            if closed or not self.channel.wait(0.0):
                return found


class Watch:
    """Follows one worker's reports and turns its failures into RunErrors."""

    def __init__(
        self,
        lesson: Lesson,
        jobs: tuple[CellJob, ...],
        timeout: float,
        progress: Progress,
        stderr: Path,
        on_result: Callable[[CellResult], None] = lambda _result: None,
    ) -> None:
        self.on_result = on_result
        self.lesson = lesson
        self.jobs = {job.index: job for job in jobs}
        self.order = [job.index for job in jobs]
        self.timeout = timeout
        self.progress = progress
        self.stderr = stderr
        self.stderr_start = 0  # what the current cell wrote to stderr begins here
        self.results: dict[int, CellResult] = {}
        self.reader = ResultReader()
        self.current: int | None = None
        self.deadline = time.monotonic() + STARTUP_LIMIT
        self.finished = False

    def follow(self, process: subprocess.Popen[bytes], reader: LineReader) -> dict[int, CellResult]:
        """Read reports until the worker is done; raise RunError when it fails, hangs or dies."""
        while not self.finished:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise self._timed_out()
            lines, closed = reader.read(min(left, POLL))
            for line in lines:
                self._handle_line(line)
            if not self.finished and (closed or (not lines and process_ended(process))):
                for line in reader.drain():  # what the worker said just before it exited
                    self._handle_line(line)
                if not self.finished:
                    raise self._died(process)
        return self.results

    def _handle_line(self, line: bytes) -> None:
        try:
            event = json.loads(line.decode("utf-8"))
            kind = event["event"]
            if kind == "result":
                result = self.reader.read(event["result"])
            elif kind == "start":
                cell = int(event["cell"])
                position = self.order.index(cell) + 1
            elif kind == "failed":
                failure = failure_error(self.location(int(event["cell"]), event.get("line")), event)
            elif kind != "done":
                raise ValueError(f"unknown event {kind!r}")
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):  # not the worker's line
            raise self._garbled(line) from None
        if kind == "result":
            self.results[result.cell] = result
            self.on_result(result)
        elif kind == "start":
            self.current = cell
            self.deadline = time.monotonic() + self.timeout
            self.stderr_start = _size(self.stderr)
            self.progress(f"{self.lesson.path.name}: cell {cell} ({position}/{len(self.order)})")
        elif kind == "failed":
            raise failure
        else:
            self.finished = True

    def _garbled(self, line: bytes) -> RunError:
        """The error for a report line the worker did not write (a cell wrote onto the channel)."""
        shown = line[:40].decode("utf-8", errors="replace")
        during = "before its first cell" if self.current is None else f"while cell {self.current} ran"
        return RunError(
            f"the worker's report channel received {shown!r}{'...' if len(line) > 40 else ''}, which is not "
            f"a report, {during}; a cell must not write to file descriptors it did not open",
            self.location(self.current),
        )

    def location(self, cell: int | None, line: int | None = None) -> Location:
        """Where a failure happened: the cell, or the notebook when no cell had started."""
        if cell is None:
            return Location(self.lesson.path)
        return Location(self.lesson.path, cell, self.jobs[cell].cell_id, line)

    def _timed_out(self) -> RunError:
        if self.current is None:
            message = f"the worker process did not start within {STARTUP_LIMIT:g} s"
            return RunError(message, self.location(None))
        limit = f"{self.timeout:g}"
        return RunError(
            f"cell {self.current} was still running after the per-cell limit of {limit} s, so the run "
            "was stopped; if the cell is simply slow, raise the limit with `timeout = SECONDS` under "
            "[tool.srs] in pyproject.toml or with `--timeout SECONDS`",
            self.location(self.current),
        )

    def _died(self, process: subprocess.Popen[bytes]) -> RunError:
        stop(process, EXIT_GRACE)
        how = exit_description(process.returncode)
        during = "before its first cell" if self.current is None else f"while running cell {self.current}"
        message = f"the worker process running the notebook {how} {during}"
        if self.current is not None:
            message += "; a cell must not end the process (os._exit, a crash in native code)"
        last_words = crash_line(self.stderr, self.stderr_start)
        if last_words:
            message += f"; it last wrote: {last_words}"
        return RunError(message, self.location(self.current))


def failure_error(location: Location, event: dict[str, Any]) -> RunError:
    """The RunError for a `failed` report of the worker."""
    cell = location.cell
    kind = event["kind"]
    if kind == "exit":
        message = (
            f"cell {cell} called {event['error']}, which would end the notebook's process; "
            "raise an exception instead (and tag the cell `raises-exception` if that is the point)"
        )
    elif kind == "request":
        message = f"cannot evaluate `{event['expression']}` after cell {cell}: {event['error']}"
    else:
        message = f"cell {cell} raised {event['error']}"
        frames = event.get("frames") or []
        if frames:
            message += "\n" + "\n".join(f"  {frame}" for frame in frames)
        message += "\nfix the cell, or tag it `raises-exception` if the error is the point"
    return RunError(message, location)


def exit_description(code: int) -> str:
    """How a process ended, in words."""
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def crash_line(path: Path, start: int) -> str:
    """The telling line of what the worker wrote to stderr after `start`: a fatal error, else the last."""
    try:
        with path.open("rb") as handle:
            handle.seek(start)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # faulthandler follows "Fatal Python error: Segmentation fault" with stack lines of no interest
    fatal = [line for line in lines if line.startswith("Fatal Python error")]
    return (fatal or lines or [""])[-1]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
