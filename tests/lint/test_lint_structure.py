"""Rules on a card's structure and its neighbours: clozes (SRS101, SRS102), duplicates (SRS111,
SRS112) and formulas (SRS113)."""

from __future__ import annotations

FIVE_PARTS = (
    "$$ {{c1::\\mathrm{softmax}}}\\left(\\frac{ {{c2::Q}} {{c3::K^\\top}} }"
    "{ {{c4::\\sqrt{d_k}}} }\\right) {{c5::V}}$$"
)


def test_one_number_in_two_places_is_flagged(make, run_lint):
    text = "A query is compared with every {{c1::key}}, and the weights then mix the {{c1::values}}."
    findings = run_lint([make.cloze(text)])
    assert [(f.code, f.message) for f in findings] == [
        ("SRS101", "cloze c1 hides 2 different things; give each its own number (c1, c2, ...)")
    ]


def test_one_number_per_place_passes(make, codes):
    assert (
        codes(
            make.cloze("A query is compared with every {{c1::key}}, and the weights mix the {{c2::values}}.")
        )
        == []
    )


def test_one_number_hiding_the_same_text_twice_passes(make, codes):
    assert (
        codes(
            make.formula(
                "$$ {{c1::d_k}} \\text{ is the width of } K, \\sqrt{ {{c1::d_k}} } \\text{ scales}$$"
            )
        )
        == []
    )


def test_adjacent_pieces_of_one_number_are_one_place(make, codes):
    assert (
        codes(make.cloze("Scores are scaled by {{c1::one over}} {{c1::the root of d_k}} before the softmax."))
        == []
    )


def test_cloze_in_a_formula_counts_too(make, codes):
    assert codes(
        make.formula(
            "$$\\mathrm{softmax}\\left(\\frac{ {{c1::QK^\\top}} }{ {{c1::\\sqrt{d_k}}} }\\right) V$$"
        )
    ) == ["SRS101"]


def test_cloze_hiding_its_sentence_is_flagged(make, run_lint):
    text = "Attention: {{c1::each query takes a weighted average of the values}}. It runs per head."
    findings = run_lint([make.cloze(text)])
    assert [(f.code, f.message) for f in findings] == [
        (
            "SRS102",
            "cloze c1 hides 9 of the 10 words of its sentence; "
            "hide only the key term and leave the rest as the cue",
        )
    ]


def test_cloze_hiding_a_key_term_passes(make, codes):
    assert codes(make.cloze("Each query takes a {{c1::weighted average}} of the value vectors.")) == []


def test_short_sentence_with_a_short_cloze_passes(make, codes):
    assert codes(make.cloze("Weights sum to {{c1::one}}.")) == []


def test_other_sentences_do_not_dilute_the_share(make, codes):
    text = (
        "Softmax turns scores into weights. {{c1::The weights of one query sum to one}}. "
        "Scores can be negative."
    )
    assert codes(make.cloze(text)) == ["SRS102"]


def test_same_front_twice_names_the_first(make, run_lint):
    first = make.qa("What shape does $QK^\\top$ have?", "(n, n)")
    second = make.qa("what shape  does $QK^\\top$ have?", "(n, n)")
    findings = run_lint([first, second])
    assert [f.code for f in findings] == ["SRS111"]
    assert findings[0].location == second.location
    assert "same front as the card at cell 1:line 1;" in findings[0].message


def test_different_fronts_pass(make, codes):
    assert (
        codes(
            make.qa("What shape does $QK^\\top$ have?", "(n, n)"),
            make.qa("What shape does $V$ have?", "(n, d_v)"),
        )
        == []
    )


def test_near_duplicate_with_another_answer_is_flagged(make, run_lint):
    first = make.qa(
        "Along which axis of the score matrix does the softmax normalise each query's weights?",
        "the key axis",
    )
    second = make.qa(
        "Along which axis of the score matrix does softmax normalise each query's weights?", "the last axis"
    )
    findings = run_lint([first, second])
    assert [f.code for f in findings] == ["SRS112"]
    assert findings[0].location == second.location
    assert "the same as the card at cell 1:line 1," in findings[0].message


def test_near_duplicate_with_the_same_answer_passes(make, codes):
    first = make.qa(
        "Along which axis of the score matrix does the softmax normalise each query's weights?", "keys"
    )
    second = make.qa(
        "Along which axis of the score matrix does softmax normalise each query's weights?", "keys"
    )
    assert codes(first, second) == []


def test_fronts_that_differ_in_their_math_are_not_near_duplicates(make, codes):
    first = make.qa("What is the shape of $W_Q$?", "(d_model, d_k)")
    second = make.qa("What is the shape of $W_V$?", "(d_model, d_v)")
    assert codes(first, second) == []


def test_formula_with_too_many_cloze_parts_is_flagged(make, run_lint):
    math = FIVE_PARTS
    findings = run_lint([make.formula(math)])
    assert [(f.code, f.message) for f in findings] == [
        (
            "SRS113",
            "formula asks for 5 parts (max 4); split it into a build-up of formula cards linked by `after:`",
        )
    ]


def test_formula_parts_follow_the_threshold(make, codes):
    math = FIVE_PARTS
    assert codes(make.formula(math), max_formula_parts=5) == []


def test_formula_built_on_an_earlier_one_counts_only_new_parts(make, codes):
    earlier = make.formula(
        "$$s = \\frac{ {{c1::q \\cdot k}} }{ {{c2::\\sqrt{d_k}}} }$$", name="scaled score", id="score"
    )
    math = (
        "$$a = {{c1::\\mathrm{softmax}}}\\left(\\frac{ {{c2::q \\cdot k}} }{ {{c3::\\sqrt{d_k}}} }\\right)"
        " {{c4::v}} + {{c5::b}}$$"
    )
    assert codes(earlier, make.formula(math, name="weights", after="score")) == []
    assert codes(earlier, make.formula(math, name="weights")) == ["SRS113"]


def test_long_formula_without_clozes_is_flagged(make, run_lint):
    math = (
        "$$\\mathrm{MultiHead}(Q, K, V) = "
        "\\mathrm{Concat}(\\mathrm{head}_1, \\ldots, \\mathrm{head}_h) W^O, \\quad"
        " \\mathrm{head}_i = \\mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)$$"
    )
    findings = run_lint([make.formula(math, name="multi-head attention")])
    assert [f.code for f in findings] == ["SRS113"]
    assert findings[0].message.startswith("formula has 18 top-level symbols (max 12) and no clozes;")


def test_whole_attention_formula_is_one_card(make, codes):
    math = "$$\\text{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right) V$$"
    assert codes(make.formula(math, name="scaled dot-product attention")) == []


def test_long_formula_after_its_pieces_counts_only_new_symbols(make, codes):
    head = make.formula(
        "$$\\mathrm{head}_i = \\mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)$$", name="head", id="head"
    )
    math = (
        "$$\\mathrm{MultiHead}(Q, K, V) = "
        "\\mathrm{Concat}(\\mathrm{head}_1, \\ldots, \\mathrm{head}_h) W^O, \\quad"
        " \\mathrm{head}_i = \\mathrm{Attention}(Q W_i^Q, K W_i^K, V W_i^V)$$"
    )
    assert codes(head, make.formula(math, name="multi-head attention", after="head")) == []
