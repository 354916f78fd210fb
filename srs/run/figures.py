"""Figures drawn in the worker, as deterministic PNG bytes.

This module is also the worker's matplotlib backend (`srs.run.spawn.FIGURE_BACKEND`): it draws with
Agg, and `plt.show()` takes the open figures and closes them, as Jupyter's inline backend does, so a
cell that shows two plots gives two figures instead of one figure with both drawn on it.
matplotlib loads it only when the lesson imports pyplot; the worker imports it under the same
condition.

Drawing a PNG costs a tenth of a second or more per figure, more than most cells. So on Linux the
figures are drawn in a forked copy of the worker, which sees them exactly as they were when they
were shown, while the worker goes on with the next cell on another core. The copy runs at a lower
priority, so that where cores are few the cells come first. Elsewhere the figures are pickled as
they are shown and drawn by a fresh process beside the worker (srs.run.drawer).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import io
import json
import os
import select
import signal
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

from srs.core.pngtext import SMALLEST_TEXT, add_text
from srs.run.lifeline import die_with_parent
from srs.run.portable import fast_paths

DPI = 100
MAX_DRAWING = 2
"""Forked drawings that may run at once; another waits for the oldest to finish."""
DRAW_LIMIT = 120.0
"""Seconds a forked drawing may take before it is stopped and its cell fails."""
DRAW_NICENESS = 10
"""How much lower than the worker's the priority of a forked drawing is (see `os.nice`)."""

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

wanted = True
"""Does the current cell's run want its figures as images? If not, they are closed unrendered."""

fork = fast_paths()
"""Draw in forked processes (Linux; elsewhere fork is unsafe with the libraries a lesson loads)."""

send_to_drawer = True
"""Where srs does not fork: draw in a fresh process beside the worker (srs.run.drawer) rather than
in the worker itself."""

scratch: str | None = None
"""Folder for the forked drawings' output files (default: the system's temporary folder)."""


class DrawingFailed(Exception):
    """Drawing a figure raised; the message names the exception."""


class Drawing:
    """PNGs of some figures: drawn at once, or being drawn by a forked child."""

    def __init__(self, figures: list[Any]) -> None:
        self.images: list[bytes] | None = None
        self.error = ""
        self.pid: int | None = None
        if not figures or not fork:
            self.images = [figure_png(figure) for figure in figures]
            return
        while sum(not drawing.done() for drawing in list(_drawing)) >= MAX_DRAWING:
            _drawing[0].wait()
        descriptor, self.path = tempfile.mkstemp(prefix="srs-figures-", suffix=".json", dir=scratch)
        os.close(descriptor)
        _freeze_heap()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no room for another process: draw here instead
            os.unlink(self.path)
            _thaw_heap()
            self.images = [figure_png(figure) for figure in figures]
            return
        if pid == 0:  # the child draws, writes and leaves, whatever happens, without exit handlers
            code = 1
            try:
                die_with_parent(parent)  # the worker's end is the drawing's end
                # a collection would walk the whole inherited heap, copying each page it touches
                _original("freeze")()
                _yield_to_the_notebook()
                code = _draw_to(self.path, figures)
            finally:
                os._exit(code)
        self.pid = pid
        _drawing.append(self)

    def done(self) -> bool:
        """Are the images ready (without waiting)?"""
        if self.images is not None or self.pid is None:
            return True
        finished, status = os.waitpid(self.pid, os.WNOHANG)
        if finished:
            self._collect(status)
        return self.images is not None or self.pid is None

    def wait(self) -> None:
        """Wait for the child, if there is one still drawing; stop it after DRAW_LIMIT seconds."""
        if self.pid is None:
            return
        finished = _exits_within(self.pid, DRAW_LIMIT)
        if not finished:
            os.kill(self.pid, signal.SIGKILL)
        _pid, status = os.waitpid(self.pid, 0)
        self._collect(status)
        if not finished:
            self.images = None
            self.error = f"drawing the figure took over {DRAW_LIMIT:g} s, so it was stopped"

    def images_or_raise(self) -> list[bytes]:
        """The PNGs, waiting for the child if needed; DrawingFailed when drawing raised or crashed."""
        self.wait()
        if self.images is None:
            raise DrawingFailed(self.error)
        return self.images

    def _collect(self, status: int) -> None:
        self.pid = None
        _drawing.remove(self)
        _thaw_heap()
        try:
            with open(self.path, encoding="utf-8") as handle:
                written = json.load(handle) if os.WIFEXITED(status) else {}
        except (OSError, ValueError):
            written = {}
        finally:
            os.unlink(self.path)
        if "images" in written:
            self.images = [base64.b64decode(image) for image in written["images"]]
        elif "error" in written:
            self.error = written["error"]
        elif os.WIFSIGNALED(status):
            self.error = f"the process drawing it was killed by signal {os.WTERMSIG(status)}"
        else:
            self.error = f"the process drawing it exited with code {os.waitstatus_to_exitcode(status)}"


