"""Small helpers shared by the lesson notebooks: one seed for everything, and an attention heatmap."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any


def set_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy and PyTorch so a notebook gives the same numbers on every run."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def plot_attention(
    weights: Any,
    queries: Sequence[str],
    keys: Sequence[str] | None = None,
    title: str = "",
    ax: Any = None,
) -> Any:
    """Draw a (queries × keys) weight matrix as a heatmap with each cell's value written in it."""
    import matplotlib.pyplot as plt

    keys = list(queries) if keys is None else list(keys)
    grid = weights.detach().cpu().numpy() if hasattr(weights, "detach") else weights
    if ax is None:
        _, ax = plt.subplots(figsize=(0.75 * len(keys) + 1.5, 0.6 * len(queries) + 1))
    # A fixed 0..1 colour range makes heatmaps comparable across cells and notebooks.
    image = ax.imshow(grid, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(keys)), keys)
    ax.set_yticks(range(len(queries)), queries)
    ax.set_xlabel("key (token being read)")
    ax.set_ylabel("query (token reading)")
    for row in range(len(queries)):
        for col in range(len(keys)):
            value = float(grid[row][col])
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if value > 0.6 else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046)
    ax.set_title(title)
    return ax
