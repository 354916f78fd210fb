"""Rules on how a card is worded: SRS103-SRS110 (size, sets, question forms, give-aways, pronouns)."""

from __future__ import annotations


def test_long_answer_is_flagged_with_its_count(make, run_lint):
    answer = " ".join(["word"] * 23)
    findings = run_lint([make.qa("What does attention compute for each query?", answer)])
    assert [(f.code, f.message) for f in findings] == [("SRS103", "answer has 23 words (max 15); split it")]


def test_answer_words_leave_out_math_code_and_html(make, codes):
    answer = "A weighted average of $v_1, \\dots, v_n$ with `softmax` weights <b>from</b> $$\\frac{QK}{d}$$"
    assert codes(make.qa("What does one attention head output for one query?", answer)) == []


def test_long_cloze_answer_is_flagged(make, run_lint):
    hidden = " ".join(["token"] * 16)
    findings = run_lint(
        [make.cloze(f"The layer sees {{{{c1::{hidden}}}}} before the output projection runs here.")]
    )
    assert "SRS103" in [f.code for f in findings]
    assert any(f.message.startswith("cloze c1 hides 16 words (max 15)") for f in findings)


def test_long_front_is_flagged(make, run_lint):
    front = "In the attention layer " + " ".join(["really"] * 40) + " what scales the scores?"
    findings = run_lint([make.qa(front, "$1/\\sqrt{d_k}$")])
    assert [f.code for f in findings] == ["SRS104"]
    assert findings[0].message == "front has 48 words (max 40); cut it down to the one thing it asks"


def test_short_front_passes(make, codes):
    assert codes(make.qa("What scales the attention scores before the softmax?", "$1/\\sqrt{d_k}$")) == []


def test_markdown_list_answer_is_a_set(make, codes):
    card = make.qa("Which inputs does an attention layer take?", "- the queries\n- the keys\n- the values")
    assert codes(card) == ["SRS105"]


def test_comma_and_answer_is_a_set(make, codes):
    assert codes(
        make.qa("Which matrices does attention project the input into?", "queries, keys and values")
    ) == ["SRS105"]


def test_math_items_joined_by_commas_are_a_set(make, codes):
    assert codes(make.qa("Which matrices does attention take?", "$Q$, $K$, $V$")) == ["SRS105"]


def test_a_clause_with_commas_is_not_a_set(make, codes):
    answer = "Softmax of the scaled scores, taken along each row, gives the weights"
    assert codes(make.qa("How do raw scores become attention weights?", answer)) == []


def test_a_tuple_is_not_a_set(make, codes):
    assert codes(make.qa("What shape do the scores have?", "(tokens, tokens)")) == []


def test_yes_no_question_is_flagged(make, run_lint):
    findings = run_lint([make.qa("Does softmax make the attention weights sum to one?", "yes")])
    assert [f.code for f in findings] == ["SRS106"]
    assert findings[0].message == "front is a yes/no question ('Does ...?'); ask what, why or how instead"


def test_true_or_false_is_flagged(make, codes):
    assert codes(make.qa("True or false: the attention weights of one query sum to 1.", "True")) == ["SRS106"]


def test_yes_as_the_answer_is_flagged(make, codes):
    assert codes(make.qa("Softmax weights of one query sum to 1, right?", "Yes, always")) == ["SRS106"]


def test_question_after_a_statement_is_the_one_judged(make, codes):
    front = "Scores are divided by $\\sqrt{d_k}$. Is the softmax then less peaked?"
    assert codes(make.qa(front, "yes")) == ["SRS106"]


def test_what_question_passes_yes_no(make, codes):
    assert codes(make.qa("What do the attention weights of one query sum to?", "1")) == []


def test_either_or_question_is_flagged(make, run_lint):
    findings = run_lint(
        [make.qa("Is attention computed with the dot product or the cross product?", "dot product")]
    )
    assert [f.code for f in findings] == ["SRS107"]
    assert "'A or B?'" in findings[0].message


def test_which_with_candidates_is_flagged(make, codes):
    assert codes(make.qa("Which axis does the softmax run along, rows or columns?", "rows")) == ["SRS107"]


