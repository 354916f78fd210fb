"""Notice saved files by polling: portable, dependency-free, and quick enough for an authoring loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

Stamp = tuple[int, int] | None
"""A file's (modification time in ns, size), None while it does not exist."""


def stamp(path: Path) -> Stamp:
    """What a save changes about a file."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def saved_files(
    paths: Sequence[Path],
    interval: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[list[Path]]:
    """Yield the files among `paths` that changed since the last look, each time some did (forever).

    A file is reported once it has stopped changing for one interval, so an editor that writes in
    several steps causes one rebuild, not several. The files are first looked at in this call, so a
    save right after it is seen.
    """
    return _poll(paths, {path: stamp(path) for path in paths}, interval, sleep)


def _poll(
    paths: Sequence[Path], seen: dict[Path, Stamp], interval: float, sleep: Callable[[float], None]
) -> Iterator[list[Path]]:
    while True:
        sleep(interval)
        changed = [path for path in paths if stamp(path) != seen[path]]
        if not changed:
            continue
        settled: dict[Path, Stamp] = {}
        while True:
            settled = {path: stamp(path) for path in paths}
            sleep(interval)
            if all(stamp(path) == settled[path] for path in paths):
                break
        changed = [path for path in paths if settled[path] != seen[path]]
        seen = settled
        if changed:
            yield changed
