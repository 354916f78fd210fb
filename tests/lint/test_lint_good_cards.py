"""Cards written the way the method asks (one step each, building attention up piece by piece) pass clean."""

from __future__ import annotations

import pytest


def attention_deck(make):
    """A small deck on attention, one inferential step per card."""
    make.cell("import math\nimport torch\ntorch.manual_seed(0)\nX = torch.randn(4, 8)", type="code")
    return [
        make.qa("What does an attention layer move between token positions?", "information"),
        make.qa("What do the attention weights of one query sum to?", "1"),
        make.qa(
            "What does the dot product $q \\cdot k$ say about a query and a key?", "how similar they are"
        ),
        make.cloze("Each row of the score matrix $QK^\\top$ belongs to one {{c1::query}}."),
        make.cloze(
            "Attention weights are a {{c1::softmax}} of the scores, "
            "so each row is a {{c2::probability distribution}}."
        ),
        make.qa(
            "Where does the key matrix $K$ come from?", "$K = XW_K$: the inputs times a learned projection"
        ),
        make.qa("What shape does $QK^\\top$ have for $n$ queries and $m$ keys?", "$(n, m)$"),
        make.formula(
            "$$a_i = \\mathrm{softmax}_i\\left("
            "\\frac{ {{c1::q \\cdot k_i}} }{ {{c2::\\sqrt{d_k}}} }\\right)$$",
            name="attention weights of one query",
            id="one-query",
        ),
        make.formula(
            "$$\\text{Attention}(Q, K, V) = "
            "\\mathrm{softmax}\\left(\\frac{ {{c1::QK^\\top}} }{\\sqrt{d_k}}\\right) V$$",
            name="scaled dot-product attention",
            after="one-query",
        ),
        make.qa(
            "Why are attention scores divided by $\\sqrt{d_k}$ before the softmax?",
            "to keep their variance near 1, so the softmax does not saturate",
        ),
        make.qa(
            "What happens to the softmax of very large scores?",
            "it saturates: nearly all weight goes to one key",
        ),
        make.numeric("scale = 1 / math.sqrt(64)", "0.125", of="scale"),
        make.numeric(
            "weights = torch.softmax(X @ X.T / math.sqrt(8), dim=-1)",
            "0.61",
            front="With seed 0, about how much weight does the first token give itself?",
            of="weights[0, 0]",
            digits=2,
        ),
        make.numeric("scores = X @ X.T", "4", of="scores.shape[0]"),
    ]


def test_a_deck_written_by_the_method_has_no_findings(make, run_lint):
    cards = attention_deck(make)
    assert [str(finding) for finding in run_lint(cards)] == []


@pytest.mark.parametrize(
    ("front", "back"),
    [
        ("What turns the raw scores of one query into weights?", "a softmax over the keys"),
        ("What is $d_k$ in $\\sqrt{d_k}$?", "the width of each key vector"),
        ("Which token does a causal mask stop a query from seeing?", "any later token"),
        ("How many score rows does a sequence of $n$ tokens produce?", "$n$"),
        ("What operation combines the value vectors into one output?", "a weighted sum"),
        (
            "What does multi-head attention concatenate before its output projection?",
            "the outputs of all heads",
        ),
    ],
)
def test_precise_questions_pass(make, codes, front, back):
    assert codes(make.qa(front, back)) == []
