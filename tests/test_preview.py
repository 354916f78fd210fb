"""`srs preview` writes a page per deck: Anki's rendering of every card, in deck order, by section."""

from __future__ import annotations

import html
import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import import_deck
from typer.testing import CliRunner

from srs.build.lesson import BuildOptions, build_lesson
from srs.cli.app import app
from srs.deck.anki import Note, note_guid, write_package
from srs.preview import preview_deck
from srs.preview.watch import saved_files

CELLS = [
    ("md", "# Scaling"),
    ("md", "## Why scale\n\nQ: What does dividing by \\(\\sqrt{d_k}\\) keep near one?\n\nA: The variance of the scores."),
    ("md", "The softmax of large scores is {{c1::nearly one-hot}}, and its gradient {{c2::vanishes}}."),
    ("md", "## Masks\n\nQ: Which entries does a causal mask hide?\n\nA: Those of later tokens."),
]


def _articles(page: str) -> list[dict[str, Any]]:
    return [json.loads(html.unescape(found)) for found in re.findall(r'data-card="([^"]*)"', page)]


@pytest.fixture
def deck(write_notebook, tmp_path: Path) -> Path:
    return build_lesson(write_notebook(CELLS), BuildOptions(out_dir=tmp_path / "decks")).deck_path


def test_the_page_lists_every_card_in_deck_order_under_its_section(deck: Path):
    written = preview_deck(deck)
    assert written.path == deck.with_suffix(".html") and written.card_count == 4
    page = written.path.read_text()
    cards = _articles(page)
    assert [(card["kind"], card["cloze"]) for card in cards] == [("qa", None), ("cloze", 1), ("cloze", 2), ("qa", None)]
    assert [card["key"].split(":")[1] for card in cards] == ["qa", "cloze", "cloze", "qa"]
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Why scale", "Masks"]
    assert page.index("<h2>Why scale</h2>") < page.index("vanishes") < page.index("<h2>Masks</h2>")
    links = re.findall(r'class="srs-preview-cell" href="([^"]*)">([^<]*)<', page)
    assert len(links) == 4 and all(url.startswith("file://") and "lesson.ipynb" in url for url, _ in links)
    assert "cell 4" in links[-1][1]
    assert "rendered by Anki's own template engine" in page and "is this page's own" in page


def test_each_side_is_exactly_what_anki_renders(deck: Path, collection: Any):
    page = preview_deck(deck).path.read_text()
    import_deck(collection, deck)
    for card_id in collection.find_cards(""):
        output = collection.get_card(card_id).render_output()
        assert output.question_text in page and output.answer_text in page
        assert output.css in page
    # a cloze front is Anki's: the hidden part is Anki's [...], its answer is not on that side
    fronts = re.findall(r'data-side="front">.*?</figure>', page, re.DOTALL)
    assert "[...]" in fronts[1] and "nearly one-hot" not in fronts[1] and "vanishes" in fronts[1]


