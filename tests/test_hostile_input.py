"""Notebooks that try to put script into a card, or to make srs hang, crash or print a forged line.

Each scenario is a tiny notebook named after what it tries; what must happen is a clear one-line error
(exit 2, or 1 for a failed check), or a deck where the hostile text is inert.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from support import import_deck, notebook_json
from typer.testing import CliRunner

from srs.cli.app import app

QA = "Q: What is a key?\n\nA: A vector."
SVG_WITH_HANDLER = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="4" height="4"/></svg>'
SVG_PLAIN = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'


def build(path: Path, *args: str):
    return CliRunner().invoke(app, ["build", str(path), "--out", str(path.parent / "decks"), *args])


def svg_notebook(tmp_path: Path, svg: bytes) -> Path:
    data = notebook_json([("md", "Q: What does the drawing show?\n\nA: ![a square](attachment:square.svg)")])
    data["cells"][0]["attachments"] = {"square.svg": {"image/svg+xml": base64.b64encode(svg).decode()}}
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(data))
    return path


def test_key_field_and_deck_name_reach_anki_as_text(write_notebook, collection):
    path = write_notebook(
        [("md", '# Keys <img src=x onerror="alert(1)">\n\n<!-- #| id: "<script>alert(1)</script>" -->\n' + QA)],
        metadata={"srs": {"id": "a&b"}},
    )
    result = build(path)
    assert result.exit_code == 0, result.output
    import_deck(collection, path.parent / "decks" / "lesson.apkg")
    note = collection.get_note(collection.find_notes("")[0])
    assert note["Key"] == "a&amp;b/&lt;script&gt;alert(1)&lt;/script&gt;"
    names = [deck.name for deck in collection.decks.all_names_and_ids()]
    assert any(name.endswith("Keys") for name in names), names
    assert not any("<" in name or "onerror" in name for name in names)


def test_svg_with_an_event_handler_is_refused(tmp_path: Path):
    result = build(svg_notebook(tmp_path, SVG_WITH_HANDLER))
    assert result.exit_code == 2
    assert "[SRS041] image 'attachment:square.svg' holds script" in result.stderr
    assert not list(tmp_path.rglob("*.apkg"))


def test_plain_svg_is_kept(tmp_path: Path):
    result = build(svg_notebook(tmp_path, SVG_PLAIN))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "cells",
    [
        [("md", "<!-- #| hide: true -->\nA plain paragraph that Quarto hides.")],
        [("md", "<!-- #| label: fig-scores\n     #| echo: false -->\nAnother plain paragraph.")],
        [("code", "#| echo: false\n#| label: fig-x\n#| eval: true\nx = 1")],
        [("code", "#| export\nx = 1")],
    ],
    ids=["quarto-hide", "quarto-label-echo", "code-echo-label-eval", "nbdev-export"],
)
def test_other_tools_options_are_left_alone(write_notebook, cells):
    path = write_notebook([*cells, ("md", QA)])
    result = build(path)
    assert result.exit_code == 0, result.output
    assert "1 cards" in result.stdout


# --- what a cell does when it runs -------------------------------------------------------------------


def test_a_multi_line_exception_message_is_one_line(write_notebook):
    path = write_notebook(
        [("code", "#| card: output\nraise ValueError('no\\nlesson.ipynb: [SRS000] forged line\\n\\x1b[2Kgone')")]
    )
    result = build(path)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[SRS201] cell 1 raised ValueError: no | lesson.ipynb: [SRS000]" in lines[0]
    assert "\x1b" not in result.stderr and "\\x1b[2Kgone" in result.stderr


def test_a_value_whose_repr_raises_makes_no_output_card(write_notebook):
    code = "#| card: output\nclass Opaque:\n    def __repr__(self):\n        raise RuntimeError('no')\n\nOpaque()"
    result = build(write_notebook([("code", code)]))
    assert result.exit_code == 1
    assert "[SRS200] the last value of cell 1 cannot be shown: its repr raised an exception" in result.stderr


def test_an_integer_of_thousands_of_digits_is_a_clear_failure(write_notebook):
    result = build(write_notebook([("code", "#| card: output\n10 ** 5000")]))
    assert result.exit_code == 1
    assert "[SRS200] the last value of cell 1 cannot be shown" in result.stderr


def test_an_integer_beyond_float_range_against_expect_is_a_clear_failure(write_notebook):
    result = build(write_notebook([("code", "#| card: numeric\n#| expect: 1\n10 ** 400")]))
    assert result.exit_code == 1
    assert "[SRS200] `10 ** 400` is too large to compare with `expect:`" in result.stderr


def test_printed_half_characters_do_not_break_the_deck(write_notebook, collection):
    path = write_notebook([("code", "#| card: output\nprint('half \\ud800 character')")])
    result = build(path)
    assert result.exit_code == 0, result.output
    import_deck(collection, path.parent / "decks" / "lesson.apkg")
    note = collection.get_note(collection.find_notes("")[0])
    assert "half \ufffd character" in note["Value"]


def test_output_larger_than_a_card_can_show_fails_clearly(write_notebook):
    path = write_notebook([("code", "#| card: output\nprint('x' * 300_000)")])
    result = build(path)
    assert result.exit_code == 2
    assert "[SRS050] a field of this card would hold" in result.stderr
    assert not (path.parent / "decks" / "lesson.apkg").exists()



def test_a_cell_that_prints_without_end_is_kept_only_up_to_the_cap(write_notebook):
    # 30 MB printed (Python's print and the file descriptor both): what is kept stays bounded
    code = "import os\nprint('x' * 20_000_000)\nos.write(1, b'y' * 10_000_000)\n1"
    path = write_notebook([("code", f"#| card: output\n{code}")])
    result = build(path)
    assert result.exit_code == 2 and "[SRS050] a field of this card would hold" in result.stderr
    cache = sum(f.stat().st_size for f in (path.parent / "decks").rglob("*") if f.is_file())
    assert cache < 5_000_000


def test_the_printed_text_says_how_much_was_left_out():
    from srs.run.worker import MAX_PRINTED, PrintedText

    text = PrintedText()
    assert text.write("a" * (MAX_PRINTED - 1)) == MAX_PRINTED - 1
    assert text.write("bcd") == 3
    assert text.getvalue().endswith("ab\n[2 more characters not kept]")


# --- sympy under a budget ----------------------------------------------------------------------------

TOWER = "<!-- #| card: derivation\n     #| name: tower -->\n$$10^{10^{9}} x$$\n\n$$= x \\cdot 10^{10^{9}}$$"


@pytest.fixture
def short_budget(monkeypatch):
    from srs.maths import budget

    monkeypatch.setattr(budget, "SECONDS", 1.5)
    return budget


def test_a_step_sympy_cannot_finish_is_unverified_in_build_and_fails_check(write_notebook, short_budget):
    path = write_notebook([("md", TOWER)])
    result = build(path, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "[SRS301] step 1 of derivation 'tower' is not checked: sympy did not finish within 1.5 s" in result.stderr
    check = CliRunner().invoke(app, ["check", str(path)])
    assert check.exit_code == 1 and "SRS301" in check.stderr


def test_an_example_sympy_cannot_compute_in_time_is_an_error(write_notebook, short_budget):
    formula = "<!-- #| card: formula\n     #| name: f\n     #| example: {x: 2} -->\n$$f = 10^{10^{9}} x$$"
    result = build(write_notebook([("md", formula)]), "--no-cache")
    assert result.exit_code == 2
    assert "[SRS028] cannot compute the `example:` value of this formula: sympy did not finish" in result.stderr


def test_an_abandoned_computation_is_killed(short_budget):
    from srs.maths.budget import OverBudget, check_step_within_budget

    assert check_step_within_budget("a + b", "b + a")[0] == "verified"
    pid = short_budget._helper.process.pid
    with pytest.raises(OverBudget):
        check_step_within_budget("(3000000)!", "(3000000)! + 0")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert check_step_within_budget("2 a", "a + a")[0] == "verified"  # a fresh helper takes over


def test_a_step_nested_thousands_deep_is_unverified_not_a_crash(write_notebook):
    deep = "{" * 5000 + "x" + "}" * 5000
    path = write_notebook([("md", f"<!-- #| card: derivation\n     #| name: deep -->\n$${deep}$$\n\n$$= x$$")])
    result = build(path, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "[SRS301] step 1 of derivation 'deep' is not checked: srs cannot check this step" in result.stderr
