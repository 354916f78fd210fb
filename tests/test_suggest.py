"""`srs suggest`: cards proposed from a notebook's structure and values, each heuristic on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from srs.cli.app import app
from srs.suggest import suggest_cards
from srs.suggest.model import Suggestion, yaml_value

IMPORTS = ("code", "import math\nimport numpy as np\nd_model = 8\nd_k = 4\ntokens = 6", "imports")


def suggested(path: Path, tmp_path: Path, **kwargs: object) -> list[Suggestion]:
    return suggest_cards(path, out_dir=tmp_path / "decks", **kwargs).suggestions  # type: ignore[arg-type]


def by_heuristic(found: list[Suggestion], name: str) -> list[Suggestion]:
    return [s for s in found if s.heuristic == name]


def test_a_formula_named_by_its_introduction_becomes_a_formula_card(write_notebook, tmp_path):
    path = write_notebook(
        [("md", "## Scores\n\nThe score of one query against every key is:\n\n$$s = \\mathrm{dot}(q, K)$$")]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert len(found) == 1
    assert found[0].snippet() == (
        "<!-- #| card: formula\n     #| name: the score of one query against every key\n"
        '     #| front: "The score of one query against every key is: […]\\n\\nWhich formula fills the gap?" -->'
    )
    assert found[0].line == 5 and found[0].confidence < 0.5  # asked whole: shown on request


@pytest.mark.parametrize(
    "text",
    [
        "Two scores are enough to see it:\n\n$$x = y$$",  # a pronoun names nothing
        "Some prose.\n\n$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$",  # a derivation, not a formula
        "We get:\n\n$$x + y$$",  # no name, no relation
        "In formula form, a mask $M$ is added to the scaled scores:\n\n$$S + M$$",  # a clause, not a name
        "Layer norm rescales **over its own features**:\n\n$$y = (x - m) / s$$",  # bold, but no name
        "The step size is the **learning rate**.\n\n$$w = \\eta$$",  # it does not lead into it
        "That is:\n\n$$\\mathrm{Attention}(Q) = Q^\\top$$",  # a home-made function may have variants
        "The rates multiply:\n\n$$r = a b$$",  # a clause, not a quantity
        "Compute the loss:\n\n$$L = (y - t)^2$$",  # an instruction, not a name
    ],
)
def test_formulas_the_text_does_not_name_are_left_alone(write_notebook, tmp_path, text):
    assert by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "formulas") == []


def test_a_bold_term_or_a_named_function_names_a_formula(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "That is **cosine similarity**:\n\n$$\\cos\\theta = \\mathrm{cossim}(a, b)$$"),
            ("md", "Exponentiate, then normalise.\n\n$$\\mathrm{softmax}(x) = \\mathrm{normexp}(x)$$"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert {dict(s.options)["name"] for s in found} == {"cosine similarity", "softmax"}
    # with nothing but its name on the front, only a standard function has one answer by default
    assert {dict(s.options)["name"] for s in found if s.confidence >= 0.5} == {"softmax"}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The running mean is updated as an exponential moving average:", "the running mean"),
        ("The output length of a convolution is:", "the output length of a convolution"),
        ("We compute the batch mean as:", "the batch mean"),
        ("In short, the gated memory becomes:", "the gated memory"),
        ("The update rule:", "the update rule"),
        ("The batch mean for feature $j$ is:", "the batch mean"),
        ("The variance $\\sigma^2$ is computed as:", "the variance"),
        ("Recall the RNN update from notebook 05:", "the RNN update"),
        ("Output length:", "Output length"),
        ("This is the exponential moving average (EMA):", "the exponential moving average"),
        ("Nudge each weight and watch the loss (finite differences):", "finite differences"),
        ("It has a first-order approximation (the Miller-Madow correction):", "the Miller-Madow correction"),
        ("The backward step through layer $l$ is:", "the backward step"),
    ],
)
def test_a_formula_takes_the_name_its_sentence_gives_it(write_notebook, tmp_path, sentence, name):
    path = write_notebook([("md", f"{sentence}\n\n$$m = a m + b$$")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [dict(s.options)["name"] for s in found] == [name]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "The **batch mean** of feature $j$ over the batch is",
            "the batch mean of feature $j$ over the batch",
        ),
        (
            "In general, with padding $P$ and stride $S$, the **output length** is",
            "the output length with padding $P$ and stride $S$",
        ),
        (
            "For a kernel of size $K$, the **output length** becomes",
            "the output length for a kernel of size $K$",
        ),
        ("The **feature mean** of a token is the average of its entries:", "the feature mean of a token"),
        ("The **variance** of each row is defined as", "the variance of each row"),
        ("The output length of a convolution is", "the output length of a convolution"),
        ("With stride $S$, the output length becomes", "the output length with stride $S$"),
        ("In general, with padding $P$, the output length is:", "the output length with padding $P$"),
    ],
)
def test_a_formula_in_running_prose_is_named_with_its_conditions(write_notebook, tmp_path, sentence, name):
    path = write_notebook([("md", f"Some context first. {sentence}\n\n$$m = a m + b$$")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [dict(s.options)["name"] for s in found] == [name]


@pytest.mark.parametrize(
    "sentence",
    [
        "The quantity that **stride** controls is",  # the bold term is not what the formula gives
        "The **mean** is easy to compute, but the variance is",  # the verb it ends on is another's
        "The mean is easy to compute, but the variance is",  # a clause, not a name
        "We get the same result when the input is",  # a clause, not a name
        "The answer for our data is",  # names nothing
        "The result is",  # names nothing
        "The **mean** of it is",  # a pronoun in the qualifier: the name leans on the sentence before
        "Here the **stride** is large.",  # it does not run on into the formula
        "Stop in state $S-2$ (the last letter):",  # brackets after a symbol gloss the symbol
        "Group the product two ways (matrix multiplication is associative):",  # a clause, not a name
    ],
)
def test_a_sentence_that_does_not_name_the_formula_after_it_gives_none(write_notebook, tmp_path, sentence):
    path = write_notebook([("md", f"{sentence}\n\n$$m = a^m$$")])
    names = [dict(s.options)["name"] for s in by_heuristic(suggested(path, tmp_path), "formulas")]
    assert names in ([], ["the mean"]) and (names == [] or "**mean**" in sentence)


def test_a_sentence_that_says_where_a_formula_sits_does_not_name_it(write_notebook, tmp_path):
    text = "## Cells\n\nThis is the line that matters most:\n\n$$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$$"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["$c_t$"]


def test_a_formula_on_its_own_lines_inside_a_paragraph_becomes_a_card_that_builds(write_notebook, tmp_path):
    text = (
        "Per feature. The **batch mean** of feature $j$ is\n$$m_j = \\mathrm{avg}_b\\, x_{bj}$$\n"
        "where $B$ is the batch size."
    )
    path = write_notebook([("md", text)])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [(dict(s.options)["name"], s.line) for s in found] == [("the batch mean of feature $j$", 2)]
    out = tmp_path / "out.ipynb"
    written = CliRunner().invoke(app, ["suggest", str(path), "--write", str(out), "--min-confidence", "0.4"])
    assert written.exit_code == 0
    built = CliRunner().invoke(app, ["build", str(out), "--out", str(tmp_path / "decks")])
    assert built.exit_code == 0 and "formula 1" in built.output, built.output


def test_a_step_worked_out_in_a_chain_is_asked_under_its_left_side_and_builds(write_notebook, tmp_path):
    text = (
        "Taking the log splits the fraction:\n\n"
        "$$\\log p_y = \\log \\frac{e^{z_y}}{\\sum_k e^{z_k}} = z_y - \\log \\sum_k e^{z_k}$$"
    )
    path = write_notebook([("md", text)])
    assert by_heuristic(suggested(path, tmp_path), "formulas") == []  # algebra on the front: on request
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["$\\log p_y$"]
    assert found[0].math is not None and "{{c1::z_y - \\log \\sum_k e^{z_k} }}" in found[0].math[1]
    out = tmp_path / "out.ipynb"
    written = CliRunner().invoke(app, ["suggest", str(path), "--write", str(out), "--min-confidence", "0.4"])
    assert written.exit_code == 0
    built = CliRunner().invoke(app, ["build", str(out), "--out", str(tmp_path / "decks")])
    assert built.exit_code == 0 and "formula 1" in built.output, built.output


def test_an_update_rule_with_an_arrow_is_a_formula(write_notebook, tmp_path):
    path = write_notebook([("md", "Each step applies the **update rule**:\n\n$$w \\leftarrow w^\\eta$$")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["the update rule"]


def test_a_formula_names_itself_by_a_standard_function_or_its_derivative(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "Its slope reuses its output.\n\n$$\\tanh'(x) = \\mathrm{sech}^2(x)$$"),
            ("md", "Passes positives.\n\n$$\\mathrm{ReLU}(x) = x^+$$"),
            ("md", "The classic test is the **Rosenbrock function**, curved:\n\n$$L = (1 - x)^2$$"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    names = {dict(s.options)["name"] for s in found}
    assert names == {"derivative of tanh", "ReLU", "the Rosenbrock function"}


@pytest.mark.parametrize(
    ("math", "several"),
    [
        (
            r"\text{score}(y_{<t}, v) = \text{score}(y_{<t}) + \log P(v \mid y_{<t})",
            False,
        ),  # a comma in brackets
        (r"Q = XW_q, \quad K = XW_k", True),
        (r"a = 1, b = 2", True),
        (r"a = b)", True),  # unreadable: left alone
        (r"H(Y \mid X) = \sum_x p(x)\, H(Y \mid X = x)", False),  # a thin space is no comma
        (r"m_t = \beta\, m_{t-1} + (1-\beta)\, g_t, \qquad m_0 = 0", False),  # the start of a recurrence
        (r"m_t = \beta\, m_{t-1}, \qquad v_0 = 0, \qquad v_t = v_{t-1} + g_t", True),
    ],
)
def test_formulas_side_by_side_are_told_from_a_comma_inside_brackets(math, several):
    from srs.suggest.heuristics.formulas import _several

    assert _several(math) is several


def test_a_chain_of_three_steps_is_not_asked_whole(write_notebook, tmp_path):
    chain = (
        "## Inverted dropout\n\nThe second moment of a kept unit is\n\n"
        "$$\\mathbb{E}[\\tilde h^2] = \\frac{\\mathbb{E}[m^2] h^2}{(1-p)^2} = \\frac{(1-p) h^2}{(1-p)^2} "
        "= \\frac{h^2}{1-p}$$"
    )
    single = "## Inverted dropout\n\nThe second moment of a kept unit is\n\n$$\\mathbb{E}[\\tilde h^2] = \\frac{h^2}{1-p}$$"
    assert by_heuristic(suggested(write_notebook([("md", chain)]), tmp_path), "formulas") == []
    assert (
        len(by_heuristic(suggested(write_notebook([("md", single)], name="one.ipynb"), tmp_path), "formulas"))
        == 1
    )


def test_the_left_of_a_bracket_is_no_relation():
    from srs.suggest.heuristics.formulas import _RELATION, _symbol_name

    # `\\left[` is a bracket, not `\\le`: the left side is the whole expectation, which is no symbol
    assert _symbol_name(r"\mathbb{E}\left[\nabla \ell\right] = g") is None
    assert [_RELATION.split(m, 1)[0].strip() for m in (r"w \leftarrow w - g", r"a \le b", r"a \leq b")] == [
        "w",
        "a",
        "a",
    ]


def test_an_accented_symbol_with_a_space_names_the_formula_asked_part_by_part(write_notebook, tmp_path):
    text = (
        "## Bias correction\n\nThe fix follows from the weight sum: divide by it.\n\n"
        "$$\\hat v_t = \\frac{v_t}{1-\\beta^t}.$$"
    )
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["$\\hat v_t$"]


def test_a_contraction_becomes_a_shape_card_with_dims_named_after_sizes_and_lists(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nd_k = 4\nwords = 'the cat sat'.split()", "imports"),
            ("code", "Q = np.ones((len(words), d_k))\nK = np.ones((len(words), d_k))", "data"),
            ("code", "scores = Q @ K.T", "scores"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [s.cell.index for s in found] == [3]
    assert found[0].snippet() == (
        "#| card: shape\n#| dims: {Q: [words, d_k], K: [words, d_k], scores: [words, words]}"
    )
    assert found[0].confidence >= 0.8


@pytest.mark.parametrize(
    ("setup", "data", "step", "dims"),
    [
        # a list that styles a plot names no axis: the size variable does
        (
            "species_colors = ['C0', 'C1', 'C2']\nn = 3",
            "Q = np.ones((n, 4))\nK = np.ones((n, 4))",
            "scores = Q @ K.T",
            {"scores": ["n", "n"]},
        ),
        # an axis as long as a list of names is named for what they name
        (
            "feature_names = ['area', 'rooms', 'distance']",
            "X = np.ones((50, len(feature_names)))",
            "mu = X.mean(axis=0)",
            {"mu": ["features"]},
        ),
    ],
)
def test_a_list_names_an_axis_only_for_what_it_counts(write_notebook, tmp_path, setup, data, step, dims):
    cells = [
        ("code", f"import numpy as np\n{setup}", "imports"),
        ("code", data, "data"),
        ("code", step, "step"),
    ]
    found = by_heuristic(suggested(write_notebook(cells), tmp_path, min_confidence=0.0), "shapes")
    [(name, axes)] = dims.items()
    assert [dict(s.options)["dims"][name] for s in found] == [axes]


def test_a_shape_with_no_name_for_its_axes_is_suggested_unnamed_below_named_ones(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nd_k = 4\nX = np.ones((7, 5))", "imports"),
            ("code", "C = X.T @ X", "unnamed"),
            ("code", "tokens = 3\nQ = np.ones((tokens, d_k))\nS = Q @ Q.T", "named"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [s.cell.index for s in found] == [3, 2]  # best first
    assert "dims" not in dict(found[1].options)  # no size variable is 5 or 7: no name is guessed
    assert found[1].confidence < found[0].confidence


def test_a_small_size_that_recurs_in_one_shape_names_no_axis(write_notebook, tmp_path):
    code = "w = np.zeros((16, 3, 3, 3))\nper_filter = w.sum(axis=0)"
    path = write_notebook(
        [("code", "import numpy as np\nbatch = 2\nchannels = 3\nout_channels = 16"), ("code", code)]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "shapes")
    assert len(found) == 1
    dims = dict(found[0].options).get("dims", {})
    assert "w" not in dims  # (16, 3, 3, 3): the kernel's 3 by 3 is not `channels` twice


@pytest.mark.parametrize(
    ("code", "asked"),
    [
        ("Y = X @ W", False),  # a plain matrix product is arithmetic
        ("row = X[0]", False),  # a row of a table is a notebook detail
        ("X @ W", False),  # a bare expression displays a check, it makes nothing
        ("Y = X * 2", False),  # no shape change
        ("means = X.mean(axis=0)", True),  # a reduction along a named axis
        ("means = X.mean(axis=0)  # one per feature", False),  # the comment on the front says the point
        ("means = X.mean(axis=0) if '#' else X", True),  # a `#` in a string is no comment
        ("heads = X.reshape(3, 2, -1)", True),  # a split into heads: the -1 is worked out
        ("heads = X.reshape(3, d_k, d_k)", False),  # the size names spell the answer out
        ("heads = X.reshape(3, 2, 2)", False),  # the code spells the answer out
        # the -1 of `.mean(-1)` is an axis: the reshape still spells the answer out (round 53, both readers)
        ("grid = X.T.mean(-1).reshape(d_k, d_k)", False),
        ("batched = X[None] @ W", True),  # a new axis
        ("draws = np.ones((5000, 4)).sum(axis=1)", False),  # 5,000 draws: a sample size, not a shape
        ("looked_up = X[ids]", True),  # a (3, 4) table read by a (2, 5) batch of ids gives (2, 5, 4)
        ("window = X[:2][None]", False),  # a slice of the data with an axis of 1 added
        ("picked = X[flat]", False),  # rows picked by a flat list of ids keep the table's rank
        ("kept = X[X > 0]", False),  # a mask: how many entries it keeps is data, not shape
    ],
)
def test_only_shape_changes_that_carry_an_idea_are_asked(write_notebook, tmp_path, code, asked):
    setup = "import numpy as np\nd_model = 4\nd_k = 2\nX = np.ones((3, d_model))"
    setup += "\nids = np.zeros((2, 5), dtype=int)\nflat = np.array([0, 2])"
    path = write_notebook(
        [
            ("code", setup, "imports"),
            ("code", "W = np.ones((d_model, d_k))", "weights"),
            ("code", code, "asked"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    assert [s.cell.index for s in found] == ([3] if asked else [])


def test_a_lesson_function_that_makes_a_new_axis_is_asked(write_notebook, tmp_path):
    windows = "def windows(x, k):\n    return np.stack([x[i : i + k] for i in range(len(x) - k + 1)])"
    path = write_notebook(
        [
            ("code", "import numpy as np\nsignal = np.arange(10.0)", "imports"),
            ("code", windows, "define"),
            ("code", "frames = windows(signal, 3)", "frames"),
            ("code", "doubled = np.stack([signal, signal]).T.T", "counted"),
            ("code", "same = windows(signal, 1).ravel()", "no-new-axis"),
            ("code", "pairs = signal.reshape(-1, 2).T", "known"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    # a stack of a list written out only counts the list: not asked
    assert [s.cell.index for s in found] == [3, 6]


def test_shape_changes_made_the_same_way_are_asked_once(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nheads = 3\nq = np.ones((2, 6))\nv = np.ones((2, 6))", "imports"),
            ("code", "q_heads = q.reshape(2, heads, -1)", "q"),
            ("code", "v_heads = v.reshape(2, heads, -1)", "v"),
        ]
    )
    assert [s.cell.index for s in by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "shapes")] == [
        2
    ]


def test_the_same_line_written_again_on_other_tensors_is_asked_once(write_notebook, tmp_path):
    # `rel10 = pos10[None, :] - pos10[:, None]` after the same line on `pos12` (round 48, both readers)
    path = write_notebook(
        [
            ("code", "import torch\npos12 = torch.arange(12)\npos10 = torch.arange(10)", "imports"),
            ("code", "rel12 = pos12[None, :] - pos12[:, None]", "twelve"),
            ("code", "rel10 = pos10[None, :] - pos10[:, None]", "ten"),
            ("code", "outer = pos10[:, None] * pos12[None, :]", "other"),  # another step: asked
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0), "shapes")
    assert [s.cell.index for s in found] == [2, 4]


def test_a_number_the_next_paragraph_quotes_becomes_a_numeric_card(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "scale = 1 / np.sqrt(d_k)", "scale"),
            ("md", "Some words first. The scale is 0.5 here, so every score shrinks by half.", "why"),
            ("code", "spread = d_k * 2.5", "spread"),
            ("md", "Some words that quote nothing.", "no-quote"),
            ("code", "i_min = np.abs(np.linspace(-2, 2, 9)).argmin()", "where"),  # a place in a grid
            ("md", "Some words first. The smallest value sits at index 4 of the grid.", "index"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "numbers")
    assert [s.cell.index for s in found] == [2]
    assert found[0].snippet() == (
        "#| card: numeric\n#| digits: 3\n#| extra: The scale is 0.5 here, so every score shrinks by half."
    )
    assert found[0].confidence == 0.35  # shown at 0.3: most printed numbers are trivia (2 of 36 usable)


def test_a_printed_number_the_next_paragraph_quotes_becomes_a_numeric_card(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "def out_len(n, k):\n    return n - k + 1\n\nprint(out_len(32, 5))", "printed"),
            ("md", "A 5-wide kernel over 32 positions fits 28 times.", "why"),
            ("code", "print(f'length: {out_len(10, 3)}')", "fixed"),
            ("code", "import random\nprint(out_len(random.randint(5, 9), 3))", "random"),
            ("md", "The next topic is padding.", "other"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.3), "numbers")
    assert [(s.cell.index, s.snippet()) for s in found] == [
        (
            1,
            "#| card: numeric\n#| of: out_len(32, 5)\n"
            "#| extra: A 5-wide kernel over 32 positions fits 28 times.",
        ),
        (3, "#| card: numeric\n#| of: out_len(10, 3)"),  # a lesson function on fixed inputs, unquoted
    ]


def test_a_library_function_on_fixed_inputs_gives_a_numeric_card_unquoted(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "float(np.tanh(0.5))", "tanh"),
            ("md", "Now on to the next idea.", "next"),
            ("code", "np.exp(np.array([0.0, 1.0])) / np.exp(np.array([0.0, 1.0])).sum()", "weights"),
            ("code", "x_one = 2.0\ndz_dw = x_one", "arithmetic"),  # no function at work: the front says it
            ("code", "math.exp(1.5)", "calculator"),  # an elementary function of a plain number
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "numbers")
    assert [(s.cell.index, s.snippet()) for s in found] == [
        (2, "#| card: numeric\n#| digits: 3"),
        (4, "#| card: numeric\n#| digits: 3"),
    ]
    assert [s.confidence for s in found] == [0.35, 0.35]  # fractions from fixed inputs: shown at 0.3


@pytest.mark.parametrize(
    "cells",
    [
        [("code", "float(np.random.randn())", "draw"), ("md", "A draw from a normal distribution.")],
        # drawn two cells earlier: the number is still a detail of one run
        [
            ("code", "noise = np.random.randn(50)", "draw"),
            ("code", "centred = noise - 1.0", "shift"),
            ("code", "float(np.abs(centred).mean())", "mean"),
            ("md", "About 1.2 on average.", "why"),
        ],
        # a function whose body draws makes whatever calls it random
        [
            ("code", "def init():\n    return np.random.randn(3)", "init"),
            ("code", "float(np.linalg.norm(init()))", "norm"),
        ],
        # a loop leaves only its last pass behind
        [("code", "for c in [1.0, 10.0]:\n    top = float(np.exp(c))", "loop")],
    ],
)
def test_a_random_number_or_a_loop_value_is_never_suggested(write_notebook, tmp_path, cells):
    path = write_notebook([IMPORTS, *cells])
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "numbers") == []


def test_a_count_read_from_a_random_tensor_is_not_random(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "W1 = np.random.randn(2, 4)\nb1 = np.zeros(4)\nW1.size + b1.size", "count"),
            ("md", "That is 12 parameters: 8 weights and 4 biases.", "why"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.3), "numbers")
    assert [s.cell.index for s in found] == [2]


def test_a_number_read_off_an_object_another_cell_made_is_not_asked(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "W1 = np.random.randn(2, 4)\nb1 = np.zeros(4)", "weights"),
            ("code", "W1.size + b1.size", "count"),  # the shapes are not on the card
            ("md", "That is 12 parameters: 8 weights and 4 biases.", "why"),
            ("code", "(1 - 0.01 * 0.5) ** 300", "arithmetic"),  # numbers alone: a calculator's job
            ("md", "About 0.222 of each weight is left.", "why2"),
        ]
    )
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "numbers") == []


def test_a_solved_exercise_gives_a_card_and_an_unsolved_one_nothing(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            (
                "code",
                "test_x = np.ones((2, 3))\ntest_y = test_x.sum(axis=0)\nassert test_y.shape == (3,)",
                "solved",
            ),
            ("code", "test_h = None  # fill in code here\n# assert test_h.shape == (1, 4)", "unsolved"),
            # a number the assert states: a numeric card would show it on its front
            ("code", "test_loss = float(np.log(2))\nassert abs(test_loss - 0.6931) < 1e-3", "number"),
        ]
    )
    found = suggested(path, tmp_path, min_confidence=0.0)
    assert [(s.cell.index, s.heuristic) for s in found] == [(2, "exercises")]
    assert found[0].snippet() == "#| card: shape\n#| of: test_y"


def test_a_solved_exercise_asks_for_a_shape_only_when_it_changes(write_notebook, tmp_path):
    windows = (
        "def test_windows(x, k):\n    return np.stack([x[i : i + k] for i in range(len(x) - k + 1)])\n\n"
        "test_x = np.arange(10.0)\ntest_out = test_windows(test_x, 3)\nassert test_out.shape == (8, 3)"
    )
    same = "test_y = np.arange(10.0)\ntest_z = test_y * 2\nassert test_z.shape == (10,)"
    role = (  # a function named for its role: how it maps shapes is in its body, not on the card
        "def test_block(x):\n    return np.ones((len(x), 48))\n\n"
        "test_in = np.ones((5, 32))\ntest_res = test_block(test_in)\nassert test_res.shape == (5, 48)"
    )
    scalar = "test_v = np.ones(4)\ntest_n = np.linalg.norm(test_v)\nassert test_n.shape == ()"
    cells = [
        ("code", windows, "windows"),
        ("code", same, "same"),
        ("code", role, "role"),
        ("code", scalar, "norm"),
    ]
    path = write_notebook([IMPORTS, *cells])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.3), "exercises")
    assert [(s.cell.index, s.snippet()) for s in found] == [(2, "#| card: shape\n#| of: test_out")]
    # under 0.4: blind readers rated an exercise's shape off-target (4 of 16 ratings usable)
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "exercises") == []


def test_a_defined_bold_term_becomes_a_question(write_notebook, tmp_path):
    text = "A **query** is the vector a token uses to ask what it is looking for."
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert len(found) == 1
    assert (
        found[0].snippet()
        == "Q: What is a query?\n\nA: The vector a token uses to ask what it is looking for."
    )


def test_a_bold_term_with_its_symbol_is_asked_with_the_symbol(write_notebook, tmp_path):
    text = "The **batch mean** $\\mu_B$ is the average of each feature over the examples of a batch."
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert [s.snippet() for s in found] == [
        "Q: What is the batch mean $\\mu_B$?\n\nA: The average of each feature over the examples of a batch."
    ]


@pytest.mark.parametrize(
    ("text", "qa"),
    [
        (
            "In a convolution, the **stride** $S$ is the step between two windows.",
            ("In a convolution, what is the stride $S$?", "The step between two windows."),
        ),
        (
            "Layer norm works per row. The **feature mean** of a token is the average of its entries.",
            ("What is the feature mean of a token?", "The average of its entries."),
        ),
        (
            "The **stride** ($S$) is the step between two windows.",
            ("What is the stride $S$?", "The step between two windows."),
        ),
        (
            "Adding zeros around the border, called **padding**, keeps the length.",
            ("What is adding zeros around the border called?", "Padding."),
        ),
        (
            "We call the step between two windows the **stride**.",
            ("What is the step between two windows called?", "Stride."),
        ),
        (
            "The region of the input one output sees is the **receptive field**.",
            ("What is the region of the input one output sees called?", "Receptive field."),
        ),
    ],
)
def test_a_bold_term_defined_mid_sentence_becomes_a_question(write_notebook, tmp_path, text, qa):
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert [s.qa for s in found] == [qa]


@pytest.mark.parametrize(
    "text",
    [
        "The **variance** is the spread around that mean.",  # leans on the sentence before
        "The **KV cache** is the fix every model uses: keep the keys.",  # the meaning comes after the colon
        "1. **Weight sharing saves parameters**: one kernel slides over every position.",  # a claim
        "What matters most is the **stride**.",  # a clause, not the thing named
        "In practice, the **stride** is usually 1 or 2.",  # a fact about it, not what it is
        "The most common choice for hidden layers is the **ReLU**.",  # which choice, among what?
        "The **ReLU** is the most common choice for hidden layers.",  # one true answer among many
        "The **ReLU**, the usual default choice, passes positives.",  # likewise
        "The **learning rate** is 0.01 here.",  # a value, not a meaning
        "The **harmonic mean** is used instead of the arithmetic one.",  # what is done with it, not what it is
        "We compare the **mean**, the median and the mode, on one batch.",  # a list, not an apposition
    ],
)
def test_a_bold_term_whose_meaning_leans_elsewhere_gives_no_question(write_notebook, tmp_path, text):
    assert (
        by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions")
        == []
    )


def test_a_list_item_that_defines_its_bold_term_becomes_a_question(write_notebook, tmp_path):
    text = (
        "Each token plays two roles:\n\n- its **key** $k$: what the queries are matched against;\n"
        "- its **value** $v$: what it hands over when it is found.\n"
    )
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert sorted(s.snippet() for s in found) == [
        "Q: What is the key $k$?\n\nA: What the queries are matched against.",
        "Q: What is the value $v$?\n\nA: What it hands over when it is found.",
    ]


@pytest.mark.parametrize(
    "lead",
    ["Why this matters:", "That is why GPs matter in practice:", "It is used for:", "Read it as two jobs:"],
)
def test_a_list_of_where_an_idea_is_used_defines_none_of_its_bold_items(write_notebook, tmp_path, lead):
    text = (
        f"{lead}\n\n- **Compression**: a short code per example that still describes it.\n"
        "- **Theory of deep learning**: a very wide network at initialization behaves like a GP.\n"
    )
    assert (
        by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions")
        == []
    )


@pytest.mark.parametrize(
    ("text", "qa"),
    [
        (
            "The **kernel**, a small grid of learned weights, slides over the input.",
            ("What is the kernel?", "A small grid of learned weights."),
        ),
        (
            "Each layer moves by its **stride** (the step between two windows) along the input.",
            ("What is the stride?", "The step between two windows."),
        ),
    ],
)
def test_a_term_set_beside_what_it_is_is_asked_only_on_request(write_notebook, tmp_path, text, qa):
    path = write_notebook([("md", text)])
    assert by_heuristic(suggested(path, tmp_path), "definitions") == []
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "definitions")
    assert [s.qa for s in found] == [qa] and found[0].confidence < 0.5


def test_what_a_bold_term_does_is_asked_only_on_request(write_notebook, tmp_path):
    text = (
        "The **rectified linear unit** passes positive inputs through unchanged, so it never saturates.\n\n"
        "Compare with **batch normalization**, which averages each feature over the batch instead.\n\n"
        "The **variance** measures the spread around that mean."  # leans on the sentence before
    )
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert sorted(s.snippet() for s in found) == [
        "Q: What does batch normalization do?\n\nA: Averages each feature over the batch.",
        "Q: What does the rectified linear unit do?\n\nA: Passes positive inputs through unchanged.",
    ]
    # open-ended, 11 of 64 ratings usable over rounds 38 to 53: shown with the weakest kinds only
    assert all(s.confidence < 0.4 for s in found)


def test_a_term_named_after_what_it_describes_becomes_a_question(write_notebook, tmp_path):
    text = "Training a new head on frozen features is called a **linear probe**. This is called **cheap**."
    found = by_heuristic(
        suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions"
    )
    assert [s.snippet() for s in found] == [
        "Q: What is training a new head on frozen features called?\n\nA: Linear probe."
    ]


@pytest.mark.parametrize(
    ("after", "qa"),
    [
        (
            "The small $\\epsilon$ keeps the division safe when a row is constant.",
            (
                "In the formula for the normalized vector, $\\hat{x} = \\frac{x - m}{\\sqrt{v / d + \\epsilon}}$, "
                "what does $\\epsilon$ do?",
                "Keeps the division safe when a row is constant.",
            ),
        ),
        (
            "where $d$ is the width of a token, and $x_i$ its entries.",
            (
                "In the formula for the normalized vector, $\\hat{x} = \\frac{x - m}{\\sqrt{v / d + \\epsilon}}$, "
                "what is $d$?",
                "The width of a token.",
            ),
        ),
        ("where $k$ is the kernel size.", None),  # not a symbol of this formula
        ("Where $d$ is large there is little to gain from the epsilon.", None),  # a condition, not a meaning
        ("The small $\\epsilon$ keeps it safe.", None),  # leans on the sentence before
        ("The first $d$ terms dominate the sum.", None),  # "terms" is not a verb
    ],
)
def test_a_symbol_the_sentence_after_a_named_formula_explains_is_asked(write_notebook, tmp_path, after, qa):
    text = f"The normalized vector is:\n\n$$\\hat{{x}} = \\frac{{x - m}}{{\\sqrt{{v / d + \\epsilon}}}}$$\n\n{after}"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "symbols")
    assert [s.qa for s in found] == ([qa] if qa else [])


@pytest.mark.parametrize(
    ("sentence", "cloze"),
    [
        (
            "So layer norm adds two learned vectors, a **gain** $g$ and a **bias** $b$.",
            "Layer norm adds two learned vectors, a {{c1::gain}} $g$ and a {{c2::bias}} $b$.",
        ),
        (
            "A convolution has three settings: the **kernel size**, the **stride**, and the **padding**.",
            "A convolution has three settings: the {{c1::kernel size}}, the {{c2::stride}}, and the {{c3::padding}}.",
        ),
        (
            "A convolution layer has two parts, a **weight** tensor and a **bias** vector.",
            "A convolution layer has two parts, a {{c1::weight}} tensor and a {{c2::bias}} vector.",
        ),
        ("It has two parts, a **key** and a **value**.", None),  # whose parts?
        ("We tried two optimizers, **SGD** and **Adam**.", None),  # what the lesson did, not a fact
        ("A layer has three parts, a **key** and a **value**.", None),  # the count does not match
        # the columns of the lesson's own data (round 46, both readers: a notebook detail)
        (
            "Each transaction is described by two numbers: the **hour of day** and the **amount in dollars**.",
            None,
        ),
    ],
)
def test_a_sentence_that_counts_out_its_bold_terms_becomes_a_cloze(write_notebook, tmp_path, sentence, cloze):
    found = by_heuristic(
        suggested(write_notebook([("md", f"Some context. {sentence}")]), tmp_path), "enumerations"
    )
    assert [s.text for s in found] == ([cloze] if cloze else [])


def test_a_bold_claim_is_not_taken_for_a_term(write_notebook, tmp_path):
    text = "1. **Vanishing is exponential**: a factor below 1 erases the signal within tens of steps."
    assert (
        by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "definitions")
        == []
    )


def test_a_bold_key_point_becomes_a_cloze_with_its_explanation_on_request(write_notebook, tmp_path):
    text = (
        "## Key takeaways\n\n"
        "1. **Attention is a weighted average.** Each output mixes the values by their weights.\n"
        "2. **Heads are free.** Splitting the width changes no parameter count.\n"
        "3. **Position must be injected.** Without it a transformer sees a bag of tokens.\n"
    )
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "takeaways")
    assert [s.snippet() for s in found] == [
        "<!-- #| extra: Each output mixes the values by their weights. -->\n"
        "Attention is {{c1::a weighted average}}."
    ]
    assert all(s.confidence < 0.5 for s in found)  # open-ended: shown only on request


def test_a_key_point_that_gives_its_reason_asks_why(write_notebook, tmp_path):
    text = (
        "## Key takeaways\n\n"
        "1. **Padding keeps the output length**: adding zeros on each side lets the kernel reach the edges.\n"
        "2. **Weight sharing saves parameters.** One kernel slides over every position.\n"
        "3. **Batch norm averages over the batch axis**, so it depends on the other examples.\n"
        "4. **Layer norm never mixes tokens.** Each row is normalized alone.\n"
        "5. **The gain and bias are the learned part.** They give back any scale.\n"
        "6. **Check with central differences.** A bug shows up around $10^{-2}$.\n"
        "7. **The LSTM eases the problem without removing it.** The path is still one step at a time.\n"
    )
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "takeaways")
    assert [s.qa for s in found if s.heuristic == "takeaways" and s.qa] == [
        (
            "Padding keeps the output length: why?",
            "Adding zeros on each side lets the kernel reach the edges.",
        ),
        ("Weight sharing saves parameters: why?", "One kernel slides over every position."),
    ]
    assert all(s.confidence < 0.5 for s in found if s.qa)  # the explanation may be an example: on request


def test_a_key_point_a_cloze_would_mostly_hide_becomes_a_question_on_request(write_notebook, tmp_path):
    text = "## Key takeaways\n\n1. **A GPT is an encoder block plus a mask,** stacked, with a head."
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.3), "takeaways")
    assert [s.snippet() for s in found] == [
        "Q: In one phrase, what is a GPT?\n\nA: An encoder block plus a mask."
    ]
    assert all(s.confidence < 0.5 for s in found)  # open-ended: shown only on request


def test_an_explained_labelled_plot_becomes_a_figure_card(write_notebook, tmp_path):
    plot = (
        "import matplotlib.pyplot as plt\nxs = np.linspace(-4, 4, 50)\nplt.figure(figsize=(4, 3))\n"
        "plt.plot(xs, 1 / (1 + np.exp(-xs)))\n"
        "plt.xlabel('input')\nplt.ylabel('Sigmoid output')\nplt.show()"
    )
    path = write_notebook(
        [IMPORTS, ("code", plot, "plot"), ("md", "The curve rises from 0 to 1 and is steepest at 0.", "why")]
    )
    assert by_heuristic(suggested(path, tmp_path), "figures") == []  # many answers fit: on request only
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "figures")
    assert len(found) == 1
    options = dict(found[0].options)
    assert options["front"] == "What does a plot of sigmoid output against input look like?"
    assert options["back"] == "The curve rises from 0 to 1 and is steepest at 0."


@pytest.mark.parametrize(
    ("explanation", "back"),
    [
        (
            "Without the scale the curve saturates; with it, it stays flat near 1.",
            "Without the scale the curve saturates; with it, it stays flat near 1.",
        ),
        ("The peak itself is small by pretraining standards.", None),  # says nothing about the curve's look
        ("The loss curves show it:", None),  # leads into something else
    ],
)
def test_a_figure_is_explained_only_by_words_that_describe_it(write_notebook, tmp_path, explanation, back):
    plot = (
        "import matplotlib.pyplot as plt\nxs = np.linspace(0, 4, 20)\nplt.figure(figsize=(4, 3))\n"
        "plt.plot(xs, np.tanh(xs))\nplt.xlabel('input')\nplt.ylabel('output')\nplt.show()"
    )
    path = write_notebook([IMPORTS, ("code", plot, "plot"), ("md", explanation, "why")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "figures")
    assert [dict(s.options)["back"] for s in found] == ([back] if back else [])


def test_suggestions_never_repeat_a_card_the_notebook_has(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "X = np.ones((tokens, d_model))\nW = np.ones((d_model, d_k))", "data"),
            ("code", "#| card: shape\nQ = X @ W", "project"),
            (
                "md",
                "The queries are:\n\n<!-- #| card: formula\n     #| name: queries -->\n$$Q = XW$$",
                "formula",
            ),
        ]
    )
    report = suggest_cards(path, out_dir=tmp_path / "decks")
    assert report.existing_cards == 2
    assert all(s.cell.index not in (3,) for s in report.suggestions)
    assert not by_heuristic(report.suggestions, "formulas")


def test_write_makes_a_copy_that_builds_and_lints_clean_and_leaves_the_original(write_notebook, tmp_path):
    cells = [
        IMPORTS,
        ("code", "Q = np.ones((tokens, d_k))\nK = np.ones((tokens, d_k))", "data"),
        ("code", "scores = Q @ K.T", "scores"),
        ("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$", "score"),
        ("md", "A **query** is the vector a token uses to ask what it is looking for.", "query"),
        ("code", "float(np.exp(0))", "exp"),
        ("md", "Exactly 1.0: the exponential of zero is one.", "why-exp"),
        ("md", "## Key points\n\n1. **Scores are dot products.** One per query and key.", "points"),
    ]
    path = write_notebook(cells)
    original = path.read_bytes()
    copy = tmp_path / "suggested.ipynb"
    result = CliRunner().invoke(
        app,
        [
            "suggest",
            str(path),
            "--write",
            str(copy),
            "--out",
            str(tmp_path / "decks"),
            "--min-confidence",
            "0.3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == original
    written = json.loads(copy.read_text())
    assert [c["id"] for c in written["cells"]] == [c[2] for c in cells]
    assert "wrote" in result.output and "no card yet" in result.output
    lint = CliRunner().invoke(app, ["lint", str(copy), "--out", str(tmp_path / "decks")])
    assert lint.exit_code == 0, lint.output
    assert "6 notes, 0 finding(s)" in lint.output  # one per suggestion written
    build = CliRunner().invoke(app, ["build", str(copy), "--out", str(tmp_path / "decks"), "--strict"])
    assert build.exit_code == 0, build.output


def test_a_question_after_a_formula_stays_out_of_the_formula_options(write_notebook, tmp_path):
    text = (
        "The **feature mean** of a token is the average of its entries. Per row, the mean is:\n\n"
        "$$m = \\mathrm{avg}_i\\, x_i$$"
    )
    path = write_notebook([("md", text)])
    out = tmp_path / "out.ipynb"
    result = CliRunner().invoke(app, ["suggest", str(path), "--write", str(out), "--min-confidence", "0.3"])
    assert result.exit_code == 0, result.output
    source = "".join(json.loads(out.read_text())["cells"][0]["source"])
    assert source.index("-->") < source.index("$$m") < source.index("Q: What is the feature mean of a token?")
    built = CliRunner().invoke(app, ["build", str(out), "--out", str(tmp_path / "decks")])
    # the formula, the question, and (asked on request both ways) the term hidden in its sentence
    assert built.exit_code == 0 and "3 cards (cloze 1, formula 1, qa 1)" in built.output, built.output


def test_write_never_overwrites_the_original(write_notebook, tmp_path):
    path = write_notebook([("md", "The score is:\n\n$$s = q k$$")])
    before = path.read_bytes()
    result = CliRunner().invoke(
        app, ["suggest", str(path), "--write", str(path), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 2 and "never written" in result.output
    assert path.read_bytes() == before


def test_a_cell_that_raises_stops_the_run_but_not_the_suggestions(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "X = np.ones((tokens, d_model))\nW = np.ones((d_model, d_k))", "data"),
            ("code", "Q = X @ W.T.T.T.T", "project"),
            ("code", "raise ValueError('not yet')", "broken"),
            ("code", "K = X @ W.T.T.T.T", "after"),
            ("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$", "score"),
        ]
    )
    command = ["suggest", str(path), "--json", "--out", str(tmp_path / "decks"), "--min-confidence", "0.4"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cells = {s["cell"] for s in data["suggestions"]}
    assert 3 in cells and 5 not in cells and 6 in cells
    assert "lesson.ipynb:cell 4: the cell raised" in result.stderr


def test_json_lists_each_suggestion_with_its_cell_and_confidence(write_notebook, tmp_path):
    path = write_notebook([("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$")])
    command = ["suggest", str(path), "--json", "--out", str(tmp_path / "decks"), "--min-confidence", "0.4"]
    data = json.loads(CliRunner().invoke(app, command).stdout)
    assert data["summary"] == "1 formula has no card yet"
    (only,) = data["suggestions"]
    assert only["cell"] == 1 and only["kind"] == "formula" and 0 < only["confidence"] <= 1


def test_min_confidence_leaves_out_weaker_suggestions(write_notebook, tmp_path):
    path = write_notebook([("md", "A **query** is the vector a token uses to ask what it is looking for.")])
    assert suggested(path, tmp_path, min_confidence=0.3)
    assert not suggested(path, tmp_path, min_confidence=0.9)


@pytest.mark.parametrize("value", ["plain text", "a: colon", "yes", "it's 'quoted'", "ends with space "])
def test_option_values_read_back_as_written(value):
    import yaml

    assert yaml.safe_load(f"key: {yaml_value(value)}") == {"key": value}
    assert yaml.safe_load(f"key: {yaml_value({'Q': ['tokens', 'd_k']})}") == {"key": {"Q": ["tokens", "d_k"]}}


def test_build_writes_no_deck_for_a_notebook_without_cards_and_points_at_suggest(write_notebook, tmp_path):
    path = write_notebook([("md", "# Notes\n\nJust prose, no cards."), ("code", "x = 1")])
    result = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "decks")])
    assert result.exit_code == 0
    assert (
        result.output.strip()
        == f"{path}: no card sources, so no deck was written; `srs suggest {path}` proposes cards for it"
    )
    assert not (tmp_path / "decks" / "lesson.apkg").exists()


def test_a_plot_of_several_labelled_curves_is_suggested_only_on_request(write_notebook, tmp_path):
    plot = (
        "import matplotlib.pyplot as plt\nxs = np.linspace(0, 4, 20)\nplt.figure(figsize=(4, 3))\n"
        "plt.plot(xs, np.tanh(xs), label='tanh')\nplt.plot(xs, xs, label='identity')\nplt.legend()\n"
        "plt.xlabel('input')\nplt.ylabel('output')\nplt.show()"
    )
    path = write_notebook([IMPORTS, ("code", plot, "plot"), ("md", "The tanh curve flattens near 1.", "why")])
    assert by_heuristic(suggested(path, tmp_path), "figures") == []
    assert len(by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "figures")) == 1


def test_a_plot_whose_explanation_covers_every_labelled_curve_names_them_on_the_front(
    write_notebook, tmp_path
):
    plot = (
        "import matplotlib.pyplot as plt\nxs = np.linspace(0, 4, 20)\nplt.figure(figsize=(4, 3))\n"
        "plt.plot(xs, np.tanh(xs), label='tanh')\nplt.plot(xs, xs, label='identity')\nplt.legend()\n"
        "plt.xlabel('input')\nplt.ylabel('output')\nplt.show()"
    )
    why = "The tanh curve flattens near 1, while the identity keeps rising."
    path = write_notebook([IMPORTS, ("code", plot, "plot"), ("md", why, "why")])
    found = by_heuristic(suggested(path, tmp_path), "figures")
    assert [dict(s.options)["front"] for s in found] == [
        'What does a plot of output against input look like, for "tanh" and "identity"?'
    ]
    assert dict(found[0].options)["back"] == why


def test_a_shape_comment_names_the_axes(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nq = np.ones((2, 3, 4))  # (batch, tokens, width)", "imports"),
            ("code", "scores = q @ q.transpose(0, 2, 1)\nscores.shape  # (batch, queries, keys)", "scores"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [s.snippet() for s in found] == [
        "#| card: shape\n#| dims: {q: [batch, tokens, width], scores: [batch, queries, keys]}"
    ]


def test_a_shape_card_may_be_about_any_one_assignment_of_a_cell(write_notebook, tmp_path):
    # the cell ends on a check of another value: the card asks about the reduction, through `of:`
    code = "mu = x.mean(axis=0)\nprint(x.shape, mu.shape)\nmu.round(2)"
    path = write_notebook([("code", "import numpy as np\nx = np.ones((32, 4))", "imports"), ("code", code)])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    assert [dict(s.options).get("of") for s in found] == ["mu"]


def test_the_prose_names_axes_and_a_named_tensor_lends_them_to_the_others(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("code", "import numpy as np\nx = np.ones((32, 4))", "imports"),
            ("md", "## Statistics\n\nThe layer acts on a tensor of shape (batch, features)."),
            ("code", "mu = x.mean(axis=0)", "mean"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [dict(s.options)["dims"] for s in found] == [{"x": ["batch", "features"], "mu": ["features"]}]


def test_a_broadcast_that_keeps_a_shape_and_a_mixed_expression_are_not_asked(write_notebook, tmp_path):
    setup = "import numpy as np\nx = np.ones((32, 4))\nmu = np.ones(4)"
    path = write_notebook(
        [
            ("code", setup, "imports"),
            ("code", "z = (x - mu) / np.sqrt(mu)", "keeps"),  # x's (32, 4) on the front is the answer
            ("code", "w = np.concatenate([x[:1], x[1:] * mu])", "mixed"),
        ]
    )
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes") == []


def test_a_comment_listing_axes_names_them_and_stays_off_the_front(write_notebook, tmp_path):
    from srs.kinds.shape import without_shape_comments

    code = "patches = x.reshape(2, 3, -1)  # (batch, windows, width)"
    path = write_notebook([("code", "import numpy as np\nx = np.ones((2, 12))", "imports"), ("code", code)])
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert dict(found[0].options)["dims"]["patches"] == ["batch", "windows", "width"]
    assert without_shape_comments(code) == "patches = x.reshape(2, 3, -1)"
    assert without_shape_comments("y = x  # size 3, step 1") == "y = x  # size 3, step 1"


@pytest.mark.parametrize(
    ("text", "front"),
    [
        (  # the sentence runs on after the formula and names it there
            "Each layer of kernel size $K$ widens the view by $K - 1$, so $n$ layers see\n\n"
            "$$R = (K - 1)^n$$\n\ninputs, the **receptive field**.",
            "Each layer of kernel size $K$ widens the view by $K - 1$, so $n$ layers see […] inputs, the "
            "**receptive field**.\n\nWhich formula fills the gap?",
        ),
        (  # narration is dropped
            "Now after every training batch the **running mean** is updated as\n\n"
            "$$\\hat\\mu \\leftarrow \\mathrm{ema}(\\mu_B)$$",
            "After every training batch the **running mean** is updated as […]\n\nWhich formula fills the gap?",
        ),
        (  # a sentence that says the formula in words would give it away
            "Now the **normalisation**: subtract the mean, divide by the spread. A small $\\epsilon$ is added,"
            "\n\n$$\\hat{x} = \\mathrm{norm}(x)$$",
            None,
        ),
        (  # a lead-in that points at the text around it keeps the plain question
            "The **variance** is the squared distance from that mean:\n\n$$\\sigma^2 = \\mathrm{V}(x)$$",
            None,
        ),
    ],
)
def test_a_formula_card_shows_the_sentence_it_completes(write_notebook, tmp_path, text, front):
    path = write_notebook([("md", f"## Norms\n\n{text}")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert len(found) == 1 and dict(found[0].options).get("front") == front
    assert found[0].confidence < 0.5  # a formula asked whole is shown only on request


def test_a_lesson_function_named_for_its_role_hides_how_it_maps_shapes(write_notebook, tmp_path):
    define = "import numpy as np\ndef run(w, steps):\n    return np.stack([w] * (steps + 1))\nw0 = np.ones(2)"
    path = write_notebook([("code", define, "imports"), ("code", "path = run(w0, 100)", "run")])
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes") == []


def test_a_shape_comment_on_the_line_above_names_the_axes(write_notebook, tmp_path):
    setup = "import numpy as np\n# 8 recordings of 3 sensors, 100 samples each: (batch, channels, length)\nx = np.ones((8, 3, 100))"
    path = write_notebook([("code", setup, "imports"), ("code", "means = x.mean(axis=2)", "mean")])
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert dict(found[0].options)["dims"] == {
        "x": ["batch", "channels", "length"],
        "means": ["batch", "channels"],
    }


@pytest.mark.parametrize(
    ("code", "asked"),
    [
        ("h = x @ W.T", False),  # a square weight keeps the shape: nothing to work out
        ("y = (X[:, 0] * X[:, 1]).reshape(-1, 1)", False),  # columns of X, whose shape the front shows whole
        ("z = x - m", False),  # a broadcast of a (4,) across (8, 4) keeps x's shape, which the front shows
    ],
)
def test_a_product_that_keeps_the_shape_or_a_picked_column_is_not_asked(
    write_notebook, tmp_path, code, asked
):
    setup = (
        "import numpy as np\nx = np.ones((8, 4))\nW = np.ones((4, 4))\nX = np.ones((8, 2))\nm = np.ones(4)"
    )
    path = write_notebook([("code", setup, "imports"), ("code", code, "asked")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    assert [s.cell.index for s in found if s.cell.index == 2] == ([2] if asked else [])


def test_a_bold_label_with_punctuation_is_no_term(write_notebook, tmp_path):
    text = "**Same parameters, different outcome.** Both nets had the same parameters: the deep one learned more."
    assert (
        by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "definitions")
        == []
    )


def test_a_formula_front_that_points_at_a_plot_is_not_used(write_notebook, tmp_path):
    text = "## Variance\n\nThe dots sit on the dashed line, so the variance of the sum is\n\n$$\\mathrm{Var}(y) = n$$"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "formulas")
    assert all("front" not in dict(s.options) for s in found)


@pytest.mark.parametrize(
    "text",
    [
        "The bracket is the angle-difference identity, with $a$ and $b$ as before:\n\n$$x = \\cos(a - b)$$",
        "But then the decay also passes through the division by the root:\n\n$$w = w - \\eta g$$",
        "With $m_1 = 0.1\\,g$ and $v_1 = 0.001\\,g^2$:\n\n$$s = \\frac{m_1}{\\sqrt{v_1}}$$",
    ],
)
def test_a_lead_in_that_continues_what_is_not_shown_is_not_the_front(write_notebook, tmp_path, text):
    path = write_notebook([("md", f"## Steps\n\n{text}")])
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "formulas")
    assert all("front" not in dict(s.options) for s in found)


def test_several_formulas_in_one_display_are_not_one_card(write_notebook, tmp_path):
    text = "## Projections\n\nEach token makes a query, a key and a value:\n\n$$Q = XW_Q, \\quad K = XW_K, \\quad V = XW_V$$"
    assert (
        by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "formulas")
        == []
    )


def test_fixed_inputs_that_give_numbers_to_reason_out_are_asked(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "e = np.exp(np.array([0.0, math.log(3.0)]))\nweights = e / e.sum()\nweights", "nice"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.3), "numbers")
    assert [s.confidence for s in found] == [0.35]  # (0.25, 0.75): worked out, not looked up


def test_a_tuple_in_the_prose_names_axes_only_where_the_text_speaks_of_a_shape():
    from srs.suggest.heuristics.shapes import text_axes

    prose = [
        "Each flower has two measurements (length, width) in centimetres.",
        "The scores form a matrix of shape (queries, keys), one row per query.",
    ]
    assert text_axes(prose) == [["queries", "keys"]]


@pytest.mark.parametrize(
    "statement",
    [
        "out = x @ W.T + b",  # b on the front has the answer's shape: no broadcast, nothing to work out
        "share = counts / len(data)",  # data is read for its length only: counts has the answer's shape
    ],
)
def test_a_product_plus_its_bias_and_a_size_read_with_len_are_no_shape_steps(
    write_notebook, tmp_path, statement
):
    setup = "import numpy as np\nx = np.ones(8)\nW = np.ones((64, 8))\nb = np.ones(64)\ncounts = np.ones(2)\ndata = np.ones(500)"
    path = write_notebook([("code", setup, "imports"), ("code", statement, "step")])
    assert by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes") == []


def test_the_labels_of_the_lessons_own_data_are_not_defined_terms(write_notebook, tmp_path):
    text = (
        "## The data\n\nEach image shows one stroke:\n\n"
        "- **horizontal**: a bright band across the middle row of the image.\n"
        "- **diagonal**: a bright band running from one corner to the opposite corner.\n"
        "- **softmax**: the function that turns the scores into probabilities."
    )
    path = write_notebook(
        [("code", 'CLASSES = ["horizontal", "vertical", "diagonal"]', "data"), ("md", text)]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "definitions")
    assert [s.qa[0] for s in found] == ["What is softmax?"]


def test_a_list_of_results_computed_per_item_names_no_axis(write_notebook, tmp_path):
    setup = "import numpy as np\nlams = np.logspace(-3, 1, 21)\nfolds = 5\nerrs = [abs(l - 1) for l in lams]"
    path = write_notebook(
        [("code", setup, "data"), ("code", "S = np.ones((21, folds))\nm = S.mean(axis=1)", "m")]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    assert found and all("errs" not in str(dict(s.options).get("dims")) for s in found)


def test_a_heading_inside_a_markdown_cell_starts_the_section_whose_prose_names_axes(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "## Data\n\nEach row is one flower (length, width), measured in centimetres."),
            ("code", "import numpy as np\nA = np.ones((6, 5, 2))", "data"),
            ("md", "That is the data.\n\n## Distances\n\nNow every pair at once."),
            ("code", "D = A.sum(-1)", "pairs"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0.0), "shapes")
    assert found and all("length" not in str(dict(s.options).get("dims")) for s in found)


@pytest.mark.parametrize(
    "text",
    [
        # an adjective before a plural noun is no term that acts
        "They need no odd layers. They arise in plain **linear** models once the input has many dimensions.",
        # "the same structure" names what the sentence before described
        "In streaming algorithms the same structure is called a **count sketch**.",
    ],
)
def test_sentences_that_define_no_term_give_no_definition(write_notebook, tmp_path, text):
    found = by_heuristic(
        suggested(write_notebook([("md", f"## Hashing\n\n{text}")]), tmp_path, min_confidence=0.0),
        "definitions",
    )
    assert found == []


def test_a_bold_label_that_tells_the_story_names_no_formula(write_notebook, tmp_path):
    text = "## Penalties\n\n**The ridge fix.** Add a charge for the size of the weights:\n\n$$L(w) = \\lVert Xw - y\\rVert^2 + \\lambda \\lVert w \\rVert^2$$"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["$L(w)$"]  # its left side, not "ridge fix"


def test_a_size_written_as_a_number_is_not_named_after_a_size_variable_of_that_size(write_notebook, tmp_path):
    setup = "import torch\nfan_in, fan_out = 16, 32\nx = torch.randn(32, fan_in)"
    weight = "W = torch.randn(fan_out, fan_in)   # shape (fan_out, fan_in)"
    path = write_notebook(
        [("code", setup, "imports"), ("code", weight, "weight"), ("code", "y = x @ W.T", "layer")]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    # x's 32 rows are a batch, not `fan_out`: only W is named
    assert [dict(s.options).get("dims") for s in found] == [{"W": ["fan_out", "fan_in"]}]


def test_a_comment_with_the_inputs_shapes_names_no_output(write_notebook, tmp_path):
    setup = "import torch\nq = torch.randn(4, 3, 8)\nk = torch.randn(4, 6, 8)"
    code = "s = q @ k.transpose(-2, -1)   # (B, T_dec, d) @ (B, d, T_enc)"
    arrow = "t = q @ k.transpose(-2, -1)   # (B, T_dec, d) @ (B, d, T_enc) -> (B, T_dec, T_enc)"
    path = write_notebook([("code", setup, "imports"), ("code", code, "scores"), ("code", arrow, "arrow")])
    from srs.notebook.reader import read_lesson
    from srs.suggest.heuristics.shapes import comment_dims
    from srs.suggest.model import SuggestContext

    dims = comment_dims(SuggestContext(read_lesson(path), {}, []), 3)
    assert "s" not in dims and dims["t"] == ["B", "T_dec", "T_enc"]


def test_a_bold_term_the_formula_multiplies_by_names_no_formula(write_notebook, tmp_path):
    text = "## Gates\n\nWrite it as the input multiplied by a **gate** that is either 0 or 1:\n\n$$x \\cdot \\mathbb{1}[x > 0]$$"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "formulas")
    assert found == []  # the gate is a factor of the formula; the formula is not "the gate"


def test_a_library_convolution_is_asked_though_its_output_length_is_not_on_the_front(
    write_notebook, tmp_path
):
    setup = (
        "import torch\nimport torch.nn.functional as F\n"
        "x = torch.ones(1, 1, 8)\nw = torch.ones(1, 1, 3)\nmaps = torch.ones(2, 3, 12, 12)"
    )
    path = write_notebook(
        [
            ("code", setup, "imports"),
            ("code", "y_valid = F.conv1d(x, w)", "valid"),  # 8 - 3 + 1 = 6: the rule the lesson teaches
            ("code", "y_again = F.conv1d(x, w + 1)", "again"),  # the same step on other weights
            ("code", "y_dilated = F.conv1d(x, w, dilation=2)", "dilated"),  # 8 to 4: another step
            ("code", "half = F.max_pool2d(maps, kernel_size=2, stride=2)", "pool"),
            ("code", "smooth = F.avg_pool2d(maps, 2)", "pool-again"),  # halves the map again: a repeat
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [s.cell.id for s in found] == ["valid", "dilated", "pool"]


def test_a_shape_unpacked_into_names_names_the_axes_of_that_tensor(write_notebook, tmp_path):
    setup = "import torch\nx = torch.ones(8, 64, 16, 16)"
    path = write_notebook(
        [
            ("code", setup, "imports"),
            ("code", "bn_mean = x.mean(dim=(0, 2, 3), keepdim=True)", "mean"),  # before the names: named too
            ("code", "N, C, H, W = x.shape", "names"),
            ("code", "_, h, _, _ = x.shape", "half"),  # one name: which the other axes are is not said
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [dict(s.options).get("dims") for s in found] == [{"x": ["N", "C", "H", "W"]}]


def test_the_definition_of_a_bold_term_still_names_the_formula(write_notebook, tmp_path):
    text = "## Outputs\n\nHere is the definition of the **softmax**:\n\n$$p_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$$"
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0.0), "formulas")
    assert [dict(s.options)["name"] for s in found] == ["the softmax"]


@pytest.mark.parametrize(
    ("title", "front"),
    [
        ("Training loss over steps", "What does a plot of training loss over steps look like?"),
        (
            "pos_weight slides the boundary toward the majority",
            None,
        ),  # a claim: the front would answer itself
    ],
)
def test_a_plot_titled_with_a_claim_gives_no_front(title, front):
    from srs.suggest.heuristics.figures import front_for

    assert front_for(f"plt.plot(xs, ys)\nplt.title('{title}')") == front


def test_a_bold_term_that_names_a_symbol_in_the_formula_does_not_name_the_formula(write_notebook, tmp_path):
    # "the **logit** $s(x)$" names a piece of `D(x) = \sigma(s(x))`, not the formula (round 48, both readers)
    piece = "It computes a raw score, the **logit** $s(x)$, and squashes it with the sigmoid:"
    whole = "Each step uses the **batch mean** $\\mu_B$ of the features:"
    path = write_notebook(
        [("md", f"{piece}\n\n$$D(x) = \\sigma\\big(s(x)\\big)$$"), ("md", f"{whole}\n\n$$\\mu_B = a + b$$")]
    )
    found = by_heuristic(suggested(path, tmp_path, min_confidence=0), "formulas")
    names = [dict(s.options)["name"] for s in found]
    assert "the logit" not in names and "the batch mean of the features" in names


def test_a_standard_function_of_a_sum_is_a_variant_its_name_alone_does_not_ask_by_default():
    from srs.suggest.heuristics.formulas import name_from_formula

    # "What is the formula for softmax?" over `softmax(s + b)_j`: the plain softmax is as right (round 48)
    assert name_from_formula(r"\text{softmax}(s + b)_j = \frac{e^{s_j + b_j}}{\sum_k e^{s_k + b_k}}") == (
        "softmax",
        0.45,
    )
    assert name_from_formula(r"\text{softmax}(x)_j = \frac{e^{x_j}}{\sum_k e^{x_k}}") == ("softmax", 0.7)
    assert name_from_formula(r"\text{softmax}(z_{t-1})_j = \frac{e^{z_{t-1,j}}}{Z}") == ("softmax", 0.7)


def test_a_standard_function_written_as_a_chain_is_not_asked_whole_by_default(write_notebook, tmp_path):
    # `\\sigma(z) = \\frac{1}{1+e^{-z}} = (1+e^{-z})^{-1}` holds two answers (round 49, both readers)
    chain = (
        "Start by writing the sigmoid as a power:\n\n$$\\sigma(z) = \\frac{1}{1+e^{-z}} = (1+e^{-z})^{-1}$$"
    )
    one = "The sigmoid squashes a score:\n\n$$\\sigma(z) = \\frac{1}{1+e^{-z}}$$"
    for text, default in ((chain, False), (one, True)):
        path = write_notebook([("md", text)])
        found = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
        assert [s.confidence >= 0.5 for s in found] == [default]


def test_a_name_cut_where_the_math_begins_is_no_name_when_it_ends_on_an_operator_word():
    from srs.suggest.heuristics.formulas import formula_name

    # "a diagonal matrix times $W_l$" cut at the math leaves "diagonal matrix times" (round 49, both readers)
    assert formula_name("As a matrix, that is a diagonal matrix times $W_l$:") is None
    assert formula_name("As a matrix, that is the Jacobian $J_l$:") == ("the Jacobian", 0.7)


def test_the_last_clause_of_a_lead_in_names_the_formula_and_a_kind_of_thing_names_none():
    from srs.suggest.heuristics.formulas import formula_name

    # "A tensor of $n$ numbers has norm ..., so Adam's first relative change is" named "tensor" (round 54,
    # both readers: "What is the formula for tensor?")
    lead = "A tensor of $n$ such numbers has norm $\\sqrt{n}$, so Adam's first relative change is"
    assert formula_name(lead) == ("Adam's first relative change", 0.7)
    assert formula_name("The gradient is small; the update is") == ("the update", 0.7)
    # "the definition", "the second term": what kind of thing, not which
    assert formula_name("The logarithm does that, so the definition is") is None
    assert formula_name("The chain rule gives $-x/s^2$, so the second term is") is None
    assert formula_name("The **value** of a state is the average return over all the futures:") == (
        "the value of a state",
        0.75,
    )


def test_a_display_that_goes_on_from_the_one_before_under_a_phantom_left_side_is_no_card(
    write_notebook, tmp_path
):
    # `\\phantom{h_i} = ...` renders as a blank left side: "the formula for" nothing (round 50, both readers)
    text = (
        "The input to neuron $i$ is\n\n$$h_i = \\sum_j W_{ij} \\xi_j$$\n\nPlug in Hebb's rule:\n\n"
        "$$\\phantom{h_i} = \\sum_j \\frac{1}{N}\\,\\xi_i\\,\\xi_j\\,\\xi_j$$"
    )
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path, min_confidence=0), "formulas")
    lines = text.splitlines()
    first = 1 + next(n for n, line in enumerate(lines) if line.startswith("$$h_i"))  # lines count from 1
    # the display before it is still suggested; the one under `\\phantom` is not
    assert [s.line for s in found] == [first]


def test_a_formula_written_for_the_notebooks_own_sizes_is_shown_on_request(write_notebook, tmp_path):
    # `\sum_{i=1}^{6} [w_i x_i]`: a weighted sum over the notebook's six inputs (round 52, both readers)
    text = "## One neuron\n\nThe **neuron** computes a weighted sum:\n\n$$y = \\sum_{i=1}^{%s} w_i x_i$$"
    found = {}
    for size in ("6", "n"):
        path = write_notebook([("md", text % size)], name=f"neuron-{size}.ipynb")
        found[size] = by_heuristic(suggested(path, tmp_path, min_confidence=0.4), "formulas")
    assert [s.math[1] for s in found["6"]] == [r"y = \sum_{i=1}^{6} {{c1::w_i x_i }}"]
    assert found["6"][0].confidence < 0.5 <= found["n"][0].confidence
