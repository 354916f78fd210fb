"""Rules on computed numbers: digits versus tolerance (SRS114), random values asked as facts (SRS115)."""

from __future__ import annotations


def test_more_digits_than_the_tolerance_is_flagged(make, run_lint):
    card = make.numeric("scale = 1 / 8 ** 0.5", "0.3536", of="scale", digits=4, expect=0.354, tol=0.01)
    findings = run_lint([card])
    assert [(f.code, f.message) for f in findings] == [
        ("SRS114", "answer shows 4 significant digits but tol 0.01 vouches for only 2; set `digits: 2`")
    ]


def test_digits_within_the_tolerance_pass(make, codes):
    assert (
        codes(make.numeric("scale = 1 / 8 ** 0.5", "0.35", of="scale", digits=2, expect=0.354, tol=0.01))
        == []
    )


def test_default_digits_count_when_none_are_given(make, codes):
    assert codes(make.numeric("scale = 1 / 8 ** 0.5", "0.3536", of="scale", expect=0.354, tol=0.01)) == [
        "SRS114"
    ]


def test_relative_tolerance_scales_with_the_value(make, run_lint):
    card = make.numeric("n = 1234.5", "1234.5", of="n", digits=5, expect=1234.5, rtol=0.01)
    findings = run_lint([card])
    assert [f.message for f in findings] == [
        "answer shows 5 significant digits but rtol 0.01 vouches for only 3; set `digits: 3`"
    ]


def test_integers_are_shown_exactly(make, codes):
    assert codes(make.numeric("n = 12 * 64", "768", of="n", expect=768, tol=1)) == []


def test_a_tolerance_wider_than_the_value_is_flagged(make, run_lint):
    findings = run_lint([make.numeric("x = 0.02", "0.02", of="x", digits=1, expect=0.02, tol=0.5)])
    assert [f.code for f in findings] == ["SRS114"]
    assert "wider than the value's leading digit" in findings[0].message


def test_no_tolerance_means_no_digit_check(make, codes):
    assert codes(make.numeric("scale = 1 / 8 ** 0.5", "0.353553", of="scale", digits=6)) == []


def test_random_value_asked_as_a_fact_is_flagged(make, run_lint):
    make.cell("import torch\ntorch.manual_seed(0)\nscores = torch.randn(4, 4)", type="code")
    card = make.numeric("weights = torch.softmax(scores, dim=-1)", "0.1832", of="weights[0, 0]")
    findings = run_lint([card])
    assert [f.code for f in findings] == ["SRS115"]
    assert findings[0].message.startswith("the answer comes from random numbers (torch.randn in cell 1);")


def test_shape_of_a_random_tensor_is_a_fact(make, codes):
    make.cell("import torch\nscores = torch.randn(4, 6)", type="code")
    card = make.numeric("weights = torch.softmax(scores, dim=-1)", "6", of="weights.shape[-1]")
    assert codes(card) == []


def test_front_that_says_sample_passes(make, codes):
    make.cell("import torch\ntorch.manual_seed(0)\nscores = torch.randn(4, 4)", type="code")
    card = make.numeric(
        "weights = torch.softmax(scores, dim=-1)",
        "0.1832",
        front="With seed 0, what is the first weight?",
        of="weights[0, 0]",
    )
    assert codes(card) == []


def test_expect_with_a_tolerance_passes(make, codes):
    make.cell("import torch\nscores = torch.randn(1000)", type="code")
    card = make.numeric("spread = scores.std()", "1.0", of="spread", digits=1, expect=1.0, tol=0.1)
    assert codes(card) == []


def test_deterministic_values_pass(make, codes):
    make.cell("import numpy as np\nnp.random.seed(0)\nscores = np.array([1.0, 2.0, 3.0])", type="code")
    assert codes(make.numeric("total = scores.sum()", "6.0", of="total")) == []


def test_in_place_initialisation_is_random(make, codes):
    make.cell("import torch\nw = torch.empty(3, 3)\ntorch.nn.init.xavier_uniform_(w)", type="code")
    assert codes(make.numeric("first = w[0, 0].item()", "0.41", of="first")) == ["SRS115"]


def test_randomness_reached_through_a_function(make, codes):
    make.cell("import random\n\ndef draw():\n    return random.gauss(0, 1)", type="code")
    make.cell("x = draw()", type="code")
    assert codes(make.numeric("y = 2 * x", "0.8", of="y")) == ["SRS115"]


def test_a_value_overwritten_with_a_fixed_one_is_not_random(make, codes):
    make.cell("import torch\nx = torch.randn(3)", type="code")
    make.cell("x = torch.ones(3)", type="code")
    assert codes(make.numeric("total = x.sum()", "3.0", of="total")) == []


def test_without_of_the_last_line_of_the_cell_is_asked(make, codes):
    assert codes(make.numeric("%matplotlib inline\nimport torch\nx = torch.rand(5)\nx.mean()", "0.52")) == [
        "SRS115"
    ]
    assert codes(make.numeric("import torch\nx = torch.rand(5)\nx.numel()", "5")) == []


def test_only_numeric_cards_are_judged_for_randomness(make, codes):
    card = make.numeric("import torch\nx = torch.rand(5)\nx.mean()", "0.52")
    shape_card = card.__class__(card.key, "shape", card.source, "Shape of `x`?", value="(5,)")
    assert codes(shape_card) == []
