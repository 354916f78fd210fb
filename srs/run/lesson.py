"""Results of a lesson's code cells: from the run cache, or from a fresh run in a worker."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from srs.core.model import CellResult, Lesson, Progress, no_progress
from srs.run import cache
from srs.run.job import plan_cells

if TYPE_CHECKING:
    from srs.run.spawn import Worker


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

    results = run_cells(lesson, planned, timeout, progress, worker, on_result)
    if cache_dir is not None:
        cache.store(cache_dir, lesson, every_cell, results)
    return RunOutcome(results, ran=True)


def cached_results(
    lesson: Lesson,
    requests: Mapping[int, tuple[str, ...]],
    cache_dir: Path,
    *,
    upto: int | None = None,
) -> Mapping[int, CellResult] | None:
    """The cached results of every code cell (up to `upto`), or None when any is missing or stale."""
    return cache.load(cache_dir, lesson, plan_cells(lesson, requests, upto))
