"""`srs lint --format github|json`: findings where a lessons repository's CI shows them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from srs.cli.app import app

CELLS = [
    ("md", "# Attention"),
    ("md", "Q: What do the attention weights of one query add up to?\n\nA: Exactly 1."),
    ("md", "Q: Is attention a weighted average?\n\nA: Yes."),
]


def test_github_format_writes_one_annotation_per_finding_on_the_notebook_line(write_notebook, tmp_path: Path):
    path = write_notebook(CELLS)
    result = CliRunner().invoke(app, ["lint", str(path), "--out", str(tmp_path / "d"), "--format", "github"])
    assert result.exit_code == 1
    [annotation] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotation.startswith(f"::warning file={path},line=")
    line = int(annotation.split("line=")[1].split(",")[0])
    # the annotation sits on the file line that holds the card's question
    assert "Is attention a weighted average?" in path.read_text().splitlines()[line - 1]
    assert ",title=srs (SRS106)::[SRS106] " in annotation and annotation.endswith("(cell 3, line 1)")


def test_json_format_prints_only_a_list_of_findings(write_notebook, tmp_path: Path):
    path = write_notebook(CELLS)
    result = CliRunner().invoke(app, ["lint", str(path), "--out", str(tmp_path / "d"), "--format", "json"])
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert finding["code"] == "SRS106" and finding["rule"] == "yes-no-question"
    assert (finding["path"], finding["cell"], finding["line"]) == (str(path), 3, 1)
    assert finding["severity"] == "warning" and finding["file_line"] > 1


def test_json_of_a_clean_notebook_is_an_empty_list(write_notebook, tmp_path: Path):
    path = write_notebook(CELLS[:2])
    result = CliRunner().invoke(app, ["lint", str(path), "--out", str(tmp_path / "d"), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_an_unknown_format_is_bad_input(write_notebook):
    result = CliRunner().invoke(app, ["lint", str(write_notebook(CELLS)), "--format", "xml"])
    assert result.exit_code == 2 and "--format must be one of text, github, json" in result.stderr


def test_messages_are_escaped_for_the_runner():
    from srs.core.model import Finding, Location
    from srs.lint.report import github_annotation

    finding = Finding("SRS117", "50% of it\nis: here, now", Location(Path("a,b.ipynb")))
    assert github_annotation(finding) == (
        "::warning file=a%2Cb.ipynb,line=1,title=srs (SRS117)::[SRS117] 50%25 of it%0Ais: here, now"
    )
