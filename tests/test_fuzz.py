"""A seeded mutation loop: hundreds of broken variants of the lessons and the spec's examples.

Whatever a variant breaks (the JSON, the cell structure, the options, the markdown), `srs build`
must answer with exit code 0, 1 or 2, no traceback, one line per problem, and on failure the deck
from the previous build must still be there, byte for byte. Only notebooks whose cards need no run
are used (code cells without `card:`), so the loop costs seconds, not hundreds of notebook runs.
Set SRS_FUZZ_ROUNDS for a longer run and SRS_FUZZ_SEED for other variants; a failure prints its seed
and round, which replay it.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from support import notebook_json
from test_cards_spec import EXAMPLES, percent_cells
from typer.testing import CliRunner

from srs.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("SRS_FUZZ_ROUNDS", "240"))
SEED = int(os.environ.get("SRS_FUZZ_SEED", "20261206"))

SNIPPETS = [
    "{{c1::", "}}", "{{c-1::x}}", "{{c99999999999999999999::x}}", "{{c1::a {{c2::b}} }}", "{{c1::x::",
    "$", "$$", "$$\n", "\\$", "Q:", "A:", "\n\nA:", "\n\nQ: ", "**Q:**", "<!-- #| card: formula -->\n",
    "<!-- #| card: derivation\n     #| name: d -->\n", "<!-- #| id: null -->\n", "<!-- #| tags: one two -->\n",
    "<!-- #| hide: true -->\n", "<!-- #| id: a\n     #| id: b -->\n", "<!-- #| x: !!python/object:os.system [] -->\n",
    "<!-- #| card: qa -->\n", "<!-- #| card: cloze -->\n", "<!-- #| card: shape -->\n", "<!-- #| example: {x: .inf} -->\n",
    "<!-- #| tags: " + "[" * 200 + "]" * 200 + " -->\n", "\\href{javascript:x}{y}", "\\style{color:red}{x}",
    "![x](nope.png)", "![x](file:///etc/passwd)", "![x][ref]", "![x](attachment:none.png)", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "\ud800", "\x00", "\x1b[2J", "```", "```python\n", "~~~", "\\begin{align}", "\\end{align}",
    "&&", "\\\\", "= ", "\\sum_{j=1}^{n}", "\\frac{", "#| card: numeric\n", "# Heading\n", "\n", "\r\n", "-" * 3,
    "x" * 5000, "😀", "\u202e", "<!--", "-->", "[1]: x.png", "|a|b|\n|-|-|\n",
]
VALUES: list[Any] = [
    None, True, 0, -1, 3.5, 10**400, float("inf"), "", "x" * 300, "\ud800", [], {}, [["a"]], ["a", 1], {"a": None},
    [[[[[[[[[[[]]]]]]]]]]], "heading", "markdown", "code", "raw",
]
CELL_KEYS = ["cell_type", "source", "metadata", "id", "attachments", "outputs", "execution_count"]


def base_notebooks() -> list[dict[str, Any]]:
    """The spec's examples and the lessons' markdown, as notebooks whose cards need no run."""
    bases = []
    for example in EXAMPLES:
        cells = percent_cells(example.notebook)
        if all(kind == "md" or "card:" not in source for kind, source, _ in cells):
            bases.append(notebook_json(cells))
    for lesson in sorted((ROOT / "lessons").glob("*.ipynb")):
        data = json.loads(lesson.read_text(encoding="utf-8"))
        data["cells"] = [cell for cell in data["cells"] if cell["cell_type"] == "markdown"]
        bases.append(data)
    return bases


def mutate(data: dict[str, Any], rng: random.Random) -> str:
    """One to three random changes to a notebook, returned as the file's text.

    Most variants keep a valid notebook and break only the text of cells (what srs parses most);
    the rest break the structure or the file itself.
    """
    data = json.loads(json.dumps(data))
    cells = data["cells"]
    text_only = rng.random() < 0.65
    for _ in range(rng.randint(1, 3)):
        operation = 0 if text_only else rng.randrange(1, 8)
        cell = rng.choice(cells) if cells else None
        if operation == 0 and cell is not None:
            cell["source"] = _edit_text("".join(cell["source"]), rng)
        elif operation <= 2 and cell is not None:
            cell["cell_type"] = rng.choice(["markdown", "code", "raw"])
            if cell["cell_type"] == "code":
                cell.update(outputs=[], execution_count=None)
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        elif operation == 3 and cell is not None:
            cell[rng.choice(CELL_KEYS)] = rng.choice(VALUES)
        elif operation == 4 and cell is not None:
            cell.pop(rng.choice(CELL_KEYS), None)
        elif operation == 5 and cells:
            copy = json.loads(json.dumps(rng.choice(cells)))
            if rng.random() < 0.7:
                copy["id"] = f"copy{rng.randrange(10**6)}"
            cells.insert(rng.randrange(len(cells) + 1), copy)
        elif operation == 6:
            key = rng.choice(["cells", "metadata", "nbformat", "nbformat_minor", "srs"])
            target = data["metadata"] if key == "srs" and isinstance(data.get("metadata"), dict) else data
            target[key] = {"id": rng.choice(VALUES)} if key == "srs" else rng.choice(VALUES)
        else:
            return _damage_file(json.dumps(data), rng)
    return json.dumps(data)


def _edit_text(text: str, rng: random.Random) -> str:
    at = rng.randint(0, len(text))
    choice = rng.randrange(3)
    if choice == 0:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if choice == 1:
        return text[:at] + text[at + rng.randint(1, 40) :]
    lines = text.split("\n")
    rng.shuffle(lines)
    return "\n".join(lines)


def _damage_file(text: str, rng: random.Random) -> str:
    at = rng.randrange(max(len(text), 1))
    if rng.random() < 0.5:
        return text[:at]
    return text[:at] + rng.choice(["\\ud800", "\\u0000", "{", "]", '"', "\\"]) + text[at + 1 :]


@pytest.mark.parametrize("part", range(4))
def test_mutated_notebooks_never_crash_and_keep_the_previous_deck(part: int, tmp_path: Path):
    rng = random.Random(SEED + part)
    bases = base_notebooks()
    path, out = tmp_path / "lesson.ipynb", tmp_path / "decks"
    deck = out / "lesson.apkg"
    for round_ in range(ROUNDS // 4):
        base = rng.choice(bases)
        path.write_text(json.dumps(base), encoding="utf-8")
        CliRunner().invoke(app, ["build", str(path), "--out", str(out)])  # the deck a failure must keep
        before = deck.read_bytes() if deck.exists() else None
        text = mutate(base, rng)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        result = CliRunner().invoke(app, ["build", str(path), "--out", str(out)])
        where = f"seed {SEED + part}, round {round_}: {text[:300]!r}"
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not crashed, f"{where}\n{result.exception!r}"
        assert result.exit_code in (0, 1, 2), where
        assert "Traceback" not in result.output, where
        problems = [line for line in result.stderr.splitlines() if "[SRS" in line]
        assert all(line.startswith(str(path)) for line in problems), where
        if result.exit_code != 0:
            assert len(problems) >= 1, where
            assert (deck.read_bytes() if deck.exists() else None) == before, where
        assert not [p for p in tmp_path.rglob("*.tmp")], where


def test_the_schema_reader_agrees_with_a_json_schema_validator():
    # fastjsonschema comes with nbformat; srs does not use it, to spare every build its import
    import copy

    import fastjsonschema

    from srs.notebook.schema import SchemaProblem, _check, _schema

    reference = fastjsonschema.compile(copy.deepcopy(_schema()))
    rng = random.Random(SEED)
    bases = base_notebooks()
    bases += [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "lessons").glob("*.ipynb"))]
    verdicts = {True: 0, False: 0}
    for round_ in range(600):
        try:
            data = json.loads(mutate(rng.choice(bases), rng))
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        try:
            reference(data)
            expected = True
        except fastjsonschema.JsonSchemaValueException:
            expected = False
        try:
            _check(data, _schema(), (), _schema())
            found = True
        except SchemaProblem:
            found = False
        assert found == expected, f"round {round_}: {json.dumps(data)[:300]}"
        verdicts[found] += 1
    assert min(verdicts.values()) > 50  # both valid and invalid notebooks were tried
