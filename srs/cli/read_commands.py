"""Commands that read and check without writing a deck: `cards`, `check`, `lint`, `inspect`, `ids`."""

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
from srs.core.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK


@app.command()
def cards(
    path: Annotated[Path, typer.Argument(help="A lesson notebook.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print only JSON (one object per card).")] = False,
    out: OutDir = Path("decks"),
    timeout: Timeout = None,
) -> None:
    """List the cards a notebook makes, without writing a deck."""
    finish_with([guarded(lambda: _print_cards(path, as_json, out, timeout), path)])


def _print_cards(path: Path, as_json: bool, out: Path, timeout: float | None) -> int:
    from srs.build.lesson import BuildOptions, collect_cards
    from srs.core.config import load_settings

    settings = load_settings(path)
    _, found, _ = collect_cards(path, settings, BuildOptions(out_dir=out, timeout=timeout), progress_line())
    clear_progress()
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
    finish_with([guarded(lambda p=path: _check_one(p, repeat, timeout), path) for path in notebooks(paths)])


def _check_one(path: Path, repeat: int, timeout: float | None) -> int:
    from srs.build.checks import check_lesson

    result = check_lesson(path, repeat=repeat, timeout=timeout, progress=progress_line())
    clear_progress()
    for finding in result.failures:
        say_error(str(finding))
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
        say_error(f"[SRS001] --format must be one of {', '.join(FORMATS)}, not '{format}'")
        raise typer.Exit(EXIT_BAD_INPUT)
    collected: list[Any] = []
    codes = [
        guarded(lambda p=path: _lint_one(p, out, timeout, format, collected), path)
        for path in notebooks(paths)
    ]
    if format == "json":
        from srs.lint.report import json_findings

        typer.echo(json_findings(collected))
    finish_with(codes)


def _lint_one(path: Path, out: Path, timeout: float | None, format: str, collected: list[Any]) -> int:
    from srs.build.lesson import BuildOptions, collect_cards, verify_cards
    from srs.core.config import load_settings
    from srs.lint.report import github_annotation

    settings = load_settings(path)
    options = BuildOptions(out_dir=out, timeout=timeout)
    lesson, found, _ = collect_cards(path, settings, options, progress_line())
    clear_progress()
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
    finish_with([guarded(lambda: _inspect(deck))])


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
    finish_with([guarded(lambda p=path: _ids_one(p)) for path in notebooks(paths)])


def _ids_one(path: Path) -> int:
    from srs.notebook.reader import add_cell_ids

    changed = add_cell_ids(path)
    outcome = f"gave {changed} cell(s) new ids" if changed else "every cell already has an id"
    typer.echo(f"{path}: {outcome}")
    return EXIT_OK
