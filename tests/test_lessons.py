"""The shipped lessons build into the decks the README promises, and those decks import into Anki."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support import BuiltLessons, import_deck

from srs.build.lesson import BuildOptions, BuildReport, build_lesson

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
ALL_KINDS = {"qa", "cloze", "formula", "derivation", "shape", "numeric", "output", "figure"}


@pytest.fixture(scope="module")
def attention(built_lessons: BuiltLessons) -> BuildReport:
    # built again from the session build's run cache: the cards in memory, without running the lesson
    return build_lesson(LESSONS / "07-attention.ipynb", BuildOptions(out_dir=built_lessons.out, force=True))


@pytest.mark.slow
def test_every_lesson_builds_and_lints_clean(built_lessons: BuiltLessons):
    assert built_lessons.returncode == 0, built_lessons.output
    notebooks = sorted(LESSONS.glob("*.ipynb"))
    assert len(notebooks) >= 2
    lines = built_lessons.output.splitlines()
    for notebook in notebooks:
        deck = built_lessons.deck(notebook.name)
        assert deck.is_file(), notebook.name
        assert any(line.startswith(f"lessons/{notebook.name} -> {deck}: ") and " cards (" in line for line in lines)
    # no lint finding, no unverified step, none across decks: every message has a code in brackets
    assert "[SRS" not in built_lessons.output, built_lessons.output


@pytest.mark.slow
def test_every_curriculum_lesson_has_at_least_25_cards(built_lessons: BuiltLessons):
    curriculum = [p for p in sorted(LESSONS.glob("*.ipynb")) if re.match(r"(0[1-9]|1[0-2])-", p.name)]
    for notebook in curriculum:
        line = next(line for line in built_lessons.output.splitlines() if line.startswith(f"lessons/{notebook.name} -> "))
        cards = int(re.search(r": (\d+) cards \(", line).group(1))
        assert cards >= 25, line


def test_attention_deck_uses_every_kind_and_has_at_least_40_cards(attention: BuildReport):
    counts = attention.counts()
    assert set(counts) == ALL_KINDS
    assert sum(counts.values()) >= 40


def test_attention_deck_is_lint_clean_and_fully_verified(attention: BuildReport):
    assert attention.findings == []
    assert not [card.key for card in attention.cards if "unverified" in card.tags]


def test_attention_lesson_has_no_blanket_lint_ignores():
    notebook = (LESSONS / "07-attention.ipynb").read_text()
    assert "lint:" not in notebook
    assert "[tool.srs.lint]" not in (ROOT / "pyproject.toml").read_text()


def test_attention_deck_imports_into_anki(attention: BuildReport, collection: Any):
    import_deck(collection, attention.deck_path)
    assert collection.note_count() == len(attention.cards)
    assert collection.card_count() == sum(attention.counts().values())
    tagged = Counter()
    for nid in collection.find_notes(""):
        kinds = [t.split("::")[1] for t in collection.get_note(nid).tags if t.startswith("kind::")]
        assert len(kinds) == 1
        tagged[kinds[0]] += 1
    assert set(tagged) == ALL_KINDS
    assert collection.decks.id_for_name("ML::Attention from scratch") is not None
    shapes = collection.find_notes("tag:kind::shape")
    assert all('src="srs-' in collection.get_note(n)["Diagram"] for n in shapes)
    media = Path(collection.media.dir())
    assert all((media / m.name).exists() for card in attention.cards for m in card.media)


def test_readme_first_command_builds_this_deck():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "README has no 'Two commands' block"
    first, second = [line.split("#")[0].strip() for line in block.group(1).strip().splitlines()]
    assert (first, second) == ("make deck", "make test")
    # -B: show the set-up steps too, as a fresh machine would run them
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-B", "deck"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert dry.index("pip install --quiet torch==2.13.0") < dry.index("pip install --quiet -e '.[test]'")
    assert dry.strip().splitlines()[-1].endswith("srs build lessons/07-attention.ipynb")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_dot_product_lesson_builds(built_lessons: BuiltLessons):
    report = build_lesson(LESSONS / "00-dot-product.ipynb", BuildOptions(out_dir=built_lessons.out, force=True))
    assert not report.ran
    assert set(report.counts()) == ALL_KINDS and report.findings == []


def test_set_seed_covers_python_numpy_and_torch():
    probe = (
        "import random, numpy, torch, utils\n"
        "def draw(): return (random.random(), float(numpy.random.rand()), float(torch.rand(1)))\n"
        "utils.set_seed(42); first = draw(); utils.set_seed(42); second = draw(); utils.set_seed(7)\n"
        "assert first == second and draw() != first\nprint('ok')"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=LESSONS, capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


# the lessons whose code runs in under a minute on two cores; the others run under srs in the build test
QUICK_LESSONS = [
    "00-dot-product.ipynb",
    "01-numpy-neural-net.ipynb",
    "02-backprop-from-scratch.ipynb",
    "03-activations-visualized.ipynb",
    "04-optimization-landscape.ipynb",
    "05-rnn-from-scratch.ipynb",
    "06-lstm-from-scratch.ipynb",
    "07-attention.ipynb",
    "08-minimal-transformer.ipynb",
]


@pytest.mark.parametrize("name", QUICK_LESSONS)
def test_lesson_runs_under_real_jupyter(name: str, tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--output-dir", str(tmp_path), "--output", "executed", str(LESSONS / name)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_lessons_are_committed_without_outputs_and_with_cell_ids():
    for path in sorted(LESSONS.glob("*.ipynb")):
        data = json.loads(path.read_text())
        ids = [cell.get("id") for cell in data["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), path.name
        assert not [c for c in data["cells"] if c.get("outputs")], path.name
