"""Rules `srs suggest` follows because blind readers rated the cards they prevent as unusable."""

from __future__ import annotations

import pytest
from support import suggested_by as found


def test_a_tensor_keeps_the_axis_names_an_earlier_cell_gave_it(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "## One\n\nA tensor of shape (batch, seq, features).", "one"),
            ("code", "import numpy as np\nh = np.ones((4, 6, 8))", "data"),
            ("code", "bn = h.mean(axis=(0, 1), keepdims=True)", "first"),
            ("md", "## Two\n\nThe other axis now.", "two"),
            ("code", "ln = h.mean(axis=-1, keepdims=True)", "second"),
        ]
    )
    cells = {s.cell.index: dict(s.options).get("dims", {}) for s in found(path, tmp_path, "shapes")}
    assert cells[5].get("h") == ["batch", "seq", "features"]


def test_a_tuple_of_the_notebooks_own_variables_names_no_axes(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "## Fit\n\nThe loss is convex in (w, b), so descent finds the bottom."),
            ("code", "import numpy as np\nw = np.zeros(2)\nb = 0.0\nX = np.ones((200, 2))", "data"),
            ("code", "mu = X.mean(axis=0)", "mean"),
        ]
    )
    shapes = found(path, tmp_path, "shapes", min_confidence=0.0)
    assert all("X" not in dict(s.options).get("dims", {}) for s in shapes)


def test_a_size_the_card_cannot_show_is_not_asked(write_notebook, tmp_path):
    define = "import numpy as np\ndef bump(a, b):\n    grid = np.linspace(0, 1, 48)\n    return a * b * grid"
    path = write_notebook(
        [
            ("code", define, "define"),
            ("code", "mus = np.ones(9)\nsigmas = np.ones(7)\nlengths = np.ones(2)\nT = 6", "data"),
            ("code", "Q = bump(mus[:, None, None], sigmas[None, :, None])", "hidden"),
            ("code", "grid = np.arange(6)[None, :] >= lengths[:, None]", "unseen"),
            ("code", "mask = np.arange(T)[None, :] >= lengths[:, None]", "shown"),
        ]
    )
    # the 48 comes from inside `bump`; `arange(6)` shows its 6 (and `arange(T)` is the same step again)
    assert [s.cell.index for s in found(path, tmp_path, "shapes", min_confidence=0.0)] == [4]


def test_a_size_from_a_whole_number_the_statement_reads_counts_as_shown(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nT = 6\nlengths = np.array([4, 6])", "data"),
            ("code", "ok = np.arange(T)[None, :] >= (T - lengths)[:, None]", "mask"),
        ]
    )
    shapes = found(path, tmp_path, "shapes", min_confidence=0.0)
    assert [s.cell.index for s in shapes] == [2]


def test_a_number_looked_up_rather_than_worked_out_is_on_request(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nneg = float(np.finfo(np.float32).min)", "lookup"),
            ("md", "That is about -3.4e38, the most negative float32.", "why"),
            ("code", "target = float(0)", "literal"),
            ("md", "The target is 0.", "why-target"),
        ]
    )
    assert found(path, tmp_path, "numbers") == []


def test_a_question_whose_next_sentence_only_sets_up_the_answer_is_not_asked(write_notebook, tmp_path):
    text = (
        "## Why not squared error on the probabilities?\n\n"
        "For a single example with $y = 1$, the loss term is just the negative log of its probability. "
        "That grows without bound as the probability falls."
    )
    assert found(write_notebook([("md", text)]), tmp_path, "questions", min_confidence=0.0) == []


def test_a_heading_every_lesson_has_names_no_formula():
    from srs.suggest.heuristics.formulas import GENERIC_HEADING

    assert all(GENERIC_HEADING.match(h) for h in ["Exercises", "Shortcuts", "What we learned", "In practice"])
    assert not any(GENERIC_HEADING.match(h) for h in ["Inverted dropout", "Exercising the mask"])


def test_a_heading_that_says_what_the_section_does_names_no_formula():
    from srs.core.model import Cell
    from srs.suggest.heuristics.formulas import _heading_name

    def cell(heading: str) -> Cell:
        return Cell(index=1, id="c", type="markdown", source=f"## {heading}", heading=heading)

    assert _heading_name(cell("Checking the properties numerically")) is None
    assert _heading_name(cell("Inverted dropout")) == ("inverted dropout", 0.5)


