"""How many of a lesson's authored cards `srs suggest` finds again once every card source is stripped.

    python bench/suggest_recall.py lessons/07-attention.ipynb lessons/00-dot-product.ipynb \
        [--out DIR] [--cache DIR] [--min-confidence X]

For each lesson: strip every card source (`#|` option lines, option comments, `Q:`/`A:` pairs, cloze
markup), keeping every cell in place; run `srs suggest` on the stripped copy; and count the authored
formula, shape and numeric cards (one per source) that a suggestion of the same kind proposes again
in the same cell. Recall is that count over the authored ones. Each lesson's line also says how many
suggestions it got, by kind. With --out, the stripped copies and their suggested versions are kept
there (for a blind review of the suggestions' precision); with --cache, the runs are kept there, so
that measuring again after a change to the heuristics does not run the lessons again.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from srs.notebook.reader import read_lesson  # noqa: E402
from srs.sources.find import find_sources  # noqa: E402
from srs.suggest import suggest_cards  # noqa: E402
from srs.suggest.edit import write_suggested  # noqa: E402

MEASURED = ("formula", "shape", "numeric")
OPTION_LINE = re.compile(r"^\s*#\s*\|")
COMMENT = re.compile(r"<!--\s*#\|.*?-->\n?", re.S)
CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
MARK = r"(?:\*\*|__)?"
QA_PAIR = re.compile(rf"(?m)^{MARK}Q{MARK}:.*?(?:\n\n|\n){MARK}A{MARK}:.*?(?=\n\n|\Z)", re.S)


def stripped_source(cell: dict[str, object]) -> str:
    """A cell's source without any card source."""
    source = cell["source"]
    text = "".join(source) if isinstance(source, list) else str(source)
    if cell["cell_type"] == "code":
        lines = text.splitlines(keepends=True)
        while lines and OPTION_LINE.match(lines[0]):
            lines.pop(0)
        return "".join(lines)
    text = COMMENT.sub("", text)
    text = QA_PAIR.sub("", text)
    return CLOZE.sub(r"\1", text)


def strip_lesson(original: Path, target: Path) -> None:
    """Write a copy of the lesson with every card source removed, cells and ids kept."""
    data = json.loads(original.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        cell["source"] = stripped_source(cell)
    target.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def measure(
    lesson: Path, keep: Path | None, cache: Path | None = None, min_confidence: float | None = None
) -> dict[str, object]:
    """Recall of one lesson's authored formula, shape and numeric cards."""
    authored = [(s.cell.index, s.kind) for s in find_sources(read_lesson(lesson)) if s.kind in MEASURED]
    with tempfile.TemporaryDirectory(dir=lesson.parent, prefix=".srs-recall-") as folder:
        stripped = Path(folder) / lesson.name
        strip_lesson(lesson, stripped)
        for helper in lesson.parent.glob("*.py"):
            shutil.copy(helper, Path(folder) / helper.name)
        data = lesson.parent / "data"
        if data.is_dir():
            (Path(folder) / "data").symlink_to(data.resolve())
        options = {} if min_confidence is None else {"min_confidence": min_confidence}
        report = suggest_cards(stripped, out_dir=cache or Path(folder) / "decks", **options)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(stripped, keep / f"{lesson.stem}.stripped.ipynb")
            write_suggested(stripped, keep / f"{lesson.stem}.suggested.ipynb", report.suggestions)
    proposed = {(s.cell.index, s.kind) for s in report.suggestions}
    found = [place for place in authored if place in proposed]
    by_kind = {
        kind: f"{sum(1 for p in found if p[1] == kind)}/{sum(1 for p in authored if p[1] == kind)}"
        for kind in MEASURED
    }
    return {
        "lesson": str(lesson),
        "authored": len(authored),
        "found_again": len(found),
        "recall": len(found) / len(authored) if authored else None,
        "by_kind": by_kind,
        "suggestions": len(report.suggestions),
        "suggestions_by_kind": dict(sorted(Counter(s.kind for s in report.suggestions).items())),
    }


def main() -> None:
    """Print each lesson's recall and the total."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("lessons", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="keep the stripped and suggested copies here")
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the runs' cache here, so that a second measurement does not run again",
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        help="leave out suggestions below this (default: srs suggest's own default)",
    )
    args = parser.parse_args()
    rows = [measure(lesson, args.out, args.cache, args.min_confidence) for lesson in args.lessons]
    for row in rows:
        recall = "-" if row["recall"] is None else f"{100 * row['recall']:.0f}%"
        print(
            f"{row['lesson']}: {row['found_again']}/{row['authored']} authored formula/shape/numeric cards "
            f"found again ({recall}; {row['by_kind']}); "
            f"{row['suggestions']} suggestions {row['suggestions_by_kind']}"
        )
    authored = sum(int(row["authored"]) for row in rows)
    found = sum(int(row["found_again"]) for row in rows)
    if authored:
        print(f"all: {found}/{authored} ({100 * found / authored:.0f}%)")


if __name__ == "__main__":
    main()
