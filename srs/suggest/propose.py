"""The steps of `srs suggest`: run, ask every heuristic, keep one suggestion per place, lint, rank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from srs.core.config import Settings
from srs.core.errors import RunError, SrsError
from srs.core.model import FIGURES, Card, CardSource, CellResult, Lesson, Location, Progress
from srs.kinds import MakeContext, get_kind
from srs.suggest import SuggestReport
from srs.suggest.edit import edited_source
from srs.suggest.giveaway import gives_itself_away
from srs.suggest.heuristics import HEURISTICS
from srs.suggest.heuristics.figures import wants_figures
from srs.suggest.heuristics.numbers import printed_expression
from srs.suggest.heuristics.shapes import length_requests
from srs.suggest.model import SuggestContext, Suggestion

MARK_LINE = 1_000_000
"""Suggested cards are linted at made-up line numbers from here, so each finding maps to its suggestion."""


def propose(
    path: Path,
    settings: Settings,
    min_confidence: float,
    out_dir: Path,
    timeout: float | None,
    progress: Progress,
) -> SuggestReport:
    """Suggestions for one notebook that pass lint, best first."""
    from srs.notebook.reader import read_lesson
    from srs.sources.find import find_sources

    lesson = read_lesson(path)
    existing = find_sources(lesson)
    report = SuggestReport(path, existing_cards=len(existing))
    results = _run(lesson, existing, settings, out_dir, timeout, progress, report)
    ctx = SuggestContext(lesson, results, existing)
    found = [s for heuristic in HEURISTICS.values() for s in heuristic(ctx) if s.confidence >= min_confidence]
    found = [s for s in found if not gives_itself_away(s, ctx.shown_context(s.cell, s.line))]
    kept, report.dropped = lint_suggestions(ctx, _one_per_place(found), settings)
    report.suggestions = sorted(kept, key=lambda s: (-s.confidence, s.cell.index, s.line or 0))
    return report


def _run(
    lesson: Lesson,
    existing: list[CardSource],
    settings: Settings,
    out_dir: Path,
    timeout: float | None,
    progress: Progress,
    report: SuggestReport,
) -> Mapping[int, CellResult]:
    """Run the notebook as a build would (same cache); a cell that raises ends the run before it."""
    from srs.run import run_lesson

    requests: dict[int, tuple[str, ...]] = {}
    for source in existing:
        spec = get_kind(source.kind)
        if spec is not None and spec.needs_run:
            requests[source.cell.index] = requests.get(source.cell.index, ()) + spec.requests(source)
    for cell in lesson.cells:
        if wants_figures(cell):
            requests[cell.index] = (*requests.get(cell.index, ()), FIGURES)
        if cell.type == "code":
            lengths = tuple(length_requests(cell))
            printed = printed_expression(cell)
            wanted = (*lengths, printed) if printed is not None else lengths
            if wanted:
                requests[cell.index] = (*requests.get(cell.index, ()), *wanted)
    requests = {index: tuple(dict.fromkeys(wanted)) for index, wanted in requests.items()}
    if not any(cell.type == "code" for cell in lesson.cells):
        return {}
    options = {
        "cache_dir": out_dir / ".srs" / "cache",
        "timeout": timeout or settings.timeout,
        "progress": progress,
    }
    try:
        return run_lesson(lesson, requests, **options).results
    except RunError as error:
        failed = error.location.cell if isinstance(error.location, Location) else None
        if failed is None:
            raise
        report.warnings.append(
            f"{lesson.path}:cell {failed}: the cell raised, so the run stopped there; suggestions come from "
            f"the cells before it and from the markdown ({error.message})"
        )
        earlier = {index: wanted for index, wanted in requests.items() if index < failed}
        if not any(c.type == "code" and c.index < failed for c in lesson.cells):
            return {}
        return run_lesson(lesson, earlier, upto=failed - 1, **options).results


def _one_per_place(found: list[Suggestion]) -> list[Suggestion]:
    """A code cell takes one card; a markdown block one set of options: the most confident wins."""
    best: dict[tuple[object, ...], Suggestion] = {}
    for suggestion in found:
        place: tuple[object, ...] = (suggestion.cell.index, None if suggestion.is_code else suggestion.line)
        if suggestion.inserts:  # new text after a block: several may follow the same one
            place += (suggestion.qa, suggestion.text)
        if place not in best or suggestion.confidence > best[place].confidence:
            best[place] = suggestion
    return list(best.values())


def lint_suggestions(
    ctx: SuggestContext, suggestions: list[Suggestion], settings: Settings
) -> tuple[list[Suggestion], list[tuple[Suggestion, str]]]:
    """Make every suggestion into cards and lint them beside the notebook's cards; keep what passes."""
    from srs.lint.checks import warnings_for

    dropped: list[tuple[Suggestion, str]] = []
    made: dict[int, list[Card]] = {}
    for number, suggestion in enumerate(suggestions):
        try:
            made[number] = _cards_for(ctx, suggestion, MARK_LINE + number)
        except SrsError as error:
            dropped.append((suggestion, error.message))
    existing = _existing_cards(ctx)
    while True:
        cards = existing + [card for number in sorted(made) for card in made[number]]
        refused: dict[int, str] = {}
        for finding in warnings_for(cards, ctx.lesson, settings):
            line = finding.location.line or 0
            if line >= MARK_LINE and line - MARK_LINE in made:
                refused.setdefault(line - MARK_LINE, f"[{finding.code}] {finding.message}")
        if not refused:
            break
        for number, reason in refused.items():
            dropped.append((suggestions[number], reason))
            del made[number]
    return [suggestions[number] for number in sorted(made)], dropped


