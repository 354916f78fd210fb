"""The one way srs hashes files and bytes: SHA-256, read in blocks so large files stay cheap in memory."""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 20


def bytes_digest(data: bytes) -> str:
    """SHA-256 of some bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest_or_none(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it does not exist or cannot be read."""
    try:
        return file_digest(path)
    except OSError:
        return None
