"""The process that runs a lesson: `python -m srs.run.worker JOB_FILE REPORT_FD`.

It runs the job's cells in an IPython shell (so magics, `!` lines and `display()` behave as in
Jupyter) and writes one JSON line per event to the report pipe: `start` before a cell, then
`result` (the captured CellResult, its namespace snapshots written as differences from the result
sent before it) or `failed`, and `done` at the end. The parent enforces time limits by killing this
process; nothing here needs to defend against hangs.
"""

from __future__ import annotations

import base64
import faulthandler
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from srs.core.model import FIGURES, CellResult, Value
from srs.core.process import leave
from srs.run.capture import Memo, describe, is_array, is_number, namespace_values
from srs.run.codec import ResultWriter
from srs.run.spawn import FIGURE_BACKEND
from srs.run.tracebacks import CellFiles, headline, summarize


class QuietDisplayHook(DisplayHook):
    """Keeps a cell's last value (for `ExecutionResult.result`, `_`, `Out`) without printing it."""

    def write_output_prompt(self) -> None:
        """No `Out[N]:` prompt: a cell's value is not part of what it printed."""

    def compute_format_data(self, result: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """Skip formatting: the worker describes the value itself, and nothing is printed."""
        return {}, {}


class LessonShell(InteractiveShell):
    """An IPython shell that keeps error output off the cell's stdout and the figure backend fixed."""

    exit_requested = False

    def ask_exit(self) -> None:
        """`exit()` / `quit()` in a cell: remembered, reported as a failure of that cell."""
        self.exit_requested = True

    def _showtraceback(self, etype: Any, evalue: Any, stb: list[str]) -> None:
        # Jupyter shows errors apart from printed output; the worker's stderr file keeps them.
        print(self.InteractiveTB.stb2text(stb), file=sys.__stderr__)

    def atexit_operations(self) -> None:
        """At exit, only remove the shell's temporary files.

        IPython's own version first clears the namespace, which frees every tensor one by one:
        a tenth of a second spent on memory the operating system reclaims anyway.
        """
        for path in self.tempfiles:
            path.unlink(missing_ok=True)
        for folder in self.tempdirs:
            shutil.rmtree(folder, ignore_errors=True)

    def enable_matplotlib(self, gui: str | None = None) -> tuple[str | None, str]:
        """`%pylab` and the like: keep the worker's backend, which already collects figures."""
        return gui, FIGURE_BACKEND


SHOWN = "srs: the figure is drawn with the cell's figures"
"""What stands in for a displayed figure's PNG in the display data (the drawing happens elsewhere)."""


class LessonDisplayPublisher(DisplayPublisher):
    """`display()`: a matplotlib figure or a PNG image joins the cell's figures; anything else prints
    its text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.images: list[bytes] = []
        """PNG images displayed by the current cell (an `IPython.display.Image`, say)."""

    def publish(self, data: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        """Keep a PNG image, or print the text form (a figure is drawn elsewhere, not printed)."""
        shown = data.get("image/png")
        if shown == SHOWN:
            return
        image = png_bytes(shown)
        if image is not None:
            self.images.append(image)
            return
        super().publish(data, *args, **kwargs)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_bytes(data: Any) -> bytes | None:
    """The PNG in an `image/png` display entry or formatter's answer (raw or base64, alone or with
    its metadata), or None when it holds none."""
    if isinstance(data, tuple) and data:
        data = data[0]
    if isinstance(data, str):
        try:
            data = base64.b64decode(data, validate=True)
        except ValueError:
            return None
    if isinstance(data, bytes) and data.startswith(PNG_SIGNATURE):
        return data
    return None


def _display_figure(figure: Any) -> str:
    from srs.run import figures

    figures.display_figure(figure)
    return SHOWN


def make_shell() -> LessonShell:
    """A fresh shell without a history database or colours."""
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = LessonShell.instance(
        config=config, displayhook_class=QuietDisplayHook, display_pub_class=LessonDisplayPublisher
    )
    shell.register_magic_function(keep_figure_backend, "line", "matplotlib")
    png = shell.display_formatter.formatters["image/png"]
    png.for_type_by_name("matplotlib.figure", "Figure", _display_figure)
    return shell


def keep_figure_backend(_line: str) -> None:
    """`%matplotlib [gui]`: nothing to do, the worker's backend already collects figures."""