def _yield_to_the_notebook() -> None:
    """Lower the drawing process's priority by DRAW_NICENESS, so the worker's cells come first.

    On a machine with few cores the drawings compete with the notebook's next cells (and with
    torch's threads); most drawings have until the end of the run, while every cell is on the way
    there. The last figure, drawn when the cells are done, has the cores to itself anyway.
    """
    with contextlib.suppress(OSError):
        os.nice(DRAW_NICENESS)


def _exits_within(pid: int, seconds: float) -> bool:
    """Does the child exit within `seconds`? (It is left unreaped.)"""
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (before Linux 5.3): look every few milliseconds
        from srs.run.spawn import has_exited

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if has_exited(pid):
                return True
            time.sleep(0.005)
        return False
    try:
        return bool(select.select([handle], [], [], seconds)[0])
    finally:
        os.close(handle)


_drawing: list[Drawing] = []
"""Forked drawings not yet collected, oldest first."""

_frozen = False
"""Has srs frozen the worker's heap (see `_freeze_heap`)?"""


def _freeze_heap() -> None:
    """Keep the collector out of the objects that exist now, while children draw.

    A child shares the worker's memory until either writes to it, and then the kernel copies the
    page. A full collection touches every object, so while a child is alive it would copy most of
    the heap: a fifth of a second in a cell that makes many objects. Frozen objects are not walked;
    `_thaw_heap` gives them back to the collector once no child is left. A lesson that froze
    objects itself is left alone.

    A lesson sees no difference: `gc.collect()`, `gc.get_objects()` and `gc.get_referrers()`, which
    would leave frozen objects out, thaw the heap first; after the lesson's own `gc.freeze()` or
    `gc.unfreeze()`, srs leaves the heap as the lesson left it (see `_guard_gc_functions`).
    """
    global _frozen
    if not _frozen and gc.get_freeze_count() == 0:
        _guard_gc_functions()
        _original("freeze")()
        _frozen = True


def _thaw_heap(force: bool = False) -> None:
    """Give the frozen objects back to the collector when no drawing child is left (or now)."""
    global _frozen
    if _frozen and (force or not _drawing):
        _original("unfreeze")()
        _frozen = False


def _original(name: str) -> Any:
    """The gc module's own function, under any guard srs put around it."""
    function = getattr(gc, name)
    return getattr(function, "__wrapped__", function)


def _thawing(function: Any) -> Any:
    """A gc function that must see the whole heap: it thaws what srs froze first."""

    @functools.wraps(function)
    def whole_heap(*args: Any, **kwargs: Any) -> Any:
        _thaw_heap(force=True)
        return function(*args, **kwargs)

    return whole_heap


def _handing_over(function: Any) -> Any:
    """gc.freeze or gc.unfreeze: once the lesson calls it, what is frozen is the lesson's affair."""

    @functools.wraps(function)
    def lessons_own(*args: Any, **kwargs: Any) -> Any:
        global _frozen
        _frozen = False
        return function(*args, **kwargs)

    return lessons_own


def _guard_gc_functions() -> None:
    """Wrap the gc functions whose results a freeze by srs would change (once per process)."""
    guards = {"collect": _thawing, "get_objects": _thawing, "get_referrers": _thawing,
              "freeze": _handing_over, "unfreeze": _handing_over}
    for name, guard in guards.items():
        function = getattr(gc, name)
        if not getattr(function, "srs_guarded", False):
            guarded = guard(function)
            guarded.srs_guarded = True
            setattr(gc, name, guarded)


