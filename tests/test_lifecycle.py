"""Build, import, review, edit the notebook, rebuild, re-import: nothing is lost or duplicated.

This is the promise users rely on, so it is checked with Anki's own engine and its default import
options ("update notes if newer").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import import_deck

from srs.build.lesson import BuildOptions, build_lesson

TITLE = ("md", "# Attention\n\nQ: What does one attention weight measure?\n\nA: How much a query attends to one key.", "intro")
SCORES = ("md", "## Scores\n\nA score is the {{c1::dot product}} of a query and a key.", "scores")
FORMULA = ("md", "<!-- #| card: formula\n     #| name: scaled score\n     #| id: scaled-score -->\n"
           "$$s = \\frac{q \\cdot k}{\\sqrt{d_k}}$$", "formula")
CODE = ("code", "x = 1", "code")


def review_all(col: Any, deck_name: str) -> dict[int, tuple[int, int, int]]:
    """Answer every new card once ('good'); return card id -> (type, due, review count)."""
    col.decks.select(col.decks.id_for_name(deck_name))
    while card := col.sched.getCard():
        col.sched.answerCard(card, 3)
    return {cid: _state(col, cid) for cid in col.find_cards(f'"deck:{deck_name}"')}


def _state(col: Any, cid: int) -> tuple[int, int, int]:
    card = col.get_card(cid)
    return card.type, card.due, col.db.scalar("select count() from revlog where cid = ?", cid)


def test_edit_rebuild_reimport_keeps_history(write_notebook, tmp_path: Path, collection: Any):
    out = tmp_path / "decks"
    path = write_notebook([TITLE, SCORES, CODE, FORMULA])
    first = build_lesson(path, BuildOptions(out_dir=out))
    import_deck(collection, first.deck_path)
    before = review_all(collection, "srs::Attention")
    assert len(before) == 3 and all(count >= 1 for _, _, count in before.values())

    reworded = ("md", TITLE[1].replace("# Attention", "# Attention from scratch")
                .replace("one key.", "one key, relative to the others."), "intro")
    renamed = ("md", SCORES[1].replace("## Scores", "## Dot-product scores"), "scores")
    inserted = ("md", "Q: What turns a row of scores into weights?\n\nA: The softmax.", "new-cell")
    path = write_notebook([reworded, FORMULA, CODE, inserted, renamed])  # reordered, one inserted
    second = build_lesson(path, BuildOptions(out_dir=out))
    result = import_deck(collection, second.deck_path)

    assert collection.note_count() == 4 and collection.card_count() == 4  # no duplicates
    assert len(result.log.new) == 1 and len(result.log.updated) >= 1
    intro = collection.get_note(collection.find_notes('"Key:lesson/intro:qa:0"')[0])
    assert "relative to the others" in intro["Back"]
    for cid, state in before.items():  # every reviewed card keeps its history and schedule
        assert _state(collection, cid) == state
    decks = {collection.decks.name(collection.get_card(cid).did) for cid in collection.find_cards("")}
    assert decks == {"srs::Attention"}  # the retitled lesson does not split the deck
    assert any("keeps its first name" in message for message in second.messages)


def test_unchanged_notes_keep_their_time_changed_ones_move(write_notebook, tmp_path: Path):
    out = tmp_path / "decks"
    first = build_lesson(write_notebook([TITLE, SCORES]), BuildOptions(out_dir=out))
    edited = ("md", SCORES[1].replace("dot product", "scaled dot product"), "scores")
    second = build_lesson(write_notebook([TITLE, edited]), BuildOptions(out_dir=out))
    mods = {n.guid: n.mod for n in first.notes}
    unchanged, changed = second.notes
    assert unchanged.mod == mods[unchanged.guid]
    assert changed.mod > mods[changed.guid]


def test_reimporting_the_same_deck_changes_nothing(write_notebook, tmp_path: Path, collection: Any):
    out = tmp_path / "decks"
    path = write_notebook([TITLE, SCORES, FORMULA])
    deck = build_lesson(path, BuildOptions(out_dir=out)).deck_path
    import_deck(collection, deck)
    rebuilt = build_lesson(path, BuildOptions(out_dir=out, force=True))
    result = import_deck(collection, rebuilt.deck_path)
    assert len(result.log.new) == 0 and len(result.log.updated) == 0
    assert collection.note_count() == 3


def test_removed_cards_are_listed_with_their_search(write_notebook, tmp_path: Path, collection: Any):
    out = tmp_path / "decks"
    first = build_lesson(write_notebook([TITLE, SCORES]), BuildOptions(out_dir=out))
    import_deck(collection, first.deck_path)
    second = build_lesson(write_notebook([TITLE]), BuildOptions(out_dir=out))
    assert second.removed == ['"Key:lesson/scores:cloze:0"']
    assert len(collection.find_notes(second.removed[0])) == 1


def test_a_removed_cards_search_finds_that_note_only_whatever_its_id_holds(
    write_notebook, tmp_path: Path, collection: Any
):
    # `_` and `*` are wildcards in Anki's search, and the Key field holds `<` as `&lt;`
    ids = ["a_b", "axb", "p<q", "s*", "st"]
    cells = [("md", f"<!-- #| id: {i} -->\nQ: Question {n} about attention?\n\nA: Answer {n}.", f"c{n}")
             for n, i in enumerate(ids)]
    out = tmp_path / "decks"
    import_deck(collection, build_lesson(write_notebook([TITLE, *cells]), BuildOptions(out_dir=out)).deck_path)
    kept = [cell for cell in cells if cell[2] in ("c1", "c4")]
    second = build_lesson(write_notebook([TITLE, *kept]), BuildOptions(out_dir=out))
    assert len(second.removed) == 3
    for search in second.removed:
        [note_id] = collection.find_notes(search)
        assert collection.get_note(note_id)["Key"].split("/", 1)[1] in ("a_b", "p&lt;q", "s*")


def test_new_cards_come_in_notebook_order(write_notebook, tmp_path: Path, collection: Any):
    cells = [("md", f"Q: Question number {n} about attention?\n\nA: Answer {n}.", f"q{n}") for n in range(5)]
    import_deck(collection, build_lesson(write_notebook(cells), BuildOptions(out_dir=tmp_path / "d")).deck_path)
    cards = sorted((collection.get_card(c) for c in collection.find_cards("")), key=lambda c: c.due)
    assert [c.note()["Key"] for c in cards] == [f"lesson/q{n}:qa:0" for n in range(5)]