def test_a_sentence_that_only_says_so_is_no_front(write_notebook, tmp_path):
    text = "## Scale\n\nThe encoder outputs the log-variance of each latent, so:\n\n$$s = e^{v / 2}$$"
    fronts = [
        dict(s.options).get("front") for s in found(write_notebook([("md", text)]), tmp_path, "formulas")
    ]
    assert fronts == [] or all(front is None for front in fronts)


def test_a_prose_tuple_names_no_tensor_whose_sizes_say_otherwise(write_notebook, tmp_path):
    setup = "import numpy as np\nE = 4\nd_model = 8\ncombine = np.ones((12, E))\nall_out = np.ones((12, E, d_model))"
    path = write_notebook(
        [
            ("md", "## Combine\n\nThe router gives a matrix of shape (tokens, experts)."),
            ("code", setup, "data"),
            ("code", "out = (combine[:, :, None] * all_out).sum(axis=1)", "combine"),
        ]
    )
    shapes = found(path, tmp_path, "shapes", min_confidence=0.0)
    assert all(dict(s.options).get("dims", {}).get("out") != ["tokens", "experts"] for s in shapes)


def test_an_answer_that_only_says_how_to_start_is_not_asked(write_notebook, tmp_path):
    text = (
        "### Why exponentiate the average loss?\n\nUnfold the definition with log rules, one step at a time."
    )
    path = write_notebook([("md", "# Perplexity\n\nHow surprised a model is."), ("md", text)])
    assert found(path, tmp_path, "questions", min_confidence=0.0) == []


def test_a_bold_condition_and_parallel_bold_terms_are_no_terms_to_hide(write_notebook, tmp_path):
    text = (
        "## Residuals\n\n**With a bias column** the residuals of the least-squares fit average to zero. "
        "Examples near the boundary are **hard negatives**, and the positives deep inside the other class are "
        "**hard positives**. A thin band of blue points is where the **decision boundary** of the model runs."
    )
    assert found(write_notebook([("md", text)]), tmp_path, "terms", min_confidence=0.0) == []


def test_counting_a_list_and_a_bold_emphasis_make_no_cards(write_notebook, tmp_path):
    path = write_notebook(
        [
            (
                "md",
                "## Data\n\nThe training loss is a **sum over examples**. **Class imbalance**: one class has "
                "99 times as many examples as the other.",
            ),
            ("code", "vocab = ['<s>', 'the', 'cat', 'sat']\nV = len(vocab)\nV", "count"),
            ("md", "There are 4 tokens in the vocabulary, the start token among them."),
        ]
    )
    assert found(path, tmp_path, "numbers", min_confidence=0.0) == []
    assert found(path, tmp_path, "definitions", min_confidence=0.0) == []


def test_a_size_one_axis_coming_or_going_and_a_line_run_again_are_asked_once_at_most(
    write_notebook, tmp_path
):
    path = write_notebook(
        [
            ("code", "import numpy as np\nlogP = np.ones((11, 11))\ncand = np.ones((1, 11))", "data"),
            ("code", "flat = cand.reshape(-1)", "flat"),
            ("code", "scores = np.zeros(1)\nlast = np.zeros(1, dtype=int)", "one"),
            ("code", "cand = scores[:, None] + logP[last]", "first"),
            ("code", "scores = np.zeros(2)\nlast = np.zeros(2, dtype=int)", "two"),
            ("code", "cand = scores[:, None] + logP[last]", "again"),
        ]
    )
    assert [s.cell.index for s in found(path, tmp_path, "shapes", min_confidence=0.0)] == [4]


def test_an_unnamed_axis_of_a_hundred_or_more_is_a_sample_count_not_a_shape(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nsweep = np.ones((400, 3))\nsmall = np.ones((6, 3))", "data"),
            ("code", "totals = sweep.sum(axis=1)", "sweep"),
            ("code", "sums = small.sum(axis=1)", "small"),
        ]
    )
    assert [s.cell.index for s in found(path, tmp_path, "shapes", min_confidence=0.0)] == [3]


