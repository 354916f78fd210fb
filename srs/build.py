"""One lesson through the whole pipeline: read, find sources, run, make, verify, render, package.

Used by the CLI and by the tests. Nothing here prints: progress goes through a callback, problems
through exceptions (srs.errors) and findings in the report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srs.anki import Note, note_guid, write_package
from srs.config import Settings, load_settings
from srs.dependencies import check_needs, check_products, lesson_files
from srs.errors import EXIT_BAD_INPUT, CheckFailed, IdentityError, SrsError
from srs.fingerprint import build_inputs
from srs.kinds import MakeContext, get_kind
from srs.manifest import Manifest, file_sha256, load_manifest, manifest_path, now, save_manifest
from srs.model import Card, CardSource, CellResult, Finding, Lesson, Media, Progress, no_progress


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where to, how strictly, whether to trust the run cache."""

    out_dir: Path = Path("decks")
    strict: bool = False
    """Treat warnings (lint findings, unverified steps) as failures."""
    use_cache: bool = True
    timeout: float | None = None
    """Seconds a cell may run; None takes `[tool.srs] timeout`."""
    force: bool = False
    """Build even when nothing changed since the last build."""


@dataclass
class BuildReport:
    """What a build did, for the CLI to summarise."""

    path: Path
    deck_path: Path
    up_to_date: bool = False
    ran: bool = False
    """Did notebook code run (False when results came from the cache or nothing needed them)?"""
    cards: list[Card] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Anki searches that find the notes removed since the last build."""
    messages: list[str] = field(default_factory=list)
    deck_name: str = ""

    def counts(self) -> Counter[str]:
        """Cards per kind (cloze notes count once per cloze number, as Anki shows them)."""
        from srs.kinds.markdown_kinds import cloze_numbers

        counts: Counter[str] = Counter()
        for card in self.cards:
            counts[card.kind] += len(cloze_numbers(card.front)) if card.cloze else 1
        return counts


def deck_path_for(notebook: Path, out_dir: Path) -> Path:
    """Where a notebook's deck goes: `<out>/<stem>.apkg`."""
    return out_dir / f"{notebook.stem}.apkg"


def build_lesson(
    path: Path, options: BuildOptions = BuildOptions(), progress: Progress = no_progress
) -> BuildReport:
    """Build one lesson's deck, or report it up to date; raise SrsError on bad input or failed checks."""
    from srs.notebook import check_notebook_path

    check_notebook_path(path)
    settings = load_settings(path)
    files = lesson_files(path)
    check_needs(path, files)
    deck_path = deck_path_for(path, options.out_dir)
    manifest = load_manifest(manifest_path(options.out_dir, path.stem))
    inputs = build_inputs(path, settings.pyproject, f"strict={options.strict}")
    report = BuildReport(path=path, deck_path=deck_path)
    if not options.force and _up_to_date(manifest, inputs, deck_path) and not files.missing_products():
        report.up_to_date = True
        return report
    with _answers_kept(options, path):
        _build(report, path, settings, options, progress, manifest, inputs)
    check_products(path, files)
    return report


def is_up_to_date(path: Path, options: BuildOptions) -> bool:
    """Would `build_lesson` find nothing to do? Hashes the inputs and runs nothing."""
    from srs.notebook import check_notebook_path

    check_notebook_path(path)
    if options.force:
        return False
    settings = load_settings(path)
    files = lesson_files(path)
    check_needs(path, files)
    manifest = load_manifest(manifest_path(options.out_dir, path.stem))
    inputs = build_inputs(path, settings.pyproject, f"strict={options.strict}")
    deck_path = deck_path_for(path, options.out_dir)
    return _up_to_date(manifest, inputs, deck_path) and not files.missing_products()


def _answers_kept(options: BuildOptions, path: Path) -> Any:
    """Keep sympy's verdicts and the diagrams for the next build (unless the cache is off)."""
    from contextlib import nullcontext

    from srs.memo import remembering

    if not options.use_cache:
        return nullcontext()
    return remembering(options.out_dir / ".srs" / "cache" / f"{path.stem}.answers.json")