def test_open_question_with_or_inside_passes(make, codes):
    assert (
        codes(make.qa("What happens to the softmax when scores grow large or small?", "it saturates")) == []
    )


def test_or_not_is_yes_no_not_either_or(make, codes):
    assert codes(make.qa("Is the causal mask applied before the softmax or not?", "yes")) == ["SRS106"]


def test_answer_in_the_front_is_flagged(make, run_lint):
    findings = run_lint(
        [make.qa("What does the dot product of a query and a key measure?", "the dot product")]
    )
    assert [f.code for f in findings] == ["SRS108"]
    assert findings[0].message.startswith("the front already says the answer ('dot', 'product')")


def test_answer_partly_in_the_front_passes(make, codes):
    assert codes(make.qa("What does the dot product of a query and a key measure?", "their similarity")) == []


def test_cloze_text_shown_elsewhere_is_flagged(make, run_lint):
    text = (
        "Attention weights come from a {{c1::softmax}} over the scores; the softmax makes each row sum to 1."
    )
    findings = run_lint([make.cloze(text)])
    assert [f.code for f in findings] == ["SRS108"]
    assert findings[0].message.startswith("cloze c1 hides 'softmax', which the card still shows elsewhere")


def test_cloze_math_shown_elsewhere_is_flagged(make, codes):
    text = "$$\\frac{QK^\\top}{ {{c1::\\sqrt{d_k}}} }$$ and the scale $\\sqrt{d_k}$ keeps variance near 1"
    assert codes(make.cloze(text)) == ["SRS108"]


def test_short_symbols_may_recur(make, codes):
    # SRS108 lets a lone symbol recur; whether the other side gives it away is SRS116's question
    card = make.formula("$$\\text{Attention}(Q, K, V) = \\mathrm{softmax}(QK^\\top) {{c1::V}}$$")
    assert codes(card, select=["SRS108"]) == []


def test_vague_stem_is_flagged(make, run_lint):
    findings = run_lint(
        [make.qa("Explain attention.", "each token mixes the values of the tokens it attends to")]
    )
    assert [f.code for f in findings] == ["SRS109"]
    assert findings[0].message.startswith("front opens with 'Explain'")


def test_tell_me_about_is_flagged(make, codes):
    assert codes(make.qa("Tell me about multi-head attention.", "several heads in parallel")) == ["SRS109"]


def test_why_question_passes_vague_stem(make, codes):
    assert (
        codes(make.qa("Why are attention scores divided by $\\sqrt{d_k}$?", "to keep their variance near 1"))
        == []
    )


def test_pronoun_front_without_topic_is_flagged(make, run_lint):
    findings = run_lint([make.qa("It is divided by what?", "$\\sqrt{d_k}$", heading="")])
    assert [f.code for f in findings] == ["SRS110"]
    assert findings[0].message == "front opens with 'It' but names no topic; say what 'it' is"


def test_pronoun_front_with_a_topic_passes(make, codes):
    assert (
        codes(
            make.qa(
                "This matrix holds one score per query-key pair; what is its shape?", "(n, n)", heading=""
            )
        )
        == []
    )


def test_pronoun_front_resolved_by_its_heading_passes(make, codes):
    assert codes(make.qa("It is divided by what?", "$\\sqrt{d_k}$", heading="Scaling the scores")) == []


def test_pronoun_front_with_math_passes(make, codes):
    assert codes(make.qa("It multiplies $QK^\\top$ by what?", "$1/\\sqrt{d_k}$", heading="")) == []


def test_generated_fronts_are_never_judged(make, codes):
    card = make.numeric("x = 3\nx", "3", of="x")
    long_generated = card.__class__(
        card.key, card.kind, card.source, "Is " + "it " * 50 + "true or false?", value="3"
    )
    assert codes(long_generated) == []


def test_an_answer_opening_with_no_as_a_word_is_not_a_verdict(make, codes):
    card = make.qa(
        "What single scale suits the scores at every width?", "No single number: it depends on $d_k$"
    )
    assert codes(card) == []
