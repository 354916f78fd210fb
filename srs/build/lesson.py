"""One lesson through the whole pipeline: read, find sources, run, make, verify, render, package.

Used by the CLI and by the tests. Nothing here prints: progress goes through a callback, problems
through exceptions (srs.core.errors) and findings in the report.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srs.core.config import Settings, load_settings
from srs.core.errors import EXIT_BAD_INPUT, CheckFailed, IdentityError, SrsError
from srs.core.files import remove_leftovers
from srs.core.hashing import file_digest_or_none
from srs.core.interrupts import Interrupted, deferred
from srs.core.model import Card, CardSource, CellResult, Finding, Lesson, Media, Progress, no_progress
from srs.deck.anki import Note, joins_unambiguously, key_search, note_guid, write_package
from srs.deck.manifest import GUID_JOIN, Manifest, load_manifest, manifest_path, now, save_manifest
from srs.kinds import MakeContext, get_kind
from srs.notebook.dependencies import check_needs, check_products, lesson_files
from srs.notebook.fingerprint import build_inputs
from srs.notebook.option_lines import named_kind, split_code_options

if TYPE_CHECKING:
    from srs.run.background import BackgroundRun


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
    no_cards: bool = False
    """True when the notebook has no card source, so no deck was written."""

    def counts(self) -> Counter[str]:
        """Cards per kind (cloze notes count once per cloze number, as Anki shows them)."""
        from srs.notebook.clozes import cloze_numbers

        counts: Counter[str] = Counter()
        for card in self.cards:
            counts[card.kind] += len(cloze_numbers(card.front)) if card.cloze else 1
        return counts


def deck_path_for(notebook: Path, out_dir: Path) -> Path:
    """Where a notebook's deck goes: `<out>/<stem>.apkg`."""
    return out_dir / f"{notebook.stem}.apkg"


def check_distinct_lessons(paths: list[Path], out_dir: Path) -> None:
    """Raise IdentityError when two notebooks would share a deck file or a lesson id.

    A lesson's id (its file name, or `srs.id` in its metadata) is where its cards' Anki ids come
    from, and its deck file and manifest are named after its file: two lessons sharing either
    would overwrite each other's notes and review history. A notebook named twice counts once.
    """
    by_deck: dict[Path, Path] = {}
    by_id: dict[str, Path] = {}
    seen: set[Path] = set()
    for path in paths:
        if _resolved(path) in seen:
            continue
        seen.add(_resolved(path))
        deck, lesson_id = _resolved(deck_path_for(path, out_dir)), _lesson_id(path)
        shared = []
        if deck in by_deck:
            shared.append((by_deck[deck], f"the same deck file {deck_path_for(path, out_dir)}"))
        if lesson_id in by_id:
            shared.append((by_id[lesson_id], f"the same lesson id '{lesson_id}'"))
        if shared:
            other = shared[0][0]
            raise IdentityError(
                f"this notebook and {other} would have {' and '.join(what for _, what in shared)}, and "
                "one would overwrite the other's notes in Anki; give one a lesson id of its own in its "
                'notebook metadata (`"srs": {"id": "another-id"}`), and rename it or build it into '
                "another --out folder",
                path,
                code="SRS032",
            )
        by_deck[deck], by_id[lesson_id] = path, path


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _lesson_id(path: Path) -> str:
    """The lesson id as srs.notebook.reader reads it (`srs.id`, else the file name), from the metadata
    alone; a file that cannot be read counts by its name (its build will say what is wrong)."""
    import json

    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata")
        given = metadata.get("srs", {}).get("id")
    except (OSError, ValueError, AttributeError, RecursionError):
        return path.stem
    return str(given) if given else path.stem


def build_lesson(
    path: Path, options: BuildOptions = BuildOptions(), progress: Progress = no_progress
) -> BuildReport:
    """Build one lesson's deck, or report it up to date; raise SrsError on bad input or failed checks."""
    from srs.notebook.reader import check_notebook_path

    check_notebook_path(path)
    settings = load_settings(path)
    files = lesson_files(path)
    check_needs(path, files)
    deck_path = deck_path_for(path, options.out_dir)
    manifest = load_manifest(manifest_path(options.out_dir, path.stem))
    # what a build killed while writing (SIGKILL, a power cut) left behind; the deck itself is whole
    for written in (deck_path, manifest.path):
        remove_leftovers(written)
    _check_deck_is_ours(manifest, path, deck_path)
    inputs = build_inputs(path, settings.pyproject, f"strict={options.strict}")
    report = BuildReport(path=path, deck_path=deck_path)
    if not options.force and _up_to_date(manifest, inputs, deck_path) and not files.missing_products():
        report.up_to_date = True
        return report
    with _answers_kept(options, path):
        _build(report, path, settings, options, progress, manifest, inputs)
    check_products(path, files)
    return report


