"""The `srs` command line: the only place that prints and sets exit codes.

Every command is a thin layer over the library (srs.build.lesson and friends). User mistakes arrive as
SrsError and leave as one line, `path:cell N:line L: [CODE] message`, with exit code 2 (bad input)
or 1 (a check failed); the worst code of all lessons is the exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

import srs
from srs.core.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, SrsError
from srs.core.interrupts import Interrupted, catch_signals

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Turn lesson notebooks into Anki decks of one-step flashcards whose answers come from real runs.",
)

Paths = Annotated[list[Path], typer.Argument(help="Notebooks, or folders of notebooks.", show_default=False)]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Folder for the .apkg decks.")]
Timeout = Annotated[
    float | None, typer.Option(help="Seconds one cell may run (default: [tool.srs] timeout, else 120).")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"srs {srs.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Turn lesson notebooks into Anki decks of one-step flashcards whose answers come from real runs."""


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _progress() -> Callable[[str], None]:
    if not sys.stderr.isatty():
        return lambda _message: None
    return lambda message: print(f"\r\033[K  {message}", end="", file=sys.stderr, flush=True)


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def notebooks(paths: list[Path]) -> Iterator[Path]:
    """The notebooks named by the arguments: files as given, folders searched (checkpoints skipped)."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if not found:
                _err(f"{path}: [SRS004] no notebooks in this folder")
            yield from found
        else:
            yield path


def _guarded(action: Callable[[], int], where: Path | None = None) -> int:
    """Run one lesson's work; turn a user mistake into its one-line message and exit code."""
    try:
        return action()
    except SrsError as error:
        _clear_progress()
        _err(str(error))
        return error.exit_code
    except Interrupted as stop:
        stop.where = stop.where or where
        raise


def interruption_line(stop: Interrupted) -> str:
    """The one line that says what a signal interrupted, and what it left on disk."""
    where = f"{stop.where}: " if stop.where else "srs: "
    during = f" {stop.during}" if stop.during else ""
    if stop.deck_written:
        left = "the new deck and its manifest were written whole"
    elif stop.where:
        left = "the deck and the run cache were left as they were"
    else:
        left = "nothing was written"
    return f"{where}stopped by {stop.signal_name}{during}; {left}"


def _finish(codes: list[int]) -> None:
    raise typer.Exit(max(codes, default=EXIT_OK))


@app.command()
def build(
    paths: Paths,
    out: OutDir = Path("decks"),
    strict: Annotated[bool, typer.Option(help="Fail on warnings (lint findings, unverified steps).")] = False,
    cache: Annotated[
        bool, typer.Option(help="Reuse results of earlier runs when the code is unchanged.")
    ] = True,
    force: Annotated[bool, typer.Option(help="Rebuild even when nothing changed.")] = False,
    timeout: Timeout = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Also write each deck's preview page (see `srs preview`).")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Lessons built at once (default: [tool.srs] jobs, else one per core)."
        ),
    ] = None,
    bundle: Annotated[
        bool, typer.Option(help="Also write one package holding every deck, as subdecks of one parent deck.")
    ] = False,
) -> None:
    """Build one Anki deck per notebook.

    Decks go to ./decks/ (see --out); import the .apkg files into Anki with its default options.
    Re-running is cheap: an unchanged notebook is skipped, and an edit to markdown reuses the last run.
    Several lessons are built at once, each in its own process, a lesson that produces files others
    need (notebook metadata srs.produces / srs.needs) before them.
    """
    from srs.build.lesson import BuildOptions, build_lesson, check_distinct_lessons

    if preview and _guarded(_preview_ready) != EXIT_OK:
        _finish([EXIT_BAD_INPUT])
    options = BuildOptions(out_dir=out, strict=strict, use_cache=cache, timeout=timeout, force=force)
    lessons = list(notebooks(paths))
    if len(lessons) > 1:
        try:
            check_distinct_lessons(lessons, out)
        except SrsError as error:
            _err(str(error))
            _finish([error.exit_code])
    if len(lessons) > 1 or (bundle and lessons):
        _finish(_build_curriculum(lessons, options, jobs, bundle, preview))
    build_one = _build_and_preview if preview else _build_one
    codes = [_guarded(lambda p=path: build_one(p, options, build_lesson), path) for path in lessons]
    if not codes:
        _err("nothing to build: name a notebook or a folder of notebooks")
        codes = [EXIT_BAD_INPUT]
    _finish(codes)


