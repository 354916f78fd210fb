"""The `srs` command line: the only place that prints and sets exit codes.

Every command is a thin layer over the library (srs.build.lesson and friends). User mistakes arrive as
SrsError and leave as one line, `path:cell N:line L: [CODE] message`, with exit code 2 (bad input)
or 1 (a check failed); the worst code of all lessons is the exit code. Each command lives in a module
of this package; importing it adds the command to `app`.
"""

from __future__ import annotations

from srs.cli import (  # noqa: F401  (each module adds its commands to the app)
    build_commands,
    collection_commands,
    read_commands,
    suggest_command,
)
from srs.cli.common import app, clear_progress, interruption_line, say_error
from srs.core.interrupts import Interrupted, catch_signals

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `srs` script: run the command, then exit without the interpreter's teardown.

    SIGINT, SIGTERM and SIGHUP end it within a second with one line and 128 + the signal's number.
    """
    from srs.core.process import exit_code, leave

    catch_signals()
    try:
        app()
    except SystemExit as done:
        leave(exit_code(done.code))
    except Interrupted as stop:
        clear_progress()
        say_error(interruption_line(stop))
        leave(stop.exit_code)
