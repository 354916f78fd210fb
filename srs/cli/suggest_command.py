"""The `srs suggest` command: cards proposed for a notebook, printed or written into a copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from srs.cli.common import (
    OutDir,
    Timeout,
    app,
    clear_progress,
    finish_with,
    guarded,
    progress_line,
    say_error,
)
from srs.core.errors import EXIT_OK


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
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Leave out suggestions below this; 0.4 adds the weaker kinds (formulas asked whole, "
            "steps of algebra, relations, reasons, questions, terms that close their sentence), "
            '0.3 the weakest (numbers, "What is X?" and "What does X do?" definitions, key points of a '
            "summary, bold phrases, exercise shapes, right sides asked under their left side).",
        ),
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
    finish_with([guarded(lambda: _suggest(path, write, min_confidence, as_json, out, timeout))])


def _suggest(
    path: Path, write: Path | None, min_confidence: float, as_json: bool, out: Path, timeout: float | None
) -> int:
    from srs.notebook.reader import check_notebook_path
    from srs.suggest import suggest_cards
    from srs.suggest.edit import write_suggested

    check_notebook_path(path)
    report = suggest_cards(
        path, min_confidence=min_confidence, out_dir=out, timeout=timeout, progress=progress_line()
    )
    clear_progress()
    for warning in report.warnings:
        say_error(f"warning: {warning}")
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