def test_a_term_defined_against_the_first_term_of_a_formula_is_not_clozed(write_notebook, tmp_path):
    text = (
        "## Loss\n\nSo the first term of the mixed loss is the **label entropy**, a floor that no model can "
        "go below on a mixed example."
    )
    assert found(write_notebook([("md", text)]), tmp_path, "terms", min_confidence=0.0) == []


def test_a_number_read_off_a_curve_a_random_model_filled_is_no_card(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import torch\nmodel = torch.nn.Linear(1, 1)\ncurve = []", "model"),
            ("code", "for step in range(5):\n    curve.append(model.weight.item() * step)", "train"),
            ("code", "best = torch.tensor(curve).argmin().item()\nbest", "best"),
            ("md", "The curve is lowest at step 0, where the product is zero."),
        ]
    )
    assert found(path, tmp_path, "numbers", min_confidence=0.0) == []


def test_a_list_item_that_states_a_problem_is_no_definition(write_notebook, tmp_path):
    text = (
        "## Two problems\n\nTwo things went wrong at once:\n\n"
        "1. **Length**: longer documents have larger counts, so they get larger dot products for free.\n"
        "2. **Common words**: the word the matches as strongly as rocket, although it tells us nothing."
    )
    assert found(write_notebook([("md", text)]), tmp_path, "definitions", min_confidence=0.0) == []


def test_an_einsum_that_writes_its_output_axes_is_not_asked(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nq = np.ones((10, 8))\nwin = np.ones((10, 3, 8))", "data"),
            ("code", "scores = np.einsum('twd,td->tw', win, q)", "spelled"),
            ("code", "scores2 = (win * q[:, None, :]).sum(axis=-1)", "worked"),
        ]
    )
    assert [s.cell.index for s in found(path, tmp_path, "shapes", min_confidence=0.0)] == [3]


@pytest.mark.parametrize(
    "lead",
    [
        "Move one term across:",  # an algebra step of a derivation the card does not show
        "The columns of $V$ are the principal directions of the centred data and",  # a list running on
        "Both curvatures are measured along the axes of the valley:",  # two things the card does not show
        "The mixed curvature is a convex combination of the two extremes:",  # the formula said in words
        "Their ratio is the condition number of the problem:",  # leans on the sentence before
        "Relative to each other that is a factor of",  # the same
    ],
)
def test_a_sentence_that_cannot_stand_alone_is_no_front_for_the_formula_it_leads_into(
    write_notebook, tmp_path, lead
):
    text = f"## Curvature\n\n{lead}\n\n$$\\kappa = \\lambda_{{\\max}} / \\lambda_{{\\min}}$$"  # a formula with no parts
    formulas = found(write_notebook([("md", text)]), tmp_path, "formulas", min_confidence=0.0)
    assert all("front" not in dict(s.options) for s in formulas)
    control = text.replace(lead, "The condition number of the problem is")
    formulas = found(
        write_notebook([("md", control)], name="c.ipynb"), tmp_path, "formulas", min_confidence=0.0
    )
    assert any("front" in dict(s.options) for s in formulas)  # the same formula, led in by its own sentence


def test_a_value_the_same_cell_binds_to_a_literal_is_not_asked(write_notebook, tmp_path):
    cells = [
        ("md", "## Two units\n\nTwo units that only work together:"),
        ("code", "unit_a, unit_b = torch.tensor(5.0), torch.tensor(-4.9)\nprint(unit_a.item())", "units"),
        ("md", "Unit A alone gives 5.0, and the output jumps when B is missing."),
    ]
    control = [("md", "## Two units\n\nTwo units:"), ("code", "import torch")] + [
        ("code", "unit_a = torch.ones(5).sum()\nprint(unit_a.item())", "units"),
        ("md", "Unit A alone gives 5.0, and the output jumps when B is missing."),
    ]
    literal = write_notebook(cells[:1] + [("code", "import torch")] + cells[1:])
    assert found(literal, tmp_path, "numbers", min_confidence=0.0) == []
    assert (
        len(found(write_notebook(control, name="control.ipynb"), tmp_path, "numbers", min_confidence=0.0))
        == 1
    )


