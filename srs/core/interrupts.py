"""Ctrl-C, SIGTERM and SIGHUP: how a build that is told to stop ends within a second.

The `srs` script turns these signals into `Interrupted`, raised in the main thread wherever it is.
Everything on the way out reacts to it as to any exception: the notebook's worker is killed with its
process group, a file being written is dropped (files are replaced whole, see srs.core.files), and the CLI
prints one line and exits with 128 + the signal's number, as shells report a process a signal ended.
A few steps that must not be cut in half (writing a deck and its manifest) defer the signal to
their end with `deferred`.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

STOPPING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that end a build (SIGHUP: the terminal was closed; Windows has none)."""


class Interrupted(BaseException):
    """A signal told srs to stop. Not an SrsError: nothing catches it on the way but cleanup.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.during = ""
        """What was going on, for the message (`while cell 14 was running`); set on the way out."""
        self.deck_written = False
        """Had the new deck (and its manifest) been written whole when the signal came?"""
        self.where: Path | None = None
        """The lesson being worked on, when there was one."""

    @property
    def signal_name(self) -> str:
        """The signal's name, such as SIGINT."""
        try:
            return signal.Signals(self.signal_number).name
        except ValueError:
            return f"signal {self.signal_number}"

    @property
    def exit_code(self) -> int:
        """128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP."""
        return 128 + self.signal_number


_state = {"raised": False, "deferring": 0, "pending": 0}


def catch_signals() -> None:
    """From now on, the stopping signals raise Interrupted in the main thread (call it from there).

    A second signal while the first is being handled ends the process at once: the worker dies
    with it (see srs.run.lifeline), and the files on disk are whole either way.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for number in STOPPING_SIGNALS:
        signal.signal(number, _on_signal)


def _on_signal(number: int, _frame: FrameType | None) -> None:
    if _state["raised"]:
        os._exit(128 + number)
    if _state["deferring"]:
        _state["pending"] = _state["pending"] or number
        return
    _state["raised"] = True
    raise Interrupted(number)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a stopping signal that arrives inside the block, and raise it when the block ends.

    For steps that must finish once begun: the deck and the manifest that describes it.
    """
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
        pending = _state["pending"]
        if pending and not _state["deferring"]:
            _state["pending"] = 0
            _state["raised"] = True
            raise Interrupted(pending)
