"""Building many lessons at once: each in a process of its own, producers before the lessons that need them.

`plan_lessons` reads what every lesson declares it produces and needs (srs.notebook.dependencies) and puts
the lessons in an order that builds producers first. `build_lessons` then keeps up to `jobs`
lesson builds running, each in a fresh `python -m JOB_MODULE` process (the CLI names it) that builds
one deck exactly as `srs build NOTEBOOK` does and hands back what it would have printed, so each lesson's
messages stay together. A lesson that is up to date is settled here without a process. A lesson
that fails stops only the lessons that need its files. Nothing here prints: progress goes through
a callback, and each finished lesson is yielded to the caller (the CLI) as it ends.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srs
from srs.build.lesson import BuildOptions
from srs.core.errors import EXIT_CHECK_FAILED, EXIT_OK, SrsError
from srs.core.model import Finding
from srs.notebook.dependencies import DependencyError, LessonFiles, build_order, lesson_files, unmade_needs

PROGRESS = "progress"
DONE = "done"
PARENT = "SRS_BUILD_PARENT"
"""Names, for a lesson's process, the process of the build that started it."""


@dataclass(frozen=True)
class LessonPlan:
    """One lesson of a build, with the lessons of the same build whose files it needs."""

    path: Path
    files: LessonFiles
    after: frozenset[Path] = frozenset()
    problem: SrsError | None = None
    """A mistake found while planning (its declaration, a needed file nobody makes); it is not built."""


@dataclass(frozen=True)
class LessonDone:
    """How one lesson's build ended, and what it printed."""

    path: Path
    code: int
    """Its exit code, as `srs build NOTEBOOK` would have ended."""
    out: str = ""
    err: str = ""
    up_to_date: bool = False
    """Settled without a build: nothing changed since the last one."""


@dataclass
class _Running:
    """A lesson being built in its own process."""

    path: Path
    process: subprocess.Popen[str]
    status: str = field(default="starting")


def default_jobs() -> int:
    """Lessons built at once by default: one per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def plan_lessons(paths: Sequence[Path]) -> list[LessonPlan]:
    """The lessons in build order; raise DependencyError when producers cannot come first
    (a circle of lessons, two producers of one file)."""
    files: dict[Path, LessonFiles] = {}
    problems: dict[Path, SrsError] = {}
    for path in dict.fromkeys(paths):
        try:
            files[path] = lesson_files(path)
        except DependencyError as problem:
            files[path], problems[path] = LessonFiles(), problem
    order, after = build_order(files)
    made = [product for declared in files.values() for product in declared.produces]
    plans = []
    for path in order:
        problem = problems.get(path)
        missing = unmade_needs(path, files[path], made) if problem is None else []
        if missing:
            problem = DependencyError(
                f"the lesson needs '{missing[0]}', which does not exist and which no lesson of this build "
                "declares in srs.produces; add the lesson that makes it, or declare it there",
                path,
                code="SRS071",
            )
        plans.append(LessonPlan(path, files[path], frozenset(after[path]), problem))
    return plans


def build_lessons(
    plans: Sequence[LessonPlan],
    options: BuildOptions,
    jobs: int,
    job_module: str,
    progress: Callable[[Sequence[str]], None] = lambda _status: None,
) -> Iterator[LessonDone]:
    """Build the planned lessons, up to `jobs` at once; yield each one as it ends.

    Each lesson builds in `python -m job_module JOB`, which reads the JSON job (see `lesson_job`) and
    writes JSON lines: progress messages, then one with the exit code and the text it printed.
    `progress` gets the status of every lesson being built (its latest progress message) whenever
    one of them changes.
    """
    events: queue.Queue[tuple[str, Path, Any]] = queue.Queue()
    waiting = list(plans)
    ended: dict[Path, int] = {}
    running: dict[Path, _Running] = {}
    try:
        while waiting or running:
            for plan in list(waiting):
                if len(running) >= max(1, jobs):
                    break
                if not plan.after <= ended.keys():
                    continue
                waiting.remove(plan)
                settled = _settle_here(plan, options, ended)
                if settled is None:
                    running[plan.path] = _start(plan.path, options, job_module, events)
                    progress([child.status for child in running.values()])
                    continue
                ended[plan.path] = settled.code
                yield settled
            if not running:
                continue
            kind, path, payload = events.get()
            if kind == PROGRESS:
                running[path].status = str(payload)
                progress([child.status for child in running.values()])
                continue
            running.pop(path).process.wait()
            ended[path] = payload.code
            yield payload
    finally:
        _stop([child.process for child in running.values()])


def _stop(processes: Sequence[subprocess.Popen[str]], grace: float = 3.0) -> None:
    """End lesson processes still running (the build was interrupted): each is asked first, so that it
    can end its notebook's worker, and killed if it has not ended after `grace` seconds."""
    import time

    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _settle_here(plan: LessonPlan, options: BuildOptions, ended: dict[Path, int]) -> LessonDone | None:
    """The end of a lesson that needs no process (failed producer, planning mistake, up to date)."""
    failed = sorted(producer for producer in plan.after if ended[producer] != EXIT_OK)
    if failed:
        line = (
            f"{plan.path}: [SRS074] not built: it needs files of {failed[0]}, whose build failed; "
            "fix that lesson first"
        )
        return LessonDone(plan.path, max(ended[failed[0]], EXIT_CHECK_FAILED), err=line + "\n")
    if plan.problem is not None:
        return LessonDone(plan.path, plan.problem.exit_code, err=f"{plan.problem}\n")
    from srs.build.lesson import is_up_to_date

    try:
        if is_up_to_date(plan.path, options):
            return LessonDone(plan.path, EXIT_OK, up_to_date=True)
    except SrsError:
        return None  # the lesson's own build reports it, as it would alone
    return None


