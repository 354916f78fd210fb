"""Values as a card shows them, and the tolerance rules behind `expect:`."""

from __future__ import annotations

import math

import pytest

from srs.core.model import Value
from srs.render.formatting import code_block, format_number, format_shape, format_value, values_match


def softmax(xs: list[float]) -> list[float]:
    exps = [math.exp(x) for x in xs]
    return [e / sum(exps) for e in exps]


def tensor(data: list, shape: tuple[int, ...]) -> Value:
    return Value("torch.Tensor", "tensor(...)", shape, "float32", data)


def parse_list(text: str) -> list[float]:
    return [float(item) for item in text.strip("[]").split(", ")]


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


@pytest.mark.parametrize("digits", [2, 3, 4, 6])
def test_softmax_rounded_to_the_asked_significant_digits(digits: int) -> None:
    probs = softmax([1.0, 2.0, 3.0])
    text = format_value(tensor(probs, (3,)), digits)
    shown = parse_list(text)
    assert len(shown) == 3
    for item, exact, printed in zip(shown, probs, text.strip("[]").split(", "), strict=True):
        unit = 10 ** (math.floor(math.log10(exact)) - digits + 1)
        assert abs(item - exact) <= unit / 2 + 1e-15
        assert significant_digits(printed) <= digits


def test_default_is_four_significant_digits() -> None:
    assert format_value(Value("float", "0.123456789", data=0.123456789)) == "0.1235"


def test_integers_stay_exact_whatever_the_digits() -> None:
    big = 12345678901234
    assert format_value(Value("int", str(big), data=big), digits=2) == str(big)
    assert format_value(tensor([[1, 2], [3, 40000]], (2, 2)), digits=1) == "[[1, 2], [3, 40000]]"


def test_floats_keep_looking_like_floats() -> None:
    assert format_number(2.0) == "2.0"
    assert format_number(-3.0) == "-3.0"
    assert format_number(1e20) == "1e+20"
    assert format_number(float("nan")) == "nan"
    assert format_number(True) == "True"


def test_long_tensors_are_elided_in_the_middle() -> None:
    data = [float(i) for i in range(100)]
    text = format_value(tensor(data, (100,)))
    assert text == "[0.0, 1.0, 2.0, …, 97.0, 98.0, 99.0]"


def test_long_rows_and_long_columns_are_both_elided() -> None:
    data = [[i * 10 + j for j in range(10)] for i in range(10)]
    text = format_value(tensor(data, (10, 10)))
    assert text.count("…") == 7  # one for the rows, one in each of the six rows shown
    assert text.startswith("[[0, 1, 2, …, 7, 8, 9], [10,")


def test_tuples_print_like_python() -> None:
    assert format_value(Value("tuple", "(3, 5)", data=[3, 5])) == "(3, 5)"
    assert format_value(Value("tuple", "(3,)", data=[3])) == "(3,)"


def test_values_without_data_fall_back_to_shape_or_repr() -> None:
    big = Value("torch.Tensor", "tensor([[...]])", (1000, 1000), "float32", None)
    assert format_value(big) == "torch.Tensor of shape (1000, 1000)"
    assert format_value(Value("other", "<Linear>")) == "<Linear>"
    assert format_value(Value("str", "'hi'")) == "'hi'"


def test_shapes_print_like_python_with_optional_dimension_names() -> None:
    assert format_shape((3, 5)) == "(3, 5)"
    assert format_shape((7,)) == "(7,)"
    assert format_shape(()) == "()"
    assert format_shape((3, 5), ("tokens", "tokens")) == "(3, 5) — tokens × tokens"


def test_default_tolerance_is_tight_but_forgives_float_noise() -> None:
    assert values_match(0.1 + 0.2, 0.3)
    assert values_match([1.0, 2.0], [1.0 + 1e-7, 2.0])
    assert not values_match(1.0, 1.001)
    assert values_match(0.0, 1e-10)
    assert not values_match(0.0, 1e-6)


def test_absolute_and_relative_tolerances() -> None:
    assert values_match(1.04, 1.0, tol=0.05)
    assert not values_match(1.06, 1.0, tol=0.05)
    assert values_match(1040.0, 1000.0, rtol=0.05)
    assert not values_match(0.0, 1e-12, rtol=0.5)  # purely relative: zero has no room
    assert values_match(1.1, 1.0, tol=0.05, rtol=0.06)  # both add up


def test_nested_lists_must_have_the_same_shape() -> None:
    assert values_match([[1, 2], [3, 4]], [[1, 2], [3, 4]])
    assert not values_match([[1, 2], [3, 4]], [[1, 2], [3, 5]])
    assert not values_match([1, 2, 3], [1, 2])
    assert not values_match([1.0], 1.0)
    assert not values_match(1.0, [1.0])


def test_nan_matches_only_nan_and_infinity_only_itself() -> None:
    assert values_match(float("nan"), float("nan"))
    assert not values_match(float("nan"), 1.0)
    assert values_match(float("inf"), float("inf"))
    assert not values_match(float("inf"), 1e308, rtol=1.0)


def test_code_block_fence_outlasts_backticks_in_the_code() -> None:
    assert code_block("x = 1\n") == "```python\nx = 1\n```"
    block = code_block('s = """```"""')
    assert block.startswith("````python\n") and block.endswith("\n````")
