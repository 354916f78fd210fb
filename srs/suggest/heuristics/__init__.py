"""The heuristics, one module each: every one takes the parsed lesson and its run results
(a SuggestContext) and yields Suggestions. Adding one means adding its module to HEURISTICS."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from srs.suggest.heuristics import (
    definitions,
    emphasis,
    enumerations,
    exercises,
    figures,
    formulas,
    numbers,
    questions,
    reasons,
    relations,
    shapes,
    shortcuts,
    symbols,
    takeaways,
    terms,
)
from srs.suggest.model import SuggestContext, Suggestion

Heuristic = Callable[[SuggestContext], Iterator[Suggestion]]

HEURISTICS: dict[str, Heuristic] = {
    "formulas": formulas.suggest,
    "symbols": symbols.suggest,
    "shapes": shapes.suggest,
    "numbers": numbers.suggest,
    "exercises": exercises.suggest,
    "definitions": definitions.suggest,
    "enumerations": enumerations.suggest,
    "figures": figures.suggest,
    "takeaways": takeaways.suggest,
    "terms": terms.suggest,
    "emphasis": emphasis.suggest,
    "relations": relations.suggest,
    "shortcuts": shortcuts.suggest,
    "questions": questions.suggest,
    "reasons": reasons.suggest,
}
"""Every heuristic by name, in the order they run."""
