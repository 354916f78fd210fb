"""Commands on the user's Anki collection: `srs sync` and `srs stats`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from srs.cli.common import (
    OutDir,
    Paths,
    Timeout,
    app,
    clear_progress,
    finish_with,
    guarded,
    notebooks,
    progress_line,
    say_error,
)
from srs.core.errors import EXIT_BAD_INPUT, EXIT_OK, SrsError

CollectionOption = Annotated[
    Path | None,
    typer.Option(
        "--collection",
        help="An Anki collection file (default: [tool.srs] collection, else the Anki profile's).",
        show_default=False,
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help="The Anki profile (default: [tool.srs] profile, else the only or last-loaded one).",
        show_default=False,
    ),
]


def _collection_place(command: str, collection: Path | None, profile: str | None, near: Path) -> Any:
    """The collection to use, with the anki package checked for first."""
    from srs.collection.engine import require_anki
    from srs.collection.locate import locate_collection
    from srs.core.config import load_settings

    require_anki(command)
    settings = load_settings(near)
    return locate_collection(collection or settings.collection, profile or settings.profile)


@app.command()
def sync(
    paths: Paths,
    collection: CollectionOption = None,
    profile: ProfileOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    delete: Annotated[
        bool, typer.Option("--delete", help="Delete cards whose source left the notebook (asks first).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --delete without asking.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan and outcome as JSON.")] = False,
    out: OutDir = Path("decks"),
    timeout: Timeout = None,
) -> None:
    """Build decks and apply them straight to an Anki collection.

    New notes are added and changed ones updated by Anki's own importer (as importing the .apkg
    does); a card whose source left the notebook is suspended and tagged srs::removed (deleted with
    --delete --yes), and restored if it comes back. A backup is made first. Anki must be closed.
    """
    def run() -> int:
        return _sync(paths, collection, profile, dry_run, delete, yes, as_json, out, timeout)

    finish_with([guarded(run)])


def _sync(
    paths: list[Path], collection: Path | None, profile: str | None, dry_run: bool, delete: bool, yes: bool,
    as_json: bool, out: Path, timeout: float | None,
) -> int:
    from srs.build.lesson import BuildOptions, build_lesson
    from srs.collection.engine import check_openable
    from srs.collection.sync import plan_lines, plans_json, read_package, sync_packages
    from srs.notebook.reader import read_lesson

    found = list(notebooks(paths))
    if not found:
        raise SrsError("nothing to sync: name a notebook or a folder of notebooks", "srs sync", code="SRS004")
    place = _collection_place("sync", collection, profile, found[0])
    decks = " or ".join(str(p) for p in paths)
    check_openable(place.path, f"import the decks built from {decks} instead")
    options = BuildOptions(out_dir=out, timeout=timeout)
    packages, codes = [], []
    for path in found:
        def build_one(p: Path = path) -> int:
            report = build_lesson(p, options, progress_line())
            clear_progress()
            packages.append(read_package(report.deck_path, p, read_lesson(p).lesson_id))
            return EXIT_OK

        codes.append(guarded(build_one))
    if not packages:
        return max(codes)
    if delete and not dry_run and not yes:
        from srs.collection.sync import plan_sync

        doomed = sum(len(plan.retire) for plan in plan_sync(place, packages, delete=True))
        if doomed and not _confirmed(f"delete {doomed} card(s) from {place.path}?"):
            say_error("nothing was changed (pass --yes to delete without asking)")
            return EXIT_BAD_INPUT
    result = sync_packages(place, packages, delete=delete, dry_run=dry_run)
    if as_json:
        typer.echo(plans_json(result))
        return max(codes, default=EXIT_OK)
    for line in plan_lines(result.plans):
        typer.echo(line)
    if dry_run:
        typer.echo(f"dry run: {place.path} was not changed")
    elif all(plan.is_empty() for plan in result.plans):
        typer.echo(f"{place.path}: already in sync, nothing written")
    else:
        typer.echo(f"{place.path}: synced; backup before the sync: {result.backup}")
    return max(codes, default=EXIT_OK)


def _confirmed(question: str) -> bool:
    """Ask a yes/no question; no answer (end of input) is no."""
    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        return False


@app.command()
def stats(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Notebooks or folders (default: every srs lesson).", show_default=False),
    ] = None,
    collection: CollectionOption = None,
    profile: ProfileOption = None,
    since: Annotated[
        float | None,
        typer.Option("--since", help="Count only reviews of the last DAYS days.", metavar="DAYS"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Show reviews, lapses and retention per lesson and section, and the cells you forget most.

    Retention is Anki's true retention: review entries only, passed unless answered Again.
    """
    finish_with([guarded(lambda: _stats(paths or [], collection, profile, since, as_json))])


def _stats(paths: list[Path], collection: Path | None, profile: str | None, since: float | None,
           as_json: bool) -> int:
    from srs.collection.engine import opened
    from srs.collection.stats import collection_stats, lesson_paths, stats_lines

    found = list(notebooks(paths))
    place = _collection_place("stats", collection, profile, found[0] if found else Path("stats.ipynb"))
    lessons = lesson_paths(found) if found else None
    with opened(place.path, "try again when Anki is closed") as col:
        result = collection_stats(col, lessons, since)
    if as_json:
        typer.echo(json.dumps({"collection": str(place.path), "lessons": [s.as_dict() for s in result]},
                              indent=1, ensure_ascii=False))
        return EXIT_OK
    if not result:
        typer.echo(f"{place.path}: no srs cards found" + (" for these lessons" if found else ""))
    for line in stats_lines(result):
        typer.echo(line)
    return EXIT_OK
