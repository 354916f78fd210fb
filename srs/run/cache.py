"""Run results kept between builds: one JSON file per lesson, trusted while its inputs are unchanged.

Each code cell's entry carries a key that chains everything that could have shaped its result: the
Python and package versions, the bytes of the lesson's local modules and data, and, for every code
cell up to it, its code (option lines left out), its `raises-exception` tag and the expressions
evaluated after it. Entries are stored in code-cell order, not by cell number, so inserting a
markdown cell keeps them valid. Reading the cache never imports torch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import srs
from srs.fingerprint import run_inputs
from srs.model import CellResult, Lesson
from srs.run.codec import result_from_json, result_to_json
from srs.run.job import CellJob

FORMAT = 1
"""Version of the file layout and of what a run captures; bumping it invalidates every cache."""
PACKAGES = ("torch", "numpy", "matplotlib", "ipython")
"""Installed packages whose versions can change what a lesson computes or how it is captured."""


def cache_path(cache_dir: Path, lesson: Lesson) -> Path:
    """The cache file of a lesson."""
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", lesson.lesson_id)
    return cache_dir / f"{safe_id}.json"


def cell_keys(lesson: Lesson, jobs: Sequence[CellJob]) -> list[str]:
    """One key per planned cell: a hash of everything that can have shaped its result."""
    running = hashlib.sha256(environment_key(lesson).encode())
    keys = []
    for job in jobs:
        running.update(json.dumps([job.code, job.may_raise, list(job.requests)]).encode())
        keys.append(running.copy().hexdigest())
    return keys


def environment_key(lesson: Lesson) -> str:
    """A hash of the interpreter, the relevant package versions and the lesson's local files."""
    digest = hashlib.sha256()
    versions = [_installed_version(name) for name in PACKAGES]
    digest.update(json.dumps([FORMAT, srs.__version__, sys.version, versions]).encode())
    folder = lesson.folder
    for path in run_inputs(folder):
        digest.update(json.dumps([path.relative_to(folder).as_posix(), _file_hash(path)]).encode())
    return digest.hexdigest()


def load(cache_dir: Path, lesson: Lesson, jobs: Sequence[CellJob]) -> dict[int, CellResult] | None:
    """Cached results of the planned cells, or None when any of them is missing or stale."""
    entries = _read_entries(cache_path(cache_dir, lesson))
    if entries is None or len(entries) < len(jobs):
        return None
    results: dict[int, CellResult] = {}
    try:
        for job, key, entry in zip(jobs, cell_keys(lesson, jobs), entries, strict=False):
            if entry["key"] != key:
                return None
            results[job.index] = dataclasses.replace(result_from_json(entry["result"]), cell=job.index)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return results


def store(
    cache_dir: Path,
    lesson: Lesson,
    jobs: Sequence[CellJob],
    results: Mapping[int, CellResult],
    encoded: Mapping[int, str] | None = None,
) -> None:
    """Save the results of a run of `jobs` (every code cell of the lesson, run or not).

    `encoded` holds results already in JSON (as the worker sent them), which are written as they
    are. Cells past the end of the run keep their old entries when those are still valid.
    """
    encoded = encoded or {}
    keys = cell_keys(lesson, jobs)
    complete = all(job.index in results for job in jobs)
    old = [] if complete else _read_entries(cache_path(cache_dir, lesson)) or []
    entries: list[str] = []
    for position, (job, key) in enumerate(zip(jobs, keys, strict=True)):
        if job.index in results:
            text = encoded.get(job.index) or json.dumps(result_to_json(results[job.index]))
            entries.append(f'{{"key":{json.dumps(key)},"result":{text}}}')
        elif position < len(old) and isinstance(old[position], dict) and old[position].get("key") == key:
            entries.append(json.dumps(old[position], separators=(",", ":")))
        else:
            break
    header = json.dumps({"format": FORMAT, "lesson": lesson.lesson_id}, separators=(",", ":"))
    _write_atomically(cache_path(cache_dir, lesson), f'{header[:-1]},"cells":[{",".join(entries)}]}}')


def _read_entries(path: Path) -> list[Any] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    entries = document.get("cells")
    return entries if isinstance(entries, list) else None


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A reader sees the old file or the new one, never half of one.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _installed_version(name: str) -> str | None:
    from importlib import metadata  # only a cache lookup needs it; keeps `import srs.run` quick

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
