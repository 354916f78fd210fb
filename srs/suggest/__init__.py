"""Propose cards for a notebook from its structure and its values: `srs suggest`.

    report = suggest_cards(Path("lessons/07-attention.ipynb"))
    for suggestion in report.suggestions: print(suggestion.snippet())

The notebook runs once (through the run cache); each heuristic in `srs.suggest.heuristics` reads the
lesson and the run's results and yields suggestions; every suggestion is then made into real cards
and linted exactly as `srs lint` would, and only those that pass are kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from srs.core.model import Progress, no_progress
from srs.suggest.model import Suggestion

__all__ = ["SuggestReport", "Suggestion", "suggest_cards"]

DEFAULT_MIN_CONFIDENCE = 0.5

NOUNS = {
    "formula": ("formula", "formulas"),
    "shape": ("shape change", "shape changes"),
    "numeric": ("explained number", "explained numbers"),
    "qa": ("question", "questions"),
    "figure": ("explained plot", "explained plots"),
    "cloze": ("cloze", "clozes"),
}


@dataclass
class SuggestReport:
    """What `srs suggest` found: the suggestions that pass lint, and why others were dropped."""

    path: Path
    suggestions: list[Suggestion] = field(default_factory=list)
    dropped: list[tuple[Suggestion, str]] = field(default_factory=list)
    """Suggestions a lint rule or a card maker refused, with the reason."""
    warnings: list[str] = field(default_factory=list)
    existing_cards: int = 0

    def summary(self) -> str:
        """One line: what has no card yet, by kind."""
        counts = Counter(s.kind for s in self.suggestions)
        if not counts:
            return "nothing found that has no card yet"
        parts = [f"{n} {NOUNS.get(kind, (kind, kind + 's'))[n != 1]}" for kind, n in counts.most_common()]
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
        verb = "has" if sum(counts.values()) == 1 else "have"
        return f"{text} {verb} no card yet"


def suggest_cards(
    path: Path,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    out_dir: Path = Path("decks"),
    timeout: float | None = None,
    progress: Progress = no_progress,
) -> SuggestReport:
    """Run the notebook and propose cards that pass lint, best first."""
    from srs.core.config import load_settings
    from srs.suggest.propose import propose

    settings = load_settings(path)
    return propose(path, settings, min_confidence, out_dir, timeout, progress)