def _build(
    report: BuildReport,
    path: Path,
    settings: Settings,
    options: BuildOptions,
    progress: Progress,
    manifest: Manifest,
    inputs: str,
) -> None:
    ahead = _RenderAhead(settings)
    lesson, cards, ran = collect_cards(path, settings, options, progress, ahead, ahead.render)
    report.cards, report.ran = cards, ran
    if not lesson.has_cell_ids:
        report.messages.append(
            "the notebook's cells have no ids (nbformat before 4.5), so cards follow cell positions and an "
            "inserted cell would change them; run `srs ids` once to give every cell a stable id"
        )
    report.findings = verify_cards(cards, lesson, settings)
    if options.strict and report.findings:
        raise CheckFailed(
            f"{len(report.findings)} warning(s) and --strict is on; fix them or drop --strict",
            path,
            code="SRS300",
        )
    _write_deck(report, lesson, settings, manifest, inputs, ahead)


class _RenderAhead:
    """While the notebook runs: render the fields of each card as soon as it is made, and load the
    linter and genanki.

    The cards that need no run are rendered by the main thread; each computed card by the thread
    that follows the run, as its cell's result arrives. What is left for after the run is then
    only the cards of the last results, and writing the package.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rendered: dict[int, tuple[Card, tuple[tuple[str, ...], list[Media]]]] = {}

    def __call__(self, lesson: Lesson, cards: list[Card]) -> None:
        from srs.anki import prepare
        from srs.markdown import highlight_code
        from srs.verify import lint  # noqa: F401  (imported now rather than after the run)

        for card in cards:
            self._render(card, lesson)
        highlight_code("pass")  # pygments builds its Python lexer's tables on first use
        prepare()

    def render(self, lesson: Lesson, cards: list[Card]) -> None:
        """Render computed cards' fields as they are made, from the thread that follows the run.

        A card that fails to render is left for `fields`, which renders it again after the run and
        reports the problem where a build always has.
        """
        for card in cards:
            try:
                self._render(card, lesson)
            except Exception:  # reported by `fields`, after the run
                continue

    def _render(self, card: Card, lesson: Lesson) -> None:
        from srs.render import render_fields

        self.rendered[id(card)] = (card, render_fields(card, lesson, self.settings))

    def fields(self, card: Card, lesson: Lesson) -> tuple[tuple[str, ...], list[Media]]:
        """The card's fields and media, rendered ahead when possible."""
        from srs.render import render_fields

        done = self.rendered.get(id(card))
        if done is not None and done[0] is card:
            return done[1]
        return render_fields(card, lesson, self.settings)


def _up_to_date(manifest: Manifest, inputs: str, deck_path: Path) -> bool:
    return (
        manifest.inputs == inputs
        and manifest.fronts is not None
        and manifest.deck_sha256 is not None
        and file_sha256(deck_path) == manifest.deck_sha256
    )


def collect_cards(
    path: Path,
    settings: Settings,
    options: BuildOptions,
    progress: Progress = no_progress,
    during_run: Callable[[Lesson, list[Card]], None] = lambda _lesson, _cards: None,
    on_computed: Callable[[Lesson, list[Card]], None] = lambda _lesson, _cards: None,
) -> tuple[Lesson, list[Card], bool]:
    """Read the lesson, run what its cards need, and make every card (checks included).

    The notebook runs in a worker process; meanwhile this process makes the cards that need no run
    (sympy checks, markdown) and hands them to `during_run`, so a cold build costs little more than
    the run itself. Each card made from a fresh result goes to `on_computed`, from the thread that
    follows the run, as soon as it is made.
    """
    from concurrent.futures import ThreadPoolExecutor

    from srs.notebook import read_lesson
    from srs.sources import find_sources

    lesson = read_lesson(path)
    worker = _early_worker(lesson)
    try:
        # code cells alone decide what runs: the worker gets its job before markdown is parsed
        sources = find_sources(lesson, "code")
    except BaseException:
        if worker is not None:
            worker.close()
        raise
    computed = _Computed(lesson, sources, on_computed)
    with ThreadPoolExecutor(max_workers=1) as pool:
        run = pool.submit(_run_if_needed, lesson, sources, settings, options, progress, worker, computed.add)
        try:
            sources, made = _while_running(lesson, sources, run, during_run)
        except SrsError as problem:
            if worker is not None and problem.exit_code == EXIT_BAD_INPUT:
                worker.kill()  # bad input: say so now, not after the run
            raise
        results, ran = run.result()
    context = MakeContext(lesson=lesson, results=results)
    cards: list[Card] = []
    for index, source in enumerate(sources):
        if index in made:
            cards.extend(made[index])
        else:
            cards.extend(computed.cards(source) or _make(source, context))
    _check_unique_keys(cards)
    return lesson, cards, ran


