"""Figures drawn in a fresh process beside the worker: the portable way to draw while cells run.

Where srs does not fork (macOS, Windows, or SRS_PORTABLE=1; see srs.run.portable), the worker
starts one drawing process, `python -m srs.run.drawer`, when a cell first shows a figure. Each
figure is pickled when it is shown, with the matplotlib settings of that moment, so the drawing is
of the figure as it was then, as with a fork; the drawing process unpickles it, draws it with the
same code (`srs.run.figures.figure_png`) and sends the PNG back. A figure that holds something only
the worker has (a class or function a cell defined, a lambda) cannot travel and is drawn in place.

Messages in both directions are pickles preceded by their length (8 bytes, big-endian).
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
import types
from typing import Any, BinaryIO

LENGTH = struct.Struct(">Q")
DRAW_NICENESS = 10
"""As for forked drawings: the notebook's cells come first where cores are few."""


class CannotTravel(Exception):
    """The figure holds something a fresh process cannot load."""


class _WorkerOnly(pickle.Pickler):
    """A pickler that refuses what only the worker's namespace has: cells' classes and functions."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (type, types.FunctionType)) and getattr(obj, "__module__", None) == "__main__":
            raise CannotTravel(f"{obj!r} was defined by a cell")
        return NotImplemented


def pickled_for_drawing(figures: list[Any]) -> bytes:
    """The figures and the current matplotlib settings as one pickle; CannotTravel if impossible."""
    import matplotlib

    buffer = io.BytesIO()
    try:
        _WorkerOnly(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
            {"rc": dict(matplotlib.rcParams), "figures": figures}
        )
    except CannotTravel:
        raise
    except Exception as problem:  # a lambda, an open file, a lock: not picklable at all
        raise CannotTravel(str(problem)) from None
    return buffer.getvalue()


class SentDrawing:
    """PNGs of some figures being drawn by the drawing process (see `Drawing` in srs.run.figures)."""

    def __init__(self, drawer: Drawer, request: int, figures: list[Any]) -> None:
        self.drawer = drawer
        self.request = request
        self.figures = figures
        self.images: list[bytes] | None = None
        self.error = ""

    def done(self) -> bool:
        """Are the images ready (without waiting)?"""
        return self.images is not None or self.error != "" or self.drawer.answered(self.request)

    def images_or_raise(self) -> list[bytes]:
        """The PNGs, waiting for them if needed; DrawingFailed when drawing raised or took too long."""
        from srs.run.figures import DRAW_LIMIT, DrawingFailed, figure_png

        if self.images is None and not self.error:
            answer = self.drawer.answer(self.request, DRAW_LIMIT)
            if answer is None:
                self.error = f"drawing the figure took over {DRAW_LIMIT:g} s, so it was stopped"
            elif "images" in answer:
                self.images = answer["images"]
            elif "unloadable" in answer:  # rare: drawn here, as it is now (it was closed when shown)
                self.images = [figure_png(figure) for figure in self.figures]
            else:
                self.error = answer["error"]
        if self.images is None:
            raise DrawingFailed(self.error)
        return self.images


class Drawer:
    """The worker's side of the drawing process: sends figures, collects PNGs by request number."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "srs.run.drawer"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.answers: dict[int, dict[str, Any]] = {}
        self.broken = ""
        """Why no more answers will come, once none will."""
        self.arrived = threading.Condition()
        self.next_request = 0
        self.outgoing: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        threading.Thread(target=self._send_all, name="srs-drawer-send", daemon=True).start()
        threading.Thread(target=self._receive_all, name="srs-drawer-receive", daemon=True).start()

    def submit(self, figures: list[Any]) -> SentDrawing:
        """Send the figures to be drawn (CannotTravel when they cannot be)."""
        data = pickled_for_drawing(figures)
        request, self.next_request = self.next_request, self.next_request + 1
        self.outgoing.put(LENGTH.pack(request) + LENGTH.pack(len(data)) + data)
        return SentDrawing(self, request, figures)

    def answered(self, request: int) -> bool:
        """Has the answer to `request` arrived?"""
        with self.arrived:
            return request in self.answers or bool(self.broken)

    def answer(self, request: int, limit: float) -> dict[str, Any] | None:
        """The answer to `request`, waiting up to `limit` seconds; None (and the process stopped) after."""
        end = time.monotonic() + limit
        with self.arrived:
            while request not in self.answers:
                if self.broken:
                    self.process.kill()
                    return {"error": self.broken}
                left = end - time.monotonic()
                if left <= 0:
                    self.process.kill()
                    return None
                self.arrived.wait(min(left, 0.5))
            return self.answers.pop(request)

    def _send_all(self) -> None:
        # a separate thread, so that a cell never waits while the drawing process is busy
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            while True:
                self.process.stdin.write(self.outgoing.get())
                self.process.stdin.flush()

    def _receive_all(self) -> None:
        assert self.process.stdout is not None
        try:
            while (message := _read_message(self.process.stdout)) is not None:
                request, answer = message
                with self.arrived:
                    self.answers[request] = pickle.loads(answer)
                    self.arrived.notify_all()
        except BaseException as problem:  # reported to every drawing still waiting, by `answer`
            self.broken = f"its answer could not be read ({type(problem).__name__}: {problem})"
        finally:
            self.broken = self.broken or "the process drawing it ended"
            with self.arrived:
                self.arrived.notify_all()


_drawer: Drawer | None = None


def drawer() -> Drawer:
    """The worker's drawing process, started on first use (again if it ended)."""
    global _drawer
    if _drawer is None or _drawer.broken or _drawer.process.poll() is not None:
        _drawer = Drawer()
    return _drawer


def _read_message(stream: BinaryIO) -> tuple[int, bytes] | None:
    """(request, data) from the stream, or None at its end."""
    head = stream.read(2 * LENGTH.size)
    if len(head) < 2 * LENGTH.size:
        return None
    request, size = LENGTH.unpack(head[: LENGTH.size])[0], LENGTH.unpack(head[LENGTH.size :])[0]
    data = stream.read(size)
    return None if len(data) < size else (request, data)


def _draw(data: bytes) -> dict[str, Any]:
    """Draw one request's figures under its settings; what to answer."""
    import warnings

    import matplotlib

    from srs.run.figures import figure_png

    try:
        request = pickle.loads(data)
    except Exception as problem:  # a module the worker had that this process cannot import
        return {"unloadable": f"{type(problem).__name__}: {problem}"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated settings warn when set, as they did in the lesson
            matplotlib.rcParams.update(request["rc"])
        return {"images": [figure_png(figure) for figure in request["figures"]]}
    except BaseException as problem:  # anything at all: the worker reports it for the cell
        return {"error": f"{type(problem).__name__}: {problem}"}
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:  # a figure still open when it was shown comes back into pyplot's care
            pyplot.close("all")


def main() -> None:
    """The drawing process: answer requests from stdin on stdout until stdin closes."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(DRAW_NICENESS)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while (message := _read_message(requests)) is not None:
        request, data = message
        answer = pickle.dumps(_draw(data))
        answers.write(LENGTH.pack(request) + LENGTH.pack(len(answer)) + answer)
        answers.flush()


if __name__ == "__main__":
    from srs.core.process import leave

    main()
    leave(0)
