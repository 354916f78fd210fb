"""A suggested card whose front shows what it hides is left out."""

from __future__ import annotations

import pytest

from srs.core.model import Cell, Location
from srs.suggest import suggest_cards
from srs.suggest.giveaway import gives_itself_away
from srs.suggest.model import Suggestion

CELL = Cell(1, "c1", "markdown", "text", location=Location("x.ipynb", 1, "c1"))


def cloze(text: str) -> Suggestion:
    return Suggestion(cell=CELL, kind="cloze", confidence=0.6, reason="", heuristic="terms", text=text)


@pytest.mark.parametrize(
    ("text", "context", "away"),
    [
        # a long hidden word that the front writes out (a word of it, or a word starting the same way)
        ("{{c1::BatchNorm}} normalises each feature with the mean and variance across the batch.", "", True),
        (
            "The {{c1::score-function estimator (REINFORCE)}} is unbiased (search REINFORCE baselines).",
            "",
            True,
        ),
        ("A problem with a large condition number is {{c1::ill-conditioned}}.", "", True),
        # the context line (title and heading) is on the front too
        (
            "The {{c1::learning rate}} sets how far each step goes.",
            "Optimisers Learning rate schedules",
            True,
        ),
        # a symbol's subscript shortens a hidden word
        (
            "With $K$ micro-batches of $B$ examples, $B_\\text{eff} = KB$ is the {{c1::effective batch size}}.",
            "",
            True,
        ),
        # an acronym whose words the front spells out
        (
            "One minus the probability of the true label (often called {{c1::LAC}}, least ambiguous set-valued "
            "classifier).",
            "",
            True,
        ),
        ("The {{c1::KL}} divergence is never negative, by Jensen's inequality.", "Entropy", False),
        # nothing of the answer on the front
        ("A matrix constant along its diagonals is called a {{c1::Toeplitz}} matrix.", "Positions", False),
        (
            "Small values give gentle blends and large ones aggressive blends: the {{c1::mixing strength}}.",
            "",
            False,
        ),
        # a hidden library call is shown when every word of its name is
        ("{{c1::`nn.Dropout(p)`}}: a module, placed after the activation.", "Dropout: a network", True),
        ("{{c1::`nn.AlphaDropout`}}: the variant for SELU networks.", "Dropout: a network", False),
        (
            "{{c1::`nn.CTCLoss`}}: the loss as a module, for the training loop.",
            "The CTC loss",
            True,
        ),  # an acronym's words
        # a relation's hidden side is symbols: not judged by words
        ("Near zero $\\tanh(z) \\approx {{c1::z}}$ for small inputs.", "tanh", False),
    ],
)
def test_a_cloze_gives_itself_away_when_its_front_shows_the_hidden_words(text, context, away):
    assert gives_itself_away(cloze(text), context) is away


def test_a_short_answer_shown_by_its_question_is_given_away():
    asked = Suggestion(
        cell=CELL, kind="qa", confidence=0.6, reason="", heuristic="definitions",
        qa=("What is the first moment $m$?", "The EMA of the gradient (momentum)."),
    )  # fmt: skip
    assert gives_itself_away(asked, "Adam")


def test_suggest_leaves_out_a_cloze_that_gives_itself_away(write_notebook, tmp_path):
    text = (
        "## Batches\n\n**BatchNorm** normalises each feature of a layer with the mean and variance computed "
        "across the batch of examples."
    )
    found = suggest_cards(write_notebook([("md", text)]), out_dir=tmp_path / "decks", min_confidence=0.0)
    assert [s for s in found.suggestions if s.kind == "cloze"] == []


def test_one_table_says_how_an_operation_is_written_for_formulas_and_terms():
    from srs.suggest.giveaway import written_as
    from srs.suggest.heuristics.formulas import _operation_named
    from srs.suggest.heuristics.terms import _written_in_symbols

    assert written_as("Gaussians") is written_as("gaussian") and written_as("dropout") is None
    # a heading that names the operation a hidden part starts with, and a sentence that writes a term in symbols
    assert _operation_named(r"\sum_i w_i x_i", "Weighted sums › The sum")
    assert _operation_named(r"e^{z_i}", "The log-sum-exp trick")
    assert not _operation_named(r"\frac{1}{n}", "The log-sum-exp trick")
    assert _written_in_symbols("softmax", r"the weights are $\mathrm{softmax}(z)$, one per token")
    assert _written_in_symbols("products", r"the weight is $\prod_t r_t$")
    assert not _written_in_symbols("softmax", "the weights sum to one")
