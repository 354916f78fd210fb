"""The `srs` command line: the only place that prints and sets exit codes.

Every command is a thin layer over the library (srs.build and friends). User mistakes arrive as
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
from srs.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, SrsError

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


def _guarded(action: Callable[[], int]) -> int:
    """Run one lesson's work; turn a user mistake into its one-line message and exit code."""
    try:
        return action()
    except SrsError as error:
        _clear_progress()
        _err(str(error))
        return error.exit_code


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
    from srs.build import BuildOptions, build_lesson

    options = BuildOptions(out_dir=out, strict=strict, use_cache=cache, timeout=timeout, force=force)
    lessons = list(notebooks(paths))
    if len(lessons) > 1 or (bundle and lessons):
        _finish(_build_curriculum(lessons, options, jobs, bundle))
    codes = [_guarded(lambda p=path: _build_one(p, options, build_lesson)) for path in lessons]
    if not codes:
        _err("nothing to build: name a notebook or a folder of notebooks")
        codes = [EXIT_BAD_INPUT]
    _finish(codes)


def _build_one(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build import needs_run

    report = build_lesson(path, options, _progress())
    _clear_progress()
    if report.up_to_date:
        typer.echo(_up_to_date_line(path, report.deck_path))
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


def _build_curriculum(lessons: list[Path], options: Any, jobs: int | None, bundle: bool) -> list[int]:
    """Build several lessons at once (srs.curriculum), each lesson's messages together as it ends."""
    from srs.build import deck_path_for
    from srs.config import load_settings
    from srs.curriculum import build_lessons, default_jobs, duplicates_across, plan_lessons

    try:
        plans = plan_lessons(lessons)
        wanted = jobs or load_settings(lessons[0]).jobs or default_jobs()
    except SrsError as error:
        _err(str(error))
        return [error.exit_code]
    status = _Status(len(plans))
    codes = []
    for done in build_lessons(plans, options, wanted, status.show):
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
    return codes


def _bundle(plans: list[Any], options: Any, codes: list[int]) -> int:
    from srs.build import deck_path_for
    from srs.bundle import write_bundle

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
def cards(
    path: Annotated[Path, typer.Argument(help="A lesson notebook.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print only JSON (one object per card).")] = False,
    out: OutDir = Path("decks"),
    timeout: Timeout = None,
) -> None:
    """List the cards a notebook makes, without writing a deck."""
    _finish([_guarded(lambda: _print_cards(path, as_json, out, timeout))])


def _print_cards(path: Path, as_json: bool, out: Path, timeout: float | None) -> int:
    from srs.build import BuildOptions, collect_cards
    from srs.config import load_settings

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
    from srs.kinds.markdown_kinds import cloze_numbers

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
    _finish([_guarded(lambda p=path: _check_one(p, repeat, timeout)) for path in notebooks(paths)])


def _check_one(path: Path, repeat: int, timeout: float | None) -> int:
    from srs.checks import check_lesson

    result = check_lesson(path, repeat=repeat, timeout=timeout, progress=_progress())
    _clear_progress()
    for finding in result.failures:
        _err(str(finding))
    status = "ok" if not result.failures else f"{len(result.failures)} failure(s)"
    typer.echo(f"{path}: {result.card_count} cards checked over {repeat} run(s): {status}")
    return EXIT_CHECK_FAILED if result.failures else EXIT_OK


@app.command()
def lint(paths: Paths, out: OutDir = Path("decks"), timeout: Timeout = None) -> None:
    """Check that every card asks for a single inferential step.

    Rules and their rationale: cards_spec/lint/. Exit 1 when anything is found.
    """
    _finish([_guarded(lambda p=path: _lint_one(p, out, timeout)) for path in notebooks(paths)])


def _lint_one(path: Path, out: Path, timeout: float | None) -> int:
    from srs.build import BuildOptions, collect_cards, verify_cards
    from srs.config import load_settings

    settings = load_settings(path)
    lesson, found, _ = collect_cards(path, settings, BuildOptions(out_dir=out, timeout=timeout), _progress())
    _clear_progress()
    findings = verify_cards(found, lesson, settings)
    for finding in findings:
        typer.echo(str(finding))
    typer.echo(f"{path}: {len(found)} notes, {len(findings)} finding(s)")
    return EXIT_CHECK_FAILED if findings else EXIT_OK


@app.command()
def inspect(deck: Annotated[Path, typer.Argument(help="An .apkg file.", show_default=False)]) -> None:
    """Show what a built deck holds.

    Prints the deck name, the counts of notes, cards and media, and each note's key and front.
    """
    _finish([_guarded(lambda: _inspect(deck))])


def _inspect(deck: Path) -> int:
    from srs.inspect import read_deck

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
    from srs.notebook import add_cell_ids

    changed = add_cell_ids(path)
    outcome = f"gave {changed} cell(s) new ids" if changed else "every cell already has an id"
    typer.echo(f"{path}: {outcome}")
    return EXIT_OK


def main() -> None:
    """Entry point of the `srs` script: run the command, then exit without the interpreter's teardown."""
    from srs.process import exit_code, leave

    try:
        app()
    except SystemExit as done:
        leave(exit_code(done.code))
