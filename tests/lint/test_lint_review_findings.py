"""SRS116-SRS120 against what a blind review of lesson 07's first deck flagged, and the cards it judged ready.

The texts are the cards as that deck had them; each rule must fire on the defects it is meant to
catch and stay quiet on the cards both reviewers rated ready.
"""

from __future__ import annotations

import base64
import io
from dataclasses import replace

import pytest

from srs.core.model import Card, CardSource, Media
from srs.core.pngtext import SMALLEST_TEXT, add_text, read_text
from srs.kinds import MakeContext
from srs.kinds.derivation import make_derivation
from srs.lint.pictures import smallest_text_on_phone
from srs.render.diagrams import Block, render_shape_diagram

NEW_RULES = ("SRS116", "SRS117", "SRS118", "SRS119", "SRS120")


def qa(make, front: str, back: str, extra: str = "") -> Card:
    """A Q:/A: card with its explanation, as the qa maker builds it."""
    return replace(make.qa(front, back, extra=extra), extra=extra)


def derivation(make, name: str, math: str) -> list[Card]:
    cell = make.cell(f"<!-- #| card: derivation\n     #| name: {name} -->\n{math}")
    source = CardSource("derivation", {"card": "derivation", "name": name}, math, cell, cell.location, 0)
    return make_derivation(source, MakeContext(make.lesson()))


def test_the_other_side_of_attention_gives_its_last_argument_away(make, codes):
    parts = make.formula(
        "$$\\mathrm{Attention}(Q, K, V) = {{c1::\\mathrm{softmax}}}\\left(\\frac{ {{c2::QK^\\top}} }"
        "{ {{c3::\\sqrt{d_k}}} }\\right){{c4::V}}$$",
        name="scaled dot-product attention",
    )
    assert codes(parts, select=["SRS116"]) == ["SRS116"]


def test_minus_infinity_then_zero_in_one_sentence_is_flagged(make, codes):
    mask = make.cloze(
        "A causal mask sets each future score to {{c1::$-\\infty$}}, which softmax turns into a weight "
        "of exactly {{c2::0}}."
    )
    assert codes(mask, select=["SRS116"]) == ["SRS116"]


def test_notebook_pointers_are_flagged(make, codes):
    make.cell("def causal_mask(n):\n    return None\nweights = None", type="code")
    cards = [
        make.qa(
            "Why do the two \"the\" tokens get identical attention outputs in this notebook?",
            "Identical embeddings and no position information make every projection of them identical.",
        ),
        make.qa("What does each row of `weights` sum to?", "1"),
        make.qa("What does causal_mask(3) return?", "a lower-triangular boolean matrix"),
        qa(
            make,
            "What is the dot product of two perpendicular vectors?",
            "Zero, because the cosine of 90° is 0.",
            extra="The vectors above are a perpendicular pair; so are any two different axes.",
        ),
    ]
    assert codes(*cards, select=["SRS117"]) == ["SRS117"] * 4


@pytest.mark.parametrize(
    ("name", "math", "flagged"),
    [
        (
            "variance of a scaled score",
            "$$\\left(\\frac{1}{\\sqrt{d_k}}\\right)^{2} \\cdot d_k$$\n$$= \\frac{1}{d_k} \\cdot d_k$$\n$$= 1$$",
            [1, 2],
        ),
        (
            "softmax ignores a constant added to every score",
            "$$\\frac{e^{x_1 + c}}{e^{x_1 + c} + e^{x_2 + c}}$$\n"
            "$$= \\frac{e^{c} e^{x_1}}{e^{c} e^{x_1} + e^{c} e^{x_2}}$$\n"
            "$$= \\frac{e^{x_1}}{e^{x_1} + e^{x_2}}$$",
            [2],
        ),
        (
            "scaling one vector scales the dot product",
            "$$(c a_1) b_1 + (c a_2) b_2$$\n$$= c a_1 b_1 + c a_2 b_2$$\n$$= c \\cdot (a_1 b_1 + a_2 b_2)$$",
            [1],
        ),
        (
            "log-softmax",
            "$$\\log \\mathrm{softmax}(x)_i = \\log \\frac{e^{x_i}}{\\sum_j e^{x_j}}$$\n"
            "$$= \\log e^{x_i} - \\log \\sum_j e^{x_j}$$\n$$= x_i - \\log \\sum_j e^{x_j}$$",
            [],
        ),
    ],
)
def test_steps_too_small_are_flagged_and_steps_with_a_rule_are_not(make, run_lint, name, math, flagged):
    cards = derivation(make, name, math)
    findings = run_lint(cards, select=["SRS118"])
    assert sorted(int(f.message.split()[1]) for f in findings) == flagged


