"""Synthetic lesson notebooks for timing and for comparing checks: markdown only, varied wording.

Each cell holds one Q:/A: pair and one cloze sentence with two parts, so a cell makes three cards
(the cloze note counts once per cloze number, as Anki shows it). Words are drawn from small lists
with a seeded generator, so the same arguments always give the same notebook. `near` makes every
few cells a copy of an earlier one with one word changed (and now and then another answer), which
is what the near-duplicate rule looks for.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SUBJECTS = (
    "gradient", "loss", "weight matrix", "bias", "learning rate", "softmax", "attention score", "query",
    "key vector", "hidden state", "embedding", "activation", "optimizer", "batch", "layer norm",
    "residual path", "dropout mask", "logit", "cross-entropy", "momentum term", "token", "kernel",
    "feature map", "decoder", "encoder", "cell state", "forget gate", "value vector", "head", "stride",
)
VERBS = (
    "scale", "shrink", "grow", "measure", "control", "normalise", "shift", "mask", "average", "sum",
    "multiply", "clip", "update", "sample", "project", "compare", "rotate", "store", "forget", "mix",
)
PLACES = (
    "in a two-layer network", "during backpropagation", "at initialisation", "after one step",
    "for a long sequence", "inside one attention head", "across the batch", "at the output layer",
    "when the input doubles", "for a single token", "in the first epoch", "near a saddle point",
    "under a causal mask", "with a small learning rate", "in the last layer", "for a dead unit",
)
ANSWERS = (
    "the size of each step", "how much each key matters", "the sign of the error", "a probability",
    "the variance of the sum", "one row per token", "the slope at that point", "the running mean",
    "zero", "one", "its own shape", "the chain rule", "the largest logit", "the square root of d",
)
SYMBOLS = ("x", "W", "b", "h", "z", "y", "q", "k", "v", "s")
QUALIFIERS = (
    "first", "last", "largest", "smallest", "noisy", "scaled", "shared", "frozen", "sparse", "dense",
    "masked", "causal", "learned", "random", "centred", "clipped", "summed", "averaged", "stacked",
    "padded", "rotated", "quantised", "cached", "detached", "softened", "sharpened", "tied", "pooled",
)
TEMPLATES = (
    "What does the {qualifier} {subject} {verb} {place} in step {number}?",
    "Which quantity does the {qualifier} {subject} {verb} {place} (step {number})?",
    "In step {number}, what would the {qualifier} {subject} {verb} {place}?",
    "Why must the {qualifier} {subject} {verb} {place} in step {number}?",
    "How far does the {qualifier} {subject} {verb} the signal {place} at step {number}?",
)


def synthetic_cell(rng: random.Random, number: int) -> str:
    """One cell's markdown: a question with its answer, then a two-part cloze."""
    subject, other = rng.sample(SUBJECTS, 2)
    verb, place, qualifier = rng.choice(VERBS), rng.choice(PLACES), rng.choice(QUALIFIERS)
    wording = rng.choice(TEMPLATES)
    question = "Q: " + wording.format(
        qualifier=qualifier, subject=subject, verb=verb, place=place, number=number
    )
    answer = f"A: {rng.choice(ANSWERS)}."
    left, right = rng.sample(SYMBOLS, 2)
    cloze = (
        f"The {rng.choice(QUALIFIERS)} {{{{c1::{other}}}}} of step {number} {rng.choice(VERBS)}s "
        f"${left}$ into {{{{c2::${right}_{{{number}}}$}}}} {rng.choice(PLACES)}."
    )
    return "\n\n".join([question, answer, cloze])


def near_copy(rng: random.Random, cell: str) -> str:
    """The cell with one word of its question changed, and sometimes another answer."""
    question, answer, cloze = cell.split("\n\n")
    words = question.split(" ")
    position = rng.randrange(2, len(words))
    words[position] = rng.choice(VERBS)
    if rng.random() < 0.5:
        answer = f"A: {rng.choice(ANSWERS)}."
    return "\n\n".join([" ".join(words), answer, cloze])


def synthetic_notebook(cards: int, seed: int = 0, near: int = 0) -> dict[str, object]:
    """A notebook of about `cards` cards (three per cell); every `near`-th cell copies an earlier one."""
    rng = random.Random(seed)
    sources: list[str] = ["# Synthetic lesson"]
    for number in range(1, max(1, cards // 3) + 1):
        if near and number % near == 0 and len(sources) > 1:
            sources.append(near_copy(rng, rng.choice(sources[1:])))
        else:
            sources.append(synthetic_cell(rng, number))
    cells = [
        {"cell_type": "markdown", "id": f"s{index}", "metadata": {}, "source": source}
        for index, source in enumerate(sources)
    ]
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_synthetic(path: Path, cards: int, seed: int = 0, near: int = 0) -> Path:
    """Write a synthetic notebook to `path` and return it."""
    path.write_text(json.dumps(synthetic_notebook(cards, seed, near), indent=1), encoding="utf-8")
    return path