def _draw_to(path: str, figures: list[Any]) -> int:
    try:
        written: dict[str, Any] = {
            "images": [base64.b64encode(figure_png(figure)).decode("ascii") for figure in figures]
        }
        code = 0
    except BaseException as problem:  # anything at all: the worker reports it for the cell
        written = {"error": f"{type(problem).__name__}: {problem}"}
        code = 1
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(written, handle)
    return code


_shown: list[Any] = []
"""Drawings of the figures the current cell showed, waiting for the worker to take them."""


def start_drawing(figures: list[Any]) -> Any:
    """A drawing of the figures as they are now: forked (Linux), sent to the drawing process
    (elsewhere, see srs.run.drawer), or drawn in place (figures that cannot be sent)."""
    if figures and not fork and send_to_drawer:
        from srs.run.drawer import CannotTravel, drawer

        with contextlib.suppress(CannotTravel):
            return drawer().submit(figures)
    return Drawing(figures)


def show(*_args: Any, **_kwargs: Any) -> None:
    """`plt.show()`: draw the open figures as they are now, for the current cell, and close them."""
    _shown.append(start_drawing(_close_open_figures()))


def display_figure(figure: Any) -> None:
    """`display(fig)`: draw the figure as it is now, for the current cell; it stays open, as in Jupyter."""
    if wanted:
        _shown.append(start_drawing([figure]))


def take_figures() -> list[Any]:
    """Drawings of every figure the cell showed or left open, in order; closes them all."""
    drawings = [*_shown, start_drawing(_close_open_figures())]
    _shown.clear()
    return drawings


def figure_png(figure: Any) -> bytes:
    """The figure as PNG bytes, without the metadata that would make equal figures differ.

    The size of the smallest text drawn goes with it in a text chunk, so the linter can tell
    whether the figure stays readable on a phone.
    """
    buffer = io.BytesIO()
    with _one_mathtext_parser(), _text_sizes() as sizes:
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    png = buffer.getvalue()
    if sizes:
        png = add_text(png, SMALLEST_TEXT, f"{min(sizes) * DPI / 72:.1f}")
    return png


@contextlib.contextmanager
def _text_sizes() -> Iterator[list[float]]:
    """The font sizes (points) of the texts really drawn while the context is open."""
    from matplotlib.text import Text

    own_draw = Text.draw
    sizes: list[float] = []

    def measuring_draw(text: Any, renderer: Any) -> Any:
        if text.get_visible() and text.get_text().strip():
            sizes.append(float(text.get_fontsize()))
        return own_draw(text, renderer)

    Text.draw = measuring_draw  # type: ignore[method-assign]
    try:
        yield sizes
    finally:
        Text.draw = own_draw  # type: ignore[method-assign]


@contextlib.contextmanager
def _one_mathtext_parser() -> Iterator[None]:
    """While a figure is drawn, every Agg renderer shares one mathtext parser, and so its cache.

    Each matplotlib renderer makes its own parser, whose cache of parsed math is its own, and
    bbox_inches="tight" lays the figure out with one renderer and draws it with another: every math
    string (such as each tick label of a log scale) was parsed twice. A parse depends only on the
    string, dpi, font and rendering flags, all in the cache's key, so sharing it changes no pixel.
    The parser lives no longer than the drawing (as a renderer's own would), and nothing is changed
    outside it.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    own_init = RendererAgg.__init__
    shared: list[Any] = []

    def sharing_init(renderer: Any, *args: Any, **kwargs: Any) -> None:
        own_init(renderer, *args, **kwargs)
        parser = getattr(renderer, "mathtext_parser", None)
        if parser is not None:
            if not shared:
                shared.append(parser)
            renderer.mathtext_parser = shared[0]

    RendererAgg.__init__ = sharing_init
    try:
        yield
    finally:
        RendererAgg.__init__ = own_init


def _close_open_figures() -> list[Any]:
    """The open figures (when wanted), closed: pyplot forgets them, the objects stay drawable."""
    import matplotlib.pyplot as plt

    figures = []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if wanted:
            figures.append(figure)
        plt.close(figure)
    return figures
