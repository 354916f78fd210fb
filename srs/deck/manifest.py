"""What srs remembers between builds of a deck: note content hashes and times, the deck name, inputs.

Anki's default import updates a note only when the package's copy is newer than the user's, so a
note's modification time must move exactly when its content changes; the manifest is how srs knows.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srs.core.files import write_text_atomically

MANIFEST_VERSION = 1
GUID_JOIN = 2


@dataclass
class Manifest:
    """The state of one deck as of its last successful build."""

    path: Path
    deck_name: str | None = None
    inputs: str | None = None
    """Fingerprint of everything the last build read; equal fingerprints mean nothing to do."""
    deck_sha256: str | None = None
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Card key -> {"hash": content hash, "mod": modification time}."""
    notebook: str | None = None
    """The notebook the deck was built from (its absolute path), so that another notebook of the
    same name is not built over it."""
    guid_join: int = GUID_JOIN
    """How the notes' GUIDs were made (see srs.deck.anki.note_guid): 1 before ambiguous lesson ids were
    joined apart, GUID_JOIN since. Only the GUIDs of lessons whose ids hold `__` differ."""
    fronts: list[dict[str, Any]] | None = None
    """What the duplicate rules compare of each card, for the check across the lessons of a build
    (srs.lint.across); None in a manifest written before srs kept them."""

    def note_mod(self, key: str, content_hash: str, now: int) -> int:
        """The modification time a note gets: unchanged content keeps its time, a change moves it forward."""
        previous = self.notes.get(key)
        if previous and previous.get("hash") == content_hash:
            return int(previous["mod"])
        earlier = int(previous["mod"]) if previous else 0
        return max(now, earlier + 1)


def manifest_path(out_dir: Path, stem: str) -> Path:
    """Where the manifest of the deck `stem.apkg` lives."""
    return out_dir / ".srs" / f"{stem}.json"


def load_manifest(path: Path) -> Manifest:
    """Read a manifest; a missing or unreadable one is an empty manifest (a first build)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Manifest(path)
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return Manifest(path)
    return Manifest(
        path=path,
        deck_name=data.get("deck_name"),
        inputs=data.get("inputs"),
        deck_sha256=data.get("deck_sha256"),
        notes=dict(data.get("notes", {})),
        notebook=data.get("notebook"),
        guid_join=int(data.get("guid_join", 1)),
        fronts=data["fronts"] if isinstance(data.get("fronts"), list) else None,
    )


def save_manifest(manifest: Manifest) -> None:
    """Write the manifest atomically."""
    payload = {
        "version": MANIFEST_VERSION,
        "deck_name": manifest.deck_name,
        "inputs": manifest.inputs,
        "deck_sha256": manifest.deck_sha256,
        "notes": manifest.notes,
        "notebook": manifest.notebook,
        "guid_join": GUID_JOIN,
    }
    if manifest.fronts is not None:
        payload["fronts"] = manifest.fronts
    write_text_atomically(manifest.path, json.dumps(payload, indent=1, sort_keys=True))


def now() -> int:
    """The current time in whole seconds (Anki's note modification unit)."""
    return int(time.time())
