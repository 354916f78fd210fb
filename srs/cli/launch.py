"""The `srs` script's entry point: starts a notebook worker before anything else when one may be needed.

A worker needs about a fifth of a second to start Python and IPython. `srs build` and `srs check`
start one here, before the command line is even parsed, so that it is ready by the time the
notebook has been read; a build that turns out to need no run closes it unused.
"""

from __future__ import annotations

import contextlib
import sys

RUNNING_COMMANDS = frozenset({"build", "check"})


def may_run_notebooks(argv: list[str]) -> bool:
    """Could this command line run a notebook? (A cheap guess; a wrong one costs only time.)"""
    words = [word for word in argv if not word.startswith("-")]
    helping = any(word in ("--help", "-h") for word in argv)
    return bool(words) and words[0] in RUNNING_COMMANDS and not helping


def main() -> None:
    """Entry point of the `srs` script."""
    from srs.core.interrupts import Interrupted, catch_signals

    catch_signals()  # before any worker exists, so that a signal always ends it
    try:
        if may_run_notebooks(sys.argv[1:]):
            from srs.run import start_spare_worker

            # no spare (no current folder, no process to spare to it): the build starts its own worker
            with contextlib.suppress(OSError):
                start_spare_worker()
    except Interrupted as stop:
        from srs.core.process import leave

        print(f"srs: stopped by {stop.signal_name}; nothing was written", file=sys.stderr)
        leave(stop.exit_code)
    from srs.cli.app import main as run_command

    run_command()
