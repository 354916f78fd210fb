"""`srs suggest`: a bold term in the sentence that defines it becomes a cloze hiding the term."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from srs.cli.app import app
from srs.suggest import suggest_cards
from srs.suggest.model import Suggestion


def terms(path, tmp_path, **kwargs) -> list[Suggestion]:
    found = suggest_cards(path, out_dir=tmp_path / "decks", **kwargs).suggestions
    return [s for s in found if s.heuristic == "terms"]


@pytest.mark.parametrize(
    ("text", "cloze"),
    [
        (  # "it" after the term points inside the sentence (the signal), not at the text around
            "**Padding** adds $P$ extra values at each end of the signal before the kernel slides over it.",
            "{{c1::Padding}} adds $P$ extra values at each end of the signal before the kernel slides over it.",
        ),
        (
            "**Padding** adds $P$ extra values at each end of a signal before a kernel slides along.",
            "{{c1::Padding}} adds $P$ extra values at each end of a signal before a kernel slides along.",
        ),
        (
            "A **recurrent neural network** (RNN) reads one item at a time and carries a memory forward.",
            "A {{c1::recurrent neural network (RNN)}} reads one item at a time and carries a memory forward.",
        ),
        (
            "For a loss we use **binary cross-entropy**: minus the log of the probability of the right answer.",
            "For a loss we use {{c1::binary cross-entropy}}: minus the log of the probability of the right "
            "answer.",
        ),
        (
            "GELU gates by a smooth curve between 0 and 1; **Swish** gates by the sigmoid of its input.",
            "GELU gates by a smooth curve between 0 and 1; {{c1::Swish}} gates by the sigmoid of its input.",
        ),
        (  # the start leans on the sentence before; the definition after the colon does not
            "That rise is **catastrophic forgetting**: training on a new task moves weights the old one needed.",
            "{{c1::Catastrophic forgetting}}: training on a new task moves weights the old one needed.",
        ),
        (
            "They **warm up**: the rate climbs linearly from 0 over the first steps.",
            "{{c1::Warm up}}: the rate climbs linearly from 0 over the first steps.",
        ),
    ],
)
def test_a_bold_term_in_its_defining_sentence_becomes_a_cloze(write_notebook, tmp_path, text, cloze):
    found = terms(write_notebook([("md", f"## Signals\n\n{text}")]), tmp_path)
    assert [s.text for s in found] == ([cloze] if cloze else [])
    for suggestion in found:
        assert suggestion.kind == "cloze" and suggestion.line == 3 and suggestion.confidence == 0.6


@pytest.mark.parametrize(
    "text",
    [
        "The learning rate must suit **every** direction at once, so the steepest one caps it.",  # emphasis
        "**Before this one:** the lesson on dot products, with cosine similarity and its uses.",  # a label
        "We asked: **how can a layer see inputs of a predictable size at every depth?**",  # a question
        "**Vanishing is exponential** and so a factor below one erases the signal in tens of steps.",  # a claim
        "**Momentum** gives the optimizer a velocity that remembers past gradients, as we saw above.",  # leans
        "**Momentum** gives an optimizer a velocity; plain momentum remembers past gradients too.",  # repeats
        "**Momentum** helps.",  # too short to pin the term down
        "Each step computes the gradient on a small random **minibatch** of the training examples.",  # no meaning
        "Each sublayer does not replace a token's vector but **adds** to the running vector again and again.",
        # "it" after a preposition is what the sentence before described
        "**Dropout** is a very simple fix for it, and it works on every network we tried.",
        # the term's noun is on the front: only its adjective is left to recall
        "A linear penalty becomes an **exponential decay** in weight space, the same curve as radioactive decay.",
        # its opposite on the front leaves the term as the only fill
        "ReLU can recover its derivative from the output alone, but GELU, $x\\,\\Phi(x)$, needs its **input**.",
        # the notebook's own code: its training function's arguments are no term
        "The training function takes the optimizer kind and whether the loss is a **mean** or a sum over the batch.",
        # how much, set in bold: emphasis, not a name
        "Our layer copies a plain one so that at step 0 it computes **exactly the same function**: $V$ starts as "
        "the plain weight and each $g_i$ starts as its row's norm.",
        "What we want is the same number of steps **per decade**: as many between $0.001$ and $0.01$ as between "
        "$1$ and $10$.",
        # a colon after a count opens a list; a parenthesis that says where a thing comes from is no meaning
        "For each day we know two things in advance: the **mean temperature** (from the weather forecast) and more.",
        "Every image in the set carries a **class label** (from the original survey of the species).",
        # "along that" points at the text before
        "All the information is in the second column, and the points spread out along that **new coordinate**.",
        # round 43: a product sign and a module prefix made of the term's capitals give the term away, and a
        # one-of-two answer is no term
        "Over many steps the weight of a whole trajectory is the **product** of the ratios $\\prod_t r_t$.",
        "What sets the equilibrium is the **product** $\\text{lr} \\cdot \\lambda$, not either factor alone.",
        "Outside PyTorch, **ArviZ** implements Pareto smoothing (`az.loo`, `az.psislw`) for Bayesian models.",
        "For $s < 1$ the coefficient of $x^2$ is **positive**: the weight grows like $e^{1.5 x^2}$ at $s = 0.5$.",
        "For the same reason, an odd image far from the data (a **spurious mode**) is never visited by the chain.",
        # "most" of what? (round 45)
        "Weights like these have **heavy tails**: most are small and a few are large, far out in the tails.",
        # a phrase in bold, with an article or a word of degree inside it (round 44)
        "The sign is **blind to the units**: multiply a feature by 1,000 and the sign of its gradient stays put.",
        "Units that never fire have a **gradient of exactly zero**: ReLU passes nothing back through them.",
        # `\\max_D` writes "best" in symbols (round 48, both readers)
        # `\\mathcal{N}` writes "normal" in symbols (round 50, both readers)
        "Summed over many neurons, the crosstalk $C_i \\approx \\mathcal{N}(0, \\alpha)$ follows a **normal "
        "distribution**: that is the central limit theorem at work.",
        # one half of a pair beside the other (round 49, both readers)
        "**Precision** asks how many of the pixels I called lesion were lesion, and recall asks how many I found.",
        "The inner $\\max_D$ asks: with the generator frozen, what is the **best possible** detective? To answer, "
        "write both expectations as integrals.",
        # "the same idea" is the idea of the sentences before (round 52, both readers)
        "**Double DQN** is the same idea with a network, and it is standard in modern value-based RL.",
    ],
)
def test_bold_that_is_no_defined_term_is_left_alone(write_notebook, tmp_path, text):
    assert terms(write_notebook([("md", text)]), tmp_path, min_confidence=0.0) == []


def test_a_term_the_title_or_heading_names_is_not_hidden(write_notebook, tmp_path):
    text = (
        "## Dropout at work\n\n**Dropout** zeroes a random share of the activations at every training step."
    )
    assert terms(write_notebook([("md", text)]), tmp_path, min_confidence=0.0) == []
    text = (
        "# A recurrent network\n\nA **recurrent neural network** reads one item at a time and keeps a memory."
    )
    assert terms(write_notebook([("md", text)], name="rnn.ipynb"), tmp_path, min_confidence=0.0) == []


def test_headings_and_lists_are_not_definitions(write_notebook, tmp_path):
    text = (
        "# **Layer normalization** keeps every token vector at a predictable size for the next layer\n\n"
        "**What you will be able to do**\n\n"
        "- **momentum** keeps a running velocity and stops zig-zagging across narrow valleys;\n"
        "- **Adam** combines momentum with per-parameter step sizes and corrects their start-up bias."
    )
    assert terms(write_notebook([("md", text)]), tmp_path, min_confidence=0.0) == []


def test_a_short_everyday_word_or_a_long_sentence_is_shown_only_on_request(write_notebook, tmp_path):
    short = "The **gain** multiplies every normalised feature by a learned factor before the shift."
    long = (
        "A **residual connection** adds a sublayer's input back to its output, so that a deep stack of "
        "blocks starts out close to the identity map and gradients reach the first layers of a network."
    )
    path = write_notebook([("md", short), ("md", long)])
    assert terms(path, tmp_path) == []
    found = terms(path, tmp_path, min_confidence=0.4)
    assert [s.text.split("}}")[0] for s in found] == ["The {{c1::gain", "A {{c1::residual connection"]
    assert all(s.confidence < 0.5 for s in found)


def test_a_term_is_clozed_once_and_never_when_a_card_has_it(write_notebook, tmp_path):
    sentence = "**Dropout** zeroes a random share of the activations at every training step of the network."
    card = "<!-- #| card: qa -->\nQ: Which regularizer zeroes random activations?\n\nA: Dropout."
    twice = write_notebook([("md", sentence), ("md", sentence)], name="twice.ipynb")
    assert [s.cell.index for s in terms(twice, tmp_path)] == [1]
    carded = write_notebook([("md", sentence), ("md", card)], name="carded.ipynb")
    assert terms(carded, tmp_path) == []


@pytest.mark.parametrize(
    "text",
    ["The **feature mean** of a token, one number per token row, is:\n\n$$m = \\mathrm{avg}_i\\, x_i$$"],
)
def test_a_term_another_heuristic_already_asks_about_is_left_to_it(write_notebook, tmp_path, text):
    path = write_notebook([("md", text)])
    found = suggest_cards(path, out_dir=tmp_path / "decks", min_confidence=0.4).suggestions
    assert found and "terms" not in [s.heuristic for s in found]


def test_the_written_copy_builds_a_cloze_that_hides_the_term(write_notebook, tmp_path):
    text = "Some words first.\n\n**Padding** adds $P$ extra values at each end of a signal before a kernel slides along."
    path = write_notebook([("md", text, "pad")])
    copy = tmp_path / "suggested.ipynb"
    out = ["--out", str(tmp_path / "decks")]
    result = CliRunner().invoke(app, ["suggest", str(path), "--write", str(copy), *out])
    assert result.exit_code == 0, result.output
    lint = CliRunner().invoke(app, ["lint", str(copy), *out])
    assert lint.exit_code == 0 and "1 notes, 0 finding(s)" in lint.output, lint.output
    build = CliRunner().invoke(app, ["build", str(copy), *out, "--strict"])
    assert build.exit_code == 0, build.output
    from srs.notebook.reader import read_lesson
    from srs.sources.find import find_sources

    sources = find_sources(read_lesson(copy))
    assert [(s.kind, "{{c1::Padding}}" in s.text) for s in sources] == [("cloze", True)]


def test_code_the_lesson_made_keeps_a_sentence_out_but_library_code_does_not(write_notebook, tmp_path):
    text = "**Momentum** gives the optimizer a velocity that remembers the `grads` list of the loop."
    notebook = write_notebook([("code", "grads = []"), ("md", text)])
    assert terms(notebook, tmp_path, min_confidence=0.0) == []  # `grads` needs the notebook open
    text = (
        "With large weights most units are **saturated**, sitting where the slope of `tanh` is nearly zero."
    )
    found = terms(
        write_notebook([("code", "w = 3.0"), ("md", text)], name="lib.ipynb"), tmp_path, min_confidence=0.4
    )
    assert [s.text for s in found] == [
        "With large weights most units are {{c1::saturated}}, sitting where the slope of `tanh` is nearly zero."
    ]


@pytest.mark.parametrize(
    ("text", "cloze"),
    [
        (  # an apposition explains the term
            "The pre-activations are large, so the units are **saturated**, sitting on the flat part of the curve.",
            "The pre-activations are large, so the units are {{c1::saturated}}, sitting on the flat part of the "
            "curve.",
        ),
        (  # a parenthesis explains it; the clause after the semicolon stands alone
            "The scale is trained; the running statistics are **buffers** (saved with the model, never trained).",
            "The scale is trained; the running statistics are {{c1::buffers}} (saved with the model, never "
            "trained).",
        ),
        (  # the term closes a sentence that describes it
            "An accelerometer reports the acceleration along three axes: three **input channels**.",
            "An accelerometer reports the acceleration along three axes: three {{c1::input channels}}.",
        ),
        (  # "it" after the term refers back to it
            "**Layer normalization** rescales each example over its own features, so it needs no batch.",
            "{{c1::Layer normalization}} rescales each example over its own features, so it needs no batch.",
        ),
    ],
)
def test_terms_explained_around_them_become_clozes(write_notebook, tmp_path, text, cloze):
    found = terms(write_notebook([("md", f"## Signals\n\n{text}")]), tmp_path, min_confidence=0.4)
    assert [s.text for s in found] == [cloze]


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        (
            "Most units are **saturated**, sitting on the flat part of the curve where the slope is zero.",
            0.45,
        ),
        (
            "The running statistics are **buffers** (saved with the model, never touched by the optimiser).",
            0.45,
        ),
        ("**Padding** adds $P$ extra values at each end of a signal before a kernel slides along.", 0.6),
        # a term that closes the sentence describing it: other labels often fit as well
        ("An accelerometer reports the acceleration along three axes: three **input channels**.", 0.45),
        ("Batch norm keeps one number per feature, averaged over the batch: the **batch mean**.", 0.45),
        ("An estimator whose variance reaches the lower bound is called **efficient**.", 0.6),  # named
    ],
)
def test_one_word_inside_its_sentence_is_shown_only_on_request(write_notebook, tmp_path, text, confidence):
    found = terms(write_notebook([("md", f"## Signals\n\n{text}")]), tmp_path, min_confidence=0.4)
    assert [s.confidence for s in found] == [confidence]


def test_the_opening_overview_and_series_of_terms_are_not_clozed(write_notebook, tmp_path):
    text = (
        "# Batch norm\n\nWe write the steps one cell at a time: a **mean**, a **variance**, and a learned "
        "**scale and shift** over every feature.\n\nIt keeps **running statistics** (an average over the "
        "training batches) for test time."
    )
    assert terms(write_notebook([("md", text)]), tmp_path, min_confidence=0.0) == []


def test_a_summary_restates_and_is_not_clozed(write_notebook, tmp_path):
    text = "With large weights most units are **saturated**, sitting where the slope of the curve is nearly zero."
    body = write_notebook([("md", f"## Drift\n\n{text}")], name="body.ipynb")
    end = write_notebook([("md", f"## Summary: drift\n\n{text}")], name="end.ipynb")
    assert terms(body, tmp_path, min_confidence=0.4)
    assert terms(end, tmp_path, min_confidence=0.4) == []


def test_two_clozes_of_one_sentence_are_linted_against_each_other(write_notebook, tmp_path):
    # each is inserted after the same paragraph: nearly the same front for two answers (SRS112), so
    # only the first is kept and the written copy lints clean
    text = (
        "## Leaving out the arrow\n\nA warning about leaving out the arrow. Without `->`, einsum is in **implicit mode**: "
        "the output keeps every letter that appears exactly once, sorted **alphabetically**."
    )
    path = write_notebook([("md", text)])
    found = terms(path, tmp_path, min_confidence=0.0)
    assert [s.text for s in found] == [
        "Without `->`, einsum is in {{c1::implicit mode}}: the output keeps every letter that appears exactly "
        "once, sorted alphabetically."
    ]
    out = tmp_path / "with-cards.ipynb"
    options = ["--min-confidence", "0", "--write", str(out), "-o", str(tmp_path / "decks")]
    assert CliRunner().invoke(app, ["suggest", str(path), *options]).exit_code == 0
    result = CliRunner().invoke(app, ["lint", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("heading", "clozed"), [("Padding", False), ("Borders", True)])
def test_a_term_is_checked_against_the_heading_its_card_will_show(write_notebook, tmp_path, heading, clozed):
    # the sentence sits above its cell's own heading: its card shows the heading before, which may name it
    sentence = "**Padding** adds $P$ extra values at each end of a signal before a kernel slides along."
    cells = [
        ("md", "# Convolutions\n\nSliding a kernel."),
        ("md", f"## {heading}\n\nSignals have ends."),
        ("md", f"{sentence}\n\n## Strides\n\nNext."),
    ]
    assert bool(terms(write_notebook(cells), tmp_path)) == clozed


@pytest.mark.parametrize(
    "text",
    [
        "The **classification head** is one new linear layer from features to logits.",
        "Taking one slope per parameter in a single backward sweep is called **backpropagation**.",
    ],
)
def test_by_default_a_defined_term_is_clozed_and_its_what_is_question_only_on_request(
    write_notebook, tmp_path, text
):
    path = write_notebook([("md", text)])
    shown = suggest_cards(path, out_dir=tmp_path / "decks").suggestions
    assert [s.heuristic for s in shown] == ["terms"]
    everything = suggest_cards(path, out_dir=tmp_path / "decks", min_confidence=0.3).suggestions
    assert sorted(s.heuristic for s in everything) == ["definitions", "terms"]