class Session:
    """Runs cells one after another in one shell, capturing what each produced."""

    def __init__(self, shell: LessonShell, folder: Path, scratch: str | None = None) -> None:
        self.shell = shell
        self.files = CellFiles(folder)
        self.memo: Memo = {}
        self.figures_wanted = True
        self.scratch = scratch
        self.waiting: list[tuple[CellResult, list[Any]]] = []
        """Results of cells run, waiting for their figures to be drawn."""
        self.writer = ResultWriter()
        """Encodes results in the order they are sent (which the parent reads them in)."""
        self.arrays: dict[str, Value] = self._namespace(is_array)

    def run(self, cell: dict[str, Any]) -> dict[str, Any] | None:
        """Run one cell; a `failed` event to report, or None when its result waits in `ready`."""
        index = cell["index"]
        before = self.arrays
        self._want_figures(FIGURES in cell["requests"])
        stdout, outcome = self._execute(index, cell["source"])
        error = outcome.error_before_exec or outcome.error_in_exec
        if self.shell.exit_requested:
            return {"event": "failed", "cell": index, "kind": "exit", "error": "exit()", "line": None}
        if error is not None and not cell["may_raise"]:
            return self._failed(index, error)
        try:
            drawings = self._figures()
        except Exception as problem:
            return self._failed(index, problem)
        images = self._displayed_images(outcome.result)
        after = self._namespace(lambda value: is_array(value) or is_number(value))
        # tensors, and the whole numbers a later statement may size them with (`view(B, heads, -1)`)
        self.arrays = {
            name: value for name, value in after.items() if value.shape is not None or value.type == "int"
        }
        evaluated: dict[str, Value] = {}
        for expression in cell["requests"]:
            if expression == FIGURES:
                continue
            try:
                evaluated[expression] = self._evaluate(expression)
            except BaseException as problem:  # an expression calling sys.exit fails too
                return self._request_failed(index, expression, problem)
        value = None if outcome.result is None else describe(outcome.result, self._format)
        self.waiting.append((CellResult(index, stdout, value, before, after, evaluated, images), drawings))
        return None

    def ready(self, wait: bool) -> Iterator[dict[str, Any]]:
        """Events of the cells run so far whose figures are drawn (with `wait`, of them all).

        A cell's result does not wait for an earlier cell's figure: while the last figure is drawn,
        the parent already makes the cards of the cells after it.
        """
        waiting, self.waiting = self.waiting, []
        for result, drawings in waiting:
            if not wait and not all(drawing.done() for drawing in drawings):
                self.waiting.append((result, drawings))
                continue
            try:
                images = tuple(image for drawing in drawings for image in drawing.images_or_raise())
            except Exception as problem:  # DrawingFailed
                yield self._drawing_failed(result.cell, problem)
                return
            # drawn figures first, then the PNG images the cell displayed (kept in result.figures)
            figures = images + result.figures
            yield {"event": "result", "result": self.writer.write(replace(result, figures=figures))}

    def _execute(self, index: int, source: str) -> tuple[str, Any]:
        self.files.record(self.shell.execution_count, index, source)
        buffer = PrintedText()
        start = _descriptor_output_size()
        with redirect_stdout(buffer):
            outcome = self.shell.run_cell(source, store_history=True)
        # What bypassed Python's sys.stdout (os.system, subprocesses, C code) went to file
        # descriptor 1; it follows the Python output, as their relative order is not known.
        buffer.write(_descriptor_output_since(start))
        printed = buffer.getvalue()
        # `!` lines run under a pseudo-terminal, which ends lines with \r\n
        return printed.replace("\r\n", "\n"), outcome

    def _want_figures(self, wanted: bool) -> None:
        # the backend module loads with pyplot; before that there is nothing to tell it
        self.figures_wanted = wanted
        backend = sys.modules.get("srs.run.figures")
        if backend is not None:
            backend.wanted, backend.scratch = wanted, self.scratch

    def _figures(self) -> list[Any]:
        """Drawings (srs.run.figures.Drawing) of the figures the cell showed or left open."""
        if "matplotlib.pyplot" not in sys.modules:
            return []
        from srs.run import figures

        figures.wanted, figures.scratch = self.figures_wanted, self.scratch
        return figures.take_figures()

    def _displayed_images(self, value: Any) -> tuple[bytes, ...]:
        """The PNG images the cell displayed, and its value's when that is an image (as Jupyter
        shows it), when the cell's figures are wanted."""
        publisher = self.shell.display_pub
        images, publisher.images = publisher.images, []
        if not self.figures_wanted:
            return ()
        # a figure has no _repr_png_ (it is drawn with the cell's figures); a colormap, say, has
        if value is not None and hasattr(value, "_repr_png_"):
            image = png_bytes(self.shell.display_formatter.formatters["image/png"](value))
            if image is not None:
                images.append(image)
        return tuple(images)

    def _namespace(self, keep: Any) -> dict[str, Value]:
        hidden = self.shell.user_ns_hidden
        names = {
            name: value
            for name, value in self.shell.user_ns.items()
            if not (name in hidden and hidden[name] is value)
        }
        return namespace_values(names, keep, self.memo)

    def _evaluate(self, expression: str) -> Value:
        with redirect_stdout(io.StringIO()):
            return describe(self.shell.ev(expression), self._format)

    def _format(self, value: Any) -> str | None:
        return self.shell.display_formatter.formatters["text/plain"](value)

    def _failed(self, index: int, error: BaseException) -> dict[str, Any]:
        failure = summarize(error, self.files, index)
        kind = "exit" if isinstance(error, SystemExit) else "raised"
        return {
            "event": "failed",
            "cell": index,
            "kind": kind,
            "error": f"sys.exit({error.code!r})" if isinstance(error, SystemExit) else failure.headline,
            "line": failure.line,
            "frames": list(failure.frames),
        }

    def _drawing_failed(self, index: int, problem: Exception) -> dict[str, Any]:
        return {
            "event": "failed",
            "cell": index,
            "kind": "raised",
            "error": f"{problem} while its figure was drawn",
            "line": None,
            "frames": [],
        }

    def _request_failed(self, index: int, expression: str, error: BaseException) -> dict[str, Any]:
        return {
            "event": "failed",
            "cell": index,
            "kind": "request",
            "expression": expression,
            "error": headline(error),
            "line": None,
        }