def _build_one(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build.lesson import needs_run

    report = build_lesson(path, options, _progress())
    _clear_progress()
    if report.up_to_date:
        typer.echo(_up_to_date_line(path, report.deck_path))
        return EXIT_OK
    if report.no_cards:
        typer.echo(
            f"{path}: no card sources, so no deck was written; `srs suggest {path}` proposes cards for it"
        )
        return EXIT_OK
    for finding in report.findings:
        _err(str(finding))
    for message in report.messages:
        _err(f"{path}: note: {message}")
    counts = report.counts()
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    run = (
        "ran the notebook"
        if report.ran
        else "reused the last run (no code changed)"
        if any(needs_run(card.source) for card in report.cards)
        else "no code cells needed"
    )
    typer.echo(f"{path} -> {report.deck_path}: {sum(counts.values())} cards ({kinds}); {run}")
    if report.findings:
        typer.echo(f"  {len(report.findings)} warning(s) above; `srs build --strict` fails on them")
    if report.removed:
        typer.echo(f"  {len(report.removed)} card(s) removed since the last build; find them in Anki with:")
        typer.echo("    " + " OR ".join(report.removed))
    return EXIT_OK


def _up_to_date_line(path: Path, deck: Path) -> str:
    return f"{path} -> {deck}: up to date (nothing changed since the last build)"


def _build_curriculum(
    lessons: list[Path], options: Any, jobs: int | None, bundle: bool, preview: bool = False
) -> list[int]:
    """Build several lessons at once (srs.build.curriculum), each lesson's messages together as it ends."""
    from srs.build.curriculum import build_lessons, default_jobs, duplicates_across, plan_lessons
    from srs.build.lesson import deck_path_for
    from srs.core.config import load_settings

    try:
        plans = plan_lessons(lessons)
        wanted = jobs or load_settings(lessons[0]).jobs or default_jobs()
    except SrsError as error:
        _err(str(error))
        return [error.exit_code]
    status = _Status(len(plans))
    codes = []
    for done in build_lessons(plans, options, wanted, "srs.cli.lesson_job", status.show):
        status.clear()
        if done.up_to_date:
            typer.echo(_up_to_date_line(done.path, deck_path_for(done.path, options.out_dir)))
        for stream, text in ((sys.stderr, done.err), (sys.stdout, done.out)):
            stream.write(text)
            stream.flush()
        codes.append(done.code)
        status.ended += 1
    status.clear()
    across = duplicates_across(plans, options.out_dir)
    for finding in across:
        _err(str(finding))
    if across:
        typer.echo(f"  {len(across)} warning(s) above across decks; `srs build --strict` fails on them")
        codes.append(EXIT_CHECK_FAILED if options.strict else EXIT_OK)
    if bundle:
        codes.append(_bundle(plans, options, codes))
    if preview:
        built = [deck_path_for(plan.path, options.out_dir) for plan in plans]
        for deck in (deck for deck in built if deck.is_file()):
            codes.append(_guarded(lambda d=deck: _preview_one(d, None, options, {})))
    return codes


def _bundle(plans: list[Any], options: Any, codes: list[int]) -> int:
    from srs.build.lesson import deck_path_for
    from srs.deck.bundle import write_bundle

    if any(code != EXIT_OK for code in codes):
        _err("no bundle written: not every lesson built; fix them and build again")
        return EXIT_OK
    decks = [deck_path_for(plan.path, options.out_dir) for plan in plans]
    return _guarded(lambda: _bundled(write_bundle(decks, options.out_dir)))


def _bundled(bundle: Any) -> int:
    typer.echo(
        f"{bundle.path}: {bundle.decks} decks under '{bundle.parent}', {bundle.notes} notes (the bundle)"
    )
    return EXIT_OK


class _Status:
    """One line on a terminal saying which lessons are being built and how far each has come."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.ended = 0
        self.shown = sys.stderr.isatty()

    def show(self, lessons: Any) -> None:
        if not self.shown:
            return
        import shutil

        width = shutil.get_terminal_size().columns - 1
        line = f"  [{self.ended}/{self.total}] " + " | ".join(lessons)
        print(f"\r\033[K{line[:width]}", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


@app.command()
def preview(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Notebooks, folders of notebooks, or built .apkg decks.", show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for decks and pages (default: decks/; a deck's page goes beside it)."
        ),
    ] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open each page in the web browser.")] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Write the pages again each time a file is saved; Ctrl-C stops.")
    ] = False,
    timeout: Timeout = None,
) -> None:
    """Write one HTML page per deck showing every card's front and back as Anki renders them.

    A notebook is built first (as `srs build` would) and its page written beside the deck:
    decks/NAME.html, with MathJax and the images next to it, so the page works offline. Cards come
    in deck order, grouped by section, each with its key, kind and a link to its cell; the page
    switches between light and night mode and a 360-px phone width. Needs the anki package.
    """
    _finish([_guarded(lambda: _preview_all(paths, out, open_page, watch, timeout))])


def _preview_ready() -> int:
    from srs.preview import require_preview

    require_preview()
    return EXIT_OK


def _preview_all(
    paths: list[Path], out: Path | None, open_page: bool, watch: bool, timeout: float | None
) -> int:
    from srs.build.lesson import BuildOptions

    _preview_ready()
    targets = [path for given in paths for path in _preview_targets(given)]
    if not targets:
        _err("nothing to preview: name a notebook, a folder of notebooks or an .apkg deck")
        return EXIT_BAD_INPUT
    options = BuildOptions(out_dir=out or Path("decks"), timeout=timeout)
    pages: dict[Path, Path] = {}
    codes = [_guarded(lambda t=target: _preview_one(t, out, options, pages)) for target in targets]
    if open_page:
        import webbrowser

        for page in pages.values():
            webbrowser.open(page.resolve().as_uri())
    if watch:
        _watch(targets, out, options, pages)
    return max(codes, default=EXIT_OK)


def _preview_targets(path: Path) -> list[Path]:
    if path.suffix == ".apkg":
        return [path]
    return list(notebooks([path]))


def _preview_one(target: Path, out: Path | None, options: Any, pages: dict[Path, Path]) -> int:
    from srs.build.lesson import build_lesson, deck_path_for
    from srs.preview import page_path_for, preview_deck

    if target.suffix == ".apkg":
        deck = target
    else:
        _build_one(target, options, build_lesson)
        deck = deck_path_for(target, options.out_dir)
    written = preview_deck(deck, page_path_for(deck, out))
    pages[target] = written.path
    typer.echo(f"{deck} -> {written.path}: {written.card_count} cards as Anki renders them")
    return EXIT_OK


def _build_and_preview(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build.lesson import deck_path_for

    code = _build_one(path, options, build_lesson)
    return max(code, _preview_one(deck_path_for(path, options.out_dir), None, options, {}))


def _watch(targets: list[Path], out: Path | None, options: Any, pages: dict[Path, Path]) -> None:
    from srs.preview.watch import saved_files

    saves = saved_files(targets)
    _err(f"watching {len(targets)} file(s); each save writes the page again (Ctrl-C stops)")
    try:
        for changed in saves:
            for target in changed:
                _guarded(lambda t=target: _preview_one(t, out, options, pages))
    except KeyboardInterrupt:
        _clear_progress()
    except Interrupted as stop:  # Ctrl-C is how a watch is meant to end; any other signal is not
        import signal

        if stop.signal_number != signal.SIGINT:
            raise
        _clear_progress()


@app.command()
def cards(
    path: Annotated[Path, typer.Argument(help="A lesson notebook.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print only JSON (one object per card).")] = False,
    out: OutDir = Path("decks"),
    timeout: Timeout = None,
) -> None:
    """List the cards a notebook makes, without writing a deck."""
    _finish([_guarded(lambda: _print_cards(path, as_json, out, timeout), path)])


def _print_cards(path: Path, as_json: bool, out: Path, timeout: float | None) -> int:
    from srs.build.lesson import BuildOptions, collect_cards
    from srs.core.config import load_settings

    settings = load_settings(path)
    _, found, _ = collect_cards(path, settings, BuildOptions(out_dir=out, timeout=timeout), _progress())
    _clear_progress()
    if as_json:
        typer.echo(json.dumps([card_as_dict(card) for card in found], indent=1, ensure_ascii=False))
        return EXIT_OK
    for card in found:
        typer.echo(f"{card.location}: {card.kind} [{card.key}]")
        typer.echo(f"  front: {_one_line(card.front)}")
        answer = card.back or card.value or ("(image)" if card.media else "") or _cloze_summary(card)
        typer.echo(f"  back:  {_one_line(answer)}")
    typer.echo(f"{len(found)} note(s)")
    return EXIT_OK


def _cloze_summary(card: Any) -> str:
    from srs.notebook.clozes import cloze_numbers

    numbers = cloze_numbers(card.front) if card.cloze else []
    return f"(one card per cloze: {', '.join(f'c{n}' for n in numbers)})" if numbers else ""


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def card_as_dict(card: Any) -> dict[str, Any]:
    """A card as plain JSON data (what `srs cards --json` prints)."""
    location = card.location
    return {
        "key": card.key,
        "kind": card.kind,
        "cloze": card.cloze,
        "front": card.front,
        "back": card.back,
        "extra": card.extra,
        "value": card.value,
        "code": card.code,
        "media": [media.name for media in card.media],
        "tags": list(card.tags),
        "cell": location.cell,
        "cell_id": location.cell_id,
        "line": location.line,
    }


@app.command()
def check(
    paths: Paths,
    repeat: Annotated[
        int, typer.Option(min=1, max=5, help="Run this many times; flag answers that differ.")
    ] = 1,
    timeout: Timeout = None,
) -> None:
    """Verify every computed answer with a fresh run.

    Runs without the cache, checks every `expect:` and derivation step, and with --repeat flags
    answers that change between runs. Exit 1 on any failure: the command for a lessons repo's CI.
    """
    _finish([_guarded(lambda p=path: _check_one(p, repeat, timeout), path) for path in notebooks(paths)])


def _check_one(path: Path, repeat: int, timeout: float | None) -> int:
    from srs.build.checks import check_lesson

    result = check_lesson(path, repeat=repeat, timeout=timeout, progress=_progress())
    _clear_progress()
    for finding in result.failures:
        _err(str(finding))
    status = "ok" if not result.failures else f"{len(result.failures)} failure(s)"
    typer.echo(f"{path}: {result.card_count} cards checked over {repeat} run(s): {status}")
    return EXIT_CHECK_FAILED if result.failures else EXIT_OK


LintFormat = Annotated[
    str,
    typer.Option(
        "--format",
        help="text (one line per finding), github (annotations for GitHub Actions) or json (one list).",
    ),
]


@app.command()
def lint(
    paths: Paths, out: OutDir = Path("decks"), timeout: Timeout = None, format: LintFormat = "text"
) -> None:
    """Check that every card asks for a single inferential step.

    Rules and their rationale: cards_spec/lint/. Exit 1 when anything is found. `--format github`
    writes annotations that GitHub Actions shows on the notebook's lines; `--format json` writes
    every finding of every notebook as one JSON list, and nothing else, on standard output.
    """
    from srs.lint.report import FORMATS

    if format not in FORMATS:
        _err(f"[SRS001] --format must be one of {', '.join(FORMATS)}, not '{format}'")
        raise typer.Exit(EXIT_BAD_INPUT)
    collected: list[Any] = []
    codes = [
        _guarded(lambda p=path: _lint_one(p, out, timeout, format, collected), path)
        for path in notebooks(paths)
    ]
    if format == "json":
        from srs.lint.report import json_findings

        typer.echo(json_findings(collected))
    _finish(codes)


def _lint_one(path: Path, out: Path, timeout: float | None, format: str, collected: list[Any]) -> int:
    from srs.build.lesson import BuildOptions, collect_cards, verify_cards
    from srs.core.config import load_settings
    from srs.lint.report import github_annotation

    settings = load_settings(path)
    lesson, found, _ = collect_cards(path, settings, BuildOptions(out_dir=out, timeout=timeout), _progress())
    _clear_progress()
    findings = verify_cards(found, lesson, settings)
    collected.extend(findings)
    if format != "json":
        for finding in findings:
            typer.echo(github_annotation(finding) if format == "github" else str(finding))
        typer.echo(f"{path}: {len(found)} notes, {len(findings)} finding(s)")
    return EXIT_CHECK_FAILED if findings else EXIT_OK


@app.command()
def inspect(deck: Annotated[Path, typer.Argument(help="An .apkg file.", show_default=False)]) -> None:
    """Show what a built deck holds.

    Prints the deck name, the counts of notes, cards and media, and each note's key and front.
    """
    _finish([_guarded(lambda: _inspect(deck))])


def _inspect(deck: Path) -> int:
    from srs.deck.inspect import read_deck

    summary = read_deck(deck)
    typer.echo(
        f"{deck}: deck '{summary.deck_name}', {len(summary.notes)} notes, {summary.card_count} cards, "
        f"{len(summary.media)} media file(s)"
    )
    for note in summary.notes:
        typer.echo(f"  {note.key:40} {note.model:10} {_one_line(note.front, 70)}")
    return EXIT_OK


@app.command()
def ids(paths: Paths) -> None:
    """Give every cell of a notebook a stable id.

    Cards keep their identity (and Anki review history) through cell ids; notebooks older than
    nbformat 4.5 have none. This is the only srs command that writes a notebook.
    """
    _finish([_guarded(lambda p=path: _ids_one(p)) for path in notebooks(paths)])


def _ids_one(path: Path) -> int:
    from srs.notebook.reader import add_cell_ids

    changed = add_cell_ids(path)
    outcome = f"gave {changed} cell(s) new ids" if changed else "every cell already has an id"
    typer.echo(f"{path}: {outcome}")
    return EXIT_OK


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

    _finish([_guarded(run)])


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
            report = build_lesson(p, options, _progress())
            _clear_progress()
            packages.append(read_package(report.deck_path, p, read_lesson(p).lesson_id))
            return EXIT_OK

        codes.append(_guarded(build_one))
    if not packages:
        return max(codes)
    if delete and not dry_run and not yes:
        from srs.collection.sync import plan_sync

        doomed = sum(len(plan.retire) for plan in plan_sync(place, packages, delete=True))
        if doomed and not _confirmed(f"delete {doomed} card(s) from {place.path}?"):
            _err("nothing was changed (pass --yes to delete without asking)")
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
    _finish([_guarded(lambda: _stats(paths or [], collection, profile, since, as_json))])


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


@app.command()
def suggest(
    path: Annotated[Path, typer.Argument(help="A notebook, with or without cards.", show_default=False)],
    write: Annotated[
        Path | None,
        typer.Option(
            "--write", help="Write a copy of the notebook with the suggestions in it.", show_default=False
        ),
    ] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Leave out suggestions below this.")
    ] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
    out: OutDir = Path("decks"),
    timeout: Timeout = None,
) -> None:
    """Propose cards for a notebook from its formulas, shapes, numbers, definitions and plots.

    Runs the notebook (with the run cache) and prints each suggestion as the exact `#|` lines or
    markdown to paste, with its cell and a confidence, best first. Every suggestion passes
    `srs lint` as it stands. --write OUT.ipynb writes a copy with them in; the original is never written.
    """
    _finish([_guarded(lambda: _suggest(path, write, min_confidence, as_json, out, timeout))])


def _suggest(
    path: Path, write: Path | None, min_confidence: float, as_json: bool, out: Path, timeout: float | None
) -> int:
    from srs.notebook.reader import check_notebook_path
    from srs.suggest import suggest_cards
    from srs.suggest.edit import write_suggested

    check_notebook_path(path)
    report = suggest_cards(
        path, min_confidence=min_confidence, out_dir=out, timeout=timeout, progress=_progress()
    )
    _clear_progress()
    for warning in report.warnings:
        _err(f"warning: {warning}")
    if write is not None:
        write_suggested(path, write, report.suggestions)
    if as_json:
        data = {
            "notebook": str(path),
            "existing_cards": report.existing_cards,
            "summary": report.summary(),
            "suggestions": [s.as_dict() for s in report.suggestions],
            "written": str(write) if write else None,
        }
        typer.echo(json.dumps(data, indent=1, ensure_ascii=False))
        return EXIT_OK
    for suggestion in report.suggestions:
        typer.echo(
            f"{path}:cell {suggestion.cell.index}: {suggestion.kind} "
            f"(confidence {suggestion.confidence:.2f}): {suggestion.reason}"
        )
        for line in suggestion.snippet().splitlines():
            typer.echo(f"    {line}")
    typer.echo(f"{path}: {report.summary()} ({report.existing_cards} card source(s) already in the notebook)")
    if write is not None:
        count = len(report.suggestions)
        typer.echo(f"wrote {write} with {count} suggestion(s); build it with `srs build {write}`")
    return EXIT_OK


def main() -> None:
    """Entry point of the `srs` script: run the command, then exit without the interpreter's teardown.

    SIGINT, SIGTERM and SIGHUP end it within a second with one line and 128 + the signal's number.
    """
    from srs.core.process import exit_code, leave

    catch_signals()
    try:
        app()
    except SystemExit as done:
        leave(exit_code(done.code))
    except Interrupted as stop:
        _clear_progress()
        _err(interruption_line(stop))
        leave(stop.exit_code)
