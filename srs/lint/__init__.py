"""The single-inferential-step linter: rules that flag cards asking for more (or less) than one step.

Each rule judges only what the author wrote (`Card.authored_front` / `authored_back`, a formula's math,
the options); text srs generated is never judged. The rules live in small modules by family and are
listed once, in RULES. A card skips rules with `lint: [SRS103]`; a project picks rules and thresholds
in `[tool.srs.lint]`. Rationale for every rule: cards_spec/lint/.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from srs.core.model import Card, Finding, Lesson
from srs.lint import (
    cloze_context,
    cloze_rules,
    context_line,
    duplicates,
    formula,
    giveaway,
    notebook_refs,
    numbers,
    pictures,
    questions,
    randomness,
    shape_front,
    size,
    steps,
)
from srs.lint.config import LintConfig, check_codes
from srs.lint.rule import Check, Rule, RuleContext

_TABLE = (
    Rule(
        "SRS101",
        "one-target-per-cloze",
        "one cloze number hides things in two places",
        cloze_rules.check_one_target,
    ),
    Rule(
        "SRS102",
        "cloze-hides-sentence",
        "a cloze hides most of its sentence",
        cloze_rules.check_hides_sentence,
    ),
    Rule("SRS103", "long-answer", "the answer has more than max_answer_words words", size.check_answer_words),
    Rule("SRS104", "long-front", "the front has more than max_front_words words", size.check_front_words),
    Rule("SRS105", "set-answer", "the answer is a set or an enumeration", size.check_enumeration),
    Rule(
        "SRS106",
        "yes-no-question",
        "the question is answered by yes/no or true/false",
        questions.check_yes_no,
    ),
    Rule("SRS107", "either-or-question", "the question ends 'A or B?'", questions.check_either_or),
    Rule("SRS108", "answer-on-front", "the front already shows the answer", giveaway.check_giveaway),
    Rule(
        "SRS109", "vague-stem", "the front opens with 'Explain', 'Describe', ...", questions.check_vague_stem
    ),
    Rule(
        "SRS110",
        "dangling-pronoun",
        "the front opens with a pronoun it never resolves",
        questions.check_stands_alone,
    ),
    Rule("SRS111", "duplicate-front", "an earlier card has the same front", duplicates.check_same_front),
    Rule(
        "SRS112",
        "near-duplicate-front",
        "a nearly identical front expects another answer",
        duplicates.check_near_front,
    ),
    Rule(
        "SRS113", "formula-too-big", "a formula asks for too many parts at once", formula.check_formula_parts
    ),
    Rule(
        "SRS114",
        "spurious-digits",
        "a number shows more digits than its tolerance supports",
        numbers.check_digits,
    ),
    Rule(
        "SRS115",
        "random-as-fact",
        "a seed-dependent random value is asked as a fact",
        randomness.check_random_value,
    ),
    Rule(
        "SRS116",
        "cloze-given-by-context",
        "the rest of the front makes a cloze immediate",
        cloze_context.check_cloze_context,
    ),
    Rule(
        "SRS117",
        "notebook-reference",
        "card prose points into the notebook",
        notebook_refs.check_notebook_reference,
    ),
    Rule("SRS118", "step-too-small", "a derivation step carries no rule to recall", steps.check_step_size),
    Rule(
        "SRS119",
        "small-picture-text",
        "a picture's text would be too small on a phone",
        pictures.check_picture_text,
    ),
    Rule(
        "SRS120",
        "answer-in-context",
        "the section heading above the front holds the answer",
        context_line.check_answer_in_context,
    ),
    Rule(
        "SRS121",
        "shape-on-front",
        "a shape card's front writes out the shape it asks for",
        shape_front.check_shape_on_front,
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in _TABLE})
"""Every rule by code, in code order."""

DEFAULT_CONFIG = LintConfig()


def lint(cards: Sequence[Card], lesson: Lesson, config: LintConfig = DEFAULT_CONFIG) -> list[Finding]:
    """Findings of every enabled rule on every card, in card order then rule order."""
    active = [rule for code, rule in RULES.items() if config.enabled(code)]
    findings: list[Finding] = []
    seen: set[Finding] = set()
    shared: dict[str, object] = {}
    for position, card in enumerate(cards):
        skipped = card_ignores(card)
        context = RuleContext(lesson, config, cards, position, shared)
        for rule in active:
            if rule.code in skipped:
                continue
            for message in rule.check(card, context):
                finding = Finding(rule.code, message, card.location)
                # Cards made from one source (a formula and its worked example) would repeat a finding.
                if finding not in seen:
                    seen.add(finding)
                    findings.append(finding)
    return findings


def card_ignores(card: Card) -> frozenset[str]:
    """The rule codes a card's `lint:` option turns off; an unknown code is an OptionError."""
    codes = card.source.options.get("lint")
    if codes is None:
        return frozenset()
    return check_codes(codes, "`lint:`", card.location)


__all__ = ["RULES", "Check", "LintConfig", "Rule", "RuleContext", "card_ignores", "lint"]
