"""Images become deck media by content hash; images outside the lesson are refused; links reach the cell."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from srs.build.lesson import BuildOptions, build_lesson
from srs.cli.app import app
from srs.core.config import LinkTarget, Settings, load_settings, source_link

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_attachment_images_travel_in_the_deck(write_notebook, tmp_path: Path):
    path = write_notebook([("md", "Q: Which picture is the causal mask?\n\nA: ![mask](attachment:mask.png)")])
    data = json.loads(path.read_text())
    data["cells"][0]["attachments"] = {"mask.png": {"image/png": base64.b64encode(PNG).decode()}}
    path.write_text(json.dumps(data))
    report = build_lesson(path, BuildOptions(out_dir=tmp_path / "d"))
    back = report.notes[0].fields[1]
    assert back.startswith('<p><img src="srs-') and back.count(".png") == 1


def test_same_image_twice_is_one_media_file(write_notebook, tmp_path: Path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(PNG)
    (tmp_path / "images" / "copy.png").write_bytes(PNG)
    cells = [("md", "Q: Which mask is lower-triangular here?\n\nA: ![](images/a.png)"),
             ("md", "Q: Which mask hides the future here?\n\nA: ![](images/copy.png)")]
    report = build_lesson(write_notebook(cells), BuildOptions(out_dir=tmp_path / "d"))
    names = {field.split('src="')[1].split('"')[0] for note in report.notes for field in note.fields if "src=" in field}
    assert len(names) == 1


def test_images_outside_the_lesson_folder_or_on_the_web_are_refused(write_notebook, tmp_path: Path):
    lesson_dir = tmp_path / "lesson"
    lesson_dir.mkdir()
    (tmp_path / "secret.png").write_bytes(PNG)
    for src, words in [("../secret.png", "outside the lesson's folder"), ("https://example.org/a.png", "is a URL"),
                       ("images/missing.png", "not found")]:
        path = lesson_dir / "l.ipynb"
        path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "id": "m", "metadata": {},
                                               "source": f"Q: Which image is it?\n\nA: ![]({src})"}],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        result = CliRunner().invoke(app, ["build", str(path), "--out", str(tmp_path / "d")])
        assert result.exit_code == 2 and "[SRS040]" in result.stderr and words in result.stderr


def test_source_url_placeholders(tmp_path: Path):
    settings = Settings(source_url="https://nb.example/{path}?cell={cell}&id={cell_id}#{anchor}")
    url = source_link(settings, LinkTarget(tmp_path / "l.ipynb", 14, "ab12", "Scaled scores"))
    assert url.endswith("l.ipynb?cell=14&id=ab12#Scaled-scores")


def test_default_link_follows_the_git_remote(tmp_path: Path):
    git = tmp_path / "repo" / ".git"
    git.mkdir(parents=True)
    (git / "config").write_text('[remote "origin"]\n\turl = git@github.com:someone/notes.git\n')
    (git / "HEAD").write_text("ref: refs/heads/trunk\n")
    notebook = tmp_path / "repo" / "lessons" / "07.ipynb"
    url = source_link(Settings(), LinkTarget(notebook, 3, "x", ""))
    assert url == "https://github.com/someone/notes/blob/trunk/lessons/07.ipynb"


def test_without_remote_the_link_is_a_file_url(tmp_path: Path):
    assert source_link(Settings(), LinkTarget(tmp_path / "l.ipynb", 1, "x", "")).startswith("file://")


def test_pyproject_settings_are_found_upward_and_checked(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.srs]\ndeck_prefix = "Notes"\ntimeout = 30\n')
    (tmp_path / "lessons").mkdir()
    settings = load_settings(tmp_path / "lessons" / "a.ipynb")
    assert settings.deck_prefix == "Notes" and settings.timeout == 30
    (tmp_path / "pyproject.toml").write_text('[tool.srs]\ndeck_prefx = "Notes"\n')
    nb = tmp_path / "lessons" / "a.ipynb"
    nb.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = CliRunner().invoke(app, ["build", str(nb), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2 and "unknown key 'deck_prefx' in [tool.srs]" in result.stderr
