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


def test_a_card_above_a_cells_first_heading_is_in_the_section_before(tmp_path):
    import nbformat

    from srs.notebook.reader import read_lesson
    from srs.sources.find import find_sources

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Init\n\n## Forward pass\n\nSome words."),
        nbformat.v4.new_markdown_cell(
            "Q: What keeps the forward signal's variance at one?\n\nA: Var(w) = 1/n_in.\n\n"
            "## Glorot's compromise\n\nQ: What does Glorot average?\n\nA: The two fans.\n\n## Uniform weights"
        ),
        nbformat.v4.new_markdown_cell("Q: What variance has U(-a, a)?\n\nA: a^2 / 3."),
    ]
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"c{number}"
    path = tmp_path / "init.ipynb"
    nbformat.write(nb, path)
    lesson = read_lesson(path)
    middle, last = lesson.cells[1], lesson.cells[2]
    assert middle.heading == "Glorot's compromise" and last.heading == "Uniform weights"
    assert [middle.heading_at(line) for line in (1, 5, 7, 11)] == [
        "Forward pass",
        "Glorot's compromise",
        "Glorot's compromise",
        "Uniform weights",
    ]
    headings = [fields_of(source, lesson)[6] for source in find_sources(lesson)]
    assert headings == ["Init › Forward pass", "Init › Glorot's compromise", "Init › Uniform weights"]


def fields_of(source: CardSource, lesson: Lesson) -> tuple[str, ...]:
    card = Card(source.key, "qa", source, *source.parts)
    return render_fields(card, lesson, Settings())[0]
