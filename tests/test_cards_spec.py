"""Every example on every page of cards_spec/ runs here, so the spec cannot drift from srs.

A page shows a notebook in a fenced `srs-example` block (cells separated by `# %%` lines, jupytext's
percent format) followed by what srs must make of it: `srs-cards` (a JSON list of cards; each listed
string must appear in the card's field, other values must be equal), `srs-error` (text the error
message must contain) or `srs-lint` (the linter's finding codes, one per line, or `none`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import notebook_json

from srs.build.lesson import BuildOptions, collect_cards
from srs.cli.read_commands import card_as_dict
from srs.core.config import Settings
from srs.core.errors import SrsError
from srs.render.fields import render_fields

SPEC = Path(__file__).resolve().parent.parent / "cards_spec"
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(srs-[a-z]+)\s*$")
MARKER = re.compile(r"^# %%(?:\s+\[(markdown|md)\])?(?:\s+id=\"?([\w-]+)\"?)?\s*$")


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    notebook: str
    expect_kind: str
    expected: str

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, info, body) of each srs-* fenced block of a page."""
    blocks, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence, info, start = match.group(1), match.group(2), index
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == fence)
        blocks.append((start + 1, info, "\n".join(lines[index + 1 : end])))
        index = end + 1
    return blocks


def collect_examples() -> list[Example]:
    examples = []
    for page in sorted(SPEC.rglob("*.md")):
        blocks = fenced_blocks(page.read_text(encoding="utf-8"))
        for (line, info, body), following in zip(blocks, [*blocks[1:], (0, "", "")], strict=False):
            if info == "srs-example":
                assert following[1] in {"srs-cards", "srs-error", "srs-lint"}, f"{page}:{line}: example without expectation"
                examples.append(Example(str(page.relative_to(SPEC)), line, body, following[1], following[2]))
    return examples


def percent_cells(text: str) -> list[tuple[str, str, str]]:
    """Cells of a percent-format notebook: (type, source, id)."""
    cells: list[list[Any]] = []
    for line in text.splitlines():
        if match := MARKER.match(line):
            kind = "md" if match.group(1) else "code"
            cells.append([kind, [], match.group(2) or f"c{len(cells) + 1}"])
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"text before the first `# %%` marker: {line!r}")
    return [(kind, _uncomment("\n".join(lines).strip("\n")) if kind == "md" else "\n".join(lines).strip("\n"), cid)
            for kind, lines, cid in cells]


def _uncomment(source: str) -> str:
    # jupytext writes markdown lines as comments ("# text"); accept plain markdown as well.
    lines = source.splitlines()
    if lines and all(line.startswith("# ") or line == "#" for line in lines if line.strip()):
        return "\n".join(line[2:] for line in lines)
    return source


EXAMPLES = collect_examples()


def test_the_spec_has_examples():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_spec_example(example: Example, tmp_path: Path):
    path = tmp_path / "example.ipynb"
    path.write_text(json.dumps(notebook_json(percent_cells(example.notebook))))
    try:
        lesson, cards, _ = collect_cards(path, Settings(), BuildOptions(out_dir=tmp_path / "decks"))
        for card in cards:  # what only rendering finds: images, unsafe math, field sizes
            render_fields(card, lesson, Settings())
    except SrsError as error:
        assert example.expect_kind == "srs-error", f"unexpected error: {error}"
        assert example.expected.strip() in str(error)
        return
    assert example.expect_kind != "srs-error", f"expected an error, got {len(cards)} card(s)"
    if example.expect_kind == "srs-cards":
        check_cards([card_as_dict(c) for c in cards], json.loads(example.expected))
    else:
        check_lint(cards, lesson, example.expected)


def check_cards(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(actual) == len(expected), [a["front"] for a in actual]
    for got, wanted in zip(actual, expected, strict=True):
        for key, value in wanted.items():
            if isinstance(value, str):
                assert _flat(value) in _flat(str(got[key])), f"{key}: {value!r} not in {got[key]!r}"
            elif key == "media":
                assert len(got["media"]) == value
            else:
                assert got[key] == value, key


def _flat(text: str) -> str:
    return " ".join(text.split())


def check_lint(cards: list[Any], lesson: Any, expected: str) -> None:
    from srs.lint import LintConfig, lint

    codes = sorted(f.code for f in lint(cards, lesson, LintConfig()))
    wanted = [] if expected.strip() == "none" else sorted(expected.split())
    assert codes == wanted
