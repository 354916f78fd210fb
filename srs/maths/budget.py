"""sympy work under a time budget, in a helper process, so that no formula can hang a build.

A step that looks small can keep sympy busy for hours or fill the memory: `10^{10^{9}}`, `(2000000)!`,
a high power expanded term by term. Much of that is one long call into C that no thread can stop, so
the work runs in a helper process that is killed when a request outlives its budget. The helper is a
fresh Python process (the same on every platform, and it inherits no open files of the build); it
starts on the first request, loads sympy once, and answers every request of the build in turn. Its
messages are JSON lines of plain data, so reading them imports nothing.

Besides the parent's clock, the helper limits its own CPU time per request (where the platform allows)
and, on Linux, dies with its parent: an abandoned computation never outlives srs.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

SECONDS = 10.0
"""Wall-clock seconds one sympy request may take (a derivation step, a formula's example value)."""
STARTUP_SECONDS = 120.0
"""Seconds the helper may take to start and load sympy (slow on a busy machine; not the lesson's fault)."""


class OverBudget(Exception):
    """sympy did not finish within its budget (or its process died trying)."""

    def __init__(self, seconds: float, why: str = "") -> None:
        super().__init__(why or f"sympy did not finish within {seconds:g} s")
        self.seconds = seconds


class Refused(Exception):
    """The request raised in the helper; `kind` names the exception type, `message` its text."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def start_helper(_options: object = None) -> None:
    """Start the helper now, in the background, so that sympy is loaded by the first request."""
    global _helper
    with _lock:
        if _helper is None or _helper.process.poll() is not None:
            _helper = _new_helper()


def check_step_within_budget(before: str, after: str) -> tuple[str, str]:
    """(status, detail) of the derivation step `before = after`; raises OverBudget."""
    status, detail = _call("step", [before, after])
    return str(status), str(detail)


def judge_step_size_within_budget(before: str, after: str) -> str:
    """What makes a derivation step trivial ('' when nothing does); raises OverBudget, Refused."""
    return str(_call("step-size", [before, after]))


def evaluate_within_budget(formula: str, values: dict[str, float]) -> float:
    """A formula's value at the given numbers (srs.maths.latex.evaluate_at); raises OverBudget, Refused."""
    return float(_call("evaluate", [formula, values]))


class _Helper:
    """The helper process and the thread that reads its answers into a queue."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parent.parent.parent)
        # the kernel's "kill me when my parent dies" follows the thread that started the process
        tied = threading.current_thread() is threading.main_thread()
        code = f"import sys; sys.path.insert(0, {root!r}); from srs.maths.budget import serve; serve({tied})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self.answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="srs-sympy-answers").start()
        self.ready = False

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)

    def ask(self, request: str, seconds: float) -> str | None:
        """Send one request line and wait for its answer; None when none came in time."""
        assert self.process.stdin is not None
        if not self.ready:
            if self._answer(STARTUP_SECONDS) is None:
                return None
            self.ready = True
        try:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
        except OSError:
            return None
        return self._answer(seconds)

    def _answer(self, seconds: float) -> str | None:
        try:
            return self.answers.get(timeout=seconds)
        except queue.Empty:
            return None

    def stop(self) -> None:
        """Kill the helper (mid-computation or idle) and reap it."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


_helper: _Helper | None = None
_lock = threading.Lock()
_started: list[bool] = []
"""Non-empty once a helper was started (and its clean-up at exit registered)."""


def _call(name: str, args: list[Any]) -> Any:
    global _helper
    seconds = SECONDS
    request = json.dumps({"call": name, "args": args, "seconds": seconds})
    with _lock:
        if _helper is not None and _helper.process.poll() is not None:  # ended between requests
            _helper.stop()
            _helper = None
        if _helper is None:
            _helper = _new_helper()
        line = _helper.ask(request, seconds)
        if line is None:
            ended = _helper.process.poll() is not None
            _helper.stop()
            _helper = None
            raise OverBudget(seconds, "sympy's process ended while working on it" if ended else "")
    answer = json.loads(line)
    if "error" in answer:
        raise Refused(str(answer["kind"]), str(answer["error"]))
    return answer["result"]


def _new_helper() -> _Helper:
    if not _started:
        atexit.register(stop_helper)
        _started.append(True)
    return _Helper()


def stop_helper() -> None:
    """End the helper process, if one runs (a build calls this when it is done with sympy)."""
    global _helper
    with _lock:
        if _helper is not None:
            _helper.stop()
            _helper = None


# --- the helper's side ---------------------------------------------------------------------------


def serve(tied: bool = False) -> None:
    """The helper's loop: answer request lines from stdin on stdout until stdin closes."""
    if tied:
        _die_with_parent()
    import sympy  # noqa: F401  (loaded before saying ready, so no request pays for it)

    from srs.maths import derivation, latex, step_size

    calls = {
        "step": lambda before, after: list(_verdict(derivation._check_step(before, after))),
        "evaluate": latex.evaluate_at,
        "step-size": step_size.judged,
    }
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        _limit_cpu(float(request["seconds"]))
        try:
            answer: dict[str, Any] = {"result": calls[request["call"]](*request["args"])}
        except Exception as error:
            answer = {"kind": type(error).__name__, "error": getattr(error, "message", None) or str(error)}
        print(json.dumps(answer), flush=True)


def _verdict(verdict: Any) -> tuple[str, str]:
    return verdict.status, verdict.detail


def _limit_cpu(seconds: float) -> None:
    """Let the operating system end this process if the next request spends more CPU than its budget."""
    try:
        import resource
    except ImportError:  # Windows: the parent's clock alone
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 2
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this process when srs ends, however it ends."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
