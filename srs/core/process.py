"""Ending a process quickly once its work is done and written."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys


def leave(code: int) -> None:
    """Exit without tearing the interpreter down.

    With torch or sympy loaded, freeing every module and object takes around half a second, which
    the operating system does anyway. atexit handlers still run and the standard streams are
    flushed, so whatever was meant to be written is written.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def exit_code(code: object) -> int:
    """The process exit status that `sys.exit(code)` would give."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
