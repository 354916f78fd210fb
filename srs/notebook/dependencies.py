"""Files one lesson makes for others: what a notebook declares it produces and needs.

A lesson that saves a trained model for later lessons says so in its notebook metadata, and a
lesson that loads it says so too:

    {"srs": {"produces": ["artifacts/mlp.pt"]}}      (the lesson that saves the model)
    {"srs": {"needs": ["artifacts/mlp.pt"]}}         (a lesson that loads it)

Paths are relative to the notebook's folder. `srs build` of several lessons builds a producer
before the lessons that need its files; a needed file is an input of the lesson like its data
(its bytes are part of the run cache's key and of the up-to-date check), and a produced file that
has gone missing makes its lesson run again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from srs.core.errors import SrsError
from srs.core.hashing import file_digest_or_none


class DependencyError(SrsError):
    """A lesson's `srs.needs` / `srs.produces` is malformed, or the lessons' files cannot be ordered."""

    code = "SRS070"


@dataclass(frozen=True)
class LessonFiles:
    """The files a lesson declares it needs and produces, as paths beside the notebook."""

    needs: tuple[Path, ...] = ()
    produces: tuple[Path, ...] = ()

    def missing_needs(self) -> list[Path]:
        """The needed files that do not exist (yet)."""
        return [path for path in self.needs if not path.is_file()]

    def missing_products(self) -> list[Path]:
        """The produced files that do not exist (the lesson must run to make them again)."""
        return [path for path in self.produces if not path.is_file()]

    def needs_digest(self) -> str:
        """One hash over the needed files' bytes, in the order declared ('missing' for a file not there).

        Their names are in the notebook, whose bytes every fingerprint holds already.
        """
        digest = hashlib.sha256()
        for path in self.needs:
            digest.update((file_digest_or_none(path) or "missing").encode() + b"\0")
        return digest.hexdigest()


NO_FILES = LessonFiles()


def lesson_files(notebook: Path, data: bytes | None = None) -> LessonFiles:
    """What the notebook's metadata declares; raise DependencyError when the declaration is malformed.

    `data` is the notebook's bytes when the caller has read them already. A file that is not a
    notebook declares nothing (reading it properly is the notebook reader's job).
    """
    try:
        parsed = json.loads(data if data is not None else notebook.read_bytes())
    except (OSError, ValueError, RecursionError):  # the notebook reader explains these
        return NO_FILES
    metadata = parsed.get("metadata") if isinstance(parsed, dict) else None
    declared = metadata.get("srs") if isinstance(metadata, dict) else None
    if not isinstance(declared, dict):
        return NO_FILES
    return LessonFiles(
        needs=_paths(notebook, declared.get("needs"), "needs"),
        produces=_paths(notebook, declared.get("produces"), "produces"),
    )


def check_needs(notebook: Path, declared: LessonFiles) -> None:
    """Raise DependencyError when a file the lesson needs does not exist."""
    missing = declared.missing_needs()
    if missing:
        raise DependencyError(
            f"the lesson needs '{missing[0]}', which does not exist; build the lesson that produces it "
            "first (`srs build` of the lessons' folder builds producers before the lessons that need them)",
            notebook,
            code="SRS071",
        )


def check_products(notebook: Path, declared: LessonFiles) -> None:
    """Raise DependencyError when a file the lesson declares it produces is not there after its build."""
    missing = declared.missing_products()
    if missing:
        raise DependencyError(
            f"the notebook declares it produces '{missing[0]}', but running it did not write that file; "
            "save it from a code cell, or correct srs.produces",
            notebook,
            code="SRS073",
        )


def _paths(notebook: Path, value: Any, key: str) -> tuple[Path, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise DependencyError(
            f"notebook metadata srs.{key} must be a list of file paths relative to the notebook's folder",
            notebook,
        )
    found = []
    for item in value:
        relative = PurePosixPath(item.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts:
            raise DependencyError(
                f"srs.{key} names '{item}', which is not a path inside the notebook's folder; "
                "write it relative to the folder (for example 'artifacts/model.pt')",
                notebook,
            )
        found.append(notebook.parent / Path(*relative.parts))
    return tuple(dict.fromkeys(found))


def producers(files: dict[Path, LessonFiles]) -> dict[Path, Path]:
    """Produced file -> the lesson that produces it; two lessons producing one file is an error."""
    made: dict[Path, Path] = {}
    for lesson, declared in files.items():
        for product in declared.produces:
            key = product.resolve()
            if key in made and made[key] != lesson:
                raise DependencyError(
                    f"both this lesson and {made[key]} declare they produce '{product}'; "
                    "one file must have one producer",
                    lesson,
                    code="SRS072",
                )
            made[key] = lesson
    return made


def build_order(files: dict[Path, LessonFiles]) -> tuple[list[Path], dict[Path, set[Path]]]:
    """The lessons in an order that builds every producer before the lessons that need it, and
    each lesson's producers within this build; a cycle is a DependencyError.

    Lessons keep the order given wherever the dependencies allow it.
    """
    made = producers(files)
    after: dict[Path, set[Path]] = {
        lesson: {made[need.resolve()] for need in declared.needs if need.resolve() in made} - {lesson}
        for lesson, declared in files.items()
    }
    order: list[Path] = []
    waiting = list(files)
    while waiting:
        placed = set(order)
        ready = next((lesson for lesson in waiting if after[lesson] <= placed), None)
        if ready is None:
            raise DependencyError(
                "these lessons need each other's files in a circle: "
                + ", ".join(str(lesson) for lesson in waiting)
                + "; a lesson can only need files of lessons built before it",
                waiting[0],
                code="SRS072",
            )
        order.append(ready)
        waiting.remove(ready)
    return order, after


def unmade_needs(lesson: Path, declared: LessonFiles, made: Iterable[Path]) -> list[Path]:
    """Needed files that do not exist and that no lesson of this build produces."""
    produced = {path.resolve() for path in made}
    return [path for path in declared.missing_needs() if path.resolve() not in produced]
