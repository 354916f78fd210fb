"""How many cards `srs suggest` proposes for lessons without cards, at several confidence thresholds.

    python bench/suggest_count.py bench/lessons-without-cards/*.ipynb [--cache DIR] [--at 0.5 0.4 0]

Each lesson is suggested once with every suggestion kept, and the suggestions are counted at each
threshold (0.5 is `srs suggest`'s default). One line a lesson, then the mean a lesson at each
threshold, the fewest and the most, how many lessons get none, and how many reach 25. With --cache,
the runs are kept there, so that counting again after a change to the heuristics runs no notebook.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from srs.suggest import suggest_cards  # noqa: E402

ENOUGH = 25
"""The count a lesson without cards should reach."""


def count(lesson: Path, cache: Path, thresholds: list[float]) -> list[int]:
    """The lesson's suggestions at or above each threshold."""
    report = suggest_cards(lesson, out_dir=cache, min_confidence=0.0)
    return [sum(1 for s in report.suggestions if s.confidence >= at) for at in thresholds]


def main() -> None:
    """Print each lesson's counts, then the summary at each threshold."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("lessons", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, help="keep the runs' cache here between measurements")
    parser.add_argument("--at", nargs="+", type=float, default=[0.5, 0.4, 0.0], help="thresholds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = args.cache or Path(folder)
        rows = [(lesson.stem, count(lesson, cache, args.at)) for lesson in args.lessons]
    for name, counts in rows:
        print(name, *counts)
    for column, at in enumerate(args.at):
        values = [counts[column] for _name, counts in rows]
        print(
            f"at {at:g}: {sum(values) / len(values):.1f} a lesson ({min(values)} to {max(values)}), "
            f"{values.count(0)} with none, {sum(1 for v in values if v >= ENOUGH)} reach {ENOUGH}"
        )


if __name__ == "__main__":
    main()
