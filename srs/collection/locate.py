"""Where Anki keeps the user's collection: the base folder, the profile, and its files.

The profile is read from Anki's `prefs21.db` with the standard library only: no part of Anki's GUI
is imported, and the pickled preferences are read by an unpickler that accepts plain data and
nothing else.
"""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.core.errors import CollectionError

PREFS_FILE = "prefs21.db"
COLLECTION_FILE = "collection.anki2"


@dataclass(frozen=True)
class CollectionPlace:
    """A collection file and the folder its backups go to."""

    path: Path
    backups: Path
    profile: str | None = None
    """The profile's name, when the collection was found through Anki's base folder."""


def anki_base(environ: dict[str, str] | None = None, platform: str | None = None) -> Path:
    """Anki's base folder: `$ANKI_BASE`, else where Anki puts it on this platform."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get("ANKI_BASE"):
        return Path(env["ANKI_BASE"]).expanduser()
    if platform.startswith("win"):
        return Path(env.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Anki2"
    if platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Anki2"
    data = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "Anki2"


class _PlainData(pickle.Unpickler):
    """Unpickles dicts, lists, strings and numbers; refuses every class (nothing runs)."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _profiles_in_prefs(prefs: Path) -> tuple[list[str], str | None]:
    """The profile names and the last one loaded, as recorded in prefs21.db."""
    try:
        connection = sqlite3.connect(f"file:{prefs}?mode=ro", uri=True)
        try:
            rows = connection.execute("select name, cast(data as blob) from profiles").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return [], None
    names = sorted(name for name, _ in rows if name != "_global")
    last = None
    for name, data in rows:
        if name == "_global" and data:
            try:
                meta = _PlainData(io.BytesIO(data)).load()
            except Exception:  # a preference written by another Anki version: ignore it
                meta = {}
            if isinstance(meta, dict) and isinstance(meta.get("last_loaded_profile_name"), str):
                last = meta["last_loaded_profile_name"]
    return names, last


def profiles(base: Path) -> tuple[list[str], str | None]:
    """The profiles in a base folder and the last one Anki loaded (None when unknown)."""
    names, last = _profiles_in_prefs(base / PREFS_FILE)
    if not names and base.is_dir():
        names = sorted(p.name for p in base.iterdir() if (p / COLLECTION_FILE).is_file())
    return names, last if last in names else None


def locate_collection(
    collection: Path | None = None, profile: str | None = None, base: Path | None = None
) -> CollectionPlace:
    """The collection to work on: a named file, else the chosen, only or last-loaded profile's."""
    if collection is not None:
        if not collection.is_file():
            raise CollectionError(
                "no such collection file; give the path of a collection.anki2 (or leave out --collection)",
                collection,
            )
        return CollectionPlace(collection, collection.parent / "backups")
    base = anki_base() if base is None else base
    names, last = profiles(base)
    if profile is None:
        profile = _choose_profile(base, names, last)
    elif profile not in names:
        known = ", ".join(names) or "none"
        raise CollectionError(f"no Anki profile named '{profile}' (profiles here: {known})", base)
    path = base / profile / COLLECTION_FILE
    if not path.is_file():
        raise CollectionError(f"profile '{profile}' has no {COLLECTION_FILE}; open it in Anki once", base)
    return CollectionPlace(path, base / profile / "backups", profile)


def _choose_profile(base: Path, names: list[str], last: str | None) -> str:
    if not names:
        raise CollectionError(
            "no Anki profile found here; start Anki once, set ANKI_BASE, or pass --collection FILE", base
        )
    if len(names) == 1:
        return names[0]
    if last is not None:
        return last
    raise CollectionError(
        f"several Anki profiles ({', '.join(names)}) and none marked as last loaded; "
        "choose one with --profile",
        base,
    )
