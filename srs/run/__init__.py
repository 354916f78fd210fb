"""Run a lesson's code cells in a fresh worker process and capture what each produced, with a cache.

    outcome = run_lesson(lesson, {7: ("scores.shape",)}, cache_dir=Path(".srs-cache"))
    outcome.results[7].evaluated["scores.shape"].data   # [3, 5]

Importing this package stays cheap: torch, numpy, matplotlib and IPython load only in the worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from srs.model import CellResult, Lesson, Progress, no_progress
from srs.run import cache
from srs.run.job import plan_cells

if TYPE_CHECKING:
    from srs.run.runner import Worker


@dataclass(frozen=True)
class RunOutcome:
    """The results of a run, and whether any code had to run to get them."""

    results: Mapping[int, CellResult]
    """By cell number (`Cell.index`), code cells only."""
    ran: bool
    """False when everything came from the cache."""


def run_lesson(
    lesson: Lesson,
    requests: Mapping[int, tuple[str, ...]],
    *,
    cache_dir: Path | None,
    timeout: float = 120.0,
    use_cache: bool = True,
    progress: Progress = no_progress,
    upto: int | None = None,
    worker: Worker | None = None,
    on_result: Callable[[CellResult], None] = lambda _result: None,
) -> RunOutcome:
    """Results of the lesson's code cells (up to cell `upto`), from the cache or from a fresh run.

    `requests` maps a cell number to expressions evaluated right after that cell. A cell that raises
    (unless tagged `raises-exception`), runs past `timeout` seconds, exits or kills the worker
    raises RunError. A fresh run always starts from the first cell and refreshes the cache.
    `worker`, from `start_worker`, is used for the run (and closed either way). `on_result` sees
    each result of a fresh run as it arrives (not those read from the cache).
    """
    every_cell = plan_cells(lesson, requests)
    planned = tuple(job for job in every_cell if upto is None or job.index <= upto)
    if use_cache and cache_dir is not None:
        found = cache.load(cache_dir, lesson, planned)
        if found is not None:
            if worker is not None:
                worker.close()
            return RunOutcome(found, ran=False)
    from srs.run.runner import run_cells

    results, encoded = run_cells(lesson, planned, timeout, progress, worker, on_result)
    if cache_dir is not None:
        cache.store(cache_dir, lesson, every_cell, results, encoded)
    return RunOutcome(results, ran=True)


def start_worker(lesson: Lesson) -> Worker:
    """A worker for this lesson, to hand to `run_lesson` later (close it if unused).

    The spare worker is taken when there is one; otherwise a new one starts now.
    """
    global _spare
    from srs.run.runner import Worker

    spare, _spare = _spare, None
    if spare is not None and spare.process.poll() is None:
        spare.folder = lesson.folder.resolve()
        return spare
    if spare is not None:
        spare.close()
    return Worker(lesson.folder)


_spare: Worker | None = None


def start_spare_worker() -> None:
    """Start a worker before the lesson is known; the next `start_worker` takes it.

    Its start-up then overlaps everything this process does before it knows what to run. One that
    is never taken is closed when the process exits.
    """
    global _spare
    import atexit

    from srs.run.runner import Worker

    _spare = Worker(Path.cwd())
    atexit.register(_close_spare)


def _close_spare() -> None:
    global _spare
    spare, _spare = _spare, None
    if spare is not None:
        spare.close()


def cached_results(
    lesson: Lesson,
    requests: Mapping[int, tuple[str, ...]],
    cache_dir: Path,
    *,
    upto: int | None = None,
) -> Mapping[int, CellResult] | None:
    """The cached results of every code cell (up to `upto`), or None when any is missing or stale."""
    return cache.load(cache_dir, lesson, plan_cells(lesson, requests, upto))
