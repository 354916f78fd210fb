"""Derivations: splitting math into steps, checking each step, and the cards the kind makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from srs.core.errors import CheckFailed, SourceError
from srs.core.model import Card, CardSource, Cell, Lesson, Location
from srs.kinds import KINDS, MakeContext
from srs.kinds.derivation import UNVERIFIED_TAG, DerivationCard, make_derivation, unverified_steps
from srs.maths.derivation import DerivationSyntaxError, Step, check, check_step, split_steps

LOG_SOFTMAX_BLOCKS = r"""$$\log \mathrm{softmax}(x)_i = \log \frac{e^{x_i}}{\sum_j e^{x_j}}$$
$$= x_i - \log \sum_j e^{x_j}$$"""

LOG_SOFTMAX_ALIGNED = r"""$$\begin{aligned}
\log \mathrm{softmax}(x)_i &= \log \frac{e^{x_i}}{\sum_j e^{x_j}} && \text{definition} \\
&= \log e^{x_i} - \log \sum_j e^{x_j} && \text{log of a quotient} \\
&= x_i - \log \sum_j e^{x_j} % log undoes exp
\end{aligned}$$"""

COMMENT = "<!-- #| card: derivation\n     #| name: {name} -->\n"


def derivation_source(math: str, name: str = "log-softmax", **options: Any) -> CardSource:
    """A derivation source in cell 5 of a lesson, its option comment on the cell's first two lines."""
    where = Location(Path("lesson.ipynb"), 5, "c5", 1)
    cell = Cell(5, "c5", "markdown", COMMENT.format(name=name) + math, location=where)
    return CardSource("derivation", {"card": "derivation", "name": name, **options}, math, cell, where, 0)


def make(source: CardSource) -> list[Card]:
    lesson = Lesson(Path("lesson.ipynb"), "lesson", "Lesson", (source.cell,), True)
    return make_derivation(source, MakeContext(lesson))


def test_consecutive_blocks_are_steps_from_the_previous_expression():
    steps = split_steps(LOG_SOFTMAX_BLOCKS)
    assert [(s.before, s.after, s.line) for s in steps] == [
        (r"\log \mathrm{softmax}(x)_i", r"\log \frac{e^{x_i}}{\sum_j e^{x_j}}", 0),
        (r"\log \frac{e^{x_i}}{\sum_j e^{x_j}}", r"x_i - \log \sum_j e^{x_j}", 1),
    ]


def test_aligned_rows_are_steps_with_their_reasons():
    steps = split_steps(LOG_SOFTMAX_ALIGNED)
    assert [s.after for s in steps] == [
        r"\log \frac{e^{x_i}}{\sum_j e^{x_j}}",
        r"\log e^{x_i} - \log \sum_j e^{x_j}",
        r"x_i - \log \sum_j e^{x_j}",
    ]
    assert [s.reason for s in steps] == ["definition", "log of a quotient", "log undoes exp"]
    assert [s.line for s in steps] == [1, 2, 3]


def test_a_chain_on_one_row_and_a_restated_left_side():
    steps = split_steps("$$y = a(b + c) = ab + ac$$\n$$y = ac + ab$$")
    pairs = [(s.before, s.after) for s in steps]
    assert pairs == [("y", "a(b + c)"), ("a(b + c)", "ab + ac"), ("ab + ac", "ac + ab")]


@pytest.mark.parametrize("end", ["\\end{align*}", ""])
def test_an_align_environment_without_dollars_is_a_derivation(end: str):
    text = "\\begin{align*}\n1 - \\sigma(x) &= 1 - \\frac{1}{1+e^{-x}} \\\\\n&= \\frac{1}{e^{x}+1}\n" + end
    steps = split_steps(text)
    assert [(s.before, s.after, s.line) for s in steps] == [
        (r"1 - \sigma(x)", r"1 - \frac{1}{1+e^{-x}}", 1),
        (r"1 - \frac{1}{1+e^{-x}}", r"\frac{1}{e^{x}+1}", 2),
    ]


def test_the_reason_column_keeps_its_math_as_inline_math():
    (step,) = split_steps(r"$$\begin{aligned} \sqrt{x^2} &= x && \text{since } x > 0 \end{aligned}$$")
    assert step.reason == "since $x > 0$"


