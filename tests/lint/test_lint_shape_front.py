"""SRS121: a shape card's front must not write out the shape it asks for."""

from __future__ import annotations

import pytest

from srs.core.model import Card, CardSource
from srs.render.formatting import code_block


def shape_card(make, code: str, answer: str) -> Card:
    """A shape card as the maker writes it: the statement in front, the shape first on the back."""
    cell = make.cell(code, type="code")
    source = CardSource("shape", {"card": "shape"}, code, cell, cell.location.at_line(1), 0)
    front = f"{code_block(code)}\n\nWhat is the shape of `y`?"
    return Card(source.key, "shape", source, front, back=f"`{answer}` — batch × rows")


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("y = windows.reshape(8, 96, 3 * 5)", "(8, 96, 15)"),
        ("y = x.view((4, 2 * 8))", "(4, 16)"),
        ("y = torch.zeros(60)", "(60,)"),
        ("y = x.unfold(2, 5, 1)  # (batch, channels, positions, taps)", "(8, 3, 96, 5)"),
    ],
)
def test_sizes_or_axes_written_on_the_front_are_flagged(make, codes, code, answer):
    assert codes(shape_card(make, code, answer), select=["SRS121"]) == ["SRS121"]


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("y = x.unfold(2, 5, 1)", "(8, 3, 96, 5)"),
        ("y = x.reshape(8, 96, -1)", "(8, 96, 15)"),  # -1 is worked out, not written
        ("y = x.reshape(2, 3, 4).transpose(1, 2)", "(2, 4, 3)"),  # the transpose is the step
        ("y = q @ k.T  # scores (one row per query)", "(6, 6)"),
    ],
)
def test_a_result_that_has_to_be_worked_out_passes(make, codes, code, answer):
    assert codes(shape_card(make, code, answer), select=["SRS121"]) == []
