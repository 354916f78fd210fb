"""Finding, for each front, the first earlier front that is the same or nearly the same, without
comparing every pair.

Equal fronts are found through a dictionary. Nearly equal ones through prefix filtering: difflib's
ratio `2M / (|a| + |b|)` (M matching tokens) reaches NEAR only when `20 M >= 9 (|a| + |b|)`, and M is
at most the overlap of the two token multisets and at most the shorter length, so the fronts must
share at least `t = ceil(9 |x| / 11)` elements, for x either front. Sort every front's elements by
one global order (rarest first): when two fronts share t >= 2 elements, their two smallest shared
elements lie within the first `|x| - t + 2` elements of each. So only fronts whose prefixes share
two elements (one, for fronts of a single token) are candidates, and the exact score is computed
for those alone. The findings are those of the all-pairs comparison, because a front that is not a
candidate cannot reach NEAR.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

NEAR = 0.9
"""Share of matching tokens above which two fronts read as the same question."""


@dataclass(frozen=True)
class Front:
    """One front as the duplicate rules compare it."""

    key: str
    """The front lower-cased with its spacing collapsed: equal keys are the same front."""
    tokens: tuple[str, ...]
    """Words and whole math or code spans, what the near-duplicate score compares."""
    answer: str
    """The normalised answer: near-duplicates matter only when the answers differ."""
    origin: Hashable
    """Fronts of one origin (cards made from one source) are never compared with each other."""
    group: int = 0
    """The lesson the front belongs to, in build order (0 when only one lesson is looked at)."""


def overlap_needed(length: int) -> int:
    """Fewest shared tokens a front of `length` tokens needs with another to be NEAR the same."""
    return (9 * length + 10) // 11


def prefix_length(length: int) -> int:
    """How many of a front's first elements (rarest first) must hold the ones it shares with a near front."""
    if length <= 1:
        return length
    return length - overlap_needed(length) + 2


class FrontIndex:
    """Every front of a build, indexed for the questions the duplicate rules ask about each one.

    Positions are indexes into the sequence given; None stands for a card without an authored front.
    With `across_groups_only`, a front is compared only with fronts of earlier groups (other lessons).
    """

    def __init__(self, fronts: Sequence[Front | None], across_groups_only: bool = False) -> None:
        self.fronts = fronts
        self.across_groups_only = across_groups_only
        self.by_key: dict[str, list[int]] = {}
        for position, front in enumerate(fronts):
            if front is not None:
                self.by_key.setdefault(front.key, []).append(position)
        elements = [_elements(front.tokens) if front is not None else [] for front in fronts]
        self.element_sets = [frozenset(found) for found in elements]
        self.prefixes = _prefixes(elements)
        self.holders: dict[int, list[int]] = {}
        """Element -> the positions (ascending) whose prefix holds it."""
        self.empty: list[int] = []
        """Positions of fronts without tokens: difflib scores two empty sequences 1.0."""
        for position, prefix in enumerate(self.prefixes):
            front = fronts[position]
            if front is not None and not front.tokens:
                self.empty.append(position)
            for element in prefix:
                self.holders.setdefault(element, []).append(position)

    def _comparable(self, earlier: int, position: int) -> bool:
        mine, theirs = self.fronts[position], self.fronts[earlier]
        if mine is None or theirs is None or theirs.origin == mine.origin:
            return False
        return not self.across_groups_only or theirs.group != mine.group

    def same_front(self, position: int) -> int | None:
        """The first earlier front equal to this one (another origin), or None."""
        front = self.fronts[position]
        if front is None:
            return None
        for earlier in self.by_key[front.key]:
            if earlier >= position:
                return None
            if self._comparable(earlier, position):
                return earlier
        return None

    def near_front(self, position: int) -> tuple[int, float] | None:
        """The first earlier front NEAR this one, not equal to it, with another answer; and its score."""
        front = self.fronts[position]
        if front is None:
            return None
        matcher = SequenceMatcher(None, autojunk=False)
        # The card's own tokens are the matcher's second sequence, which difflib indexes once.
        matcher.set_seq2(front.tokens)
        mine, length = self.element_sets[position], len(front.tokens)
        sets, fronts = self.element_sets, self.fronts
        for earlier in self._candidates(position):
            # difflib's real_quick_ratio and quick_ratio in whole numbers (2 * bound / total < NEAR),
            # the same verdicts as the floats', which cannot round across NEAR at these sizes
            theirs = sets[earlier]
            total = length + len(theirs)
            if 20 * min(length, len(theirs)) < 9 * total or 20 * len(mine & theirs) < 9 * total:
                continue
            other = fronts[earlier]
            if other is None or other.key == front.key or not self._comparable(earlier, position):
                continue
            matcher.set_seq1(other.tokens)
            if matcher.ratio() < NEAR:
                continue
            if other.answer != front.answer:
                return earlier, matcher.ratio()
        return None

    def _candidates(self, position: int) -> list[int]:
        """Earlier positions that could be NEAR this one, ascending (a superset of those that are)."""
        front = self.fronts[position]
        if front is None:
            return []
        if not front.tokens:
            return self.empty[: bisect_left(self.empty, position)]
        earlier = [self._earlier_holders(element, position) for element in self.prefixes[position]]
        if len(front.tokens) == 1:
            return sorted(earlier[0])
        found: set[int] = set()
        for first, holders in enumerate(earlier):
            for others in earlier[first + 1 :]:
                found |= holders & others
        return sorted(found)

    def _earlier_holders(self, element: int, position: int) -> set[int]:
        holders = self.holders[element]
        return set(holders[: bisect_left(holders, position)])


def _prefixes(elements: Sequence[Sequence[tuple[str, int]]]) -> list[tuple[int, ...]]:
    """Each front's first elements in the global order, as many as prefix filtering needs."""
    frequency = Counter(element for found in elements for element in found)
    # rarest first, so that prefixes hold the words that tell fronts apart and candidate lists stay short
    order = {element: rank for rank, element in enumerate(sorted(frequency, key=lambda e: (frequency[e], e)))}
    prefixes = []
    for found in elements:
        ranks = sorted(order[element] for element in found)
        prefixes.append(tuple(ranks[: prefix_length(len(ranks))]))
    return prefixes


def _elements(tokens: Sequence[str]) -> list[tuple[str, int]]:
    """The tokens as a set: the k-th occurrence of a token is the element (token, k)."""
    seen: Counter[str] = Counter()
    found = []
    for token in tokens:
        found.append((token, seen[token]))
        seen[token] += 1
    return found
