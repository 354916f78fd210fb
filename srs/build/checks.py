"""`srs check`: run a lesson afresh, verify every computed answer, and catch answers that wobble."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from srs.core.model import Card, Finding, Progress, no_progress


@dataclass
class CheckResult:
    """How many cards were checked and what failed."""

    card_count: int = 0
    failures: list[Finding] = field(default_factory=list)


def check_lesson(
    path: Path,
    *,
    repeat: int = 1,
    timeout: float | None = None,
    progress: Progress = no_progress,
    out_dir: Path = Path("decks"),
) -> CheckResult:
    """Run the lesson `repeat` times without the cache; failed expectations raise, the rest is reported."""
    from srs.build.lesson import BuildOptions, collect_cards
    from srs.core.config import load_settings
    from srs.lint.checks import unverified_steps

    settings = load_settings(path)
    options = BuildOptions(out_dir=out_dir, use_cache=False, timeout=timeout)
    runs: list[list[Card]] = []
    for number in range(1, repeat + 1):
        progress(f"run {number}/{repeat}")
        _, cards, _ = collect_cards(path, settings, options, progress)
        runs.append(cards)
    result = CheckResult(card_count=len(runs[0]))
    result.failures += [Finding(f.code, f.message, f.location, "error") for f in unverified_steps(runs[0])]
    for later in runs[1:]:
        result.failures += _differences(runs[0], later)
    return result


def _answer(card: Card) -> tuple[str, str, tuple[str, ...]]:
    return card.back, card.value, tuple(media.name for media in card.media)


def _differences(first: list[Card], second: list[Card]) -> list[Finding]:
    by_key = {card.key: card for card in second}
    found = []
    for card in first:
        other = by_key.get(card.key)
        if other is not None and _answer(card) != _answer(other):
            found.append(
                Finding(
                    "SRS202",
                    f"the answer differs between runs ({_short(card)} vs {_short(other)}); "
                    "seed the randomness (utils.set_seed) or ask about something that does not depend on it",
                    card.location,
                    "error",
                )
            )
    return found


def _short(card: Card) -> str:
    text = card.value or card.back or ",".join(m.name for m in card.media)
    flat = " ".join(text.split())
    return flat if len(flat) < 60 else flat[:57] + "..."
