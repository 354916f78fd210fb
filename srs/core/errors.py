"""One exception family for mistakes a user can fix; the CLI turns each into one line and an exit code.

Exit codes: 2 for bad input (the notebook or command line is wrong), 1 for a check that failed
(a cell raised, an expectation or a derivation step does not hold). Foreign errors are converted
where they enter (`raise NotebookError(...) from None`), so no traceback reaches the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from srs.core.model import Location, format_message

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2


class SrsError(Exception):
    """A problem with what the user gave srs, with where it is and what to do about it."""

    exit_code = EXIT_BAD_INPUT
    code = "SRS000"

    def __init__(self, message: str, location: Location | Path | str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return format_message(self.location, self.code, self.message)


class NotebookError(SrsError):
    """The file is not a notebook srs can read (missing, not JSON, too old a format)."""

    code = "SRS001"


class OptionError(SrsError):
    """A `#|` option line is malformed, unknown, or has a value of the wrong type."""

    code = "SRS010"


class SourceError(SrsError):
    """A card source is malformed (Q without A, unclosed cloze, unbalanced `$`, ...)."""

    code = "SRS020"


class IdentityError(SrsError):
    """Two cards claim the same identity."""

    code = "SRS030"


class MediaError(SrsError):
    """An image cannot be found or lies outside the lesson's folder."""

    code = "SRS040"


class CollectionError(SrsError):
    """An Anki collection cannot be used: not found, open in Anki, too new, or unreadable."""

    code = "SRS060"


class CheckFailed(SrsError):
    """The notebook disagrees with a card: a cell raised, an expectation or a derivation failed."""

    exit_code = EXIT_CHECK_FAILED
    code = "SRS200"


class RunError(CheckFailed):
    """Running the notebook failed: a cell raised, timed out, or the worker died."""

    code = "SRS201"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'X'?)` for the closest candidate, or '' when none is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
