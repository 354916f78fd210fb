"""Figures drawn in the worker, as deterministic PNG bytes.

This module is also the worker's matplotlib backend (`srs.run.job.FIGURE_BACKEND`): it
draws with Agg, and `plt.show()` takes the open figures and closes them, as Jupyter's inline backend
does, so a cell that shows two plots gives two figures instead of one figure with both drawn on it.
matplotlib loads it only when the lesson imports pyplot; the worker imports it under the same
condition.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

DPI = 100

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

_shown: list[bytes] = []
"""PNGs of figures the current cell showed, waiting for the worker to take them."""

wanted = True
"""Does the current cell's run want its figures as images? If not, they are closed unrendered."""


def show(*_args: Any, **_kwargs: Any) -> None:
    """`plt.show()`: keep the open figures' images for the current cell and close the figures."""
    _shown.extend(_close_open_figures())


def take_figures() -> list[bytes]:
    """The images of every figure the cell showed or left open, in order; closes them all."""
    images = [*_shown, *_close_open_figures()]
    _shown.clear()
    return images


def figure_png(figure: Any) -> bytes:
    """The figure as PNG bytes, without the metadata that would make equal figures differ."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _close_open_figures() -> list[bytes]:
    import matplotlib.pyplot as plt

    images = []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if wanted:
            images.append(figure_png(figure))
        plt.close(figure)
    return images