def test_relations_other_than_equality_are_kept_but_not_checked():
    (step,) = split_steps(r"$$e^{x} \approx 1 + x$$")
    assert step.relation == r"\approx"
    assert check(step).status == "unverified"


@pytest.mark.parametrize(
    ("text", "complaint", "line"),
    [
        ("no math here", "found no display math", 0),
        ("$$x^2$$", "needs a starting expression", 0),
        ("$$= x$$", "starts with a relation", 0),
        ("$$a$$\n$$b$$", "'b' does not continue", 1),
        ("$$a =$$", "nothing follows '='", 0),
    ],
)
def test_math_that_is_not_a_chain_of_steps(text: str, complaint: str, line: int):
    with pytest.raises(DerivationSyntaxError, match=complaint) as caught:
        split_steps(text)
    assert caught.value.line == line


@pytest.mark.parametrize("text", [LOG_SOFTMAX_BLOCKS, LOG_SOFTMAX_ALIGNED])
def test_log_softmax_is_verified_in_both_syntaxes(text: str):
    verdicts = [check_step(s.before, s.after) for s in split_steps(text)]
    assert [v.status for v in verdicts] == ["verified"] * len(verdicts)


def test_softmax_is_unchanged_by_a_constant_added_to_every_logit():
    verdict = check_step(r"\frac{e^{x_i + c}}{\sum_j e^{x_j + c}}", r"\frac{e^{x_i}}{\sum_j e^{x_j}}")
    assert verdict.status == "verified"


def test_a_step_that_only_simplify_settles_is_still_verified_symbolically():
    # neither expanding nor cancelling turns sin^2 + cos^2 - 1 into 0; sympy's simplify does
    verdict = check_step(r"\sin^2 x + \cos^2 x", "1")
    assert verdict.status == "verified"
    assert "simplifies" in verdict.detail


def test_a_step_settled_by_cancelling_never_loads_the_full_simplifier():
    # simplify's first call imports sympy.physics, a tenth of a second or more
    script = (
        "import sys\n"
        "from srs.maths.derivation import check_step\n"
        "v = check_step(r'\\frac{e^{c} e^{x_1}}{e^{c} e^{x_1} + e^{c} e^{x_2}}', "
        "r'\\frac{e^{x_1}}{e^{x_1} + e^{x_2}}')\n"
        "print(v.status, 'sympy.physics' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["verified", "False"]


def test_a_high_power_of_a_sum_is_not_written_out_term_by_term(monkeypatch):
    # expanding (1+r)^360 takes sympy tens of seconds; simplify settles the step at once
    import sympy

    written_out = []
    for name in ("expand", "cancel"):
        original = getattr(sympy, name)
        monkeypatch.setattr(sympy, name, lambda expr, *a, _f=original, **k: written_out.append(expr) or _f(expr, *a, **k))
    verdict = check_step(r"\frac{P r (1+r)^{360}}{(1+r)^{360}-1}", r"\frac{P r}{1-(1+r)^{-360}}")
    assert verdict.status == "verified" and "simplifies" in verdict.detail
    assert written_out == []


def test_the_square_of_a_sum_without_its_middle_term_is_false():
    verdict = check_step("(a+b)^2", "a^2 + b^2")
    assert verdict.status == "false"
    assert "a = " in verdict.detail and "b = " in verdict.detail
    assert "left side is" in verdict.detail and "right side is" in verdict.detail


def test_the_square_of_a_sum_with_its_middle_term_holds():
    assert check_step("(a+b)^2", "a^2 + 2ab + b^2").status == "verified"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (r"\log \sum_j e^{x_j}", r"\sum_j x_j"),
        (r"\sum_{j=1}^{n} x_j", r"n x_j"),
        (r"\sum_j (x_j + c)", r"\sum_j x_j + c"),
        (r"\log \sum_j x_j", r"\sum_j \log x_j"),
    ],
)
def test_sum_manipulations_that_are_wrong_are_never_verified(before: str, after: str):
    assert check_step(before, after).status != "verified"


def test_a_step_with_a_transpose_is_unverified():
    verdict = check_step(r"\frac{Q K^\top}{\sqrt{d_k}}", r"\frac{1}{\sqrt{d_k}} Q K^\top")
    assert verdict.status == "unverified"
    assert "transpose" in verdict.detail


