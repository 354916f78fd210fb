"""What a run captures per cell: shapes, values, printed text, requested expressions, figures."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import pytest
from lessons_for_tests import build_lesson

from srs.core.errors import RunError
from srs.core.model import FIGURES, CellResult, Lesson
from srs.run import RunOutcome, run_lesson

UTILS = """\
import random


def set_seed(seed):
    random.seed(seed)
    import torch
    torch.manual_seed(seed)
"""

ATTENTION_CELLS = (
    ("markdown", "# Attention scores"),
    "import utils\nutils.set_seed(42)\nimport torch\nQ = torch.randn(3, 4)\nK = torch.randn(5, 4)",
    "#| card: shape\n#| of: scores\nscores = Q @ K.T\nscores.shape",
    "logits = torch.tensor([1.0, 2.0, 3.0])\nn_heads = 8\nscale = 0.5\nprint('heads:', n_heads)",
    "import numpy as np\narr = np.arange(6).reshape(2, 3)\nbig = torch.zeros(20, 20)\nhalf = np.float32(0.5)",
)
SOFTMAX = "torch.softmax(logits, dim=0)"


@pytest.fixture(scope="module")
def attention(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    folder = tmp_path_factory.mktemp("attention")
    (folder / "utils.py").write_text(UTILS)
    lesson: Lesson = build_lesson(folder, *ATTENTION_CELLS)
    messages: list[str] = []
    outcome = run_lesson(lesson, {4: (SOFTMAX, "logits.shape")}, cache_dir=None, progress=messages.append)
    assert messages == [f"lesson.ipynb: cell {n} ({i}/4)" for i, n in enumerate((2, 3, 4, 5), start=1)]
    return outcome


def test_results_cover_every_code_cell_and_only_those(attention: RunOutcome) -> None:
    assert attention.ran
    assert sorted(attention.results) == [2, 3, 4, 5]
    assert all(isinstance(result, CellResult) for result in attention.results.values())
    assert [result.cell for result in attention.results.values()] == sorted(attention.results)


def test_shapes_before_and_after_a_cell(attention: RunOutcome) -> None:
    cell = attention.results[3]
    assert cell.before["Q"].shape == (3, 4)
    assert cell.before["K"].shape == (5, 4)
    assert "scores" not in cell.before
    scores = cell.after["scores"]
    assert (scores.type, scores.shape, scores.dtype) == ("torch.Tensor", (3, 5), "float32")
    assert len(scores.data) == 3 and all(len(row) == 5 for row in scores.data)
    assert scores.repr.startswith("tensor([[")


def test_the_last_expression_is_the_result(attention: RunOutcome) -> None:
    result = attention.results[3].result
    assert result is not None
    assert (result.type, result.data, result.repr) == ("tuple", [3, 5], "torch.Size([3, 5])")
    assert attention.results[2].result is None


def test_tensor_data_matches_the_matrix_product(attention: RunOutcome) -> None:
    cell = attention.results[3]
    q, k, scores = cell.after["Q"].data, cell.after["K"].data, cell.after["scores"].data
    for i in range(3):
        for j in range(5):
            expected = sum(q[i][t] * k[j][t] for t in range(4))
            assert scores[i][j] == pytest.approx(expected, abs=1e-5)


def test_requested_softmax_agrees_with_math_exp(attention: RunOutcome) -> None:
    value = attention.results[4].evaluated[SOFTMAX]
    total = sum(math.exp(x) for x in (1.0, 2.0, 3.0))
    expected = [math.exp(x) / total for x in (1.0, 2.0, 3.0)]
    assert (value.type, value.shape, value.dtype) == ("torch.Tensor", (3,), "float32")
    assert value.data == pytest.approx(expected, rel=1e-6)
    assert attention.results[4].evaluated["logits.shape"].data == [3]


def test_numbers_after_a_cell(attention: RunOutcome) -> None:
    after = attention.results[4].after
    assert (after["n_heads"].type, after["n_heads"].data) == ("int", 8)
    assert (after["scale"].type, after["scale"].data) == ("float", 0.5)
    before = attention.results[5].before  # tensors, arrays and whole numbers: what a shape may be sized by
    assert before["n_heads"].data == 8 and "scale" not in before
    assert attention.results[4].stdout == "heads: 8\n"


def test_numpy_values_and_big_tensors(attention: RunOutcome) -> None:
    after = attention.results[5].after
    arr = after["arr"]
    assert (arr.type, arr.shape, arr.dtype) == ("numpy.ndarray", (2, 3), "int64")
    assert arr.data == [[0, 1, 2], [3, 4, 5]]
    big = after["big"]
    assert (big.shape, big.dtype, big.data) == ((20, 20), "float32", None)
    half = after["half"]
    assert (half.type, half.dtype, half.data) == ("float", "float32", 0.5)
    assert "np" not in after and "torch" not in after


def test_printed_text_display_magics_and_shell_lines(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "print('before')\ndisplay({'a': 1})\n%time total = sum(range(10))\n!echo hi\nprint('after')\ntotal",
        "%%time\nx = 2 ** 10\nprint(x)",
    )
    results = run_lesson(lesson, {}, cache_dir=None).results
    lines = results[1].stdout.splitlines()
    assert lines[:2] == ["before", "{'a': 1}"]
    assert any(line.startswith("Wall time") for line in lines)
    assert lines[-2:] == ["hi", "after"]
    assert results[1].after["total"].data == 45
    assert results[1].result is not None and results[1].result.data == 45
    assert results[2].stdout.startswith("1024\n") and "Wall time" in results[2].stdout


def test_output_that_bypasses_python_is_captured_too(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "import os, subprocess, sys\nprint('from python')\nos.system('echo from a shell')\n"
        "subprocess.run(['echo', 'from a child'])\nos.write(1, b'from the descriptor\\n')\n"
        "print('to the real stdout', file=sys.__stdout__)",
        "print('next cell')",
    )
    results = run_lesson(lesson, {}, cache_dir=None).results
    lines = results[1].stdout.splitlines()
    assert lines[0] == "from python"
    assert sorted(lines[1:]) == sorted(["from a shell", "from a child", "from the descriptor", "to the real stdout"])
    assert results[2].stdout == "next cell\n"


def test_a_trailing_semicolon_hides_the_result_as_in_jupyter(tmp_path: Path) -> None:
    results = run_lesson(build_lesson(tmp_path, "x = [1, 2.5]\nx;", "x"), {}, cache_dir=None).results
    assert results[1].result is None
    assert results[2].result is not None
    assert (results[2].result.type, results[2].result.data) == ("list", [1, 2.5])


def test_the_run_happens_in_the_notebook_folder_with_its_modules(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("GREETING = 'hello from helpers'\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "numbers.txt").write_text("1 2 3\n")
    lesson = build_lesson(
        tmp_path,
        "import helpers, os, sys\nhelpers.GREETING",
        "open('data/numbers.txt').read().split()",
        "os.getcwd() == sys.path[0] and 'torch' not in sys.modules and 'matplotlib' not in sys.modules",
        "os.environ['PYTHONHASHSEED']",
    )
    results = run_lesson(lesson, {}, cache_dir=None).results
    assert results[1].result.repr == "'hello from helpers'"
    assert results[2].result.repr == "['1', '2', '3']"
    assert results[3].result.data is True
    assert results[4].result.repr == "'0'"


def test_figures_are_png_and_the_same_on_every_run(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "import matplotlib.pyplot as plt\nplt.plot([0, 1, 4, 9])\nplt.title('squares')",
        "x = 1",
        "%matplotlib inline\nplt.plot([1, 2])\nplt.show()\nplt.figure()\nplt.bar([0, 1], [3, 1])\n"
        "%matplotlib",
    )
    wanted = {1: (FIGURES,), 3: (FIGURES,)}
    first = run_lesson(lesson, wanted, cache_dir=None).results
    second = run_lesson(lesson, wanted, cache_dir=None).results
    assert len(first[1].figures) == 1
    assert first[1].figures[0].startswith(b"\x89PNG\r\n\x1a\n")
    assert first[2].figures == ()
    assert len(first[3].figures) == 2  # plt.show() ends a figure, as Jupyter's inline backend does
    assert first[3].figures[0] != first[3].figures[1]
    assert first[3].stdout == ""
    assert [r.figures for r in first.values()] == [r.figures for r in second.values()]


def test_figures_nobody_asked_for_are_closed_without_rendering(tmp_path: Path) -> None:
    lesson = build_lesson(tmp_path, "import matplotlib.pyplot as plt\nplt.plot([0, 1])", "plt.get_fignums()")
    results = run_lesson(lesson, {}, cache_dir=None).results
    assert results[1].figures == () and results[2].result.data == []


def test_a_displayed_figure_is_a_figure_not_printed_text(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\nplt.close(fig)",
        "display(fig)\nprint('shown')",
        "display(fig)",
        "display({'a': 1})",
    )
    results = run_lesson(lesson, {2: (FIGURES,)}, cache_dir=None).results
    assert len(results[2].figures) == 1 and results[2].figures[0].startswith(b"\x89PNG")
    assert results[2].stdout == "shown\n"
    assert results[3].figures == () and results[3].stdout == ""  # nobody asked for its figures
    assert results[4].stdout == "{'a': 1}\n"


def test_a_displayed_png_image_is_a_figure_after_the_drawn_ones(tmp_path: Path) -> None:
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    (tmp_path / "map.png").write_bytes(png)
    lesson = build_lesson(
        tmp_path,
        "from IPython.display import Image, display\nimport matplotlib.pyplot as plt\n"
        "display(Image(filename='map.png', width=40))\nplt.plot([0, 1])\nprint('shown')",
        "Image(filename='map.png')",
        "display(Image(filename='map.png'))",
        "Image(url='https://example.org/map.png')",
        "plt.get_cmap('viridis')",
    )
    wanted = {1: (FIGURES,), 2: (FIGURES,), 4: (FIGURES,), 5: (FIGURES,)}
    results = run_lesson(lesson, wanted, cache_dir=None).results
    first = results[1].figures
    assert len(first) == 2 and first[0] != png and first[0].startswith(b"\x89PNG") and first[1] == png
    assert results[1].stdout == "shown\n"  # the image is not printed as text
    assert results[2].figures == (png,)  # a cell's value that is an image, as Jupyter shows it
    assert results[3].figures == () and results[3].stdout == ""  # nobody asked for its figures
    assert results[4].figures == ()  # a linked image holds no PNG
    (colormap,) = results[5].figures  # Jupyter shows a colormap value as its colour bar
    assert colormap.startswith(b"\x89PNG") and results[5].stdout == ""


def test_a_figure_that_cannot_be_drawn_fails_its_cell(tmp_path: Path) -> None:
    # unbalanced mathtext raises only when the figure is drawn, which happens after the cell ran
    lesson = build_lesson(
        tmp_path,
        "import matplotlib.pyplot as plt\nplt.title(r'$\\frac{1$')",
        "after = 1",
    )
    with pytest.raises(RunError) as caught:
        run_lesson(lesson, {1: (FIGURES,)}, cache_dir=None)
    assert caught.value.location.cell == 1
    assert "while its figure was drawn" in str(caught.value) and "ValueError" in str(caught.value)


SLOW_FIGURE = (
    "import time\nimport matplotlib.pyplot as plt\nfrom matplotlib.artist import Artist\n"
    "class Slow(Artist):\n    def draw(self, renderer):\n        time.sleep(0.5)\n"
    "fig = plt.figure()\nfig.add_artist(Slow())\nplt.show()"
)
"""A cell that shows a figure taking a second to draw (the tight bounding box draws it twice)."""


@pytest.mark.skipif(sys.platform != "linux", reason="srs draws beside the next cells only on Linux")
def test_a_cells_result_does_not_wait_for_an_earlier_cells_figure(tmp_path: Path) -> None:
    # while cell 1's figure is drawn, cell 2 runs and its result goes to the parent at once
    lesson = build_lesson(
        tmp_path,
        SLOW_FIGURE,
        "x = 1",
    )
    arrived: list[int] = []
    outcome = run_lesson(lesson, {1: (FIGURES,), 2: ("x",)}, cache_dir=None, on_result=lambda r: arrived.append(r.cell))
    assert arrived == [2, 1]
    assert len(outcome.results[1].figures) == 1 and outcome.results[2].evaluated["x"].data == 1


@pytest.mark.skipif(sys.platform != "linux", reason="srs draws beside the next cells only on Linux")
def test_a_collection_the_lesson_asks_for_works_while_a_figure_is_drawn(tmp_path: Path) -> None:
    # as in Jupyter: gc.collect() frees a cycle, whatever srs does to keep drawings cheap
    lesson = build_lesson(
        tmp_path,
        "import gc, weakref\nclass Node:\n    pass\nn = Node()\nn.me = n\ngone = weakref.ref(n)\n" + SLOW_FIGURE,
        "del n\ngc.collect()\nfreed = gone() is None",
    )
    outcome = run_lesson(lesson, {1: (FIGURES,), 2: ("freed",)}, cache_dir=None)
    assert outcome.results[2].evaluated["freed"].data is True


def test_later_cells_do_not_change_a_figure_already_shown(tmp_path: Path) -> None:
    # the drawing of a shown figure happens beside the next cells, yet shows the figure as it was
    lesson = build_lesson(
        tmp_path,
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([0, 1])\nplt.show()",
        "ax.plot([1, 0])\nax.set_title('changed later')",
        "import matplotlib.pyplot as plt\nfig2, ax2 = plt.subplots()\nax2.plot([0, 1])\nplt.show()",
    )
    results = run_lesson(lesson, {1: (FIGURES,), 3: (FIGURES,)}, cache_dir=None).results
    assert results[1].figures == results[3].figures


def test_a_lessons_exit_handlers_still_run(tmp_path: Path) -> None:
    lesson = build_lesson(
        tmp_path,
        "import atexit, pathlib\natexit.register(lambda: pathlib.Path('bye.txt').write_text('bye'))",
    )
    run_lesson(lesson, {}, cache_dir=None)
    assert (tmp_path / "bye.txt").read_text() == "bye"


def test_a_finished_worker_and_what_it_started_are_ended_and_reaped(tmp_path: Path) -> None:
    # the run returns without waiting for the kernel to free the worker; a thread reaps it
    from srs.run import start_worker

    lesson = build_lesson(tmp_path, "import subprocess\nsleeper = subprocess.Popen(['sleep', '60'])\npid = sleeper.pid")
    worker = start_worker(lesson)
    outcome = run_lesson(lesson, {1: ("pid",)}, cache_dir=None, worker=worker)
    deadline = time.monotonic() + 10
    while worker.process.returncode is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert worker.process.returncode is not None  # reaped: no zombie, no "still running" warning
    sleeper = outcome.results[1].evaluated["pid"].data
    while _alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _alive(sleeper)  # the worker's process group went with it


def _alive(pid: int) -> bool:
    """Is the process running (a zombie waiting to be reaped counts as ended)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
