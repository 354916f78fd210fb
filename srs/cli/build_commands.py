"""`srs build` (one lesson, several in dependency order, or a bundle of decks) and `srs preview`."""

from __future__ import annotations

import sys
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
from srs.core.errors import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, SrsError
from srs.core.interrupts import Interrupted


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

    if preview and guarded(_preview_ready) != EXIT_OK:
        finish_with([EXIT_BAD_INPUT])
    options = BuildOptions(out_dir=out, strict=strict, use_cache=cache, timeout=timeout, force=force)
    lessons = list(notebooks(paths))
    if len(lessons) > 1:
        try:
            check_distinct_lessons(lessons, out)
        except SrsError as error:
            say_error(str(error))
            finish_with([error.exit_code])
    if len(lessons) > 1 or (bundle and lessons):
        finish_with(_build_curriculum(lessons, options, jobs, bundle, preview))
    make = _build_and_preview if preview else build_one
    codes = [guarded(lambda p=path: make(p, options, build_lesson), path) for path in lessons]
    if not codes:
        say_error("nothing to build: name a notebook or a folder of notebooks")
        codes = [EXIT_BAD_INPUT]
    finish_with(codes)


def build_one(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build.lesson import needs_run

    report = build_lesson(path, options, progress_line())
    clear_progress()
    if report.up_to_date:
        typer.echo(_up_to_date_line(path, report.deck_path))
        return EXIT_OK
    if report.no_cards:
        typer.echo(
            f"{path}: no card sources, so no deck was written; `srs suggest {path}` proposes cards for it"
        )
        return EXIT_OK
    for finding in report.findings:
        say_error(str(finding))
    for message in report.messages:
        say_error(f"{path}: note: {message}")
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
        say_error(str(error))
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
        say_error(str(finding))
    if across:
        typer.echo(f"  {len(across)} warning(s) above across decks; `srs build --strict` fails on them")
        codes.append(EXIT_CHECK_FAILED if options.strict else EXIT_OK)
    if bundle:
        codes.append(_bundle(plans, options, codes))
    if preview:
        built = [deck_path_for(plan.path, options.out_dir) for plan in plans]
        for deck in (deck for deck in built if deck.is_file()):
            codes.append(guarded(lambda d=deck: _preview_one(d, None, options, {})))
    return codes


def _bundle(plans: list[Any], options: Any, codes: list[int]) -> int:
    from srs.build.lesson import deck_path_for
    from srs.deck.bundle import write_bundle

    if any(code != EXIT_OK for code in codes):
        say_error("no bundle written: not every lesson built; fix them and build again")
        return EXIT_OK
    decks = [deck_path_for(plan.path, options.out_dir) for plan in plans]
    return guarded(lambda: _bundled(write_bundle(decks, options.out_dir)))


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
    finish_with([guarded(lambda: _preview_all(paths, out, open_page, watch, timeout))])


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
        say_error("nothing to preview: name a notebook, a folder of notebooks or an .apkg deck")
        return EXIT_BAD_INPUT
    options = BuildOptions(out_dir=out or Path("decks"), timeout=timeout)
    pages: dict[Path, Path] = {}
    codes = [guarded(lambda t=target: _preview_one(t, out, options, pages)) for target in targets]
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
        build_one(target, options, build_lesson)
        deck = deck_path_for(target, options.out_dir)
    written = preview_deck(deck, page_path_for(deck, out))
    pages[target] = written.path
    typer.echo(f"{deck} -> {written.path}: {written.card_count} cards as Anki renders them")
    return EXIT_OK


def _build_and_preview(path: Path, options: Any, build_lesson: Any) -> int:
    from srs.build.lesson import deck_path_for

    code = build_one(path, options, build_lesson)
    return max(code, _preview_one(deck_path_for(path, options.out_dir), None, options, {}))


def _watch(targets: list[Path], out: Path | None, options: Any, pages: dict[Path, Path]) -> None:
    from srs.preview.watch import saved_files

    saves = saved_files(targets)
    say_error(f"watching {len(targets)} file(s); each save writes the page again (Ctrl-C stops)")
    try:
        for changed in saves:
            for target in changed:
                guarded(lambda t=target: _preview_one(t, out, options, pages))
    except KeyboardInterrupt:
        clear_progress()
    except Interrupted as stop:  # Ctrl-C is how a watch is meant to end; any other signal is not
        import signal

        if stop.signal_number != signal.SIGINT:
            raise
        clear_progress()
