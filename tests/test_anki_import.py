"""A built deck imported into a real Anki collection looks as the notebook says."""

from __future__ import annotations

import base64
from pathlib import Path

from support import import_deck

from srs.build.lesson import BuildOptions, build_lesson

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

CELLS = [
    ("md", "# Attention basics\n\nQ: What do the weights of one query's attention row sum to?\n\nA: Exactly $1$."),
    ("md", "## Scaling\n\nScores are divided by {{c1::$\\sqrt{d_k}$}} before the {{c2::softmax}}."),
    ("md", "<!-- #| card: formula\n     #| name: attention weights of one query -->\n$$a = \\mathrm{softmax}(q K^\\top)$$"),
    ("md", "Q: Which picture shows a causal mask?\n\nA: ![lower triangle](images/mask.png)"),
]


def build(path: Path, out: Path) -> Path:
    return build_lesson(path, BuildOptions(out_dir=out)).deck_path


def test_counts_deck_name_and_models(write_notebook, tmp_path, collection):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "mask.png").write_bytes(PNG)
    deck = build(write_notebook(CELLS), tmp_path / "decks")
    import_deck(collection, deck)
    assert collection.note_count() == 4
    assert collection.card_count() == 5  # the cloze note has two numbers: two cards
    assert "srs::Attention basics" in [d.name for d in collection.decks.all_names_and_ids()]
    cloze_note = collection.get_note(collection.find_notes("tag:kind::cloze")[0])
    assert sorted(card.ord for card in cloze_note.cards()) == [0, 1]
    assert cloze_note.note_type()["name"] == "srs cloze"


def test_fields_render_with_mathjax_and_hide_the_answer(write_notebook, tmp_path, collection):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "mask.png").write_bytes(PNG)
    import_deck(collection, build(write_notebook(CELLS), tmp_path / "decks"))
    qa = collection.get_card(collection.find_cards('"Front:*sum to?*"')[0])
    question, answer = qa.question(), qa.answer()
    assert "What do the weights" in question and "Exactly" not in question
    assert "Exactly \\(1\\)" in answer
    assert "cell 1" in answer and "id c1" in answer  # the link back to the cell
    formula = collection.get_card(collection.find_cards("tag:kind::formula")[0])
    assert "\\[a = \\mathrm{softmax}(q K^\\top)\\]" in formula.answer()
    assert "softmax}(q" not in formula.question()
    first_cloze = [c for c in collection.find_cards("tag:kind::cloze") if collection.get_card(c).ord == 0][0]
    cloze_q = collection.get_card(first_cloze).question()
    assert "[...]" in cloze_q and "softmax" in cloze_q  # c2 stays visible on the c1 card


def test_images_travel_as_media_with_content_hash_names(write_notebook, tmp_path, collection):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "mask.png").write_bytes(PNG)
    import_deck(collection, build(write_notebook(CELLS), tmp_path / "decks"))
    note = collection.get_note(collection.find_notes('"Front:*causal mask*"')[0])
    assert 'src="srs-' in note["Back"]
    name = note["Back"].split('src="')[1].split('"')[0]
    assert (Path(collection.media.dir()) / name).read_bytes() == PNG


def test_key_field_finds_a_card(write_notebook, tmp_path, collection):
    import_deck(collection, build(write_notebook(CELLS[:1]), tmp_path / "decks"))
    assert len(collection.find_notes('"Key:lesson/c1:qa:0"')) == 1


def test_raw_html_never_reaches_anki(write_notebook, tmp_path, collection):
    cells = [("md", "Q: What does <script>alert(1)</script> do here?\n\nA: <style>p{}</style> nothing")]
    import_deck(collection, build(write_notebook(cells), tmp_path / "decks"))
    note = collection.get_note(collection.find_notes("")[0])
    assert "<script>" not in note["Front"] and "&lt;script&gt;" in note["Front"]
    assert "<style>" not in note["Back"]


def test_a_build_leaves_nothing_in_the_temporary_folder(write_notebook, tmp_path, collection, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "mask.png").write_bytes(PNG)
    figure = (
        "code",
        "#| card: figure\n#| front: How does the line rise?\n"
        "import matplotlib.pyplot as plt\nplt.plot([0, 1, 2])\nplt.show()",
    )
    notebook = write_notebook([*CELLS, figure])
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # this process
    monkeypatch.setenv("TMPDIR", str(scratch))  # the worker and its drawings
    deck = build(notebook, tmp_path / "decks")
    assert list(scratch.iterdir()) == []
    import_deck(collection, deck)
    assert collection.note_count() == 5 and len(collection.find_notes("tag:kind::figure")) == 1


def test_a_collection_is_written_through_a_file_when_sqlite_cannot_serialize(
    write_notebook, tmp_path, collection, monkeypatch
):
    import sqlite3

    from srs.deck import anki

    class NoSerialize:
        """A connection as in a Python whose SQLite lacks serialization."""

        def __init__(self, real: sqlite3.Connection) -> None:
            self.real = real

        def backup(self, target: sqlite3.Connection) -> None:
            self.real.backup(target)

    real_bytes = anki._database_bytes
    monkeypatch.setattr(anki, "_database_bytes", lambda connection: real_bytes(NoSerialize(connection)))
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "mask.png").write_bytes(PNG)
    import_deck(collection, build(write_notebook(CELLS), tmp_path / "decks"))
    assert collection.note_count() == 4 and collection.card_count() == 5


def test_a_figure_card_of_a_displayed_image_carries_it_into_anki(write_notebook, tmp_path, collection):
    (tmp_path / "map.png").write_bytes(PNG)
    cells = [
        ("md", "# Maps"),
        (
            "code",
            "#| card: figure\n#| front: Which map does the cell show?\n"
            "from IPython.display import Image\nImage(filename='map.png')",
        ),
    ]
    import_deck(collection, build(write_notebook(cells), tmp_path / "decks"))
    note = collection.get_note(collection.find_notes("tag:kind::figure")[0])
    names = [part.split('"')[0] for part in note["Diagram"].split('src="')[1:]]
    assert len(names) == 1
    assert (Path(collection.media.dir()) / names[0]).read_bytes() == PNG
