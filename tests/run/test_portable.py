"""The portable paths (macOS, Windows), forced on Linux: a loopback report channel, figures drawn by
a fresh process instead of a fork, no fcntl; a build gives the same cards and images either way."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from support import notebook_json

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402

from srs.run import drawer, figures  # noqa: E402

SRS = Path(__file__).resolve().parents[2] / "srs"

FIGURE_LESSON = [
    ("md", "# Curves\n\nQ: What is a key?\n\nA: A vector to match."),
    ("code", "import matplotlib.pyplot as plt\nimport numpy as np\nx = np.linspace(1, 100, 50)"),
    ("code", "#| card: figure\n#| front: What does the log-scale plot of $x^2$ look like?\n"
             "plt.plot(x, x ** 2)\nplt.yscale('log')\nplt.title(r'$\\sqrt{d_k}$')\nplt.show()"),
    ("code", "#| card: output\nprint(round(float(x.mean()), 2))"),
    ("code", "#| card: figure\n#| front: What does the line look like?\nfig, ax = plt.subplots()\nax.plot(x)\nfig"),
]


def cards_json(path: Path, out: Path, portable: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "srs", "cards", str(path), "--json", "--out", str(out)],
        capture_output=True, text=True, check=False, env={**os.environ, "SRS_PORTABLE": portable},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_portable_paths_make_the_same_cards_and_images(tmp_path: Path):
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(notebook_json(FIGURE_LESSON)))
    fast = cards_json(path, tmp_path / "fast", "0")
    portable = cards_json(path, tmp_path / "portable", "1")
    assert portable == fast
    assert [len(card["media"]) for card in fast if card["kind"] == "figure"] == [1, 1]


def test_a_figure_drawn_by_the_drawing_process_equals_one_drawn_in_place(monkeypatch):
    monkeypatch.setattr(figures, "fork", False)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 10, 100, 1000])
    ax.set_yscale("log")
    ax.set_title(r"$\sqrt{d_k}$")
    try:
        sent = figures.start_drawing([fig, fig])
        assert isinstance(sent, drawer.SentDrawing)
        in_place = figures.figure_png(fig)
        ax.set_title("changed after it was shown")  # the drawing is of the figure as it was shown
        assert sent.images_or_raise() == [in_place, in_place]
    finally:
        plt.close(fig)


def test_a_figure_holding_what_a_cell_defined_is_drawn_in_place(monkeypatch):
    monkeypatch.setattr(figures, "fork", False)
    cell_made = type("Marker", (Artist,), {"__module__": "__main__", "draw": lambda self, renderer: None})
    fig = plt.figure(figsize=(2, 2))
    fig.add_artist(cell_made())
    try:
        with pytest.raises(drawer.CannotTravel, match="defined by a cell"):
            drawer.pickled_for_drawing([fig])
        drawing = figures.start_drawing([fig])
        assert isinstance(drawing, figures.Drawing) and drawing.pid is None
        assert drawing.images_or_raise()[0].startswith(b"\x89PNG")
    finally:
        plt.close(fig)


def test_a_drawing_that_raises_in_the_drawing_process_reports_the_exception(monkeypatch):
    monkeypatch.setattr(figures, "fork", False)
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xlabel(r"$\frac{1$")
    try:
        with pytest.raises(figures.DrawingFailed, match="ValueError"):
            figures.start_drawing([fig]).images_or_raise()
    finally:
        plt.close(fig)


def test_srs_imports_fcntl_only_where_it_takes_the_linux_path():
    for module in SRS.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        top = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
        names = {alias.name for node in top for alias in node.names} | {
            node.module for node in top if isinstance(node, ast.ImportFrom)
        }
        assert "fcntl" not in names, module


def test_a_drawing_process_that_dies_fails_the_drawings_waiting_for_it_at_once(monkeypatch):
    import time

    monkeypatch.setattr(figures, "fork", False)
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([1, 2, 3])
    try:
        sent = figures.start_drawing([fig])
        sent.drawer.process.kill()  # long before it has imported matplotlib and drawn anything
        started = time.monotonic()
        with pytest.raises(figures.DrawingFailed, match="the process drawing it ended"):
            sent.images_or_raise()
        assert time.monotonic() - started < 10  # not the two-minute drawing limit
        assert figures.start_drawing([fig]).images_or_raise()[0].startswith(b"\x89PNG")  # a new one starts
    finally:
        plt.close(fig)