def test_the_ready_cards_raise_none_of_the_new_rules(make, codes):
    make.cell("import torch\nweights = torch.softmax(torch.zeros(3, 3), dim=-1)", type="code")
    ready = [
        qa(
            make,
            "What does an attention score $q \\cdot k$ become once divided by $\\lVert q\\rVert\\,\\lVert k\\rVert$?",
            "Their cosine similarity: the cosine of the angle between them.",
            extra="$q \\cdot k = \\lVert q\\rVert\\,\\lVert k\\rVert\\cos\\theta$, so dividing by both lengths "
            "leaves $\\cos\\theta$. An attention score is an unnormalised similarity.",
        ),
        make.qa(
            "What do the attention weights of a single query add up to?",
            "Exactly 1: a probability distribution over the tokens.",
        ),
        qa(
            make,
            "Along which axis of the score matrix $QK^\\top$ is softmax taken?",
            "Along each row (`dim=-1`): one distribution over keys per query.",
            extra="Row $i$ is query $i$ against every key, so each row is normalised on its own.",
        ),
        make.qa(
            "Why are attention scores divided by $\\sqrt{d_k}$ before the softmax?",
            "To keep their spread near 1 at any width, so softmax does not saturate.",
        ),
        qa(
            make,
            "What would go wrong if the scores were divided by $d_k$ instead of $\\sqrt{d_k}$?",
            "Their spread would shrink toward 0, flattening the weights toward uniform.",
            extra="$\\mathrm{std}(q \\cdot k / d_k) = \\sqrt{d_k}/d_k = 1/\\sqrt{d_k}$.",
        ),
        make.qa(
            "How does the number of attention scores grow with the sequence length $T$?",
            "Quadratically: one score per query-key pair, $T^2$ in all.",
        ),
        make.qa(
            "In the causal attention heatmap of a sentence, where must every weight be zero?",
            "Everywhere above the diagonal, where a key comes after its query.",
        ),
    ]
    assert codes(*ready, select=list(NEW_RULES)) == []


def test_diagrams_stay_readable_on_a_phone_even_for_a_batch():
    batch = [Block(name, (2, 6, 4), ("batch", "tokens", "d_k")) for name in ("Q_batch", "K_batch", "V_batch")]
    media = render_shape_diagram(batch, Block("out_batch", (2, 6, 4), ("batch", "tokens", "d_v")), "out = f(Q, K, V)")
    size = smallest_text_on_phone(media)
    assert size is not None and size >= 9


def test_a_wide_figure_is_measured_from_the_size_its_drawing_recorded(make, codes):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from srs.run.figures import figure_png

    def drawn(width: float, font: float) -> Media:
        figure = Figure(figsize=(width, 2.5))
        axes = figure.add_subplot()
        axes.plot([0, 1], [0, 1])
        axes.tick_params(labelsize=font)
        png = figure_png(figure)
        return Media("srs-figure.png", png)

    wide, narrow = drawn(9, 10), drawn(3.4, 12)
    assert float(read_text(wide.data)[SMALLEST_TEXT]) == pytest.approx(10 * 100 / 72, abs=0.1)
    cards = []
    for media in (wide, narrow):
        card = make.qa("How does the line rise?", "Straight up.")
        cards.append(Card(card.key, "figure", card.source, card.front, media=(media,), authored_front=card.front))
    assert codes(*cards, select=["SRS119"]) == ["SRS119"]


def test_text_chunks_survive_and_leave_the_image_readable():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    tagged = add_text(buffer.getvalue(), SMALLEST_TEXT, "12.5")
    assert read_text(tagged) == {SMALLEST_TEXT: "12.5"}
    assert Image.open(io.BytesIO(tagged)).size == (4, 3)
    assert add_text(b"not a png", SMALLEST_TEXT, "1") == b"not a png"
    assert base64.b64encode(tagged)  # plain bytes, storable in the run cache as any PNG


def test_a_helper_named_like_a_library_function_is_not_only_the_notebooks(make, codes):
    make.cell(
        "def binary_cross_entropy(p, y):\n    return 0.0\n"
        "loss = torch.nn.functional.binary_cross_entropy(p, y)",
        type="code",
    )
    card = make.qa("Why pass raw scores to `binary_cross_entropy_with_logits`, not `binary_cross_entropy`?", "stability")
    assert codes(card, select=["SRS117"]) == []


def test_prepositions_before_math_and_the_lstm_cell_state_are_not_pointers(make, codes):
    cards = [
        make.qa("What does GELU gate $x$ by?", "The probability that a standard normal falls below $x$."),
        make.qa("In an LSTM, what does the forget gate decide?", "How much of the previous cell state to keep."),
    ]
    assert codes(*cards, select=["SRS117"]) == []
