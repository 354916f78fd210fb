"""Section headings reach a card's context and source lines with their math rendered like card text."""

from __future__ import annotations

from pathlib import Path

from srs.core.config import Settings
from srs.core.model import Card, CardSource, Cell, Lesson, Location
from srs.render.fields import render_fields

PATH = Path("lessons/attention.ipynb")


def fields_under(heading: str, title: str = "Attention from scratch") -> tuple[str, ...]:
    location = Location(PATH, 5, "abc", 1)
    cell = Cell(5, "abc", "markdown", "Q: Why?\n\nA: Because.", heading=heading, location=location)
    source = CardSource("qa", {}, "Q: Why?", cell, location, 0, ("Why?", "Because."))
    card = Card(source.key, "qa", source, "Why?", "Because.")
    lesson = Lesson(PATH, "attention", title, (cell,), True)
    fields, _media = render_fields(card, lesson, Settings())
    return fields


def test_math_in_a_heading_is_rendered_on_the_context_and_source_lines():
    fields = fields_under("Why divide by $\\sqrt{d_k}$")
    context, source = fields[6], fields[7]
    assert context == "Attention from scratch › Why divide by \\(\\sqrt{d_k}\\)"
    assert source.endswith(" · Why divide by \\(\\sqrt{d_k}\\)")
    assert "$" not in context + source


def test_html_in_a_heading_stays_text():
    context = fields_under("Scores <b>& weights</b>")[6]
    assert context == "Attention from scratch › Scores &lt;b&gt;&amp; weights&lt;/b&gt;"


def test_a_title_with_math_and_no_heading():
    assert fields_under("", title="Softmax of $x$")[6] == "Softmax of \\(x\\)"
