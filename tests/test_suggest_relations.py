"""The relations heuristic: a sentence whose point is one inline equation becomes a cloze hiding it."""

from __future__ import annotations

import pytest

from srs.suggest.heuristics.relations import cloze_for


@pytest.mark.parametrize(
    ("sentence", "cloze"),
    [
        (
            "With $P = (K - 1)/2$ (for odd $K$) the output has exactly the input's length, called same padding.",
            "With {{c1::$P = (K - 1)/2$}} (for odd $K$) the output has exactly the input's length, called same "
            "padding.",
        ),
        (  # an approximation is the size of a number worth knowing
            "A classifier that guesses fifty-fifty between two classes has a loss of $\\ln 2 \\approx 0.69$.",
            "A classifier that guesses fifty-fifty between two classes has a loss of {{c1::$\\ln 2 \\approx 0.69$}}.",
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
    found = suggest_cards(write_notebook([("md", text)]), out_dir=tmp_path / "decks", min_confidence=0.4).suggestions
    relations = [s for s in found if s.heuristic == "relations"]
    assert [(s.kind, s.line) for s in relations] == [("cloze", 3)]  # after the paragraph's last line
    assert "{{c1::$P = (K - 1)/2$}}" in relations[0].snippet()


def test_relations_are_shown_only_on_request(write_notebook, tmp_path):
    from srs.suggest import suggest_cards

    text = "## Padding\n\nWith $P = (K - 1)/2$ (for odd $K$) the output has exactly the input's length, called same."
    found = suggest_cards(write_notebook([("md", text)]), out_dir=tmp_path / "decks").suggestions
    assert [s for s in found if s.heuristic == "relations"] == []
