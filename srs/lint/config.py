"""Linter settings: `[tool.srs.lint]` in pyproject.toml, checked key by key with "did you mean"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srs.core.errors import OptionError, did_you_mean
from srs.core.model import Location

TABLE = "[tool.srs.lint]"


@dataclass(frozen=True)
class LintConfig:
    """Which rules run and the thresholds of the size rules."""

    select: frozenset[str] | None = None
    """Rule codes to run; None runs every rule."""
    ignore: frozenset[str] = frozenset()
    """Rule codes never to run (wins over `select`)."""
    max_answer_words: int = 15
    max_front_words: int = 40
    max_formula_parts: int = 4

    def enabled(self, code: str) -> bool:
        """Does this configuration run the rule with this code?"""
        return code not in self.ignore and (self.select is None or code in self.select)

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], where: Path) -> LintConfig:
        """Settings from a `[tool.srs.lint]` table; a bad key or value is an OptionError at `where`."""
        values: dict[str, Any] = {}
        for key, value in table.items():
            reader = READERS.get(key)
            if reader is None:
                raise OptionError(
                    f"{TABLE} has no key '{key}'{did_you_mean(key, READERS)}; "
                    f"use one of {', '.join(READERS)}",
                    where,
                )
            values[key] = reader(key, value, where)
        return cls(**values)


def known_codes() -> frozenset[str]:
    """Codes of every lint rule."""
    # imported here because the rule table imports this module
    from srs.lint import RULES

    return frozenset(RULES)


def check_codes(codes: Any, what: str, where: Location | Path) -> frozenset[str]:
    """A list of rule codes (or one code) as a set; raise OptionError for anything else."""
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list | tuple) or not all(isinstance(code, str) for code in codes):
        raise OptionError(f'{what} must be a list of rule codes, like ["SRS103"], not {codes!r}', where)
    known = known_codes()
    for code in codes:
        if code.strip().upper() not in known:
            raise OptionError(
                f"{what} names no rule '{code}'{did_you_mean(code.strip().upper(), known)}; "
                f"rule codes run from {min(known)} to {max(known)}",
                where,
            )
    return frozenset(code.strip().upper() for code in codes)


def _read_codes(key: str, value: Any, where: Path) -> frozenset[str]:
    return check_codes(value, f"{TABLE} {key}", where)


def _read_count(key: str, value: Any, where: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise OptionError(
            f"{TABLE} {key} must be a whole number of at least 1, not {value!r}; write e.g. {key} = 20", where
        )
    return value


READERS: dict[str, Callable[[str, Any, Path], Any]] = {
    "select": _read_codes,
    "ignore": _read_codes,
    "max_answer_words": _read_count,
    "max_front_words": _read_count,
    "max_formula_parts": _read_count,
}
"""How to read each key of the table."""
