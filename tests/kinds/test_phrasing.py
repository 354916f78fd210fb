"""Every front srs writes is a question that stands on its own, phrased from the card's options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import srs.kinds.shape  # noqa: F401  (registers the shape kind)
from srs.core.model import Card, CardSource, Cell, CellResult, Lesson, Location, Value
from srs.kinds import MakeContext, get_kind
from srs.kinds.phrasing import example_question, formula_gap_question, formula_question, noun_phrase

PATH = Path("lessons/attention.ipynb")


def markdown_source(kind: str, text: str, **options: Any) -> CardSource:
    location = Location(PATH, 3, "m3", 1)
    cell = Cell(3, "m3", "markdown", text, location=location)
    return CardSource(kind, {"card": kind, **options}, text, cell, location, 0, tuple(text.split("\n")))


def code_source(kind: str, code: str, **options: Any) -> CardSource:
    location = Location(PATH, 4, "c4", 1)
    cell = Cell(4, "c4", "code", code, location=location)
    return CardSource(kind, {"card": kind, **options}, code, cell, location, 0)


def made(src: CardSource, result: CellResult | None = None) -> list[Card]:
    lesson = Lesson(PATH, "attention", "Attention", (src.cell,), True)
    spec = get_kind(src.kind)
    assert spec is not None
    return spec.make(src, MakeContext(lesson, {src.cell.index: result} if result else {}))


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("keys of all tokens, from their embeddings", "What is the formula for the keys of all tokens, from their embeddings?"),
        ("scaled dot-product attention", "What is the formula for scaled dot-product attention?"),
        ("causal (masked) attention", "What is the formula for causal (masked) attention?"),
        ("attention weights of one query (before scaling)",
         "What is the formula for the attention weights of one query (before scaling)?"),
        ("the softmax of a vector", "What is the formula for the softmax of a vector?"),
        ("GELU", "What is the formula for GELU?"),
        ("momentum's velocity after one step of gradient $g$", "What is the formula for momentum's velocity after one step of gradient $g$?"),
    ],
)
def test_a_formula_name_becomes_the_subject_of_a_question(name: str, question: str) -> None:
    assert formula_question(name) == question


def test_a_name_asked_as_a_value_always_takes_an_article() -> None:
    assert noun_phrase("attention scale factor") == "attention scale factor"
    assert example_question("attention scale factor", "$d_{k} = 64$") == (
        "With $d_{k} = 64$, what is the attention scale factor?"
    )


def test_formula_cards_ask_questions_and_keep_their_keys() -> None:
    math = "$$s = \\frac{1}{\\sqrt{d_k}}$$"
    name = "factor that attention multiplies its scores by"
    whole, example = made(markdown_source("formula", math, name=name, id="scale", example={"d_k": 64}))
    assert (whole.key, example.key) == ("scale", "scale:example")
    assert whole.front == "Which expression gives the factor that attention multiplies its scores by?"
    assert example.front == "With $d_{k} = 64$, what is the factor that attention multiplies its scores by?"
    # the example never shows the formula it evaluates on its front, and shows its value once
    assert "frac" not in example.front and "0.125" not in example.back and example.value == "0.125"
    assert example.back == "$$s = \\frac{1}{\\sqrt{d_k}}$$"


def test_a_formula_with_parts_hidden_asks_what_is_missing() -> None:
    math = "$$a = \\mathrm{softmax}({{c1::qK^\\top}})$$"
    [card] = made(markdown_source("formula", math, name="attention weights of one query"))
    assert card.front == f"What is missing from the formula for the attention weights of one query?\n\n{math}"


def test_two_example_values_are_listed_with_and() -> None:
    [_, example] = made(markdown_source("formula", "$$z = x y$$", name="product", example={"x": 2, "y": 3}))
    assert example.front == "With $x = 2$ and $y = 3$, what is the product?" and example.value == "6"


DERIVATION = "$$\\frac{2a}{2}$$\n$$= a$$"


def test_a_derivation_named_by_a_question_asks_it_with_the_line_reached_as_given() -> None:
    [card] = made(markdown_source("derivation", DERIVATION, name="Why does halving undo doubling?",
                                  because="cancelling the common factor 2"))
    assert card.front == ("Why does halving undo doubling? Starting from\n\n$$\\frac{2a}{2}$$\n\n"
                          "which line follows by cancelling the common factor 2?")
    assert "next step" not in card.front


def test_a_derivation_named_by_a_phrase_shows_it_as_a_label_and_asks_one_question() -> None:
    [card] = made(markdown_source("derivation", DERIVATION, name="halving a double"))
    assert card.front.startswith("Derivation: halving a double.\n\nWhich line follows")
    assert card.front.endswith("in one step?") and card.front.count("?") == 1


def test_a_step_reason_goes_on_the_front_as_the_object_of_by() -> None:
    [card] = made(markdown_source("derivation", DERIVATION, name="halving a double", because="By cancelling."))
    assert card.front.endswith("\n\nby cancelling?") and card.extra == ""


@pytest.mark.parametrize(
    ("name", "question", "gap"),
    [
        ("the chain rule for $\\partial L / \\partial w$", "What is the chain rule for $\\partial L / \\partial w$?",
         "What is missing from the chain rule for $\\partial L / \\partial w$?"),
        ("product rule", "What is the product rule?", "What is missing from the product rule?"),
        ("factor that attention multiplies its scores by",
         "Which expression gives the factor that attention multiplies its scores by?",
         "What is missing from the expression for the factor that attention multiplies its scores by?"),
    ],
)
def test_a_name_that_says_rule_or_has_a_relative_clause_reads_without_formula_for(
    name: str, question: str, gap: str
) -> None:
    assert formula_question(name) == question
    assert formula_gap_question(name) == gap


def test_output_fronts_ask_what_the_code_gives_without_naming_a_cell() -> None:
    value = Value("int", "3", data=3)
    only_value = made(code_source("output", "1 + 2"), CellResult(4, result=value))[0]
    printed = made(code_source("output", "print(3)"), CellResult(4, stdout="3\n"))[0]
    both = made(code_source("output", "print(3)\n1 + 2"), CellResult(4, stdout="3\n", result=value))[0]
    assert only_value.front.endswith("\n\nWhat does this code evaluate to?")
    assert printed.front.endswith("\n\nWhat does this code print?")
    assert both.front.endswith("\n\nWhat does running this code show?")
    assert all("cell" not in card.front for card in (only_value, printed, both))


def test_a_numeric_front_on_a_last_expression_asks_what_the_code_evaluates_to() -> None:
    [card] = made(code_source("numeric", "0.5 + 0.25", digits=2), CellResult(4, result=Value("float", "0.75", data=0.75)))
    assert card.front == "```python\n0.5 + 0.25\n```\n\nWhat does this code evaluate to, rounded to 2 significant digits?"