def _while_running(
    lesson: Lesson,
    code_sources: list[CardSource],
    run: Any,
    during_run: Callable[[Lesson, list[Card]], None],
) -> tuple[list[CardSource], dict[int, list[Card]]]:
    """Everything this process does while the notebook runs: all sources, and the cards of those
    that need no run (by position in the sources)."""
    from srs.sources import find_sources

    markdown = find_sources(lesson, "markdown")
    sources = sorted(code_sources + markdown, key=lambda source: source.cell.index)
    static = MakeContext(lesson=lesson)
    made = {i: _make(s, static) for i, s in enumerate(sources) if not needs_run(s)}
    for kind in dict.fromkeys(source.kind for source in sources):
        spec = get_kind(kind)
        if spec is not None and not run.done():
            spec.prepare()
    during_run(lesson, [card for made_cards in made.values() for card in made_cards])
    return sources, made


class _Computed:
    """Cards made from each result as it arrives, while later cells still run.

    A failure (an `expect:` that does not hold) is kept and raised in notebook order once the run
    is over, so the run still finishes and fills the cache: fixing the expectation then needs no run.
    """

    def __init__(
        self, lesson: Lesson, sources: list[CardSource], on_cards: Callable[[Lesson, list[Card]], None]
    ) -> None:
        self.lesson = lesson
        self.on_cards = on_cards
        self.by_cell: dict[int, list[CardSource]] = {}
        for source in sources:
            if needs_run(source):
                self.by_cell.setdefault(source.cell.index, []).append(source)
        self.made: dict[int, tuple[CardSource, list[Card] | SrsError]] = {}
        """By id of the source (the source itself is kept, so the id stays its own)."""

    def add(self, result: CellResult) -> None:
        context = MakeContext(lesson=self.lesson, results={result.cell: result})
        for source in self.by_cell.get(result.cell, ()):
            try:
                cards = _make(source, context)
            except SrsError as problem:
                self.made[id(source)] = (source, problem)
                continue
            self.made[id(source)] = (source, cards)
            self.on_cards(self.lesson, cards)

    def cards(self, source: CardSource) -> list[Card] | None:
        """The cards made for the source, None when its result never arrived (a cached run)."""
        made = self.made.get(id(source))
        if made is None or made[0] is not source:
            return None
        if isinstance(made[1], SrsError):
            raise made[1]
        return made[1]


CODE_CARD = re.compile(r"^\s*#\s*\|\s*card\s*:\s*(?!false\b)\w", re.MULTILINE)


def _early_worker(lesson: Lesson) -> Any:
    """A worker started before the sources are parsed, when some code cell looks like a card."""
    if not any(cell.type == "code" and CODE_CARD.search(cell.source) for cell in lesson.cells):
        return None
    from srs.run import start_worker

    return start_worker(lesson)


def needs_run(source: CardSource) -> bool:
    """Does a source's kind need the notebook to run?"""
    spec = get_kind(source.kind)
    return spec is not None and spec.needs_run


def _make(source: CardSource, context: MakeContext) -> list[Card]:
    spec = get_kind(source.kind)
    assert spec is not None
    return spec.make(source, context)