def test_arithmetic_on_literals_of_the_same_cell_is_not_asked(write_notebook, tmp_path):
    cells = [
        ("md", "## Adjoints\n\nBackward through the graph:"),
        ("code", "v5_bar = 1.0\nv4_bar = v5_bar * 1.0\nv2_bar = v4_bar * 1.0\nprint(v2_bar)", "adjoints"),
        ("md", "The adjoint of $v_2$ is 1.0: the output moves one-for-one with it."),
    ]
    assert found(write_notebook(cells), tmp_path, "numbers", min_confidence=0.0) == []


def test_a_definition_that_points_back_with_it_is_no_definition(write_notebook, tmp_path):
    text = "## Dropout\n\nNetworks overfit. **Dropout** is a very simple fix for it, and it works."
    assert found(write_notebook([("md", text)]), tmp_path, "definitions", min_confidence=0.0) == []


def test_a_sentence_runs_on_past_i_e_and_e_g():
    from srs.suggest.model import split_sentences

    text = "`pca_lowrank` is the same method with the means removed first, i.e. PCA. Fast, e.g. The rest."
    assert split_sentences(text) == [
        "`pca_lowrank` is the same method with the means removed first, i.e. PCA.",
        "Fast, e.g. The rest.",
    ]


def test_the_same_library_call_to_the_same_rank_is_asked_once(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import torch\nX = torch.ones(50, 2)\ny = torch.ones(50)\nsw = torch.ones(50)", "data"),
            ("code", "pairs = torch.outer(y, sw)", "pairs"),
            ("code", "pairs2 = torch.outer(sw * y, y)", "again"),
            ("code", "M = X.T @ X", "gram"),
        ]
    )
    assert [s.cell.index for s in found(path, tmp_path, "shapes", min_confidence=0.0)] == [2, 4]


@pytest.mark.parametrize(
    "code",
    [
        "w = torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1)",  # a reference fit: a set-up detail
        "totals = S.sum(dim=1)",  # of a square: either axis gives (4,)
    ],
)
def test_a_linear_solve_and_a_reduction_of_a_square_are_not_asked(write_notebook, tmp_path, code):
    setup = "import torch\nX = torch.ones(50, 2)\ny = torch.ones(50)\nS = torch.ones(4, 4)"
    path = write_notebook([("code", setup, "data"), ("code", code, "step")])
    assert found(path, tmp_path, "shapes", min_confidence=0.0) == []


def test_a_cloze_keeps_code_spans_and_needs_a_whole_sentence(write_notebook, tmp_path):
    text = (
        "## Graphs\n\nBoth inputs **fan out**: $x_1$ feeds `ln` and `*`, and $x_2$ feeds `*` and `sin`.\n\n"
        "The spectral norm is the **Lipschitz constant** of the linear map: for any two inputs,\n\n"
        "(Another fix is the **hierarchical softmax**, which arranges words in a binary tree.)"
    )
    clozes = [s.text for s in found(write_notebook([("md", text)]), tmp_path, "terms", min_confidence=0.0)]
    assert clozes == [
        "Both inputs {{c1::fan out}}: $x_1$ feeds `ln` and `*`, and $x_2$ feeds `*` and `sin`.",
        # the clause before the colon stands as a sentence; the rest ran on into a formula
        "The spectral norm is the {{c1::Lipschitz constant}} of the linear map.",
    ]


def test_the_lessons_own_set_up_and_a_question_without_a_verb_are_not_asked(write_notebook, tmp_path):
    setup = "## Fit\n\nWe fit $Y = 3X$ with a plain linear layer and a normalised one."
    assert found(write_notebook([("md", setup)]), tmp_path, "relations", min_confidence=0.0) == []
    short = "## Tables\n\nWhy two tables? A word almost never appears inside its own window of context."
    verb = (
        "## Tables\n\nWhy are there two tables? A word almost never appears inside its own window of context."
    )
    assert found(write_notebook([("md", short)], name="short.ipynb"), tmp_path, "questions") == []
    assert (
        len(
            found(
                write_notebook([("md", verb)], name="verb.ipynb"), tmp_path, "questions", min_confidence=0.4
            )
        )
        == 1
    )


def test_a_story_word_in_a_heading_names_no_formula(write_notebook, tmp_path):
    text = (
        "## The problem: many parameters, one loss\n\nThe obvious method nudges each weight a little:\n\n"
        "$$\\frac{\\partial L}{\\partial w_i} \\approx \\frac{L(w + h e_i) - L(w)}{h}$$"
    )
    assert found(write_notebook([("md", text)]), tmp_path, "formulas", min_confidence=0.0) == []


