"""The shortcuts heuristic: the library calls a lesson names at its end become cards."""

from __future__ import annotations

import pytest

from srs.suggest import suggest_cards
from srs.suggest.heuristics.shortcuts import item_cloze, table_questions


@pytest.mark.parametrize(
    ("item", "cloze"),
    [
        (
            "`nn.LayerNorm(features)` when batches are small or sequences vary in length.",
            "`nn.`{{c1::`LayerNorm`}}`(features)` when batches are small or sequences vary in length.",
        ),
        (  # the first clause only
            "`nn.BatchNorm1d(features)` for (batch, features) or (batch, channels, length) tensors; `nn.BatchNorm2d` for images.",
            "`nn.`{{c1::`BatchNorm1d`}}`(features)` for (batch, features) or (batch, channels, length) tensors.",
        ),
        (
            "`F.conv1d(x, w)` when you hold the weights yourself, as in our exercises.",
            None,
        ),  # the lesson's own
        ("`x.transpose(1, 2)` before a Conv1d layer and back again after it.", None),  # no "for/when" purpose
        ("`nn.AvgPool1d(k)` and `nn.MaxPool1d(k)` for the fixed windows of a signal.", None),  # two calls
        ("`my_norm(x)` for any batch of examples you want normalised.", None),  # the lesson's own function
        ("`nn.Conv1d(1, 1, 3)` for a layer that is a Conv1d of one channel.", None),  # the rest names it
        (  # a call and, after a colon, what it does; the first sentence only
            "`F.normalize(z, dim=1)`: divide each row by its length. It guards against zero rows.",
            "`F.`{{c1::`normalize`}}`(z, dim=1)`: divide each row by its length.",
        ),
        (
            "**`torch.special.entr(x)`** computes $-x \\ln x$ elementwise.",
            "`torch.special.`{{c1::`entr`}}`(x)` computes $-x \\ln x$ elementwise.",
        ),
        ("`F.relu(x)` / `nn.ReLU()`.", None),  # two calls, nothing said
        (
            "`nn.CTCLoss(blank=0, zero_infinity=True)`: the same as a module.",
            None,
        ),  # the item before
        (
            "`F.pad(x, (1, 2))`: padding on the left and on the right of the last axis.",
            None,
        ),  # "padding" says it
        (  # a module path to recall is trivia
            "`torchmetrics.classification.BinaryAUROC` computes the same area inside a training loop.",
            None,
        ),
    ],
)
def test_a_shortcut_item_hides_its_call(item, cloze):
    assert item_cloze(item, frozenset({"my_norm"})) == cloze


def test_a_by_hand_and_library_table_asks_for_each_call():
    table = (
        "| by hand | library |\n| --- | --- |\n"
        "| `x * mask / (1 - p)` | `nn.Dropout(p)(x)` inside a model |\n"
        "| masking whole channels | `nn.Dropout2d(p)` for feature maps |\n"
        "| our `drop` helper | `F.dropout(x, p)` |\n"
    )
    assert list(table_questions(table, frozenset({"drop"}))) == [
        (
            "Which PyTorch call replaces `x * mask / (1 - p)`, written by hand?",
            "`nn.Dropout(p)(x)` inside a model",
        ),
        ("Which PyTorch call handles masking whole channels?", "`nn.Dropout2d(p)` for feature maps"),
    ]
    assert list(table_questions(table.replace("library", "notes"))) == []  # not a by-hand/library table
    # a chain of three calls is not one call; a call whose module says no library asks for a "library call"
    other = (
        "| by hand | library |\n| --- | --- |\n"
        "| Gaussian density on a grid | `torch.distributions.Normal(mu, sigma).log_prob(x).exp()` |\n"
        "| the log of a sum of exponentials | `logsumexp(x)` |\n"
    )
    assert list(table_questions(other)) == [
        ("Which library call computes the log of a sum of exponentials?", "`logsumexp(x)`")
    ]


def test_only_a_shortcuts_section_is_read(write_notebook, tmp_path):
    item = "- `nn.LayerNorm(features)` when batches are small or sequences vary in length."
    path = write_notebook([("md", f"## Shortcuts\n\n{item}"), ("md", f"## Layer norm\n\n{item}")])
    found = [
        s for s in suggest_cards(path, out_dir=tmp_path / "decks").suggestions if s.heuristic == "shortcuts"
    ]
    assert [(s.cell.index, s.kind) for s in found] == [(1, "cloze")]
