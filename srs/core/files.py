"""Writing files so that a reader sees the old version or the new one, never half of one.

A file is written beside its target under a temporary name that carries the writer's process id,
`.NAME.PID-RANDOM.tmp`, then renamed over the target. A writer killed in between (SIGKILL, a power
cut) leaves its temporary file behind; the next write of the same target, or `remove_leftovers`,
removes those whose writer is gone. New files get the permissions the user's umask allows, like
any other file a program creates.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OLD_LEFTOVER_AGE = 3600.0
"""Seconds after which a leftover is removed even when its writer's liveness cannot be checked."""


TEMPORARY_NAME = re.compile(r"\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.tmp")
"""A temporary file's name after `.NAME`: the writer's process id, a random part."""
EARLIER_NAME = re.compile(r"-[a-z0-9_]{8}(\.apkg)?\.tmp")
"""The same for the names earlier versions of srs gave their temporary files."""


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A fresh temporary path beside `path`; written there, it replaces `path` when the block ends.

    If the block raises, `path` is left as it was and the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    temporary = _create_temporary(path)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _create_temporary(path: Path) -> Path:
    """An empty new file beside `path`, created with mode 0666 less the umask (as `open` would)."""
    while True:
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temporary


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files of writes of `path` whose writer has ended; the paths removed."""
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if _is_leftover(entry, path.name):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _is_leftover(entry: os.DirEntry[str], name: str) -> bool:
    """Is the entry a temporary file of a write of `name` that nobody is still writing?"""
    if not entry.name.startswith(f".{name}"):
        return False
    rest = entry.name[len(name) + 1 :]
    if EARLIER_NAME.fullmatch(rest):
        # an earlier version's name, with no writer's id: left by a build that was killed, since a
        # build still writing it would be of that earlier version
        return True
    found = TEMPORARY_NAME.fullmatch(rest)
    return found is not None and not _alive(int(found["pid"]), entry)


def _alive(pid: int, entry: os.DirEntry[str]) -> bool:
    """Could the process `pid` still be writing the file?"""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would end the process there: go by the file's age
        with contextlib.suppress(OSError):
            return time.time() - entry.stat().st_mtime < OLD_LEFTOVER_AGE
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def write_text_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