def _check_deck_is_ours(manifest: Manifest, path: Path, deck_path: Path) -> None:
    """Raise IdentityError when the deck was built from another notebook that still exists.

    A notebook that moved (its old path is gone) takes its deck along.
    """
    owner = Path(manifest.notebook) if manifest.notebook else None
    if owner is None or owner == _resolved(path) or not owner.exists():
        return
    raise IdentityError(
        f"{deck_path} is the deck of {owner}, another notebook of the same name; building this one "
        "over it would replace that lesson's notes in Anki: build it into another --out folder, or "
        'rename it and give it a lesson id of its own (`"srs": {"id": "another-id"}` in its notebook '
        "metadata)",
        path,
        code="SRS032",
    )


def is_up_to_date(path: Path, options: BuildOptions) -> bool:
    """Would `build_lesson` find nothing to do? Hashes the inputs and runs nothing."""
    from srs.notebook.reader import check_notebook_path

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

    from srs.core.memo import remembering

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
    if not cards:
        report.no_cards = True  # an empty deck would only clutter Anki; `srs suggest` proposes cards
        return
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

    The cards that need no run are rendered first; each computed card as its cell's result
    arrives. What is left for after the run is then only the cards of the last results, and
    writing the package. All of it happens in the thread that makes the cards.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rendered: dict[int, tuple[Card, tuple[tuple[str, ...], list[Media]]]] = {}

    def __call__(self, lesson: Lesson, cards: list[Card]) -> None:
        import srs.lint  # noqa: F401  (imported now rather than after the run)
        from srs.deck.anki import prepare
        from srs.render.markdown import highlight_code

        for card in cards:
            self._render(card, lesson)
        highlight_code("pass")  # pygments builds its Python lexer's tables on first use
        prepare()

    def render(self, lesson: Lesson, cards: list[Card]) -> None:
        """Render computed cards' fields as they are made.

        A card whose fields are a mistake (an image that is missing, say) is left for `fields`,
        which meets the same mistake after the run and reports it in card order, as a build
        always has.
        """
        for card in cards:
            with contextlib.suppress(SrsError):
                self._render(card, lesson)

    def _render(self, card: Card, lesson: Lesson) -> None:
        from srs.render.fields import render_fields

        self.rendered[id(card)] = (card, render_fields(card, lesson, self.settings))

    def fields(self, card: Card, lesson: Lesson) -> tuple[tuple[str, ...], list[Media]]:
        """The card's fields and media, rendered ahead when possible."""
        from srs.render.fields import render_fields

        done = self.rendered.get(id(card))
        if done is not None and done[0] is card:
            return done[1]
        return render_fields(card, lesson, self.settings)


