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
from srs.interrupts import Interrupted, catch_signals

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
) -> None:
    """Build one Anki deck per notebook.

    Decks go to ./decks/ (see --out); import the .apkg files into Anki with its default options.
    Re-running is cheap: an unchanged notebook is skipped, and an edit to markdown reuses the last run.
    """
    from srs.build import BuildOptions, build_lesson, check_distinct_lessons

    options = BuildOptions(out_dir=out, strict=strict, use_cache=cache, timeout=timeout, force=force)
    found = list(notebooks(paths))
    if len(found) > 1:
        try:
            check_distinct_lessons(found, out)
        except SrsError as error:
            _err(str(error))
            _finish([error.exit_code])
    codes = [_guarded(lambda p=path: _build_one(p, options, build_lesson), path) for path in found]
    if not codes:
        _err("nothing to build: name a notebook or a folder of notebooks")
        codes = [EXIT_BAD_INPUT]
    _finish(codes)


def _build_one(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build import needs_run

    report = build_lesson(path, options, _progress())
    _clear_progress()
    if report.up_to_date:
        typer.echo(f"{path} -> {report.deck_path}: up to date (nothing changed since the last build)")
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
    _finish([_guarded(lambda p=path: _check_one(p, repeat, timeout), path) for path in notebooks(paths)])


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
    _finish([_guarded(lambda p=path: _lint_one(p, out, timeout), path) for path in notebooks(paths)])


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
    """Entry point of the `srs` script: run the command, then exit without the interpreter's teardown.

    SIGINT, SIGTERM and SIGHUP end it within a second with one line and 128 + the signal's number.
    """
    from srs.process import exit_code, leave

    catch_signals()
    try:
        app()
    except SystemExit as done:
        leave(exit_code(done.code))
    except Interrupted as stop:
        _clear_progress()
        _err(interruption_line(stop))
        leave(stop.exit_code)
