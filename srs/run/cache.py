"""Run results kept between builds: one JSON file per lesson, trusted while its inputs are unchanged.

Each code cell's entry carries a key that chains everything that could have shaped its result: the
Python and package versions, the bytes of the lesson's local modules and data and of the files it
needs from other lessons (`srs.needs`, see srs.notebook.dependencies), and, for every code
cell up to it, its code (option lines left out), its `raises-exception` tag and the expressions
evaluated after it. Entries are stored in code-cell order, not by cell number, so inserting a
markdown cell keeps them valid. Reading the cache never imports torch.

The file is JSON lines: a header with the format and every entry's key, then one result per line,
each written as what changed since the line before it (`ResultWriter`), so reading takes them in
order. A build that must run anyway learns so from the header alone, without reading the results.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import srs
from srs.core.files import write_text_atomically
from srs.core.hashing import file_digest
from srs.core.model import CellResult, Lesson
from srs.core.versions import installed_version
from srs.notebook.dependencies import lesson_files
from srs.notebook.fingerprint import run_inputs
from srs.run.codec import ResultReader, ResultWriter
from srs.run.job import CellJob

FORMAT = 4
"""Version of the file layout and of what a run captures; bumping it invalidates every cache."""
PACKAGES = ("torch", "numpy", "matplotlib", "ipython")
"""Installed packages whose versions can change what a lesson computes or how it is captured."""


def cache_path(cache_dir: Path, lesson: Lesson) -> Path:
    """The cache file of a lesson."""
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", lesson.lesson_id)
    return cache_dir / f"{safe_id}.jsonl"


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
    versions = [installed_version(name) for name in PACKAGES]
    digest.update(json.dumps([FORMAT, srs.__version__, sys.version, versions]).encode())
    folder = lesson.folder
    for path in run_inputs(folder):
        digest.update(json.dumps([path.relative_to(folder).as_posix(), file_digest(path)]).encode())
    needed = lesson_files(lesson.path)
    if needed.needs:  # files other lessons made
        digest.update(needed.needs_digest().encode())
    return digest.hexdigest()


def load(cache_dir: Path, lesson: Lesson, jobs: Sequence[CellJob]) -> dict[int, CellResult] | None:
    """Cached results of the planned cells, or None when any of them is missing or stale."""
    if lesson_files(lesson.path).missing_products():
        return None  # only a run makes them again
    keys = cell_keys(lesson, jobs)
    try:
        with cache_path(cache_dir, lesson).open(encoding="utf-8") as handle:
            if _header_keys(handle.readline())[: len(keys)] != keys:
                return None
            lines = [handle.readline() for _ in jobs]
        reader = ResultReader()
        return {
            job.index: dataclasses.replace(reader.read(json.loads(line)), cell=job.index)
            for job, line in zip(jobs, lines, strict=True)
        }
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def store(
    cache_dir: Path, lesson: Lesson, jobs: Sequence[CellJob], results: Mapping[int, CellResult]
) -> None:
    """Save the results of a run of `jobs` (every code cell of the lesson, run or not).

    Cells past the end of the run keep their old entries when those are still valid.
    """
    keys = cell_keys(lesson, jobs)
    complete = all(job.index in results for job in jobs)
    old_keys, old_results = ([], []) if complete else _read(cache_dir, lesson)
    writer = ResultWriter()
    kept: list[str] = []
    for position, (job, key) in enumerate(zip(jobs, keys, strict=True)):
        if job.index in results:
            result = results[job.index]
        elif position < min(len(old_keys), len(old_results)) and old_keys[position] == key:
            result = old_results[position]
        else:
            break
        kept.append(json.dumps(writer.write(result)))
    header = json.dumps({"format": FORMAT, "lesson": lesson.lesson_id, "keys": keys[: len(kept)]})
    write_text_atomically(cache_path(cache_dir, lesson), "\n".join([header, *kept]) + "\n")
    cache_path(cache_dir, lesson).with_suffix(".json").unlink(missing_ok=True)  # the first format's file


def _header_keys(line: str) -> list[str]:
    header = json.loads(line)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError("not a cache header")
    if not isinstance(header.get("keys"), list):
        raise ValueError("a cache header without keys")
    return [str(key) for key in header["keys"]]


def _read(cache_dir: Path, lesson: Lesson) -> tuple[list[str], list[CellResult]]:
    """The keys and results of the cache file, as far as it reads; nothing when it is missing."""
    try:
        first, *rest = cache_path(cache_dir, lesson).read_text(encoding="utf-8").splitlines()
        keys = _header_keys(first)
    except (OSError, ValueError):
        return [], []
    reader = ResultReader()
    results: list[CellResult] = []
    for line in rest:
        try:
            results.append(reader.read(json.loads(line)))
        except (KeyError, TypeError, ValueError, AttributeError):  # a damaged line ends what is kept
            break
    return keys, results