def test_an_unknown_function_is_equal_only_to_itself():
    assert check_step("f(a) + f(a)", "2 f(a)").status == "verified"
    assert check_step("f(a + b)", "f(a) + f(b)").status == "unverified"


def test_a_step_that_holds_only_for_positive_values_is_unverified_not_false():
    verdict = check_step(r"\sqrt{\sigma^2}", r"\sigma")
    assert verdict.status == "unverified"
    assert "positive values only" in verdict.detail


def test_a_log_rule_holds_where_both_sides_are_defined():
    assert check_step(r"\log(ab)", r"\log a + \log b").status == "verified"


def test_verdicts_are_deterministic():
    assert check_step(r"\sqrt{ab}", r"\sqrt{a}\sqrt{b}") == check_step(r"\sqrt{ab}", r"\sqrt{a}\sqrt{b}")


def test_the_kind_is_registered_with_its_keys():
    spec = KINDS["derivation"]
    assert spec.make is make_derivation
    assert set(spec.options) == {"because"} and spec.required == frozenset({"name"})


def test_one_card_per_step_with_the_previous_expression_on_the_front():
    cards = make(derivation_source(LOG_SOFTMAX_ALIGNED))
    assert [c.key for c in cards] == [f"c5:derivation:0:step{n}" for n in (1, 2, 3)]
    first = cards[0]
    assert first.kind == "derivation"
    assert first.front == (
        "Derivation: log-softmax.\n\nWhich line follows\n\n$$\\log \\mathrm{softmax}(x)_i$$\n\nby definition?"
    )
    assert first.back == "$$\\log \\frac{e^{x_i}}{\\sum_j e^{x_j}}$$"
    # each step's reason is on its front, so only one next line is right
    assert [c.front.rsplit("\n", 1)[1] for c in cards] == [
        "by definition?", "by log of a quotient?", "by log undoes exp?"]
    assert [c.extra for c in cards] == ["", "", ""]
    assert first.authored_front is None and first.authored_back is None
    assert unverified_steps(cards) == []


def test_because_gives_one_reason_per_step_in_order():
    cards = make(derivation_source(LOG_SOFTMAX_BLOCKS, because=["by definition", "log undoes exp"]))
    assert [c.front.rsplit("\n", 1)[1] for c in cards] == ["by definition?", "by log undoes exp?"]


def test_because_with_the_wrong_number_of_reasons_is_a_source_error():
    with pytest.raises(SourceError, match="gives 1 reasons but the derivation has 2 steps"):
        make(derivation_source(LOG_SOFTMAX_BLOCKS, because=["by definition"]))


def test_a_false_step_fails_the_check_at_its_line():
    source = derivation_source("$$(a+b)^2$$\n$$= a^2 + b^2$$", name="square of a sum")
    with pytest.raises(CheckFailed) as caught:
        make(source)
    error = caught.value
    assert error.exit_code == 1
    assert error.location == Location(Path("lesson.ipynb"), 5, "c5", 4)
    assert "step 1 of derivation 'square of a sum' does not hold: (a+b)^2 = a^2 + b^2" in str(error)


def test_an_unverified_step_is_a_tagged_card_and_a_warning_at_its_line():
    math = "$$\\frac{Q K^\\top}{\\sqrt{d_k}} \\cdot 2$$\n$$= \\frac{2 Q K^\\top}{\\sqrt{d_k}}$$"
    (card,) = make(derivation_source(math, name="scaled scores"))
    assert isinstance(card, DerivationCard)
    assert UNVERIFIED_TAG in card.tags
    (finding,) = unverified_steps([card])
    assert finding.code == "SRS301" and finding.severity == "warning"
    assert finding.location.line == 4
    assert "step 1 of derivation 'scaled scores' is not checked" in finding.message
    assert "transpose" in finding.message


def test_math_that_is_not_a_derivation_is_a_source_error_at_its_line():
    with pytest.raises(SourceError, match="does not continue the derivation") as caught:
        make(derivation_source("$$a$$\n$$b$$"))
    assert caught.value.location.line == 4


def test_steps_are_plain_data():
    step = Step("a", "b", None, 0)
    assert step.relation == "="
