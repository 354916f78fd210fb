"""Shape, numeric, output and figure cards, made from run results built by hand."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import srs.kinds.figure  # noqa: F401  (each import registers its kind)
import srs.kinds.numeric  # noqa: F401
import srs.kinds.output  # noqa: F401
import srs.kinds.shape  # noqa: F401
from srs.core.errors import CheckFailed, OptionError, SourceError
from srs.core.model import Card, CardSource, Cell, CellResult, Lesson, Location, Value
from srs.kinds import KINDS, MakeContext

PATH = Path("lessons/attention.ipynb")
CELL = 4


def source(kind: str, code: str, **options: Any) -> CardSource:
    location = Location(PATH, CELL, "abc123", 1)
    cell = Cell(CELL, "abc123", "code", code, location=location)
    return CardSource(kind, {"card": kind, **options}, code, cell, location, 0)


def tensor(shape: tuple[int, ...], data: Any = None) -> Value:
    return Value("torch.Tensor", "tensor(...)", shape, "float32", data)


def make(src: CardSource, result: CellResult | None = None) -> Card:
    results = {} if result is None else {CELL: result}
    lesson = Lesson(PATH, "attention", "Attention", (src.cell,), True)
    [card] = KINDS[src.kind].make(src, MakeContext(lesson, results))
    return card


def run(
    before: Mapping[str, Value] | None = None,
    evaluated: Mapping[str, Value] | None = None,
    after: Mapping[str, Value] | None = None,
    **fields: Any,
) -> CellResult:
    return CellResult(CELL, before=before or {}, evaluated=evaluated or {}, after=after or {}, **fields)


def softmax(xs: list[float]) -> list[float]:
    exps = [math.exp(x) for x in xs]
    return [e / sum(exps) for e in exps]


QK = {"Q": tensor((3, 4)), "K": tensor((5, 4))}
DIMS = {"Q": ["tokens", "d_k"], "K": ["tokens", "d_k"], "scores": ["tokens", "tokens"]}


# --- shape ---------------------------------------------------------------------------------------


def test_shape_card_answers_with_the_real_shape_and_lists_the_inputs() -> None:
    src = source("shape", "scores = Q @ K.T\n")
    assert KINDS["shape"].requests(src) == ("scores",)
    card = make(src, run(before=QK, evaluated={"scores": tensor((3, 5))}))
    assert card.back == "`(3, 5)`"
    assert "```python\nscores = Q @ K.T\n```" in card.front
    assert "- `Q`: (3, 4)" in card.front and "- `K`: (5, 4)" in card.front
    assert card.front.endswith("What is the shape of `scores`?")
    assert card.code == ""  # the front shows the whole cell already
    assert card.key == "abc123:shape:0" and card.kind == "shape"
    assert card.authored_front is None
    [diagram] = card.media
    assert diagram.name.endswith(".svg") and b"(3, 5)" in diagram.data


def test_shape_card_names_dimensions_when_given() -> None:
    card = make(
        source("shape", "scores = Q @ K.T", dims=DIMS), run(before=QK, evaluated={"scores": tensor((3, 5))})
    )
    assert card.back == "`(3, 5)` — tokens × tokens"
    assert "- `Q`: (3, 4) — tokens × d_k" in card.front
    assert "tokens × tokens" not in card.front


def test_authored_front_replaces_only_the_question() -> None:
    src = source("shape", "scores = Q @ K.T", front="What shape do the attention scores have?")
    card = make(src, run(before=QK, evaluated={"scores": tensor((3, 5))}))
    assert card.authored_front == "What shape do the attention scores have?"
    assert card.front.endswith("What shape do the attention scores have?")
    assert "Shape of" not in card.front and "- `Q`: (3, 4)" in card.front


def test_a_trailing_expression_is_the_cell_result() -> None:
    src = source("shape", "x = torch.ones(2, 3)\nx @ W")
    assert KINDS["shape"].requests(src) == ()
    card = make(src, run(before={"W": tensor((3, 7))}, after={"x": tensor((2, 3))}, result=tensor((2, 7))))
    assert card.back == "`(2, 7)`"
    assert "- `x`: (2, 3)" in card.front and "- `W`: (3, 7)" in card.front
    assert card.front.endswith("What is the shape of `x @ W`?")


def test_a_trailing_name_is_traced_to_its_assignment() -> None:
    src = source("shape", "probs = scores.softmax(-1)\nprobs")
    assert KINDS["shape"].requests(src) == ("probs",)
    card = make(src, run(before={"scores": tensor((3, 5))}, evaluated={"probs": tensor((3, 5))}))
    assert "probs = scores.softmax(-1)" in card.front and "- `scores`: (3, 5)" in card.front


def test_inputs_made_earlier_in_the_cell_show_their_shape_at_that_moment() -> None:
    code = "h = x @ W1\nh = h.relu()\nout = h @ W2\n"
    before = {"x": tensor((4, 3)), "W1": tensor((3, 8)), "W2": tensor((8, 2)), "h": tensor((99, 99))}
    after = {**before, "h": tensor((4, 8)), "out": tensor((4, 2))}
    card = make(source("shape", code), run(before=before, after=after, evaluated={"out": tensor((4, 2))}))
    assert "```python\nout = h @ W2\n```" in card.front
    assert "- `h`: (4, 8)" in card.front and "(99, 99)" not in card.front
    assert "- `W2`: (8, 2)" in card.front and "`x`" not in card.front


def test_a_rebound_name_shows_its_value_before_the_statement() -> None:
    src = source("shape", "x = x.view(2, 6)")
    card = make(src, run(before={"x": tensor((3, 4))}, evaluated={"x": tensor((2, 6))}))
    assert "- `x`: (3, 4)" in card.front and card.back == "`(2, 6)`"


def test_a_name_rebound_inside_and_after_is_left_out() -> None:
    code = "h = a\nh = h @ W\nh = h.relu()"
    src = source("shape", code, of="h")
    before = {"a": tensor((2, 3)), "W": tensor((3, 4)), "h": tensor((1, 1))}
    card = make(src, run(before=before, evaluated={"h": tensor((2, 4))}))
    assert "```python\nh = h.relu()\n```" in card.front
    assert "`h`:" not in card.front


def test_of_picks_an_earlier_assignment() -> None:
    src = source("shape", "scores = Q @ K.T\nprobs = scores.softmax(-1)", of="scores")
    assert KINDS["shape"].requests(src) == ("scores",)
    card = make(src, run(before=QK, evaluated={"scores": tensor((3, 5))}))
    assert "```python\nscores = Q @ K.T\n```" in card.front and "softmax" not in card.front


def test_of_an_expression_the_cell_does_not_write_is_asked_directly() -> None:
    src = source("shape", "scores = Q @ K.T", of="scores.T")
    assert KINDS["shape"].requests(src) == ("scores.T",)
    after = {**QK, "scores": tensor((3, 5))}
    card = make(src, run(before=QK, after=after, evaluated={"scores.T": tensor((5, 3))}))
    assert "```python\nscores.T\n```" in card.front and "- `scores`: (3, 5)" in card.front
    assert card.back == "`(5, 3)`"


def test_of_a_name_from_an_earlier_cell_does_not_give_the_answer_away() -> None:
    src = source("shape", "print('hello')", of="Q")
    card = make(src, run(before=QK, after=QK, evaluated={"Q": tensor((3, 4))}))
    assert "(3, 4)" not in card.front and card.back == "`(3, 4)`"


def test_a_trailing_shape_or_print_points_back_to_the_assignment() -> None:
    for tail in ("scores.shape", "scores.size()", "print(scores.shape)", "plt.show()"):
        src = source("shape", f"scores = Q @ K.T\n{tail}\n")
        assert KINDS["shape"].requests(src) == ("scores",), tail
    shape_of_an_expression = source("shape", "Q @ K.T\n(Q @ K.T).shape")
    assert KINDS["shape"].requests(shape_of_an_expression) == ("Q @ K.T",)
    assert KINDS["numeric"].requests(source("numeric", "p = f(x)\np.sum()")) == ()


def test_ipython_syntax_in_the_cell_is_understood() -> None:
    src = source("shape", "%matplotlib inline\ny = x.T\n!ls\n")
    assert KINDS["shape"].requests(src) == ("y",)


def test_several_targets_need_of() -> None:
    with pytest.raises(SourceError, match="binds several names .*q, k.*`#\\| of: NAME`"):
        KINDS["shape"].requests(source("shape", "q, k = x.chunk(2)"))


def test_a_cell_with_nothing_to_ask_about_needs_of() -> None:
    with pytest.raises(SourceError, match="add `#\\| of: NAME`"):
        KINDS["shape"].requests(source("shape", "import torch\nfor i in range(3):\n    pass"))


def test_of_must_be_an_expression() -> None:
    with pytest.raises(OptionError, match="`of: x =` is not a Python expression"):
        KINDS["shape"].requests(source("shape", "y = 1", of="x ="))


def test_dims_with_the_wrong_number_of_names_fail_the_check() -> None:
    dims = {"Q": ["tokens"], "scores": ["tokens", "tokens"]}
    with pytest.raises(CheckFailed, match=r"`Q` 1 dimension names \(tokens\) but it has shape \(3, 4\)"):
        make(
            source("shape", "scores = Q @ K.T", dims=dims),
            run(before=QK, evaluated={"scores": tensor((3, 5))}),
        )


def test_dims_for_a_name_the_statement_never_uses_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="`dims:` names `Qs`.*did you mean 'Q'"):
        make(
            source("shape", "scores = Q @ K.T", dims={"Qs": ["a", "b"]}),
            run(before=QK, evaluated={"scores": tensor((3, 5))}),
        )


def test_shape_of_something_without_a_shape_fails() -> None:
    result = run(evaluated={"n": Value("int", "3", data=3)})
    with pytest.raises(
        CheckFailed, match="`n` has no shape: its value 3 \\(type int\\) is not a tensor or array"
    ):
        make(source("shape", "n = len(xs)"), result)


def test_a_cell_that_never_ran_fails_with_its_location() -> None:
    with pytest.raises(CheckFailed) as caught:
        make(source("shape", "scores = Q @ K.T"))
    assert str(caught.value).startswith(
        "lessons/attention.ipynb:cell 4:line 1: [SRS200] cell 4 has no run result"
    )
    assert caught.value.exit_code == 1


def test_an_expression_missing_from_the_results_fails() -> None:
    with pytest.raises(CheckFailed, match="`scores` has no value after cell 4 ran"):
        make(source("shape", "scores = Q @ K.T"), run(before=QK))


# --- numeric -------------------------------------------------------------------------------------


def softmax_value() -> Value:
    return tensor((3,), softmax([1.0, 2.0, 3.0]))


def test_numeric_card_shows_the_value_rounded() -> None:
    src = source("numeric", "probs = torch.softmax(torch.tensor([1., 2., 3.]), 0)", digits=3)
    assert KINDS["numeric"].requests(src) == ("probs",)
    card = make(src, run(evaluated={"probs": softmax_value()}))
    shown = [float(item) for item in card.value.strip("[]").split(", ")]
    for item, exact in zip(shown, softmax([1.0, 2.0, 3.0]), strict=True):
        assert abs(item - exact) < 0.005 and len(str(item).lstrip("0.")) <= 3
    assert "```python\nprobs = torch.softmax" in card.front
    assert card.front.endswith("What is `probs` after this code runs, rounded to 3 significant digits?")
    assert card.back == "" and card.code == ""  # the front shows the one-line cell


def test_expect_within_tolerance_passes() -> None:
    expected = [round(p, 2) for p in softmax([1.0, 2.0, 3.0])]
    src = source("numeric", "probs = f(x)", expect=expected, tol=0.01)
    assert make(src, run(evaluated={"probs": softmax_value()})).value


def test_expect_outside_tolerance_fails_naming_both_values() -> None:
    src = source("numeric", "probs = f(x)", expect=[0.1, 0.2, 0.7], tol=0.01)
    with pytest.raises(CheckFailed) as caught:
        make(src, run(evaluated={"probs": softmax_value()}))
    message = str(caught.value)
    assert "[0.1, 0.2, 0.7]" in message and "tol 0.01" in message
    actual = [float(item) for item in message.split("is [")[1].split("]")[0].split(", ")]
    assert actual == pytest.approx(softmax([1.0, 2.0, 3.0]), rel=1e-7)
    assert message.startswith("lessons/attention.ipynb:cell 4:line 1:")
    assert caught.value.exit_code == 1


def test_default_tolerance_catches_a_small_difference() -> None:
    exact = softmax([1.0, 2.0, 3.0])
    assert make(source("numeric", "p = f()", expect=exact), run(evaluated={"p": softmax_value()}))
    with pytest.raises(CheckFailed, match="default tolerance"):
        make(
            source("numeric", "p = f()", expect=[v + 1e-4 for v in exact]),
            run(evaluated={"p": softmax_value()}),
        )


def test_relative_tolerance() -> None:
    src = source("numeric", "n = 1000.0 * 1.04", expect=1000, rtol=0.05)
    assert make(src, run(evaluated={"n": Value("float", "1040.0", data=1040.0)})).value == "1040.0"
    with pytest.raises(CheckFailed, match="rtol 0.01"):
        make(
            source("numeric", "n = 1", expect=1000, rtol=0.01),
            run(evaluated={"n": Value("float", "1040.0", data=1040.0)}),
        )


def test_numeric_integers_are_exact_and_the_front_can_be_authored() -> None:
    src = source("numeric", "total = sum(range(1000))", front="Sum of 0..999?")
    card = make(src, run(evaluated={"total": Value("int", "499500", data=499500)}))
    assert (
        card.value == "499500" and card.front == "Sum of 0..999?" and card.authored_front == "Sum of 0..999?"
    )


def test_numeric_of_a_string_fails() -> None:
    with pytest.raises(CheckFailed, match="`s` is not a number: its value 'hi' has type str"):
        make(source("numeric", "s = 'hi'"), run(evaluated={"s": Value("str", "'hi'")}))


def test_numeric_of_a_huge_tensor_asks_for_a_slice() -> None:
    huge = tensor((1000, 1000))
    with pytest.raises(CheckFailed, match="too large to capture.*probs\\[:5\\]"):
        make(source("numeric", "w = torch.randn(1000, 1000)"), run(evaluated={"w": huge}))


# --- output --------------------------------------------------------------------------------------


def test_output_card_holds_what_the_cell_printed_and_showed() -> None:
    code = "print('loss', 0.25)\nlen([1, 2])"
    card = make(source("output", code), run(stdout="loss 0.25\n", result=Value("int", "2", data=2)))
    assert card.value == "loss 0.25\n2"
    assert card.front.startswith("```python\nprint('loss', 0.25)") and card.code == ""
    assert card.front.endswith("What does running this code show?")


def test_output_card_of_a_print_only_cell() -> None:
    card = make(source("output", "print(3 * '=')"), run(stdout="===\n"))
    assert card.value == "===" and card.front.endswith("What does this code print?")
    authored = make(source("output", "print(1)", front="Which line appears?"), run(stdout="1\n"))
    assert authored.front.endswith("Which line appears?") and authored.authored_front == "Which line appears?"


def test_the_code_goes_to_the_back_only_when_the_front_does_not_show_it() -> None:
    code = "h = x @ W\nout = h.reshape(4, 4)\nout.shape"
    reads = {"h": tensor((2, 8))}
    card = make(source("shape", code), run(after=reads, evaluated={"out": tensor((4, 4))}))
    assert "out = h.reshape(4, 4)" in card.front and card.code == code


def test_output_card_of_a_silent_cell_fails() -> None:
    with pytest.raises(CheckFailed, match="cell 4 printed nothing"):
        make(source("output", "x = 1"), run())


# --- figure --------------------------------------------------------------------------------------


def test_figure_card_shows_the_drawn_figures() -> None:
    pngs = (b"\x89PNG first", b"\x89PNG second")
    card = make(source("figure", "plt.plot(xs)", front="How does the loss curve look?"), run(figures=pngs))
    assert [m.data for m in card.media] == list(pngs)
    assert all(m.name.startswith("srs-") and m.name.endswith(".png") for m in card.media)
    assert card.media[0].name != card.media[1].name
    assert card.front == "How does the loss curve look?"
    assert card.code == ""  # plotting code is not what a figure card teaches


def test_figure_card_on_a_cell_that_drew_nothing_fails() -> None:
    with pytest.raises(CheckFailed, match="cell 4 drew no figure.*use another card kind"):
        make(source("figure", "x = 1", front="What does it look like?"), run())


# --- shared ----------------------------------------------------------------------------------------


def test_back_extra_and_tags_from_options_are_kept() -> None:
    src = source(
        "output", "print(1)", back="Because print adds a newline.", extra="See `print`.", tags=["io"]
    )
    card = make(src, run(stdout="1\n"))
    assert card.back == "Because print adds a newline." and card.authored_back == card.back
    assert card.extra == "See `print`." and card.tags == ("io",)


def test_the_four_kinds_are_registered_as_code_kinds_that_run() -> None:
    for name, keys in {
        "shape": {"of", "dims"},
        "numeric": {"of", "digits", "expect", "tol", "rtol"},
        "output": set(),
        "figure": set(),
    }.items():
        spec = KINDS[name]
        assert spec.cell_type == "code" and spec.needs_run and set(spec.options) == keys
    assert KINDS["figure"].required == {"front"}


# --- a real run ------------------------------------------------------------------------------------


def test_real_run_answers_shape_numeric_and_output(write_notebook: Any) -> None:
    from srs.notebook.reader import read_lesson
    from srs.run import run_lesson
    from srs.sources.find import find_sources

    path = write_notebook(
        [
            ("code", "import numpy as np\nQ = np.ones((3, 4))\nK = np.ones((5, 4))"),
            ("code", "#| card: shape\nscores = Q @ K.T\nscores.shape"),
            (
                "code",
                "#| card: numeric\n#| digits: 3\nx = np.array([1.0, 2.0, 3.0])\nnp.exp(x) / np.exp(x).sum()",
            ),
            ("code", "#| card: output\nprint(Q.sum())\nscores[0, 0]"),
        ]
    )
    lesson = read_lesson(path)
    sources = find_sources(lesson)
    requests = {s.cell.index: KINDS[s.kind].requests(s) for s in sources}
    assert requests == {2: ("scores",), 3: (), 4: ()}
    context = MakeContext(lesson, run_lesson(lesson, requests, cache_dir=None).results)
    shape, numeric, output = (KINDS[s.kind].make(s, context)[0] for s in sources)
    assert shape.back == "`(3, 5)`" and "- `Q`: (3, 4)" in shape.front and "- `K`: (5, 4)" in shape.front
    shown = [float(item) for item in numeric.value.strip("[]").split(", ")]
    assert shown == pytest.approx(softmax([1.0, 2.0, 3.0]), abs=5e-3)
    assert output.value.splitlines()[0] == "12.0" and "4.0" in output.value.splitlines()[1]