def lesson_job(path: Path, options: BuildOptions) -> dict[str, Any]:
    """What a lesson's process is told: the notebook and the build options, as JSON-ready data."""
    return {
        "path": str(path),
        "out_dir": str(options.out_dir),
        "strict": options.strict,
        "use_cache": options.use_cache,
        "timeout": options.timeout,
        "force": options.force,
    }


def job_options(job: dict[str, Any]) -> tuple[Path, BuildOptions]:
    """The notebook and build options of a lesson's job (the inverse of `lesson_job`)."""
    options = BuildOptions(
        out_dir=Path(job["out_dir"]),
        strict=bool(job["strict"]),
        use_cache=bool(job["use_cache"]),
        timeout=job["timeout"],
        force=bool(job["force"]),
    )
    return Path(job["path"]), options


def _start(
    path: Path, options: BuildOptions, job_module: str, events: queue.Queue[tuple[str, Path, Any]]
) -> _Running:
    """Start the process that builds one lesson, and a thread that passes on what it reports."""
    process = subprocess.Popen(
        [sys.executable, "-m", job_module, json.dumps(lesson_job(path, options))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_child_environment(),
    )
    threading.Thread(target=_follow, args=(path, process, events), daemon=True).start()
    return _Running(path, process)


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env[PARENT] = str(os.getpid())
    root = str(Path(srs.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


def _follow(path: Path, process: subprocess.Popen[str], events: queue.Queue[tuple[str, Path, Any]]) -> None:
    """Pass on a lesson process's progress, then how it ended (its stderr holds any traceback)."""
    assert process.stdout is not None and process.stderr is not None
    done: LessonDone | None = None
    for line in process.stdout:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if PROGRESS in message:
            events.put((PROGRESS, path, message[PROGRESS]))
        elif DONE in message:
            done = LessonDone(path, int(message[DONE]), out=message["out"], err=message["err"])
    crashed = process.stderr.read()
    code = process.wait()
    if done is None:
        ended = crashed or f"{path}: the lesson's build ended with status {code}\n"
        done = LessonDone(path, code or EXIT_CHECK_FAILED, err=ended)
    elif crashed:
        done = LessonDone(path, done.code, done.out, done.err + crashed)
    events.put((DONE, path, done))


def duplicates_across(plans: Sequence[LessonPlan], out_dir: Path) -> list[Finding]:
    """SRS111 / SRS112 between the decks of this build, from the fronts each lesson's manifest keeps."""
    from srs.deck.manifest import load_manifest, manifest_path
    from srs.lint.across import KeptFronts, check_across

    kept = [
        KeptFronts(plan.path, load_manifest(manifest_path(out_dir, plan.path.stem)).fronts or [])
        for plan in plans
    ]
    return check_across(kept)
