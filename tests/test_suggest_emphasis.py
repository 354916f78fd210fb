"""The emphasis heuristic: a short bold phrase inside a claim becomes a cloze hiding it."""

from __future__ import annotations

import pytest
from support import suggested_by


def clozes(write_notebook, tmp_path, text: str, heuristic: str = "emphasis") -> list[str]:
    path = write_notebook([("md", f"## Lines\n\n{text}")])
    return [s.text for s in suggested_by(path, tmp_path, heuristic, min_confidence=0.0)]


def test_bold_phrases_in_a_claim_become_its_clozes(write_notebook, tmp_path):
    text = "Batched matrix multiplication works on the **last two** axes and treats every axis in front as a batch."
    assert clozes(write_notebook, tmp_path, text) == [
        "Batched matrix multiplication works on the {{c1::last two}} axes and treats every axis in front as a batch."
    ]


def test_emphasis_is_shown_only_on_request_and_one_hidden_word_last(write_notebook, tmp_path):
    words = "So changing the weights **turns** the boundary; changing the bias **slides** it."
    phrase = "Batched matrix multiplication works on the **last two** axes and treats every axis in front as a batch."
    path = write_notebook([("md", f"## Lines\n\n{words}\n\n{phrase}")])
    assert suggested_by(path, tmp_path, "emphasis", min_confidence=0.4) == []
    found = suggested_by(path, tmp_path, "emphasis", min_confidence=0.0)
    assert [(s.text, s.confidence) for s in found] == [
        (
            "Batched matrix multiplication works on the {{c1::last two}} axes and treats every axis in front as a batch.",
            0.35,
        ),
        ("Changing the weights {{c1::turns}} the boundary; changing the bias {{c2::slides}} it.", 0.3),
    ]


def test_a_term_the_sentence_defines_is_left_to_the_terms_heuristic(write_notebook, tmp_path):
    text = (
        "In every update the step size is the **learning rate** of the optimiser, set before training starts."
    )
    assert clozes(write_notebook, tmp_path, text) == []
    assert clozes(write_notebook, tmp_path, text, "terms") == [
        "In every update the step size is the {{c1::learning rate}} of the optimiser, set before training starts."
    ]


@pytest.mark.parametrize(
    "text",
    [
        # it leans on the sentence before
        "This is why the threshold is used **only for predicting** and never for training.",
        # a negation hidden is a yes/no question
        "A single perceptron can **not** separate the four corners of the XOR square.",
        # a count word is no idea
        "Every point of the curve is caused by **one** hidden number, the angle of the circle.",
        # the reader is told what to do
        "Shuffle the tokens with a random **permutation** and run the attention layer again.",
        # a value of this run
        "Both partial derivatives, $5.5$ and $1.7163$, come from a **single** backward sweep.",
        # a quoted example is this lesson's data
        'Suppose the model has read **"the cat sat on the"** and produced logits for the next token.',
        # the rest of the sentence says the answer
        "Lengths are never negative, so the **sign** of the dot product is the sign of the cosine.",
        # the bold phrase is most of the sentence
        "Remember that **the difficulty is set by the ratio of size to margin**, not the count.",
        # the other half of a pair names the hidden one's noun
        "The mean and the spread must come from the **training set** and then be applied to the test set.",
        # a picture the card does not show
        "In the plot the boundary becomes a **hyperbola** around the two positive corners of the square.",
    ],
)
def test_sentences_that_do_not_stand_alone_give_no_cloze(write_notebook, tmp_path, text):
    assert clozes(write_notebook, tmp_path, text) == []
