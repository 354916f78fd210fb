"""What a lint rule is: a code, a name, a one-line summary and a check over one card in context."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from srs.core.model import Card, Lesson
from srs.lint.config import LintConfig


@dataclass(frozen=True)
class RuleContext:
    """What a check may look at besides the card: the lesson, the settings and the other cards."""

    lesson: Lesson
    config: LintConfig
    cards: Sequence[Card]
    """Every card of the lesson, in notebook order."""
    position: int
    """Index of the card being checked in `cards`."""
    shared: dict[str, object] = field(default_factory=dict, compare=False)
    """What rules build once per lint run and share between the cards (an index over all fronts)."""

    @property
    def earlier(self) -> Sequence[Card]:
        """The cards before the one being checked."""
        return self.cards[: self.position]


Check = Callable[[Card, RuleContext], list[str]]
"""A check returns one message per problem it sees on the card (usually none)."""


@dataclass(frozen=True)
class Rule:
    """One single-inferential-step rule."""

    code: str
    """Stable code such as SRS103; what `select`, `ignore` and a card's `lint:` name."""
    name: str
    """Short kebab-case name, for listings."""
    summary: str
    """One line saying what the rule flags."""
    check: Check
