"""`srs build` of several lessons: separate processes, producers first, messages per lesson, the bundle."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import KERNELSPEC, import_deck, notebook_json

from srs.build.curriculum import plan_lessons
from srs.build.lesson import BuildOptions, build_lesson
from srs.deck.inspect import read_deck
from srs.notebook.dependencies import DependencyError

ROOT = Path(__file__).resolve().parent.parent

MAKE_SIZE = (
    "import pathlib\n"
    "pathlib.Path('artifacts').mkdir(exist_ok=True)\n"
    "pathlib.Path('artifacts/size.txt').write_text(str({size}))"
)
USE_SIZE = (
    "#| card: numeric\n"
    "#| front: How many hidden units does the saved network have?\n"
    "int(open('artifacts/size.txt').read())"
)


def lesson(folder: Path, name: str, cells: list[tuple[str, str]], **srs: Any) -> Path:
    """Write a lesson notebook whose metadata declares `srs` (produces, needs)."""
    metadata: dict[str, Any] = {"kernelspec": KERNELSPEC}
    if srs:
        metadata["srs"] = srs
    path = folder / name
    path.write_text(json.dumps(notebook_json(cells, metadata=metadata), indent=1))
    return path


def srs_build(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`srs build ARGS` as a user runs it, stdout and stderr in one stream as a terminal shows them."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-m", "srs", "build", *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False, timeout=300,
    )


@pytest.fixture
def producer_and_user(tmp_path: Path) -> Path:
    """A folder of two lessons: `a-use` loads what `b-make` saves (so the names' order is the wrong one)."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson(folder, "a-use.ipynb", [("md", "# Using the model"), ("code", USE_SIZE)], needs=["artifacts/size.txt"])
    lesson(
        folder, "b-make.ipynb",
        [("md", "# Making the model"), ("code", MAKE_SIZE.format(size=12)),
         ("md", "Q: What file does the model-making lesson save its network to?\n\nA: `artifacts/size.txt`")],
        produces=["artifacts/size.txt"],
    )
    return folder


def _value(deck: Path) -> str:
    return next(note.front for note in read_deck(deck).notes if "saved network" in note.front)


def test_a_producer_is_built_before_the_lesson_that_needs_its_file(producer_and_user, tmp_path):
    done = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].startswith("lessons/b-make.ipynb -> decks/b-make.apkg: 1 cards")
    assert lines[1].startswith("lessons/a-use.ipynb -> decks/a-use.apkg: 1 cards (numeric 1); ran the notebook")
    from anki.collection import Collection

    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, tmp_path / "decks" / "a-use.apkg")
        (note,) = [col.get_note(n) for n in col.find_notes("")]
        assert note["Value"] == "12"
    finally:
        col.close()


def test_the_run_cache_knows_a_needed_file_as_an_input(producer_and_user, tmp_path):
    assert srs_build("lessons", "--out", "decks", cwd=tmp_path).returncode == 0
    again = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert again.stdout.count("up to date") == 2, again.stdout
    make = producer_and_user / "b-make.ipynb"
    make.write_text(make.read_text().replace("str(12)", "str(16)"))
    changed = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert changed.returncode == 0, changed.stdout
    assert "a-use.apkg: 1 cards (numeric 1); ran the notebook" in changed.stdout
    value = build_lesson(producer_and_user / "a-use.ipynb", BuildOptions(out_dir=tmp_path / "decks", force=True))
    assert [card.value for card in value.cards] == ["16"] and not value.ran


def test_a_produced_file_that_went_missing_is_made_again(producer_and_user, tmp_path):
    assert srs_build("lessons", "--out", "decks", cwd=tmp_path).returncode == 0
    (producer_and_user / "artifacts" / "size.txt").unlink()
    again = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    assert "b-make.apkg: 1 cards (qa 1); ran the notebook" in again.stdout
    assert "a-use.apkg: up to date" in again.stdout  # the same bytes came back
    assert (producer_and_user / "artifacts" / "size.txt").read_text() == "12"


def test_a_failed_producer_stops_only_the_lessons_that_need_it(producer_and_user, tmp_path):
    make = producer_and_user / "b-make.ipynb"
    make.write_text(make.read_text().replace("import pathlib", "raise ValueError('no data')"))
    lesson(producer_and_user, "c-alone.ipynb", [("md", "# Alone\n\nQ: What is the sum of 2 and 3?\n\nA: 5")])
    done = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 1
    assert "lessons/b-make.ipynb:cell 2:line 1: [SRS201]" in done.stdout
    assert "lessons/a-use.ipynb: [SRS074] not built: it needs files of lessons/b-make.ipynb" in done.stdout
    assert "c-alone.apkg: 1 cards (qa 1)" in done.stdout
    assert not (tmp_path / "decks" / "a-use.apkg").exists()


