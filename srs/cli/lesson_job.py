"""One lesson of a multi-lesson build, in a process of its own: `python -m srs.cli.lesson_job JOB`.

`srs build lessons/` starts one of these per lesson (srs.build.curriculum decides when). It builds the
deck exactly as `srs build NOTEBOOK` would and, instead of printing, writes JSON lines on stdout:
progress messages as they come, then the exit code with everything the build would have printed, so
the parent can show each lesson's messages together.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from typing import Any

from srs.build.curriculum import DONE, PARENT, PROGRESS, job_options
from srs.core.errors import EXIT_CHECK_FAILED, EXIT_OK


def build_and_report(job: dict[str, Any]) -> None:
    """Build one lesson as `srs build NOTEBOOK` would; report progress and the printed text as JSON lines."""
    from srs.build.lesson import build_lesson
    from srs.cli.build_commands import build_one
    from srs.cli.common import guarded

    report = sys.stdout

    def send(message: dict[str, Any]) -> None:
        report.write(json.dumps(message) + "\n")
        report.flush()

    def progress(message: str) -> None:
        send({PROGRESS: message})

    path, options = job_options(job)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = guarded(
                lambda: build_one(path, options, lambda p, o, _shown: build_lesson(p, o, progress))
            )
        except Exception:
            traceback.print_exc()
            code = EXIT_CHECK_FAILED
    send({DONE: code, "out": out.getvalue(), "err": err.getvalue()})


def _end_with_parent(parent: int) -> None:
    """On Linux, have the kernel send SIGTERM to this process when the build that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def main() -> None:
    """Read the job from the command line, build, report, exit 0 (the lesson's own code is reported)."""
    from srs.core.process import leave

    if PARENT in os.environ:
        _end_with_parent(int(os.environ[PARENT]))
    try:
        job = json.loads(sys.argv[1])
    except (IndexError, ValueError):
        sys.exit("usage: python -m srs.cli.lesson_job JOB (the JSON object srs.build.curriculum writes)")
    build_and_report(job)
    leave(EXIT_OK)


if __name__ == "__main__":
    main()
