"""SRS111 and SRS112 through the front index find exactly what comparing every pair of cards found."""

from __future__ import annotations

import random
import sys
from difflib import SequenceMatcher
from pathlib import Path
from types import MappingProxyType

import pytest

import srs.lint as lint_package
from srs.build.lesson import BuildOptions, collect_cards
from srs.core.config import Settings
from srs.core.model import Card, Finding
from srs.lint import LintConfig, Rule, RuleContext, lint
from srs.lint.duplicates import NEAR, _where, answer_key, front_tokens
from srs.lint.front_index import Front, FrontIndex
from srs.lint.text import normalise

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic import write_synthetic  # noqa: E402


def _key(card: Card) -> str | None:
    front = card.authored_front
    return normalise(front) if front is not None and front.strip() else None


def all_pairs_same_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS111 as it was: every earlier card, one by one."""
    mine = _key(card)
    if mine is None:
        return []
    for other in ctx.earlier:
        if other.source.key != card.source.key and _key(other) == mine:
            return [f"same front as the card at {_where(other, card)}; merge the two or make each ask its own thing"]
    return []


def all_pairs_near_front(card: Card, ctx: RuleContext) -> list[str]:
    """SRS112 as it was: difflib against every earlier card."""
    mine = _key(card)
    if mine is None:
        return []
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(front_tokens(card.authored_front or ""))
    for other in ctx.earlier:
        theirs = _key(other)
        if theirs is None or theirs == mine or other.source.key == card.source.key:
            continue
        matcher.set_seq1(front_tokens(other.authored_front or ""))
        if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR or matcher.ratio() < NEAR:
            continue
        if answer_key(other) != answer_key(card):
            return [
                f"front is {matcher.ratio():.0%} the same as the card at {_where(other, card)}, "
                "which expects a different answer; make the fronts differ in what they ask"
            ]
    return []


def all_pairs_findings(cards: list[Card], lesson, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """What the linter reports with the two rules swapped for their all-pairs versions."""
    rules = dict(lint_package.RULES)
    for code, check in (("SRS111", all_pairs_same_front), ("SRS112", all_pairs_near_front)):
        rules[code] = Rule(code, rules[code].name, rules[code].summary, check)
    with monkeypatch.context() as patched:
        patched.setattr(lint_package, "RULES", MappingProxyType(rules))
        return lint(cards, lesson, LintConfig())


@pytest.mark.parametrize("seed", range(6))
def test_index_and_all_pairs_agree_on_generated_notebooks(seed, tmp_path, monkeypatch):
    # every third cell is a copy of an earlier one with one word changed: many near-duplicates
    path = write_synthetic(tmp_path / f"gen{seed}.ipynb", 450, seed=seed, near=3)
    lesson, cards, _ = collect_cards(path, Settings(), BuildOptions(out_dir=tmp_path / "decks"))
    old = all_pairs_findings(cards, lesson, monkeypatch)
    new = lint(cards, lesson, LintConfig())
    duplicates = [f for f in old if f.code in ("SRS111", "SRS112")]
    assert len(duplicates) >= 10, "the generated notebook should hold near-duplicates"
    assert new == old


def _random_front(rng: random.Random) -> str:
    words = ["the", "weight", "$x$", "`y`", "grad", "loss", "of", "what", "is", "a"]
    return " ".join(rng.choice(words) for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8, 11, 12])))


def test_index_and_all_pairs_agree_on_short_and_empty_fronts(make, monkeypatch):
    # short fronts from a tiny vocabulary: single tokens, no tokens at all ("?" against "!")
    rng = random.Random(7)
    cards = []
    for _ in range(300):
        front = _random_front(rng) + rng.choice(["?", "!", " ?", ""])
        cards.append(make.qa(front or "?", rng.choice(["one", "two"])))
    old = all_pairs_findings(cards, make.lesson(), monkeypatch)
    assert {f.code for f in old} >= {"SRS111", "SRS112"}
    assert lint(cards, make.lesson(), LintConfig()) == old


def test_fronts_of_one_origin_are_never_compared():
    same = Front("what is x?", ("what", "is", "x"), "one", origin="a")
    near = Front("what is x !", ("what", "is", "x", "!"), "two", origin="a")
    index = FrontIndex([same, near])
    assert index.same_front(1) is None and index.near_front(1) is None


def test_across_groups_compares_only_other_lessons():
    first = Front("what is the weight of x?", ("what", "is", "the", "weight", "of", "x"), "one", "k", group=0)
    again = Front("what is the weight of x?", ("what", "is", "the", "weight", "of", "x"), "one", "j", group=0)
    later = Front("what is the weight of x?", ("what", "is", "the", "weight", "of", "x"), "one", "m", group=1)
    index = FrontIndex([first, again, later], across_groups_only=True)
    assert index.same_front(1) is None
    assert index.same_front(2) == 0


@pytest.mark.parametrize("seed", range(4))
def test_every_pair_that_can_reach_near_is_a_candidate(seed):
    # difflib's quick_ratio bounds its ratio from above: every pair at or above NEAR by it is a candidate
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(12)]
    fronts = []
    for position in range(400):
        tokens = tuple(rng.choice(vocabulary) for _ in range(rng.randrange(0, 16)))
        fronts.append(Front(" ".join(tokens) + f" #{position}", tokens, "", origin=position))
    index = FrontIndex(fronts)
    for position, front in enumerate(fronts):
        candidates = set(index._candidates(position))
        for earlier in range(position):
            matcher = SequenceMatcher(None, fronts[earlier].tokens, front.tokens, autojunk=False)
            if matcher.quick_ratio() >= NEAR:
                assert earlier in candidates, (fronts[earlier].tokens, front.tokens)


def test_linting_hashes_the_lesson_a_fixed_number_of_times_whatever_its_size(tmp_path, monkeypatch):
    # a cache keyed by the lesson, consulted once per card, hashes every cell once per card:
    # linting would grow with the square of the lesson's size
    from srs.core.model import Lesson

    path = write_synthetic(tmp_path / "big.ipynb", 900)
    lesson, cards, _ = collect_cards(path, Settings(), BuildOptions(out_dir=tmp_path / "out"), lambda _m: None)
    hashed = []
    original = Lesson.__hash__
    monkeypatch.setattr(Lesson, "__hash__", lambda self: hashed.append(1) or original(self))
    lint(cards, lesson)
    assert len(cards) > 500 and len(hashed) <= 5
