"""The linter's public surface: the rule table, `[tool.srs.lint]`, per-card `lint:` and the findings."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from srs.core.errors import OptionError
from srs.lint import RULES, LintConfig

PYPROJECT = Path("pyproject.toml")
LONG_ANSWER = " ".join(["word"] * 23)


def test_the_table_holds_every_rule_in_code_order():
    assert list(RULES) == [f"SRS{number}" for number in range(101, 122)]
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.summary and "\n" not in rule.summary
        assert callable(rule.check)


def test_every_rule_has_a_rationale_page():
    spec = Path(__file__).resolve().parents[2] / "cards_spec" / "lint"
    readme = (spec / "README.md").read_text(encoding="utf-8")
    for code in RULES:
        assert (spec / f"{code}.md").is_file(), code
        assert f"[{code}]({code}.md)" in readme, code


def test_findings_carry_code_location_and_warning_severity(make, run_lint):
    card = make.qa("What does attention compute for each query?", LONG_ANSWER)
    (finding,) = run_lint([card])
    assert (finding.code, finding.location, finding.severity) == ("SRS103", card.location, "warning")
    assert str(finding) == (
        "lessons/07-attention.ipynb:cell 1:line 1: [SRS103] "
        "answer has 23 words (max 15); split it (cell id id1)"
    )


def test_select_runs_only_the_named_rules(make, codes):
    card = make.qa("Explain attention.", LONG_ANSWER)
    assert codes(card) == ["SRS103", "SRS109"]
    assert codes(card, select=frozenset({"SRS109"})) == ["SRS109"]


def test_ignore_wins_over_select(make, codes):
    card = make.qa("Explain attention.", LONG_ANSWER)
    assert codes(card, ignore=frozenset({"SRS103"})) == ["SRS109"]
    assert codes(card, select=frozenset({"SRS103", "SRS109"}), ignore=frozenset({"SRS109"})) == ["SRS103"]


def test_thresholds_move_the_size_rules(make, codes):
    card = make.qa("What does attention compute for each query?", LONG_ANSWER)
    assert codes(card, max_answer_words=23) == []
    assert codes(card, max_front_words=5) == ["SRS103", "SRS104"]


@pytest.mark.parametrize("value", [["SRS103"], "SRS103", ["srs103"]])
def test_card_option_lint_skips_a_rule_on_that_card(make, codes, value):
    skipped = make.qa("Explain attention.", LONG_ANSWER, lint=value)
    other = make.qa("What does attention compute for one query?", LONG_ANSWER)
    assert codes(skipped, other) == ["SRS109", "SRS103"]


def test_card_option_lint_with_an_unknown_code_is_an_error(make, run_lint):
    card = make.qa("What does attention compute for each query?", "a weighted average", lint=["SRS13"])
    with pytest.raises(OptionError) as raised:
        run_lint([card])
    assert raised.value.location == card.location
    assert "`lint:` names no rule 'SRS13' (did you mean" in raised.value.message


def test_one_source_making_two_cards_reports_once(make, run_lint):
    math = "$$ {{c1::a}} + {{c2::b}} + {{c3::c}} + {{c4::d}} + {{c5::e}}$$"
    card = make.formula(math)
    example = replace(card, key=card.key + ":example", front="With $a = 1$, what is the attention?")
    assert [f.code for f in run_lint([card, example])] == ["SRS113"]


def test_from_mapping_reads_every_key():
    config = LintConfig.from_mapping(
        {
            "select": ["SRS103", "SRS106"],
            "ignore": ["SRS106"],
            "max_answer_words": 20,
            "max_front_words": 30,
            "max_formula_parts": 3,
        },
        PYPROJECT,
    )
    assert config == LintConfig(frozenset({"SRS103", "SRS106"}), frozenset({"SRS106"}), 20, 30, 3)
    assert LintConfig.from_mapping({}, PYPROJECT) == LintConfig()


def test_from_mapping_suggests_the_key_meant():
    with pytest.raises(OptionError) as raised:
        LintConfig.from_mapping({"max_answer_word": 20}, PYPROJECT)
    assert str(raised.value).startswith(
        "pyproject.toml: [SRS010] [tool.srs.lint] "
        "has no key 'max_answer_word' (did you mean 'max_answer_words'?)"
    )


@pytest.mark.parametrize("value", ["twenty", 0, True, 2.5])
def test_from_mapping_rejects_bad_counts(value):
    with pytest.raises(
        OptionError, match=r"\[tool.srs.lint\] max_front_words must be a whole number of at least 1"
    ):
        LintConfig.from_mapping({"max_front_words": value}, PYPROJECT)


def test_from_mapping_rejects_unknown_codes_with_a_suggestion():
    with pytest.raises(OptionError) as raised:
        LintConfig.from_mapping({"ignore": ["SRS1033"]}, PYPROJECT)
    assert "[tool.srs.lint] ignore names no rule 'SRS1033' (did you mean 'SRS103'?)" in raised.value.message
    assert raised.value.location == PYPROJECT


def test_from_mapping_rejects_a_select_that_is_not_a_list():
    with pytest.raises(OptionError, match="select must be a list of rule codes"):
        LintConfig.from_mapping({"select": 103}, PYPROJECT)


def test_importing_the_linter_stays_light():
    heavy = "{'torch', 'numpy', 'sympy', 'matplotlib'}"
    code = f"import sys, srs.lint; print(sorted({heavy} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
