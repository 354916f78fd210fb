"""Opening a collection with Anki's engine, and refusing one that is locked, too new or unreadable.

A refused collection is never changed: the engine fails before it writes anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from srs.core.errors import CollectionError

INSTALL_HINT = "install it with `pip install 'srs[anki]'` (or `make setup`)"


def require_anki(command: str) -> None:
    """Fail with a clear message when the `anki` package is missing."""
    try:
        import anki  # noqa: F401
    except ImportError:
        raise CollectionError(
            f"`srs {command}` needs Anki's engine, the `anki` package; {INSTALL_HINT}", command
        ) from None


def _refusal(error: Exception, path: Path, fallback: str) -> CollectionError:
    text = str(error)
    kind = str(getattr(error, "__dict__", {}).get("_message", "")) + " " + repr(error)
    if "already open" in text or "locked" in text.lower():
        reason = "Anki has this collection open"
    elif "FileTooNew" in kind or "too new" in text.lower():
        reason = "this collection was written by a newer Anki than srs's engine can read"
    else:
        reason = (
            f"Anki's engine cannot open this collection ({' '.join(text.split()) or type(error).__name__})"
        )
    return CollectionError(f"{reason}; close Anki, or {fallback}", path)


@contextmanager
def opened(path: Path, fallback: str = "import the deck's .apkg instead") -> Iterator[Any]:
    """The collection open in Anki's engine; closed afterwards, whatever happens."""
    from anki.collection import Collection
    from anki.errors import AnkiException

    try:
        collection = Collection(str(path))
    except (AnkiException, OSError) as error:
        raise _refusal(error, path, fallback) from None
    try:
        yield collection
    finally:
        collection.close()


def check_openable(path: Path, fallback: str) -> None:
    """Refuse now, before any notebook runs, a collection that cannot be opened."""
    with opened(path, fallback):
        pass
