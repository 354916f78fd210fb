"""The run cache: an unchanged lesson runs no code; any change to code, modules or data runs it again."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from lessons_for_tests import build_lesson

import srs
from srs.core.model import Cell, CellResult, Lesson, Value
from srs.run import cached_results, run_lesson
from srs.run.cache import FORMAT, cache_path
from srs.run.codec import ResultReader, ResultWriter, result_from_json, result_to_json

CELLS = (
    ("markdown", "# Counting"),
    "#| card: numeric\n#| of: total\nimport helpers\ntotal = helpers.add(2, 3)",
    ("markdown", "Q: What is total?\nA: five"),
    "print(open('data/words.txt').read().strip())\ntotal * 2",
)
REQUESTS = {2: ("total + 1",)}


@pytest.fixture
def counting(tmp_path: Path) -> Lesson:
    (tmp_path / "helpers.py").write_text("def add(a, b):\n    return a + b\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "words.txt").write_text("one two\n")
    return build_lesson(tmp_path, *CELLS)


def edit_cell(lesson: Lesson, index: int, source: str) -> Lesson:
    cells = tuple(dataclasses.replace(c, source=source) if c.index == index else c for c in lesson.cells)
    return dataclasses.replace(lesson, cells=cells)


def run(lesson: Lesson, cache: Path, requests=REQUESTS, **options):
    return run_lesson(lesson, requests, cache_dir=cache, **options)


def test_an_unchanged_lesson_comes_from_the_cache(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(counting, cache)
    second = run(counting, cache)
    assert first.ran and not second.ran
    assert second.results == first.results
    assert second.results[4].stdout == "one two\n"
    assert second.results[2].evaluated["total + 1"].data == 6
    assert cached_results(counting, REQUESTS, cache) == first.results
    assert [p.name for p in cache.iterdir()] == ["lesson.jsonl"]


def test_the_cache_misses_without_a_file_and_when_not_used(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert cached_results(counting, REQUESTS, cache) is None
    run(counting, cache)
    assert run(counting, cache, use_cache=False).ran
    assert run(counting, None).ran


def test_editing_a_code_cell_runs_again(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    edited = edit_cell(counting, 4, "print(open('data/words.txt').read().strip())\ntotal * 3")
    assert cached_results(edited, REQUESTS, cache) is None
    outcome = run(edited, cache)
    assert outcome.ran and outcome.results[4].result.data == 15
    assert not run(edited, cache).ran


def test_editing_a_sibling_module_runs_again(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    (tmp_path / "helpers.py").write_text("def add(a, b):\n    return a + b + 100\n")
    outcome = run(counting, cache)
    assert outcome.ran and outcome.results[2].after["total"].data == 105


def test_editing_a_data_file_runs_again(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    (tmp_path / "data" / "words.txt").write_text("three four\n")
    outcome = run(counting, cache)
    assert outcome.ran and outcome.results[4].stdout == "three four\n"


def test_new_requests_run_again(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    assert run(counting, cache, {2: ("total + 1", "total - 1")}).ran


def test_a_new_raises_exception_tag_runs_again(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    tagged = tuple(
        dataclasses.replace(c, tags=("raises-exception",)) if c.index == 4 else c for c in counting.cells
    )
    assert run(dataclasses.replace(counting, cells=tagged), cache).ran


def test_markdown_and_option_edits_keep_the_cache(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(counting, cache)
    edited = edit_cell(counting, 3, "Q: What is the total?\nA: 5")
    edited = edit_cell(
        edited, 2, "#| card: numeric\n#| of: total\n# | digits: 2\nimport helpers\ntotal = helpers.add(2, 3)"
    )
    assert not run(edited, cache).ran
    # A new markdown cell renumbers the cells after it; their results follow them.
    cells = (
        Cell(1, "new", "markdown", "Intro."),
        *(dataclasses.replace(c, index=c.index + 1) for c in edited.cells),
    )
    moved = dataclasses.replace(edited, cells=cells)
    outcome = run(moved, cache, {3: ("total + 1",)})
    assert not outcome.ran
    assert sorted(outcome.results) == [3, 5]
    assert outcome.results[5] == dataclasses.replace(first.results[4], cell=5)


def test_a_corrupt_cache_file_is_a_miss(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(counting, cache)
    file = cache_path(cache, counting)
    good = file.read_text().splitlines()
    header = json.loads(good[0])
    for garbage in (
        "{not json",
        '{"format": 1, "cells": [{"key": 3}]}',
        "[]",
        "",
        json.dumps({**header, "format": 1}) + "\n" + "\n".join(good[1:]),  # an older layout
        "\n".join(good[:-1]),  # a result missing
        "\n".join([*good[:-1], "{broken"]),  # a result damaged
    ):
        file.write_text(garbage)
        assert cached_results(counting, REQUESTS, cache) is None
        assert run(counting, cache).ran
    assert json.loads(file.read_text().splitlines()[0])["format"] == FORMAT


def test_a_run_without_the_cache_keeps_the_entries_past_its_end(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full = run(counting, cache)
    partial = run(counting, cache, upto=3, use_cache=False)
    assert partial.ran and sorted(partial.results) == [2]
    again = cached_results(counting, REQUESTS, cache)
    assert again is not None and again[4] == full.results[4]


def test_each_cache_line_holds_only_what_its_cell_changed(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "import torch\nbig = torch.arange(200.0)\nsmall = torch.zeros(2)",
        "n = 3",
        "small = small + n",
        "del n",
    )
    outcome = run(lesson, tmp_path / "cache", {})
    lines = [json.loads(line) for line in cache_path(tmp_path / "cache", lesson).read_text().splitlines()[1:]]
    assert [sorted(line["after"]["changed"]) for line in lines] == [["big", "small"], ["n"], ["small"], []]
    assert [line["after"]["gone"] for line in lines] == [[], [], [], ["n"]]
    assert all(not line["before"]["changed"] for line in lines)
    assert cached_results(lesson, {}, tmp_path / "cache") == outcome.results
    assert outcome.results[4].before["big"].data == list(range(200))
    assert sorted(outcome.results[4].after) == ["big", "small"]


def test_a_partial_run_serves_later_partial_runs_only(counting: Lesson, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    partial = run(counting, cache, upto=3)
    assert partial.ran and sorted(partial.results) == [2]
    assert not run(counting, cache, upto=2).ran
    assert cached_results(counting, REQUESTS, cache) is None
    assert run(counting, cache).ran
    assert not run(counting, cache, upto=2).ran


def test_a_failed_run_leaves_the_cache_alone(counting: Lesson, tmp_path: Path) -> None:
    from srs.core.errors import RunError

    cache = tmp_path / "cache"
    run(counting, cache)
    before = cache_path(cache, counting).read_bytes()
    with pytest.raises(RunError):
        run(edit_cell(counting, 4, "raise RuntimeError('no')"), cache)
    assert cache_path(cache, counting).read_bytes() == before


def test_a_cache_hit_imports_neither_torch_nor_ipython(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path, "import torch\nx = torch.ones(2, 3)", ("markdown", "Shapes."), "y = x.sum(0)"
    )
    requests = {3: ("y.shape",)}
    cache = tmp_path / "cache"
    assert run(lesson, cache, requests).results[3].after["y"].shape == (3,)
    (tmp_path / "lesson.pickle").write_bytes(pickle.dumps((lesson, requests, cache)))
    check = (
        "import pickle, sys\n"
        "from srs.run import cached_results, run_lesson\n"
        f"lesson, requests, cache = pickle.loads(open({str(tmp_path / 'lesson.pickle')!r}, 'rb').read())\n"
        "results = cached_results(lesson, requests, cache)\n"
        "assert results is not None and results[3].evaluated['y.shape'].data == [3]\n"
        "assert not run_lesson(lesson, requests, cache_dir=cache).ran\n"
        "heavy = sorted({'torch', 'numpy', 'IPython', 'matplotlib'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    root = str(Path(srs.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root}
    finished = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr


def test_results_survive_the_json_round_trip() -> None:
    result = CellResult(
        cell=4,
        stdout="hi\n",
        result=Value("tuple", "torch.Size([3, 5])", data=[3, 5]),
        before={"Q": Value("torch.Tensor", "tensor(...)", (3, 4), "float32", None)},
        after={
            "n": Value("int", "8", data=8),
            "m": Value("numpy.ndarray", "array([1.5])", (1,), "float64", [1.5]),
        },
        evaluated={"Q.shape": Value("tuple", "torch.Size([3, 4])", data=[3, 4])},
        figures=(b"\x89PNG\r\n\x1a\n\x00\xff",),
    )
    assert result_from_json(json.loads(json.dumps(result_to_json(result)))) == result


def test_results_written_as_differences_read_back_whole_in_any_cell_order() -> None:
    def tensor(*data: float) -> Value:
        return Value("torch.Tensor", f"tensor({list(data)})", (len(data),), "float32", list(data))

    q = tensor(1.0, 2.0)
    first = CellResult(cell=2, after={"n": Value("int", "1", data=1), "q": q})
    third = CellResult(cell=6, before={"q": q}, after={"q": q, "k": tensor(3.0)})
    second = CellResult(cell=4, before={"q": q}, after={"n": Value("int", "1", data=1), "q": tensor(0.5)})
    writer, reader = ResultWriter(), ResultReader()
    written = [json.loads(json.dumps(writer.write(result))) for result in (first, third, second)]
    assert [reader.read(data) for data in written] == [first, third, second]
    assert written[1]["before"] == {"changed": {}, "gone": ["n"]}
    assert written[1]["after"] == {"changed": {"k": result_to_json(third)["after"]["changed"]["k"]}, "gone": ["n"]}
    assert sorted(written[2]["after"]["changed"]) == ["n", "q"]
