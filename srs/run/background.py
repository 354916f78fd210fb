"""A run that goes on while the caller makes cards: one thread follows the worker, nothing more.

    run = start_run(lesson, requests, cache_dir=..., worker=worker)
    ...                              # make the cards that need no run
    for result in run.arrivals():   # each cell's result, as soon as the worker reports it
        ...                          # make and render its cards
    outcome = run.finish()           # the run's error, if any, is raised here; the cache is stored

The following thread only reads the worker's reports, puts the results on a queue and passes the
progress messages to the caller's callback; everything else (planning, the cache, making and
rendering cards, writing files, every import) happens in the caller's thread, before the following
thread starts or after it has handed its results over. An
exception in the following thread is raised by `finish`; an exception in the caller's (an
interrupted build, a bad card) ends the run with `stop`, which kills the worker's process group.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from srs.core.model import CellResult, Lesson, Progress, no_progress
from srs.run import cache
from srs.run.job import CellJob, plan_cells
from srs.run.lesson import RunOutcome
from srs.run.runner import Watch, follow_run
from srs.run.spawn import Worker

STOP_WAIT = 1.0
"""Seconds `stop` waits for the following thread to notice that the worker is gone."""


@dataclass
class _Ending:
    """What the following thread leaves when it ends: the results, or the exception it raised."""

    results: dict[int, CellResult] = field(default_factory=dict)
    error: BaseException | None = None


class BackgroundRun:
    """A lesson's run in a worker, followed by one thread; see the module's docstring."""

    def __init__(
        self,
        lesson: Lesson,
        every_cell: tuple[CellJob, ...],
        planned: tuple[CellJob, ...],
        cache_dir: Path | None,
        cached: Mapping[int, CellResult] | None,
    ) -> None:
        self.lesson = lesson
        self.every_cell = every_cell
        self.planned = planned
        self.cache_dir = cache_dir
        self.cached = cached
        self.worker: Worker | None = None
        self.watch: Watch | None = None
        self._thread: threading.Thread | None = None
        self._arrived: queue.SimpleQueue[CellResult | _Ending] = queue.SimpleQueue()
        self._ending: _Ending | None = None

    def _start(self, worker: Worker, timeout: float, progress: Progress) -> None:
        self.worker = worker
        self.watch = Watch(self.lesson, self.planned, timeout, progress, worker.stderr, self._arrived.put)
        self._thread = threading.Thread(target=self._follow, name="srs-follow-run", daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        ending = _Ending()
        try:
            assert self.worker is not None and self.watch is not None
            ending.results = follow_run(self.worker, self.planned, self.watch)
        except BaseException as problem:  # handed to the caller's thread, which raises it in `finish`
            ending.error = problem
        finally:
            self._arrived.put(ending)

    def done(self) -> bool:
        """Has the run ended (or did it never need to start)?"""
        return self._thread is None or not self._thread.is_alive()

    @property
    def running_cell(self) -> int | None:
        """The cell the worker is running now, if any (for a message about an interruption)."""
        if self.watch is None or self.done():
            return None
        return self.watch.current

    def arrivals(self) -> Iterator[CellResult]:
        """The fresh results, in the order the worker reports them, until the run ends (none when
        the results came from the cache)."""
        while self._thread is not None and self._ending is None:
            item = self._arrived.get()
            if isinstance(item, _Ending):
                self._ending = item
            else:
                yield item

    def finish(self) -> RunOutcome:
        """The outcome, once every result has arrived; raises the run's error (RunError)."""
        if self._thread is None:
            assert self.cached is not None
            return RunOutcome(self.cached, ran=False)
        for _result in self.arrivals():
            pass
        assert self._ending is not None
        self._thread.join()
        if self._ending.error is not None:
            raise self._ending.error
        if self.cache_dir is not None:
            cache.store(self.cache_dir, self.lesson, self.every_cell, self._ending.results)
        return RunOutcome(self._ending.results, ran=True)

    def stop(self) -> None:
        """End the run now: kill the worker's process group and let the following thread notice."""
        if self.worker is not None:
            self.worker.kill()
        if self._thread is not None:
            self._thread.join(STOP_WAIT)


def start_run(
    lesson: Lesson,
    requests: Mapping[int, tuple[str, ...]],
    *,
    cache_dir: Path | None,
    timeout: float = 120.0,
    use_cache: bool = True,
    progress: Progress = no_progress,
    worker: Worker | None = None,
) -> BackgroundRun:
    """Start the lesson's run (or take its results from the cache) and return at once.

    Call from the thread that will consume the results; `worker` (from `start_worker`) is used for
    the run, or closed when the cache has every result. A worker started here starts in the
    calling thread too, so that it can be tied to this thread's life (see srs.run.lifeline).
    """
    every_cell = plan_cells(lesson, requests)
    found = cache.load(cache_dir, lesson, every_cell) if use_cache and cache_dir is not None else None
    if not every_cell:
        found = {}
    run = BackgroundRun(lesson, every_cell, every_cell, cache_dir, found)
    if found is not None:
        if worker is not None:
            worker.close()
        return run
    worker = worker or Worker(lesson.folder)
    try:
        run._start(worker, timeout, progress)
    except BaseException:
        worker.close()
        raise
    return run
