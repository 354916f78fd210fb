"""Drawing figures in a forked process gives the same PNG as drawing them in place."""

from __future__ import annotations

import io
import time

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402

from srs.core.pngtext import SMALLEST_TEXT, add_text, read_text
from srs.run import figures  # noqa: E402

pytestmark = pytest.mark.skipif(not figures.fork, reason="srs forks to draw only on Linux (and not with SRS_PORTABLE=1)")


class Sleeper(Artist):
    """An artist that takes `seconds` to draw."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def draw(self, renderer):
        time.sleep(self.seconds)


@pytest.fixture
def figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 10, 100, 1000])
    ax.set_yscale("log")
    ax.set_title(r"$\sqrt{d_k}$")
    yield fig
    plt.close(fig)


def test_a_forked_drawing_equals_one_drawn_in_place(figure, monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    forked = figures.Drawing([figure, figure])
    assert forked.pid is not None and forked.images is None
    in_place = figures.figure_png(figure)
    assert forked.images_or_raise() == [in_place, in_place]
    assert in_place.startswith(b"\x89PNG\r\n\x1a\n")
    assert list(tmp_path.iterdir()) == []  # the child's output file is gone once read


def test_a_drawing_that_raises_reports_the_exception(figure, monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    figure.axes[0].set_xlabel(r"$\frac{1$")
    drawing = figures.Drawing([figure])
    with pytest.raises(figures.DrawingFailed, match="ValueError"):
        drawing.images_or_raise()


def test_no_more_than_two_drawings_run_at_once(figure, monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    monkeypatch.setattr(figures, "MAX_DRAWING", 2)
    figure.add_artist(Sleeper(0.5))
    drawings = []
    for _ in range(4):
        drawings.append(figures.Drawing([figure]))
        assert sum(drawing.pid is not None for drawing in drawings) <= 2
    images = [drawing.images_or_raise() for drawing in drawings]
    assert all(image == images[0] for image in images)


class PriorityProbe(Artist):
    """An artist that writes the niceness of the process drawing it to a file."""

    def __init__(self, path) -> None:
        super().__init__()
        self.path = path

    def draw(self, renderer):
        import os

        self.path.write_text(str(os.getpriority(os.PRIO_PROCESS, 0)))


def test_a_drawing_runs_at_a_lower_priority_than_the_worker(figure, monkeypatch, tmp_path):
    import os

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    probe = tmp_path / "niceness"
    figure.add_artist(PriorityProbe(probe))
    figures.Drawing([figure]).images_or_raise()
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert int(probe.read_text()) == min(mine + figures.DRAW_NICENESS, 19)
    assert os.getpriority(os.PRIO_PROCESS, 0) == mine


def test_without_fork_figures_are_drawn_at_once(figure, monkeypatch):
    monkeypatch.setattr(figures, "fork", False)
    drawing = figures.Drawing([figure])
    assert drawing.pid is None and drawing.images == [figures.figure_png(figure)]


def test_a_drawing_that_hangs_is_stopped(figure, monkeypatch, tmp_path):
    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    monkeypatch.setattr(figures, "DRAW_LIMIT", 0.5)
    figure.add_artist(Sleeper(60))
    drawing = figures.Drawing([figure])
    with pytest.raises(figures.DrawingFailed, match="took over 0.5 s"):
        drawing.images_or_raise()
    assert figures._drawing == [] and list(tmp_path.iterdir()) == []


def test_a_drawing_process_that_dies_is_reported(figure, monkeypatch, tmp_path):
    import os

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    monkeypatch.setattr(figures, "_draw_to", lambda _path, _figures: os._exit(3))
    with pytest.raises(figures.DrawingFailed, match="exited with code 3"):
        figures.Drawing([figure]).images_or_raise()


def test_when_no_process_can_be_forked_the_figure_is_drawn_in_place(figure, monkeypatch, tmp_path):
    import os

    def no_fork():
        raise BlockingIOError("no more processes")

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    monkeypatch.setattr(os, "fork", no_fork)
    drawing = figures.Drawing([figure])
    assert drawing.images == [figures.figure_png(figure)] and list(tmp_path.iterdir()) == []


def test_the_collector_keeps_out_of_the_shared_heap_while_a_child_draws(figure, monkeypatch, tmp_path):
    import gc

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    figure.add_artist(Sleeper(0.3))
    first, second = figures.Drawing([figure]), figures.Drawing([figure])
    assert gc.get_freeze_count() > 0  # what existed at the fork is not walked, so not copied
    first.images_or_raise()
    assert gc.get_freeze_count() > 0  # the second child still shares the heap
    second.images_or_raise()
    assert gc.get_freeze_count() == 0  # no child left: the collector has it all back


def test_asking_the_collector_for_the_whole_heap_thaws_it(figure, monkeypatch, tmp_path):
    import gc

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    figure.add_artist(Sleeper(0.3))
    marker = object.__new__(type("Marker", (), {}))
    drawing = figures.Drawing([figure])
    assert gc.get_freeze_count() > 0
    assert any(item is marker for item in gc.get_objects())  # frozen objects would be missing
    assert gc.get_freeze_count() == 0
    drawing.images_or_raise()


def test_a_heap_the_lesson_froze_itself_stays_frozen(figure, monkeypatch, tmp_path):
    import gc

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        figures.Drawing([figure]).images_or_raise()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_freeze_the_lesson_makes_while_a_child_draws_is_kept(figure, monkeypatch, tmp_path):
    import gc

    monkeypatch.setattr(figures, "scratch", str(tmp_path))
    figure.add_artist(Sleeper(0.3))
    drawing = figures.Drawing([figure])
    try:
        gc.freeze()  # the lesson's own, meant to last
        drawing.images_or_raise()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_each_math_string_is_parsed_once_per_drawing(monkeypatch):
    """bbox_inches="tight" draws with two renderers; they share one parser and its cache."""
    from matplotlib import _mathtext
    from matplotlib.backends.backend_agg import RendererAgg

    parsed: list[str] = []
    own_parse = _mathtext.Parser.parse

    def counting_parse(self, s, *args, **kwargs):
        parsed.append(s)
        return own_parse(self, s, *args, **kwargs)

    monkeypatch.setattr(_mathtext.Parser, "parse", counting_parse)
    fig, ax = plt.subplots(figsize=(3, 2))
    label = r"$\alpha_{parsed\ once}$"  # a string no other test draws, so nothing cached yet
    ax.set_xlabel(label)
    own_init = RendererAgg.__init__
    try:
        shared = figures.figure_png(fig)
        assert parsed.count(label) == 1
        assert RendererAgg.__init__ is own_init  # renderers outside a drawing are left alone
        plain = io.BytesIO()
        fig.savefig(plain, format="png", dpi=figures.DPI, bbox_inches="tight", metadata={"Software": None})
        assert parsed.count(label) == 3  # matplotlib's own way: the string again, for each renderer
        # and the same pixels: the bytes differ only by the text chunk that records the smallest text
        size = read_text(shared)[SMALLEST_TEXT]
        assert shared == add_text(plain.getvalue(), SMALLEST_TEXT, size)
    finally:
        plt.close(fig)