def _up_to_date(manifest: Manifest, inputs: str, deck_path: Path) -> bool:
    return (
        manifest.inputs == inputs
        and manifest.fronts is not None
        and manifest.deck_sha256 is not None
        and file_digest_or_none(deck_path) == manifest.deck_sha256
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

    The notebook runs in a worker process, followed by a thread that only hands its results over
    (srs.run.background). Meanwhile this thread makes the cards that need no run (sympy checks,
    markdown) and hands them to `during_run`, then makes the cards of each result as it arrives
    and hands them to `on_computed`; so a cold build costs little more than the run itself. Any
    exception here (bad input, an interruption) kills the worker before it goes on its way.
    """
    from srs.notebook.reader import read_lesson
    from srs.sources.find import find_sources

    lesson = read_lesson(path)
    worker = _early_worker(lesson)
    run: BackgroundRun | None = None
    try:
        # code cells alone decide what runs: the worker gets its job before markdown is parsed
        sources = find_sources(lesson, "code")
        run = _start_run(lesson, sources, settings, options, progress, worker)
        computed = _Computed(lesson, sources, on_computed)
        try:
            sources, made = _while_running(lesson, sources, run, during_run)
        except SrsError as problem:
            if problem.exit_code != EXIT_BAD_INPUT:
                # a check failed: the run still finishes, so that its results fill the cache
                with contextlib.suppress(SrsError):
                    _follow(run, computed)
            raise
        results, ran = _follow(run, computed)
    except BaseException as problem:
        if isinstance(problem, Interrupted) and run is not None and run.running_cell is not None:
            problem.during = f"while cell {run.running_cell} was running"
        if run is not None:
            run.stop()
        elif worker is not None:
            worker.close()
        raise
    context = MakeContext(lesson=lesson, results=results)
    cards: list[Card] = []
    for index, source in enumerate(sources):
        if index in made:
            cards.extend(made[index])
        else:
            cards.extend(computed.cards(source) or _make(source, context))
    _check_unique_keys(cards)
    return lesson, cards, ran


def _follow(run: BackgroundRun, computed: _Computed) -> tuple[dict[int, CellResult], bool]:
    """Make the cards of each result as it arrives; the results once the run is over."""
    for result in run.arrivals():
        computed.add(result)
    outcome = run.finish()
    return dict(outcome.results), outcome.ran


def _while_running(
    lesson: Lesson,
    code_sources: list[CardSource],
    run: BackgroundRun,
    during_run: Callable[[Lesson, list[Card]], None],
) -> tuple[list[CardSource], dict[int, list[Card]]]:
    """Everything this process does while the notebook runs: all sources, and the cards of those
    that need no run (by position in the sources)."""
    from srs.sources.find import find_sources

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
    """Cards made from each result as it arrives, while later cells still run (in the thread that
    makes every card).

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


def _early_worker(lesson: Lesson) -> Any:
    """A worker started before the sources are parsed, when some code cell looks like a card."""
    code_cells = (cell for cell in lesson.cells if cell.type == "code")
    if not any(named_kind(split_code_options(cell.source)[0]) for cell in code_cells):
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


def _start_run(
    lesson: Lesson,
    sources: list[CardSource],
    settings: Settings,
    options: BuildOptions,
    progress: Progress,
    worker: Any = None,
) -> BackgroundRun:
    """Start the run the code cards need (or take it from the cache); it goes on in the background."""
    from srs.run.background import BackgroundRun, start_run

    requests: dict[int, tuple[str, ...]] = {}
    for source in sources:
        spec = get_kind(source.kind)
        if spec is not None and spec.needs_run:
            wanted = requests.get(source.cell.index, ()) + spec.requests(source)
            requests[source.cell.index] = tuple(dict.fromkeys(wanted))
    if not requests and not lesson_files(lesson.path).produces:  # a producer runs to make its files
        if worker is not None:
            worker.close()
        return BackgroundRun(lesson, (), (), None, {})
    return start_run(
        lesson,
        requests,
        cache_dir=options.out_dir / ".srs" / "cache",
        timeout=options.timeout or settings.timeout,
        use_cache=options.use_cache,
        progress=progress,
        worker=worker,
    )


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
    from srs.lint.checks import warnings_for

    return warnings_for(cards, lesson, settings)


def _write_deck(
    report: BuildReport,
    lesson: Lesson,
    settings: Settings,
    manifest: Manifest,
    inputs: str,
    ahead: _RenderAhead,
) -> None:
    from srs.render.fields import card_tags, content_hash

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
    report.removed = [key_search(lesson.lesson_id, key) for key in manifest.notes if key not in notes]
    if manifest.notes and manifest.guid_join < GUID_JOIN and not joins_unambiguously(lesson.lesson_id):
        report.messages.append(
            f"the lesson id '{lesson.lesson_id}' holds '__' or ends in '_', so its notes' ids in Anki "
            "could be another lesson's; from this build on they are made so that they cannot, and Anki "
            "will add this deck's notes beside the ones imported before: delete those old notes in Anki "
            "(their review history goes with them) to keep one copy of each card"
        )
    written = False
    try:
        # a deck and the manifest that describes it are written together or not at all
        with deferred():
            write_package(
                report.deck_path, report.deck_name, lesson.lesson_id, report.notes, list(media.values())
            )
            manifest.notes, manifest.inputs = notes, inputs
            manifest.deck_sha256 = file_digest_or_none(report.deck_path)
            manifest.deck_name = report.deck_name
            manifest.notebook = str(_resolved(lesson.path))
            manifest.fronts = _kept_fronts(report.cards, settings)
            save_manifest(manifest)
            written = True
    except Interrupted as stop:
        if written:
            stop.during, stop.deck_written = "just as the new deck was written", True
        raise


def _kept_fronts(cards: list[Card], settings: Settings) -> list[dict[str, Any]]:
    from srs.lint import LintConfig
    from srs.lint.across import kept_fronts

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