def _run_if_needed(
    lesson: Lesson,
    sources: list[CardSource],
    settings: Settings,
    options: BuildOptions,
    progress: Progress,
    worker: Any = None,
    on_result: Callable[[CellResult], None] = lambda _result: None,
) -> tuple[dict[int, CellResult], bool]:
    requests: dict[int, tuple[str, ...]] = {}
    for source in sources:
        spec = get_kind(source.kind)
        if spec is not None and spec.needs_run:
            wanted = requests.get(source.cell.index, ()) + spec.requests(source)
            requests[source.cell.index] = tuple(dict.fromkeys(wanted))
    if not requests and not lesson_files(lesson.path).produces:  # a producer runs to make its files
        if worker is not None:
            worker.close()
        return {}, False
    from srs.run import run_lesson

    outcome = run_lesson(
        lesson,
        requests,
        cache_dir=options.out_dir / ".srs" / "cache",
        timeout=options.timeout or settings.timeout,
        use_cache=options.use_cache,
        progress=progress,
        worker=worker,
        on_result=on_result,
    )
    return dict(outcome.results), outcome.ran


def _check_unique_keys(cards: list[Card]) -> None:
    seen: dict[str, Card] = {}
    for card in cards:
        if card.key in seen:
            first = seen[card.key].location
            raise IdentityError(
                f"card id '{card.key}' is already used by the card at cell {first.cell}"
                f"{f' (cell id {first.cell_id})' if first.cell_id else ''}; give one of them another `id:`",
                card.location,
                code="SRS031",
            )
        seen[card.key] = card


def verify_cards(cards: list[Card], lesson: Lesson, settings: Settings) -> list[Finding]:
    """Warnings about the cards: lint findings and derivation steps sympy could not verify."""
    from srs.verify import warnings_for

    return warnings_for(cards, lesson, settings)


def _write_deck(
    report: BuildReport,
    lesson: Lesson,
    settings: Settings,
    manifest: Manifest,
    inputs: str,
    ahead: _RenderAhead,
) -> None:
    from srs.render import card_tags, content_hash

    report.deck_name = _deck_name(lesson, settings, manifest, report)
    stamp = now()
    media: dict[str, Media] = {}
    notes: dict[str, dict[str, object]] = {}
    for position, card in enumerate(report.cards):
        fields, card_media = ahead.fields(card, lesson)
        tags = card_tags(card, lesson)
        digest = content_hash(fields, tags, card)
        mod = manifest.note_mod(card.key, digest, stamp)
        report.notes.append(
            Note(note_guid(lesson.lesson_id, card.key), fields, tags, card.cloze, mod, position)
        )
        notes[card.key] = {"hash": digest, "mod": mod}
        media.update((m.name, m) for m in card_media)
    report.removed = [f'"Key:{lesson.lesson_id}/{key}"' for key in manifest.notes if key not in notes]
    write_package(report.deck_path, report.deck_name, lesson.lesson_id, report.notes, list(media.values()))
    manifest.notes, manifest.inputs = notes, inputs
    manifest.deck_sha256 = file_sha256(report.deck_path)
    manifest.deck_name = report.deck_name
    manifest.fronts = _kept_fronts(report.cards, settings)
    save_manifest(manifest)


def _kept_fronts(cards: list[Card], settings: Settings) -> list[dict[str, Any]]:
    from srs.verify.lint import LintConfig
    from srs.verify.lint.across import kept_fronts

    config = LintConfig.from_mapping(settings.lint, settings.pyproject or Path("pyproject.toml"))
    return kept_fronts(cards, config)


def _deck_name(lesson: Lesson, settings: Settings, manifest: Manifest, report: BuildReport) -> str:
    # Anki files cards into decks by name, so a new name would split old and new cards; keep the first.
    wanted = f"{settings.deck_prefix}::{lesson.title}" if settings.deck_prefix else lesson.title
    if manifest.deck_name and manifest.deck_name != wanted:
        report.messages.append(
            f"the title changed, but the deck keeps its first name '{manifest.deck_name}' so that Anki "
            "keeps old and new cards together (Anki files cards into decks by name)"
        )
        return manifest.deck_name
    return wanted
