"""Fingerprints of what a build reads, so an unchanged rebuild can stop before any heavy work."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import srs
from srs.core.hashing import bytes_digest, file_digest
from srs.notebook.dependencies import lesson_files

DATA_FOLDER = "data"
IMAGES_FOLDER = "images"


def run_inputs(folder: Path) -> list[Path]:
    """Files beside a notebook that running it can read: sibling modules and packages, and `data/`."""
    found = [path for path in folder.glob("*.py") if path.is_file()]
    for package in folder.iterdir() if folder.is_dir() else ():
        if package.is_dir() and (package / "__init__.py").is_file():
            found.extend(path for path in package.rglob("*.py") if path.is_file())
    found.extend(_files_under(folder / DATA_FOLDER))
    return sorted(set(found))


def build_files(notebook: Path) -> list[Path]:
    """Everything beside a notebook that its deck depends on: the run's inputs and `images/`."""
    folder = notebook.parent
    return sorted(set(run_inputs(folder)) | set(_files_under(folder / IMAGES_FOLDER)))


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def hash_files(paths: Iterable[Path], base: Path) -> str:
    """One hash over the names and bytes of some files."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


def build_inputs(notebook: Path, pyproject: Path | None, flags: str) -> str:
    """Fingerprint of one deck's inputs: notebook, local files, files of other lessons it needs,
    settings, srs version, build flags."""
    extra = [pyproject] if pyproject else []
    digest = hashlib.sha256()
    digest.update(f"srs {srs.__version__}\0{flags}\0".encode())
    data = notebook.read_bytes()
    digest.update(bytes_digest(data).encode())
    digest.update(hash_files(build_files(notebook), notebook.parent).encode())
    needed = lesson_files(notebook, data)
    if needed.needs:
        digest.update(needed.needs_digest().encode())
    for path in extra:
        digest.update(file_digest(path).encode())
    return digest.hexdigest()
