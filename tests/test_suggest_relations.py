"""The relations heuristic: a sentence whose point is one inline equation becomes a cloze hiding its right side."""

from __future__ import annotations

import pytest

from srs.suggest.heuristics.relations import cloze_for


@pytest.mark.parametrize(
    ("sentence", "cloze"),
    [
        (
            "With $P = (K - 1)/2$ (for odd $K$) the output has exactly the input's length, called same padding.",
            "With $P = {{c1::(K - 1)/2}}$ (for odd $K$) the output has exactly the input's length, called same "
            "padding.",
        ),
        (  # an approximation is the size of a number worth knowing
            "A classifier that guesses fifty-fifty between two classes has a loss of $\\ln 2 \\approx 0.69$.",
            "A classifier that guesses fifty-fifty between two classes has a loss of $\\ln 2 \\approx {{c1::0.69}}$.",
        ),
        (  # the left side and the sentence say what is asked; only the result is recalled
            "The whole derivation of the rotary scores rests on one identity, $R(a)^\\top R(b) = R(b-a)$.",
            "The whole derivation of the rotary scores rests on one identity, $R(a)^\\top R(b) = {{c1::R(b-a)}}$.",
        ),
    ],
)
def test_a_sentence_stating_one_relation_hides_it(sentence, cloze):
    assert cloze_for(sentence) == cloze


@pytest.mark.parametrize(
    "sentence",
    [
        "With $p = 0.5$, every unit delivers on average half of its real value.",  # a setting of the example
        "The formula agrees: $\\lfloor (60 - 5)/5 \\rfloor + 1 = 12$ outputs in this run of ours.",  # arithmetic
        "As shown above, the mean obeys $\\mu = \\frac{1}{B} \\sum_i x_i$ for every feature of the batch.",  # leans
        "Both $a = b$ and $c = d$ hold here for every pair of vectors in the table.",  # two relations
        "The gap $x - y$ shrinks while $x - y = 2$ stays where $x - y$ was before the step.",  # gives away
        "Is the output length $L_{out} = L - K + 1$ for every kernel size and every input?",  # a question
        "The spread is $\\sigma^2 = E[(x - \\mu)^2]$ of the `samples` list we built.",  # code the lesson made
        "Both curves start near $\\log 12 \\approx 2.48$, the loss of guessing uniformly.",  # a table's digits
        "Turning by $a$ and then by $b$ is turning by $a + b$, so $R(a)R(b) = R(a+b)$.",  # the result is shown
        "Adding directly is the special case where $W_x = W_p$, and saves the extra width.",  # two names
        "A neuron of the first layer computes a weighted sum $y = \\sum_i w_i x_i$.",  # said in words
        "Stacking the layers gives $y = a = b$ for every input of the first layer.",  # a chain
        "The crossover in the plot of our data is at $\\alpha \\approx 0.38$ for the longer sentence.",  # measured
        "The typical error of the mean guess is then $\\sqrt{1031} \\approx 32$ thousand dollars.",  # a calculator's
        "Now look at the fitted values $\\hat y = X \\hat w$ of the penalised model on new inputs.",  # a task
        "Substitute $p = \\sigma(z)$ and simplify each log of the loss with the log rules.",  # an instruction
        "Left: the error to the true covariance is U-shaped with its bottom at $\\lambda \\approx 0.4$.",  # a panel
    ],
)
def test_sentences_that_are_no_stand_alone_relation_are_left_alone(sentence):
    assert cloze_for(sentence, frozenset({"samples"})) is None


def test_the_cloze_is_suggested_after_its_paragraph_and_passes_lint(write_notebook, tmp_path):
    from srs.suggest import suggest_cards

    text = (
        "## Padding\n\nPadding adds zeros at both ends of the signal. With $P = (K - 1)/2$ (for odd $K$) the "
        "output has exactly the input's length, the setting called same padding."
    )
    found = suggest_cards(
        write_notebook([("md", text)]), out_dir=tmp_path / "decks", min_confidence=0.4
    ).suggestions
    relations = [s for s in found if s.heuristic == "relations"]
    assert [(s.kind, s.line) for s in relations] == [("cloze", 3)]  # after the paragraph's last line
    assert "$P = {{c1::(K - 1)/2}}$" in relations[0].snippet()


def test_relations_are_suggested_on_request_and_notation_is_not(write_notebook, tmp_path):
    from srs.suggest import suggest_cards

    text = (
        "## Padding\n\nWith $P = (K - 1)/2$ (for odd $K$) the output has exactly the input's length, called same."
        "\n\nTo see why, write $a_t = w h_{t-1} + u x_t$ for the pre-activation of the recurrent cell."
    )
    path = write_notebook([("md", text)])
    assert [
        s for s in suggest_cards(path, out_dir=tmp_path / "decks").suggestions if s.heuristic == "relations"
    ] == []
    found = suggest_cards(path, out_dir=tmp_path / "decks", min_confidence=0.4).suggestions
    assert [s.text for s in found if s.heuristic == "relations"] == [
        "With $P = {{c1::(K - 1)/2}}$ (for odd $K$) the output has exactly the input's length, called same."
    ]
