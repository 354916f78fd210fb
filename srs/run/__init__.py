"""Run a lesson's code cells in a fresh worker process and capture what each produced, with a cache.

    outcome = run_lesson(lesson, {7: ("scores.shape",)}, cache_dir=Path(".srs-cache"))
    outcome.results[7].evaluated["scores.shape"].data   # [3, 5]

Importing this package stays cheap: torch, numpy, matplotlib and IPython load only in the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from srs.run.lesson import RunOutcome, cached_results, run_lesson
    from srs.run.spawn import start_spare_worker, start_worker

__all__ = ["RunOutcome", "cached_results", "run_lesson", "start_spare_worker", "start_worker"]

# Loaded on first use: `srs` imports this package to start a spare worker before anything else, and
# a worker process imports it on its way to srs.run.worker; neither needs the cache or the model.
_HOMES = {
    "RunOutcome": "srs.run.lesson",
    "cached_results": "srs.run.lesson",
    "run_lesson": "srs.run.lesson",
    "start_spare_worker": "srs.run.spawn",
    "start_worker": "srs.run.spawn",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'srs.run' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(home), name)