def test_mathjax_and_images_travel_beside_the_page(write_notebook, tmp_path: Path):
    from PIL import Image  # matplotlib's dependency

    (tmp_path / "images").mkdir()
    Image.new("RGB", (3, 2), "red").save(tmp_path / "images" / "dot.png")
    path = write_notebook([("md", "Q: Which colour is the dot?\n\nA: ![dot](images/dot.png)")])
    report = build_lesson(path, BuildOptions(out_dir=tmp_path / "decks"))
    page = preview_deck(report.deck_path).path
    text = page.read_text()
    script = re.search(r'<script id="MathJax-script" defer src="([^"]+)"', text).group(1)
    assert script == "mathjax-3.2.2/tex-chtml-full.js" and (page.parent / script).is_file()
    assert (page.parent / "mathjax-3.2.2" / "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()
    assert not re.search(r"""(src|href)=["']https?:""", text)
    image = re.search(r'<img src="(lesson-media/srs-[0-9a-f]+\.png)"', text).group(1)
    assert (page.parent / image).read_bytes() == (tmp_path / "images" / "dot.png").read_bytes()


def test_mathjax_is_set_up_as_anki_sets_it_up(deck: Path):
    text = preview_deck(deck).path.read_text()
    config = text[text.index("window.MathJax = {"): text.index("</script>", text.index("window.MathJax"))]
    assert 'inlineMath: [["\\\\(", "\\\\)"]]' in config and 'displayMath: [["\\\\[", "\\\\]"]]' in config
    assert "processEscapes: false" in config and "processEnvironments: false" in config
    for package in ("ams", "mathtools", "newcommand", "noundefined", "configmacros"):
        assert f'"{package}"' in config
    assert "$" not in config.split("inlineMath", 1)[1].split("]]", 1)[0]


def test_cli_builds_the_notebook_and_writes_the_page_beside_the_deck(write_notebook, tmp_path: Path):
    path = write_notebook(CELLS)
    result = CliRunner().invoke(app, ["preview", str(path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'd' / 'lesson.apkg'} -> {tmp_path / 'd' / 'lesson.html'}: 4 cards" in result.stdout
    assert len(_articles((tmp_path / "d" / "lesson.html").read_text())) == 4


def test_open_shows_each_page_in_the_browser(deck: Path, monkeypatch: pytest.MonkeyPatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    result = CliRunner().invoke(app, ["preview", str(deck), "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [deck.with_suffix(".html").resolve().as_uri()]


def test_build_with_preview_writes_the_page_in_the_same_run(write_notebook, tmp_path: Path):
    path = write_notebook(CELLS)
    result = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d"), "--preview"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "lesson.apkg").is_file() and (tmp_path / "d" / "lesson.html").is_file()
    plain = CliRunner().invoke(app, ["build", str(write_notebook(CELLS, name="other.ipynb")), "--out", str(tmp_path / "e")])
    assert plain.exit_code == 0 and not (tmp_path / "e" / "other.html").exists()


def test_a_missing_deck_is_one_line_and_exit_2(tmp_path: Path):
    result = CliRunner().invoke(app, ["preview", str(tmp_path / "gone.apkg")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'gone.apkg'}: [SRS002] no such deck; build it first with `srs build`"


def test_without_anki_preview_says_how_to_install_it_and_build_still_works(
    write_notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "anki", None)  # `import anki` now fails as if it were not installed
    path = write_notebook(CELLS)
    refused = CliRunner().invoke(app, ["preview", str(path), "--out", str(tmp_path / "d")])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "[SRS005]" in refused.stderr and "pip install 'srs[preview]'" in refused.stderr
    assert not (tmp_path / "d").exists()
    with_flag = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d"), "--preview"])
    assert with_flag.exit_code == 2 and "pip install 'srs[preview]'" in with_flag.stderr
    built = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d")])
    assert built.exit_code == 0 and (tmp_path / "d" / "lesson.apkg").is_file()


def test_a_file_that_is_no_deck_is_one_line_and_exit_2(tmp_path: Path):
    fake = tmp_path / "fake.apkg"
    fake.write_text("not a zip file")
    result = CliRunner().invoke(app, ["preview", str(fake)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"{fake}: [SRS001] Anki cannot import this package")
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_mathjax_preview_says_how_to_install_it(deck: Path, monkeypatch: pytest.MonkeyPatch):
    import importlib.util

    from srs.preview.assets import mathjax_distribution

    mathjax_distribution.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    try:
        result = CliRunner().invoke(app, ["preview", str(deck)])
    finally:
        mathjax_distribution.cache_clear()
    assert result.exit_code == 2 and "[SRS005]" in result.stderr
    assert "django-static-mathjax" in result.stderr and "pip install 'srs[preview]'" in result.stderr
    assert not deck.with_suffix(".html").exists()


def test_saved_files_reports_a_save_once_it_has_settled(tmp_path: Path):
    notebook = tmp_path / "lesson.ipynb"
    notebook.write_text("one")
    edits = iter([None, "two", "two and more", None, None])

    def sleep(_seconds: float) -> None:
        edit = next(edits)
        if edit is not None:
            notebook.write_text(edit)

    changes = saved_files([notebook], interval=0, sleep=sleep)
    assert next(changes) == [notebook]
    assert notebook.read_text() == "two and more"


def _note(key: str, front: str) -> Note:
    fields = (front, "an answer", "", "", "", "", "Lesson › Part", "", f"lesson/{key}")
    return Note(note_guid("lesson", key), fields, ("kind::qa",), False, 1, 0)


def test_watch_writes_the_page_again_when_the_deck_is_saved(tmp_path: Path):
    deck = tmp_path / "lesson.apkg"
    write_package(deck, "Lesson", "lesson", [_note("first", "What comes first?")], [])
    watcher = subprocess.Popen(
        [sys.executable, "-m", "srs", "preview", str(deck), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert "lesson.html: 1 cards" in _line_within(watcher.stdout, 60)
        assert "watching 1 file(s)" in _line_within(watcher.stderr, 10)  # it has looked at the deck
        write_package(deck, "Lesson", "lesson", [_note("first", "What comes first?"), _note("second", "And next?")], [])
        assert "lesson.html: 2 cards" in _line_within(watcher.stdout, 30)
        assert "And next?" in (tmp_path / "lesson.html").read_text()
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=20)
    assert watcher.returncode == 0


def _line_within(stream: Any, seconds: float) -> str:
    """The next line of a child's output, or a failure once `seconds` pass without one."""
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        assert selector.select(timeout=seconds), f"no output within {seconds} s"
    return str(stream.readline())
