"""Answers of slow, pure computations kept between builds: sympy's verdicts, values and diagrams.

Editing a code cell re-runs the notebook, but the derivation steps, formula examples and shape
diagrams that did not change need not be worked out again. A build opens one memo per lesson
(`remembering`); code deep in the card kinds asks it through `remembered`, and works things out
afresh when no memo is open (tests, `srs check`). The memo file records the versions of srs, sympy
and matplotlib; with any of them changed it starts empty. Only entries used by a build are saved,
so the file never outgrows the lesson.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import srs
from srs.core.files import write_text_atomically

T = TypeVar("T")

FORMAT = 1
PACKAGES = ("sympy", "matplotlib")
"""Packages whose versions can change an answer kept here."""


class Memo:
    """The kept answers of one lesson: read from `path`, written back by `save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.versions = _versions()
        self.old = _read(path, self.versions)
        self.used: dict[str, Any] = {}
        self.lock = threading.Lock()

    def answer(
        self,
        kind: str,
        key: Any,
        make: Callable[[], T],
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
    ) -> T:
        """The kept answer for `key`, or `make()`'s (kept from now on)."""
        digest = f"{kind}:{hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()}"
        if digest in self.old:
            try:
                value = decode(self.old[digest])
            except (KeyError, TypeError, ValueError):  # a damaged entry is worked out again
                pass
            else:
                with self.lock:
                    self.used[digest] = self.old[digest]
                return value
        value = make()
        with self.lock:
            self.used[digest] = encode(value)
        return value

    def save(self) -> None:
        """Write the answers this build used, atomically."""
        document = {"format": FORMAT, "versions": self.versions, "answers": self.used}
        write_text_atomically(self.path, json.dumps(document, separators=(",", ":")))


_open: Memo | None = None
"""The memo of the build in progress (shared by its threads), if any."""


@contextmanager
def remembering(path: Path) -> Iterator[Memo]:
    """Keep answers in the memo file at `path` for the duration of the block (saved if it succeeds)."""
    global _open
    memo = Memo(path)
    _open = memo
    try:
        yield memo
        memo.save()
    finally:
        _open = None


def remembered(
    kind: str, key: Any, make: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]
) -> T:
    """`make()`, or the open memo's kept answer for (`kind`, `key`); `key` must be plain JSON."""
    memo = _open
    if memo is None:
        return make()
    return memo.answer(kind, key, make, encode, decode)


def keeps(kind: str) -> bool:
    """Does the open memo hold answers of this kind from an earlier build?"""
    memo = _open
    return memo is not None and any(digest.startswith(f"{kind}:") for digest in memo.old)


def _versions() -> dict[str, str | None]:
    from srs.core.versions import installed_version

    return {"srs": srs.__version__, **{name: installed_version(name) for name in PACKAGES}}


def _read(path: Path, versions: dict[str, str | None]) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return {}
    answers = document.get("answers")
    if document.get("versions") != versions or not isinstance(answers, dict):
        return {}
    return answers
