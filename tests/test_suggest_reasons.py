"""The reasons heuristic: a claim the lesson backs with "because" becomes a card asking why."""

from __future__ import annotations

import pytest
from support import suggested_by


def reasons(write_notebook, tmp_path, text: str, name: str = "r.ipynb"):
    path = write_notebook([("md", text)], name=name)
    return [s.qa for s in suggested_by(path, tmp_path, "reasons", min_confidence=0.4)]


def test_reasons_are_shown_on_request(write_notebook, tmp_path):
    text = "## Heads\n\nMore heads do not cost more weights, because each head gets a thinner slice of the columns."
    path = write_notebook([("md", text)])
    assert suggested_by(path, tmp_path, "reasons") == []  # 5 of 20 ratings usable in rounds 26 to 29
    assert len(suggested_by(path, tmp_path / "asked", "reasons", min_confidence=0.4)) == 1


def test_a_claim_and_its_reason_become_a_why_card(write_notebook, tmp_path):
    inline = "## Heads\n\nMore heads do not cost more weights, because each head gets a thinner slice of the columns."
    assert reasons(write_notebook, tmp_path, inline) == [
        ("More heads do not cost more weights: why?", "Each head gets a thinner slice of the columns.")
    ]
    following = (
        "## Rotations\n\nRotations never change the length of a vector. This is because they only move "
        "points around a circle."
    )
    assert reasons(write_notebook, tmp_path, following, "following.ipynb") == [
        ("Rotations never change the length of a vector: why?", "They only move points around a circle.")
    ]


@pytest.mark.parametrize(
    ("text", "qa"),
    [
        (
            "Evaluation code does not change at all, since mixup is switched off at test time.",
            ("Evaluation code does not change at all: why?", "Mixup is switched off at test time."),
        ),
        (
            "A sign-like update keeps hopping around the minimum, which is why real training decays the "
            "learning rate toward the end.",
            (
                "Real training decays the learning rate toward the end: why?",
                "A sign-like update keeps hopping around the minimum.",
            ),
        ),
        (
            "A model with a million weights needs two million forward passes. That is why gradient checking "
            "is done on tiny models.",
            (
                "Gradient checking is done on tiny models: why?",
                "A model with a million weights needs two million forward passes.",
            ),
        ),
        # "since" telling a time, not a reason
        (
            "The validation loss has stayed flat for many epochs, since the beginning of the second phase.",
            None,
        ),
    ],
)
def test_since_and_which_is_why_give_the_reason_too(write_notebook, tmp_path, text, qa):
    assert reasons(write_notebook, tmp_path, f"## Training\n\n{text}") == ([qa] if qa else [])


@pytest.mark.parametrize(
    "sentence",
    [
        "It has to go down, because a larger model can copy any smaller one exactly.",  # leans on the text before
        "The line stays at 0.2945 on the test set, because a straight line cannot bend.",  # a number of this run
        "The red curve rises near the right edge, because readings are scarce at the end of the day.",  # a picture
        "We use 64-bit floats for every fit, because the columns have very different scales.",  # the lesson's choice
        "The loss (first number) is small on every batch, because each photo matches its own caption.",  # an aside
        "The error rises again at the edges, because of the noise.",  # a cause named, not a reason given
        "The order matters, because top-p reads the shape of the distribution.",  # too short to say what about
        "Think of each tree's prediction as a random number, random because the training data are random.",
        "The training loss curve stays high all run, because squared error chases the outliers.",  # a plot line
        "Frequent words carry little information about a context, because their column is bright in every row.",
        "The untrained network mixes the people into one cloud, because its colours follow nuisance directions.",
        "All three lines are straight, because memory grows linearly with the length of the context.",  # a plot
        "The two accuracies look alike, because true negatives make up almost all of each numerator.",  # which two?
        "Precision has no such guarantee, because both its numerator and its denominator shrink.",  # such as what?
        "On the right, the rare weight is a staircase, because it moves only when its word is in the batch.",
        "The exploding `std=1` run is left out, since the values of that run become `inf` and `nan`.",  # a plot
        "The output is `(3, 8)`, because $(T_q, T_k) \\times (T_k, d) = (T_q, d)$ for every query.",  # the run's
        "The first piece of the gradient is easy to get, because $F$ is an explicit formula.",  # which piece?
    ],
)
def test_claims_that_do_not_stand_alone_are_left_alone(write_notebook, tmp_path, sentence):
    assert reasons(write_notebook, tmp_path, f"## Fits\n\n{sentence}") == []