def _existing_cards(ctx: SuggestContext) -> list[Card]:
    context = MakeContext(ctx.lesson, ctx.results)
    cards: list[Card] = []
    for source in ctx.existing:
        spec = get_kind(source.kind)
        if spec is None:
            continue
        try:
            cards.extend(spec.make(source, context))
        except SrsError:  # `srs build` reports these; here they only take no part in the comparison
            continue
    return cards


def _cards_for(ctx: SuggestContext, suggestion: Suggestion, mark: int) -> list[Card]:
    """The cards a suggestion makes, as `srs build` would make them from the edited cell."""
    from srs.sources.find import find_sources

    cell = replace(suggestion.cell, source=edited_source(suggestion.cell.source, [suggestion]))
    before = {(s.kind, s.text) for s in ctx.existing if s.cell.index == cell.index}
    sources = [s for s in find_sources(replace(ctx.lesson, cells=(cell,))) if (s.kind, s.text) not in before]
    if not sources:
        raise SrsError("the edited cell makes no card", cell.location)
    cards = []
    where = Location(ctx.lesson.path, cell.index, cell.id, mark)
    for source in sources:
        # made one by one, two suggestions for one cell would both be its first source of their kind, share
        # a key, and lint would take them for cards of one source and never compare them
        source = replace(source, location=where, ordinal=mark)
        spec = get_kind(source.kind)
        assert spec is not None
        results = _with_values(ctx.results, source, spec.requests(source) if spec.needs_run else ())
        cards.extend(spec.make(source, MakeContext(ctx.lesson, results)))
    return cards


def _with_values(
    results: Mapping[int, CellResult], source: CardSource, wanted: tuple[str, ...]
) -> Mapping[int, CellResult]:
    """The run results with the values a new card asks for, read from the names the cell left behind."""
    result = results.get(source.cell.index)
    missing = [
        expr for expr in wanted if expr != FIGURES and (result is None or expr not in result.evaluated)
    ]
    if not missing or result is None:
        return results
    evaluated = dict(result.evaluated)
    for expr in missing:
        value = result.after.get(expr)
        if value is None:
            raise SrsError(f"no value of `{expr}` is known from the run", source.location)
        evaluated[expr] = value
    return {**results, source.cell.index: replace(result, evaluated=evaluated)}