def test_lessons_build_at_the_same_time(tmp_path):
    # each lesson waits until the other has started: they finish only when built side by side
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "pyproject.toml").write_text("[tool.srs]\njobs = 1\ntimeout = 60\n")
    for me, other in (("left", "right"), ("right", "left")):
        code = (
            "import pathlib, time\n"
            f"pathlib.Path('{me}.started').touch()\n"
            f"deadline = time.time() + 50\n"
            f"while not pathlib.Path('{other}.started').exists() and time.time() < deadline:\n"
            "    time.sleep(0.05)\n"
            f"met = pathlib.Path('{other}.started').exists()"
        )
        card = "#| card: numeric\n#| front: Did the other lesson start too?\nmet"
        lesson(folder, f"{me}.ipynb", [("md", f"# {me}"), ("code", code), ("code", card)])
    done = srs_build("lessons", "--out", "decks", "-j", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    for name in ("left", "right"):
        values = [n.front for n in read_deck(tmp_path / "decks" / f"{name}.apkg").notes]
        assert len(values) == 1
    # the value is True only if the other lesson was running at the same time
    from anki.collection import Collection

    col = Collection(str(tmp_path / "c.anki2"))
    try:
        for name in ("left", "right"):
            import_deck(col, tmp_path / "decks" / f"{name}.apkg")
        assert sorted(col.get_note(n)["Value"] for n in col.find_notes("")) == ["True", "True"]
    finally:
        col.close()


def test_each_lessons_messages_stay_together(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    for name in ("one", "two", "three"):
        cards = "\n\n".join(f"Q: Is the {name} thing number {n} big?\n\nA: yes" for n in range(3))
        lesson(folder, f"{name}.ipynb", [("md", f"# {name.title()}"), ("md", cards)])
    done = srs_build("lessons", "--out", "decks", "-j", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    blocks: list[str] = []
    for line in done.stdout.splitlines():
        owner = next((name for name in ("one", "two", "three") if f"/{name}.ipynb" in line), None)
        if owner and (not blocks or blocks[-1] != owner):
            blocks.append(owner)
    assert sorted(blocks) == ["one", "three", "two"], done.stdout  # each lesson's lines in one run
    assert done.stdout.count("[SRS106]") == 9


def test_two_decks_never_ask_the_same_question(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    question = "Q: What does the softmax turn a row of scores into?\n\nA: weights that sum to one"
    lesson(folder, "01-first.ipynb", [("md", "# First"), ("md", question)])
    lesson(folder, "02-second.ipynb", [("md", "# Second"), ("md", "Q: Why scale by the root of d?\n\nA: variance"), ("md", question)])
    near = "Q: What does the softmax turn one row of scores into?\n\nA: a distribution"
    lesson(folder, "03-third.ipynb", [("md", "# Third"), ("md", near)])
    done = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 0
    same = ("lessons/02-second.ipynb:cell 3:line 1: [SRS111] same front as the card at "
            "lessons/01-first.ipynb:cell 2:line 1 in another deck")
    assert same in done.stdout
    assert "lessons/03-third.ipynb:cell 2:line 1: [SRS112] front is 90% the same as the card at lessons/01-first.ipynb:cell 2:line 1" in done.stdout
    # an unchanged rebuild still sees them, from the fronts the manifests kept; --strict fails on them
    again = srs_build("lessons", "--out", "decks", cwd=tmp_path)
    assert again.stdout.count("up to date") == 3 and same in again.stdout
    assert srs_build("lessons", "--out", "decks", "--strict", cwd=tmp_path).returncode == 1


def test_the_bundle_holds_every_deck_under_one_parent(producer_and_user, tmp_path, collection):
    done = srs_build("lessons", "--out", "decks", "--bundle", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "decks/srs.apkg: 2 decks under 'srs', 2 notes (the bundle)" in done.stdout
    import_deck(collection, tmp_path / "decks" / "srs.apkg")
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"srs", "srs::Making the model", "srs::Using the model"} <= names
    bundled = {collection.get_note(n).guid: collection.decks.name(collection.get_card(collection.get_note(n).card_ids()[0]).did)
               for n in collection.find_notes("")}
    from anki.collection import Collection

    separate = Collection(str(tmp_path / "separate.anki2"))
    try:
        for name in ("a-use", "b-make"):
            import_deck(separate, tmp_path / "decks" / f"{name}.apkg")
        one_by_one = {separate.get_note(n).guid: separate.decks.name(separate.get_card(separate.get_note(n).card_ids()[0]).did)
                      for n in separate.find_notes("")}
        assert bundled == one_by_one
        # importing the decks one by one after the bundle changes nothing: the same notes, updated in place
        for name in ("a-use", "b-make"):
            import_deck(collection, tmp_path / "decks" / f"{name}.apkg")
        assert collection.note_count() == 2
    finally:
        separate.close()


def test_a_circle_of_lessons_is_refused(tmp_path):
    lesson(tmp_path, "a.ipynb", [("md", "# A")], needs=["x.txt"], produces=["y.txt"])
    lesson(tmp_path, "b.ipynb", [("md", "# B")], needs=["y.txt"], produces=["x.txt"])
    with pytest.raises(DependencyError, match="need each other's files in a circle") as raised:
        plan_lessons([tmp_path / "a.ipynb", tmp_path / "b.ipynb"])
    assert raised.value.code == "SRS072"
    done = srs_build(".", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout.count("\n") == 1 and "[SRS072]" in done.stdout


def test_a_needed_file_that_nothing_makes_is_bad_input(tmp_path):
    lesson(tmp_path, "a.ipynb", [("md", "# A")], needs=["artifacts/model.pt"])
    lesson(tmp_path, "b.ipynb", [("md", "# B\n\nQ: What is the sum of 2 and 3?\n\nA: 5")])
    done = srs_build(".", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 2
    assert "a.ipynb: [SRS071] the lesson needs 'artifacts/model.pt', which does not exist" in done.stdout
    assert "b.apkg: 1 cards" in done.stdout
    alone = srs_build("a.ipynb", "--out", "decks", cwd=tmp_path)
    assert alone.returncode == 2 and "[SRS071]" in alone.stdout and "Traceback" not in alone.stdout


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"needs": 3}, "notebook metadata srs.needs must be a list of file paths"),
        ({"produces": ["../outside.pt"]}, "srs.produces names '../outside.pt', which is not a path inside"),
        ({"needs": ["/etc/model.pt"]}, "srs.needs names '/etc/model.pt'"),
    ],
)
def test_a_malformed_declaration_is_one_line(tmp_path, declared, message):
    lesson(tmp_path, "a.ipynb", [("md", "# A")], **declared)
    lesson(tmp_path, "b.ipynb", [("md", "# B\n\nQ: What is the sum of 2 and 3?\n\nA: 5")])
    done = srs_build(".", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 2
    assert f"a.ipynb: [SRS070] {message}" in done.stdout and "Traceback" not in done.stdout
    assert "b.apkg: 1 cards" in done.stdout


def test_a_producer_that_does_not_write_its_file_fails(tmp_path):
    lesson(tmp_path, "a.ipynb", [("md", "# A"), ("code", "x = 1")], produces=["model.pt"])
    done = srs_build("a.ipynb", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 2
    assert "a.ipynb: [SRS073] the notebook declares it produces" in done.stdout


def test_jobs_in_pyproject_must_be_a_positive_whole_number(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.srs]\njobs = 0\n")
    lesson(tmp_path, "a.ipynb", [("md", "# A\n\nQ: What is the sum of 2 and 3?\n\nA: 5")])
    lesson(tmp_path, "b.ipynb", [("md", "# B\n\nQ: What is the sum of 3 and 3?\n\nA: 6")])
    done = srs_build(".", "--out", "decks", cwd=tmp_path)
    assert done.returncode == 2 and "[tool.srs] jobs must be a whole number" in done.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_lesson_processes_end_when_the_build_is_killed(tmp_path):
    import signal
    import time

    folder = tmp_path / "lessons"
    folder.mkdir()
    for name in ("one", "two"):
        code = (
            "import os, pathlib, time\n"
            f"pathlib.Path('{name}.pids').write_text(f'{{os.getppid()}} {{os.getpid()}}')\n"
            "time.sleep(60)\nvalue = 1"
        )
        lesson(folder, f"{name}.ipynb", [("md", f"# {name}"), ("code", code), ("code", "#| card: numeric\nvalue")])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    build = subprocess.Popen([sys.executable, "-m", "srs", "build", "lessons", "-j", "2", "--out", "decks"],
                             cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid_files = [folder / "one.pids", folder / "two.pids"]
    deadline = time.monotonic() + 120
    while not all(p.exists() and p.read_text() for p in pid_files) and time.monotonic() < deadline:
        time.sleep(0.1)
    pids = [tuple(int(n) for n in p.read_text().split()) for p in pid_files]
    try:
        build.send_signal(signal.SIGKILL)
        build.wait()
        lessons = [lesson_pid for lesson_pid, _ in pids]
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in lessons) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in lessons)
    finally:
        for _, worker in pids:  # the notebooks' workers are the lesson processes' to end
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)


def test_decks_without_a_common_parent_deck_are_not_bundled(tmp_path):
    from srs.deck.bundle import BundleError, parent_deck

    with pytest.raises(BundleError) as raised:
        parent_deck(["ML::Attention", "Other::Backprop"], tmp_path)
    assert raised.value.code == "SRS075" and "give every lesson the same [tool.srs] deck_prefix" in str(raised.value)
    assert parent_deck(["ML::Attention", "ML::Backprop"], tmp_path) == "ML"
