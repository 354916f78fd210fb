"""Reading LaTeX into sympy: what is read, how, and what is refused rather than guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from srs.core.errors import SourceError
from srs.core.model import Location
from srs.maths.latex import LENGTH_NAME, LatexUnsupported, evaluate_at, parse_latex, parse_many, right_side


def real(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def test_worked_example_of_the_attention_scale():
    assert evaluate_at(r"\frac{1}{\sqrt{d_k}}", {"d_k": 64}) == 0.125


def test_evaluate_at_takes_the_right_side_of_a_definition_and_braced_names():
    assert evaluate_at(r"s = \frac{1}{\sqrt{d_{\text{model}}}}", {"d_{model}": 16.0}) == 0.25
    assert evaluate_at(r"\sum_{j=1}^{n} j", {"n": 4}) == 10.0


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({}, "needs a value for d_k"),
        ({"d_k": 64, "d_v": 2}, "no symbol 'd_v'"),
        ({"d_k": -4}, "no finite real"),
    ],
)
def test_evaluate_at_says_what_is_wrong(values: dict[str, float], complaint: str):
    with pytest.raises(LatexUnsupported, match=complaint):
        evaluate_at(r"\frac{1}{\sqrt{d_k}}", values)


def test_an_unsupported_formula_becomes_a_source_error_at_a_location():
    with pytest.raises(LatexUnsupported) as caught:
        evaluate_at(r"\sum_j x_j", {})
    error = caught.value.at(Location(Path("l.ipynb"), 4, "c4", 2))
    assert isinstance(error, SourceError)
    assert str(error).startswith("l.ipynb:cell 4:line 2: [SRS020] a sum without bounds")


def test_e_is_eulers_number_and_exp_is_the_exponential():
    assert parse_latex("e^{x}") == sp.exp(real("x"))
    assert parse_latex(r"\exp\left(x\right)") == sp.exp(real("x"))
    assert parse_latex(r"\mathrm{e}^{2}") == sp.exp(2)


def test_log_and_ln_are_the_natural_log_and_bases_are_read():
    x = real("x")
    assert parse_latex(r"\log x") == sp.log(x)
    assert parse_latex(r"\ln(x)") == sp.log(x)
    assert parse_latex(r"\log_2 x") == sp.log(x, 2)


def test_subscripted_letters_are_distinct_symbols():
    assert parse_latex("x_i - x_j") == real("x_i") - real("x_j")
    assert parse_latex("d_{k}") == real("d_k")
    assert parse_latex(r"d_{\text{model}}") == real("d_{model}")


def test_fractions_roots_products_and_greek_letters():
    a, b = real("a"), real("b")
    assert parse_latex(r"\frac{a}{b}") == a / b
    assert parse_latex(r"\sqrt{a} \cdot \sqrt[3]{b}") == sp.sqrt(a) * sp.root(b, 3)
    assert parse_latex(r"a \times b\,a") == a**2 * b
    assert parse_latex(r"\alpha \beta^2") == real("alpha") * real("beta") ** 2
    assert parse_latex(r"\pi r^2") == sp.pi * real("r") ** 2
    assert parse_latex(r"\frac12 x^23") == sp.Rational(3, 2) * real("x") ** 2


def test_function_names_are_functions_not_products_of_letters():
    x = real("x")
    assert parse_latex(r"\operatorname{ReLU}(x)") == sp.Max(0, x)
    assert parse_latex(r"\mathrm{sigmoid}(x)") == 1 / (1 + sp.exp(-x))
    assert parse_latex(r"\mathrm{gelu}(x)") == sp.Function("gelu")(x)
    assert parse_latex(r"\sin x \cos x") == sp.sin(x) * sp.cos(x)


def test_softmax_of_a_vector_is_spelled_out():
    expr = parse_latex(r"\mathrm{softmax}(x)_i")
    numerator, denominator = expr.as_numer_denom()
    assert isinstance(denominator, sp.Sum)
    assert numerator == sp.exp(sp.IndexedBase("x", real=True)[real("i")])


def test_an_unbounded_sum_runs_over_the_subscript_not_a_constant():
    expr = parse_latex(r"\sum_j e^{x_j}")
    assert isinstance(expr, sp.Sum)
    (index, low, high), = expr.limits
    assert (low, high) == (1, sp.Symbol(LENGTH_NAME, integer=True, positive=True))
    assert expr.function.has(index)


def test_a_bounded_sum_is_not_collapsed_into_n_times_its_term():
    total, naive = parse_many([r"\sum_{j=1}^{n} x_j", r"n x_j"])
    assert total != naive
    assert isinstance(total, sp.Sum) and total.function.has(total.limits[0][0])


def test_sums_over_different_letters_of_the_same_body_are_equal():
    first, second = parse_many([r"\sum_j e^{x_j}", r"\sum_k e^{x_k}"])
    assert first == second


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"\frac{Q K^\top}{\sqrt{d_k}}", "transpose"),
        (r"x^T x", "transpose"),
        (r"Q K", "matrix product"),
        (r"\mathbf{W}\mathbf{x}", "matrix product"),
        (r"\frac{d}{dx} x^2", "derivative"),
        (r"\partial_x f", "derivatives"),
        (r"\sum_{j \neq i} x_j", "whole range"),
        (r"x_1 + \dots + x_n", "elided"),
        (r"\mathbb{E}[x]", "blackboard"),
        (r"a = b", "one side at a time"),
        (r"\frac{a}{", "ends too early"),
        (r"\foo{x}", "cannot read \\\\foo"),
    ],
)
def test_what_cannot_be_read_soundly_is_refused(tex: str, reason: str):
    with pytest.raises(LatexUnsupported, match=reason):
        parse_latex(tex)


@pytest.mark.parametrize(
    ("formula", "right"),
    [
        ("$$f(x) = x^2$$", "x^2"),
        ("f := x^2 + 1", "x^2 + 1"),
        ("s = \\sum_{j=1}^{n} x_j", "\\sum_{j=1}^{n} x_j"),
        ("a \\leq b", "a \\leq b"),
        ("y = a <= b", "a <= b"),
        ("x^2", "x^2"),
    ],
)
def test_the_right_side_is_what_a_formula_defines(formula: str, right: str) -> None:
    assert right_side(formula) == right
