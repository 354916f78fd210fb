"""Every lesson's preview page passes the browser checks in a real Chromium; broken math fails them.

The checks and their names are in preview_browser.py. Screenshots of each lesson's first cards, in
light and night mode, at desktop and phone width, go to build/preview-screenshots/ (SCREENSHOTS) for
a person to look at. Without Chromium or Playwright these tests fail and say how to install them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lesson_decks import ROOT, lesson_deck, lesson_notebooks
from preview_browser import INSTALL_CHROMIUM, check_page, open_chromium, why_no_browser

from srs.deck.anki import Note, note_guid, write_package
from srs.preview import preview_deck

SCREENSHOTS = ROOT / "build" / "preview-screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session; a missing browser is a failure, never a skip."""
    missing = why_no_browser()
    if missing:
        pytest.fail(missing, pytrace=False)
    with open_chromium() as browser:
        yield browser


@pytest.mark.slow
@pytest.mark.parametrize("notebook", [path.name for path in lesson_notebooks()])
def test_lesson_preview_passes_every_browser_check(notebook: str, chromium: Any, tmp_path: Path):
    deck = lesson_deck(notebook)
    page = preview_deck(deck, tmp_path / f"{deck.stem}.html")
    problems = check_page(chromium, page.path, screenshots=SCREENSHOTS)
    stem = deck.stem
    for name in (f"{stem}-light.png", f"{stem}-night.png", f"{stem}-light-phone.png", f"{stem}-night-phone.png"):
        assert (SCREENSHOTS / name).stat().st_size > 1000
    assert [str(problem) for problem in problems] == []


def _note(key: str, front: str, back: str = "an answer", context: str = "Broken › Math", cloze: bool = False):
    fields = (front, back, "", "", "", "", context, '<a href="file:///lesson.ipynb">cell 1</a>', f"broken/{key}")
    return Note(note_guid("broken", key), fields, (f"kind::{'cloze' if cloze else 'qa'}",), cloze, 1, 0)


# key, front, back, the checks that must catch it (nothing for the controls: a long display formula
# scrolls inside its own box, and dollars are never math delimiters to MathJax as Anki sets it up)
DEFECTS = [
    ("control", r"Fine: \(\frac{a}{b}\) and \[\sqrt{d_k}\], a price of $5 and $10", "yes", set()),
    ("long-display", 'Read <div class="srs-math">\\[' + " + ".join(f"x_{{{i}}}" for i in range(40)) + '\\]</div>', "a sum", set()),
    ("unbalanced-brace", r"What is \(\frac{a}{b\)?", "a fraction", {"raw-delimiters"}),
    ("missing-argument", r"What is \(\frac{a}\)?", "half of one", {"mathjax-error"}),
    ("undefined-macro", r"What is \(\nosuchmacro{x}\)?", "nothing", {"undefined-macro"}),
    ("dollar-math", r"Why divide by $\sqrt{d_k}$?", "scale", {"raw-delimiters"}),
    ("missing-image", 'Which plot? <img src="not-in-the-deck.png">', "none", {"broken-image", "console-error"}),
    ("wide-inline", r"Read \(" + " + ".join(f"x_{{{i}}}" for i in range(40)) + r"\) aloud", "a sum", set()),
    ("wide-table", "<table><tr>" + "".join(f"<td>column{i}</td>" for i in range(40)) + "</tr></table>", "wide", {"too-wide"}),
    ("leaked-answer", "What is the scale?", "one over root dk", {"answer-shown"}),
]


@pytest.fixture(scope="module")
def broken_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    notes = [_note(key, front, back) for key, front, back, _ in DEFECTS]
    # the answer leaks into the context line on the front
    notes[-1] = _note("leaked-answer", "What is the scale?", "one over root dk", context="one over root dk")
    deck = folder / "broken.apkg"
    write_package(deck, "Broken", "broken", notes, [])
    return preview_deck(deck).path


def test_broken_math_fails_each_named_check(broken_page: Path, chromium: Any):
    problems = check_page(chromium, broken_page)
    caught: dict[str, set[str]] = {key: set() for key, *_ in DEFECTS}
    for problem in problems:
        if problem.card:
            caught[problem.card.split("broken/")[-1]].add(problem.check)
        else:  # the page as a whole: only the browser's own complaint about the missing image
            assert problem.check == "console-error", problem
            assert "not-in-the-deck.png" in problem.detail or "ERR_FILE_NOT_FOUND" in problem.detail, problem
            caught["missing-image"].add(problem.check)
    assert caught == {key: checks for key, _, _, checks in DEFECTS}


def test_the_page_marks_the_cards_whose_math_mathjax_rejects(broken_page: Path, chromium: Any):
    page = chromium.new_page()
    try:
        page.goto(broken_page.as_uri(), wait_until="load")
        page.wait_for_function("document.body.dataset.mathjax === 'done'")
        marked = page.eval_on_selector_all(
            ".srs-preview-has-problems", "cards => cards.map(card => JSON.parse(card.dataset.card).key)"
        )
        first = page.inner_text(".srs-preview-has-problems .srs-preview-problems")
        summary = page.inner_text("#srs-math-problems")
    finally:
        page.close()
    assert marked == ["broken/missing-argument", "broken/undefined-macro"]
    assert summary.startswith("MathJax could not typeset the math of 2 card(s): #")
    assert "Missing argument for \\frac" in first


def test_a_cloze_front_that_shows_its_answer_fails(tmp_path: Path, chromium: Any):
    deck = tmp_path / "cloze.apkg"
    write_package(deck, "Cloze", "cloze", [_note("hidden", "The scale is {{c1::one over root dk}}.", "", cloze=True)], [])
    page = preview_deck(deck).path
    assert check_page(chromium, page) == []
    # the same page with the cloze's text put back on the front, as a wrong template would
    text = page.read_text()
    front, rest = text.split('data-side="back"', 1)
    leaked = front.replace(">[...]<", ">one over root dk<")
    assert leaked != front
    page.write_text(leaked + 'data-side="back"' + rest)
    assert {problem.check for problem in check_page(chromium, page)} == {"answer-shown"}


def test_the_page_works_from_a_copied_folder(tmp_path: Path, chromium: Any):
    deck = lesson_deck("00-dot-product.ipynb")
    preview_deck(deck, tmp_path / "made" / "lesson.html")
    copied = tmp_path / "elsewhere" / "copy"
    shutil.copytree(tmp_path / "made", copied)
    shutil.rmtree(tmp_path / "made")
    assert check_page(chromium, copied / "lesson.html") == []


def test_a_missing_chromium_fails_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import preview_browser

    monkeypatch.setattr(preview_browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(preview_browser.shutil, "which", lambda _name: None)
    assert why_no_browser() == INSTALL_CHROMIUM
    assert "apt-get install -y chromium" in INSTALL_CHROMIUM
