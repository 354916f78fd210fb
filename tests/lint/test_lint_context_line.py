"""SRS120: the section heading shown above the front must not hold the card's answer."""

from __future__ import annotations

from srs.core.model import Card, CardSource


def formula_under(make, heading: str, math: str, name: str, value: str = "") -> Card:
    """A whole-formula card (or its worked example, with `value`) in a cell under `heading`."""
    cell = make.cell(math, heading=heading)
    source = CardSource("formula", {"card": "formula", "name": name}, math, cell, cell.location.at_line(1), 0)
    return Card(source.key, "formula", source, f"What is the formula for {name}?", back=math, value=value)


def test_a_heading_that_is_the_formulas_right_side_is_flagged(make, codes):
    card = formula_under(make, "The output layer: $\\hat y - y$",
                         "$$\\frac{\\partial L}{\\partial z} = \\hat y - y$$", "gradient at the logits")
    assert codes(card, select=["SRS120"]) == ["SRS120"]


def test_a_heading_holding_most_of_the_answer_is_flagged(make, codes):
    card = formula_under(make, "Why divide by $\\sqrt{d_k}$", "$$\\frac{1}{\\sqrt{ d_k }}$$", "score factor")
    assert codes(card, select=["SRS120"]) == ["SRS120"]


def test_a_clozes_hidden_text_and_a_qa_answer_in_the_heading_are_flagged(make, codes):
    cloze = make.cloze("Each row of the weights sums to {{c1::1}}.", heading="Weights sum to 1")
    answer = make.qa("Along which axis of the scores is softmax taken?", "along rows",
                     heading="Softmax along rows")
    assert codes(cloze, select=["SRS120"]) == ["SRS120"]
    assert codes(answer, select=["SRS120"]) == ["SRS120"]


def test_an_example_value_in_the_heading_is_flagged_and_a_longer_number_is_not(make, codes):
    flagged = formula_under(make, "A factor of 0.125", "$$\\frac{1}{\\sqrt{d_k}}$$", "factor", value="0.125")
    quiet = formula_under(make, "A factor of 0.1250", "$$\\frac{1}{\\sqrt{d_k}}$$", "factor", value="0.125")
    assert codes(flagged, select=["SRS120"]) == ["SRS120"]
    assert codes(quiet, select=["SRS120"]) == []


def test_a_topic_heading_a_small_symbol_and_a_prose_answer_with_math_stay_quiet(make, codes):
    topic = formula_under(make, "Scaling the scores", "$$\\frac{1}{\\sqrt{d_k}}$$", "score factor")
    symbol = make.qa("Which matrix do the weights multiply?", "$V$", heading="Mixing $V$ by the weights")
    prose = make.qa("What is the variance of the scaled score?", "1, whatever the width $d_k$.",
                    heading="Why divide by $\\sqrt{d_k}$")
    assert codes(topic, symbol, prose, select=["SRS120"]) == []


def test_the_lesson_title_is_not_a_context_line(make, codes):
    card = make.qa("What does attention compute from?", "attention", heading="Attention")
    assert codes(card, select=["SRS120"]) == []
