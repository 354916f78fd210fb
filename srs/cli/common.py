"""What every command shares: the typer app, argument types, one-line errors, progress, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

import srs
from srs.core.errors import EXIT_OK, SrsError
from srs.core.interrupts import Interrupted

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


def say_error(text: str) -> None:
    typer.echo(text, err=True)


def progress_line() -> Callable[[str], None]:
    if not sys.stderr.isatty():
        return lambda _message: None
    return lambda message: print(f"\r\033[K  {message}", end="", file=sys.stderr, flush=True)


def clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def notebooks(paths: list[Path]) -> Iterator[Path]:
    """The notebooks named by the arguments: files as given, folders searched (checkpoints skipped)."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if not found:
                say_error(f"{path}: [SRS004] no notebooks in this folder")
            yield from found
        else:
            yield path


def guarded(action: Callable[[], int], where: Path | None = None) -> int:
    """Run one lesson's work; turn a user mistake into its one-line message and exit code."""
    try:
        return action()
    except SrsError as error:
        clear_progress()
        say_error(str(error))
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


def finish_with(codes: list[int]) -> None:
    raise typer.Exit(max(codes, default=EXIT_OK))
