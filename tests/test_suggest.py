"""`srs suggest`: cards proposed from a notebook's structure and values, each heuristic on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from srs.cli.app import app
from srs.suggest import suggest_cards
from srs.suggest.model import Suggestion, yaml_value

IMPORTS = ("code", "import numpy as np\nd_model = 8\nd_k = 4\ntokens = 6", "imports")


def suggested(path: Path, tmp_path: Path, **kwargs: object) -> list[Suggestion]:
    return suggest_cards(path, out_dir=tmp_path / "decks", **kwargs).suggestions  # type: ignore[arg-type]


def by_heuristic(found: list[Suggestion], name: str) -> list[Suggestion]:
    return [s for s in found if s.heuristic == name]


def test_a_formula_named_by_its_introduction_becomes_a_formula_card(write_notebook, tmp_path):
    path = write_notebook(
        [("md", "## Scores\n\nThe score of one query against every key is:\n\n$$s = q K^\\top$$")]
    )
    found = by_heuristic(suggested(path, tmp_path), "formulas")
    assert len(found) == 1
    assert (
        found[0].snippet() == "<!-- #| card: formula\n     #| name: score of one query against every key -->"
    )
    assert found[0].line == 5 and found[0].confidence >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "Two scores are enough to see it:\n\n$$x = y$$",  # a pronoun names nothing
        "Some prose.\n\n$$\\begin{aligned} a &= b \\\\ &= c \\end{aligned}$$",  # a derivation, not a formula
        "We get:\n\n$$x + y$$",  # no name, no relation
    ],
)
def test_formulas_the_text_does_not_name_are_left_alone(write_notebook, tmp_path, text):
    assert by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "formulas") == []


def test_a_bold_term_or_a_named_function_names_a_formula(write_notebook, tmp_path):
    path = write_notebook(
        [
            ("md", "That is **cosine similarity**:\n\n$$\\cos\\theta = \\frac{a \\cdot b}{|a| |b|}$$"),
            (
                "md",
                "Exponentiate, then normalise.\n\n$$\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}$$",
            ),
        ]
    )
    names = {dict(s.options)["name"] for s in by_heuristic(suggested(path, tmp_path), "formulas")}
    assert names == {"cosine similarity", "softmax"}


def test_a_shape_change_becomes_a_shape_card_with_dims_named_after_size_variables(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "X = np.ones((tokens, d_model))\nW = np.ones((d_model, d_k))", "data"),
            ("code", "Q = X @ W", "project"),
            ("code", "Q2 = Q * 2", "same-shape"),  # no shape change: nothing to ask
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "shapes")
    assert [s.cell.index for s in found] == [3]
    assert found[0].snippet() == (
        "#| card: shape\n#| dims: {X: [tokens, d_model], W: [d_model, d_k], Q: [tokens, d_k]}"
    )


def test_a_number_the_next_paragraph_quotes_becomes_a_numeric_card(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "0.9 ** 100", "power"),
            ("md", "Only 2.66e-05 is left, so 0.0000266 of the signal survives a hundred steps.", "why"),
            ("code", "float(np.exp(0))", "exp"),
            ("md", "Exactly 1.0: the exponential of zero is one.", "why-exp"),
        ]
    )
    found = by_heuristic(suggested(path, tmp_path), "numbers")
    assert [s.cell.index for s in found] == [4, 2] or sorted(s.cell.index for s in found) == [2, 4]
    exp = next(s for s in found if s.cell.index == 4)
    assert exp.snippet().startswith("#| card: numeric\n#| extra:") and exp.confidence == 0.7


def test_a_random_number_is_never_suggested(write_notebook, tmp_path):
    path = write_notebook(
        [IMPORTS, ("code", "float(np.random.randn())", "draw"), ("md", "A draw from a normal distribution.")]
    )
    assert by_heuristic(suggested(path, tmp_path), "numbers") == []


def test_a_solved_exercise_gives_a_card_and_an_unsolved_one_nothing(write_notebook, tmp_path):
    path = write_notebook(
        [
            IMPORTS,
            ("code", "test_loss = float(np.log(2))\nassert abs(test_loss - 0.6931) < 1e-3", "solved"),
            ("code", "test_h = None  # fill in code here\n# assert test_h.shape == (1, 4)", "unsolved"),
        ]
    )
    found = suggested(path, tmp_path)
    assert [(s.cell.index, s.heuristic) for s in found] == [(2, "exercises")]
    assert (
        found[0].snippet()
        == "#| card: numeric\n#| of: test_loss\n#| digits: 3\n#| expect: 0.6931\n#| tol: 0.001"
    )


def test_a_defined_bold_term_becomes_a_question(write_notebook, tmp_path):
    text = "A **query** is the vector a token uses to ask what it is looking for."
    found = by_heuristic(suggested(write_notebook([("md", text)]), tmp_path), "definitions")
    assert len(found) == 1
    assert (
        found[0].snippet() == "Q: What is query?\n\nA: The vector a token uses to ask what it is looking for."
    )


def test_an_explained_labelled_plot_becomes_a_figure_card(write_notebook, tmp_path):
    plot = (
        "import matplotlib.pyplot as plt\nxs = np.linspace(-4, 4, 50)\nplt.figure(figsize=(4, 3))\n"
        "plt.plot(xs, 1 / (1 + np.exp(-xs)))\n"
        "plt.xlabel('input')\nplt.ylabel('Sigmoid output')\nplt.show()"
    )
    path = write_notebook(
        [IMPORTS, ("code", plot, "plot"), ("md", "The curve rises from 0 to 1 and is steepest at 0.", "why")]
    )
    found = by_heuristic(suggested(path, tmp_path), "figures")
    assert len(found) == 1
    options = dict(found[0].options)
    assert options["front"] == "What does a plot of sigmoid output against input look like?"
    assert options["back"] == "The curve rises from 0 to 1 and is steepest at 0."


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
        ("code", "X = np.ones((tokens, d_model))\nW = np.ones((d_model, d_k))", "data"),
        ("code", "Q = X @ W", "project"),
        ("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$", "score"),
        ("md", "A **query** is the vector a token uses to ask what it is looking for.", "query"),
        ("code", "float(np.exp(0))", "exp"),
        ("md", "Exactly 1.0: the exponential of zero is one.", "why-exp"),
    ]
    path = write_notebook(cells)
    original = path.read_bytes()
    copy = tmp_path / "suggested.ipynb"
    result = CliRunner().invoke(
        app, ["suggest", str(path), "--write", str(copy), "--out", str(tmp_path / "decks")]
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == original
    written = json.loads(copy.read_text())
    assert [c["id"] for c in written["cells"]] == [c[2] for c in cells]
    assert "wrote" in result.output and "no card yet" in result.output
    lint = CliRunner().invoke(app, ["lint", str(copy), "--out", str(tmp_path / "decks")])
    assert lint.exit_code == 0, lint.output
    assert "4 notes, 0 finding(s)" in lint.output
    build = CliRunner().invoke(app, ["build", str(copy), "--out", str(tmp_path / "decks"), "--strict"])
    assert build.exit_code == 0, build.output


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
            ("code", "Q = X @ W", "project"),
            ("code", "raise ValueError('not yet')", "broken"),
            ("code", "K = X @ W", "after"),
            ("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$", "score"),
        ]
    )
    result = CliRunner().invoke(app, ["suggest", str(path), "--json", "--out", str(tmp_path / "decks")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cells = {s["cell"] for s in data["suggestions"]}
    assert 3 in cells and 5 not in cells and 6 in cells
    assert "lesson.ipynb:cell 4: the cell raised" in result.stderr


def test_json_lists_each_suggestion_with_its_cell_and_confidence(write_notebook, tmp_path):
    path = write_notebook([("md", "The score of one query against every key is:\n\n$$s = q K^\\top$$")])
    result = CliRunner().invoke(app, ["suggest", str(path), "--json", "--out", str(tmp_path / "decks")])
    data = json.loads(result.stdout)
    assert data["summary"] == "1 formula has no card yet"
    (only,) = data["suggestions"]
    assert only["cell"] == 1 and only["kind"] == "formula" and 0 < only["confidence"] <= 1


def test_min_confidence_leaves_out_weaker_suggestions(write_notebook, tmp_path):
    path = write_notebook([("md", "A **query** is the vector a token uses to ask what it is looking for.")])
    assert suggested(path, tmp_path, min_confidence=0.5)
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