def test_a_prose_pair_of_quantities_the_code_computes_names_no_axes(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "## Sweep\n\nEvery threshold gives one point (FPR, TPR) of the curve.", "sweep"),
            (
                "code",
                "import numpy as np\nfpr, tpr = 0.25, 0.75\nscores = np.ones(6)\ngrid = np.ones(4)",
                "data",
            ),
            ("code", "flagged = scores[None, :] >= grid[:, None]", "flags"),
        ]
    )
    cards = found(path, tmp_path, "shapes", min_confidence=0.0)
    assert [c.cell.index for c in cards] == [3]
    assert "FPR" not in str(dict(cards[0].options).get("dims"))


def test_arithmetic_on_numbers_made_in_another_cell_is_not_asked(write_notebook, tmp_path):
    hidden = [
        ("md", "## Rates\n\nCounts at threshold 0.5:"),
        ("code", "tp, fn, fp, tn = 3, 1, 1, 3", "counts"),
        ("code", "fpr = fp / (fp + tn)\nprint(fpr)", "rate"),
        ("md", "The false positive rate is 0.25: one legitimate mail in four is flagged."),
    ]
    shown = [
        ("md", "## Rates\n\nCounts at threshold 0.5:"),
        ("code", "import math\nleft = math.exp(-1)\nprint(left)", "left"),
        ("md", "About 0.3679 of the weight is left after one window of steps."),
    ]
    assert found(write_notebook(hidden), tmp_path, "numbers", min_confidence=0.0) == []
    assert len(found(write_notebook(shown, name="shown.ipynb"), tmp_path, "numbers", min_confidence=0.0)) == 1


def test_a_size_of_a_tensor_made_inside_the_statement_lends_no_name(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import torch\nn_points = 50\nx0 = torch.randn(n_points, 2)", "data"),
            ("code", "d_noise = torch.cdist(torch.randn(50, 2), x0).min(dim=1).values", "nearest"),
        ]
    )
    # the 50 that survives is the 50 fresh queries', not x0's points (blind readers: "wrong in substance")
    shapes = found(path, tmp_path, "shapes", min_confidence=0.0)
    assert all("n_points" not in dict(s.options).get("dims", {}).get("d_noise", []) for s in shapes)


def test_a_bold_term_that_names_a_symbol_of_the_sentence_names_no_formula():
    from srs.suggest.heuristics.formulas import formula_name

    # "the formula for the baseline" over the baselined estimator: blind readers marked b = E[r] wrong
    assert formula_name("The fix is to subtract a constant $b$ (the **baseline**) from the reward:") is None
    assert formula_name("The fix is the **baseline**:") == ("the baseline", 0.75)
    assert (
        formula_name("Allow it to be **complex**, $a = -\\alpha + i\\omega$, and the formula shows:") is None
    )


def test_a_numbered_step_label_names_no_formula():
    from srs.suggest.heuristics.formulas import formula_name

    # "the formula for step 5": both blind readers said it points at a derivation the card does not show
    assert (
        formula_name("**Step 1.** Both terms are averages under $\\pi$, so merge them into one sum:") is None
    )
    assert formula_name("**Case b:** the two are equal:") is None
    assert formula_name("**Step by step.** The score of the blurred density is:") is None
    assert formula_name("**Step 1: the softmax derivative.** It reads:") == ("the softmax derivative", 0.75)


def test_a_standard_name_over_a_labelled_split_is_not_asked_by_its_name_alone():
    from srs.suggest.heuristics.formulas import name_from_formula

    plain = r"\text{MSE}(w) = \frac{1}{N}\sum_i (\hat w_i - w_i)^2"
    split = (
        r"\text{MSE}(c) = \underbrace{\frac{1}{N}\sum_{\text{in}}(\hat w_i - w_i)^2}_{\text{rounding}}"
        r" + \underbrace{\frac{1}{N}\sum_{\text{out}}(\hat w_i - w_i)^2}_{\text{clipping}}"
    )
    assert name_from_formula(plain) == ("MSE", 0.7)
    assert name_from_formula(split)[1] < 0.5
