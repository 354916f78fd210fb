"""Error codes live in one table (cards_spec/errors/README.md), each with its page and a test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ERRORS = ROOT / "cards_spec" / "errors"
CODE = re.compile(r"SRS[0-9]{3}")
LINT_CODE = re.compile(r"SRS1[0-9]{2}")


def codes_in(paths: list[Path]) -> set[str]:
    return {code for path in paths for code in CODE.findall(path.read_text(encoding="utf-8"))}


def source_codes() -> set[str]:
    return {code for code in codes_in(sorted((ROOT / "srs").rglob("*.py"))) if not LINT_CODE.fullmatch(code)}


def table_codes() -> set[str]:
    return set(re.findall(r"^\| \[(SRS[0-9]{3})\]\(\1\.md\) \|", (ERRORS / "README.md").read_text(), re.MULTILINE))


def test_every_code_srs_uses_is_in_the_table_with_a_page():
    used = source_codes()
    assert used <= table_codes(), sorted(used - table_codes())
    missing_pages = sorted(code for code in used if not (ERRORS / f"{code}.md").is_file())
    assert not missing_pages


def test_the_table_lists_only_codes_srs_uses():
    assert table_codes() <= source_codes(), sorted(table_codes() - source_codes())
    pages = {path.stem for path in ERRORS.glob("SRS*.md")}
    assert pages == table_codes()


def test_every_code_has_a_test():
    # a test names the code it expects; spec pages' `srs-error` examples run in test_cards_spec.py
    tests = codes_in([p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_error_codes.py"])
    examples = set()
    for page in (ROOT / "cards_spec").rglob("*.md"):
        examples |= set(re.findall(r"```srs-error\n[^`]*?\[(SRS[0-9]{3})\]", page.read_text()))
    untested = sorted(table_codes() - tests - examples)
    assert not untested