MAX_PRINTED = 1_000_000
"""Characters of a cell's printed output kept: five times what a card field may show (SRS050 says so
when a card wants more), so a cell that prints without end cannot fill memory, the cache or a deck."""


class PrintedText(io.StringIO):
    """What a cell prints, kept up to MAX_PRINTED characters, then counted and noted at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def write(self, text: str) -> int:
        """Keep what fits; count the rest."""
        room = max(MAX_PRINTED - self.tell(), 0)
        if len(text) > room:
            self.dropped += len(text) - room
            super().write(text[:room])
        else:
            super().write(text)
        return len(text)

    def getvalue(self) -> str:
        """The kept text, with a last line saying how much was left out."""
        kept = super().getvalue()
        return kept + (f"\n[{self.dropped:,} more characters not kept]" if self.dropped else "")


def _descriptor_output_size() -> int | None:
    """How much has been written to file descriptor 1, when it is a file the worker can read back."""
    try:
        return os.fstat(1).st_size
    except OSError:
        return None


def _descriptor_output_since(start: int | None) -> str:
    """What was written to file descriptor 1 since it held `start` bytes ("" if it cannot be read)."""
    if start is None:
        return ""
    sys.__stdout__.flush()  # a lesson may print to the real stdout, whose buffer is ours to flush
    try:
        end = os.fstat(1).st_size
        size = min(end - start, 4 * MAX_PRINTED)  # UTF-8 takes at most 4 bytes a character
        return os.pread(1, size, start).decode("utf-8", errors="replace") if end > start else ""
    except (OSError, AttributeError):  # not readable (started by hand), or no pread (Windows)
        return ""


def send(report: TextIO, event: dict[str, Any]) -> None:
    """Write one event line and push it to the parent at once."""
    report.write(json.dumps(event) + "\n")
    report.flush()


def main(argv: list[str]) -> int:
    """Run the job in file `argv[0]` (`-`: read from stdin), reporting on channel `argv[1]`.

    The channel is a file descriptor, or `tcp:PORT` (see srs.run.channel). With `argv[2:5]` (the
    parent's pid, the lifeline's file descriptor or `-`, and `kernel` or `pipe`), the worker first
    ties its life to the parent's (srs.run.lifeline). The shell is built before the job is read,
    so a parent that starts the worker early gets the IPython start-up done while it is still
    working out what to run.
    """
    report = _open_report(argv[1], argv[2:5])
    startup_folder = os.getcwd()
    faulthandler.enable()
    shell = make_shell()
    source = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text(encoding="utf-8")
    if not source:  # the parent needed no run after all
        return 0
    job = json.loads(source)
    folder = Path(job["folder"]).resolve()
    os.chdir(folder)
    # `python -m` put the folder the worker started in first on the path; a spare worker started
    # before the lesson was known, elsewhere, so the lesson's folder takes that place
    if sys.path and sys.path[0] in (startup_folder, ""):
        del sys.path[0]
    sys.path.insert(0, str(folder))
    session = Session(shell, folder, job.get("scratch"))
    for cell in job["cells"]:
        send(report, {"event": "start", "cell": cell["index"]})
        failed = session.run(cell)
        if failed is not None:
            send(report, failed)
            return 0
        if not _report(report, session.ready(wait=False)):
            return 0
    if not _report(report, session.ready(wait=True)):
        return 0
    finish()
    send(report, {"event": "done"})
    return 0


def _open_report(channel: str, tie: list[str]) -> TextIO:
    """The report channel, opened; the worker's life tied to its parent's when `tie` says how."""
    from srs.run import lifeline

    if len(tie) == 3:
        if tie[2] == "kernel":
            lifeline.die_with_parent(int(tie[0]))
        elif os.getppid() != int(tie[0]):
            os._exit(1)
    if channel.startswith("tcp:"):
        from srs.run.channel import connect_report

        connection = connect_report(channel)
        if len(tie) == 3:
            lifeline.watch_parent_connection(connection)
        return connection.makefile("w", encoding="utf-8")
    if len(tie) == 3:
        lifeline.watch_parent(int(tie[1]))
    os.set_inheritable(int(channel), False)  # what a cell starts must not write reports
    return os.fdopen(int(channel), "w", encoding="utf-8")


def _report(report: TextIO, events: Iterator[dict[str, Any]]) -> bool:
    """Send the events; False when one of them is a failure, which ends the run."""
    for event in events:
        send(report, event)
        if event["event"] != "result":
            return False
    return True


def finish() -> None:
    """Run the lesson's exit handlers and flush its output before reporting `done`.

    After `done` the parent owes the worker nothing: it stops waiting and ends the process.
    """
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()


if __name__ == "__main__":
    leave(main(sys.argv[1:]))
