"""Fingerprints of what a build reads, so an unchanged rebuild can stop before any heavy work."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import srs

LOCAL_FOLDERS = ("data", "images")


def local_files(notebook: Path) -> list[Path]:
    """Files beside a notebook that its run or its cards may read: sibling modules, data/, images/."""
    folder = notebook.parent
    files = sorted(folder.glob("*.py"))
    for name in LOCAL_FOLDERS:
        files += sorted(p for p in (folder / name).rglob("*") if p.is_file())
    return files


def hash_files(paths: Iterable[Path], base: Path) -> str:
    """One hash over the names and bytes of some files."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_inputs(notebook: Path, pyproject: Path | None, flags: str) -> str:
    """Fingerprint of one deck's inputs: notebook, local files, settings, srs version, build flags."""
    extra = [pyproject] if pyproject else []
    digest = hashlib.sha256()
    digest.update(f"srs {srs.__version__}\0{flags}\0".encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(hash_files(local_files(notebook), notebook.parent).encode())
    for path in extra:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
