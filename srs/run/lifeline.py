"""A worker never outlives srs, whatever ends srs (a signal it handles, SIGKILL, a closed terminal).

Two ties, set up by the worker itself as it starts:

- on Linux, the kernel's parent-death signal: when the thread of srs that started the worker ends
  (and so when srs ends, however), the kernel sends the worker SIGKILL;
- everywhere, a channel that srs holds open (a pipe whose only writer is srs, or the connection
  the worker reports on, see srs.run.channel): a thread of the worker waits on it, and when srs
  ends it closes and the thread ends the worker's process group. This tie needs the worker
  to run Python code now and then (it takes the interpreter's lock), so on Linux it backs up the
  first one rather than replacing it.

A drawing child forked by the worker ties itself to the worker the first way (`die_with_parent`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import socket

PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal this process gets when its parent thread ends."""


def die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGKILL when the parent ends (Linux), and end now if it already has."""
    if sys.platform == "linux":
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the tie was made
        os._exit(1)


@functools.cache
def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def watch_parent(fd: int) -> None:
    """End this process's group when the pipe `fd` closes (its writer, srs, has ended)."""
    os.set_inheritable(fd, False)  # the lesson's own subprocesses must not hold srs's lifeline
    reading = functools.partial(os.read, fd)
    threading.Thread(target=_wait_for_the_end, args=(reading,), name="srs-lifeline", daemon=True).start()


def watch_parent_connection(connection: socket.socket) -> None:
    """End this process's group when srs closes the connection (or ends, which closes it)."""
    threading.Thread(
        target=_wait_for_the_end, args=(connection.recv,), name="srs-lifeline", daemon=True
    ).start()


def _wait_for_the_end(receive: Callable[[int], bytes]) -> None:
    while True:
        try:
            if not receive(1 << 10):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    end_own_group()


def end_own_group() -> None:
    """Kill this process and every process of its group (its forked drawings, what cells started)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(os.getpgrp(), signal.SIGKILL)
    os._exit(1)
