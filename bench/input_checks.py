"""What do the input checks and the sympy budget cost a normal lesson?

Two comparisons, each in fresh processes (so one-time costs count: imports, compiling the schema,
starting the sympy helper), interleaved over the rounds so that a slow moment of the machine hits
both sides alike, reported as medians:

- reading the lessons (`read_lesson`) with nbformat's schema check, and with it switched off;
- making the cards of the lessons' markdown (formulas, derivations: the sympy work), with sympy in
  a helper process under its time budget, and with sympy called in-process as before the budget.

    python bench/input_checks.py [--rounds 7] [LESSON.ipynb ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ = """
import sys, time
from pathlib import Path
import srs.notebook.reader
if sys.argv[1] == "off":
    srs.notebook.reader.check_schema = lambda path, data: None
start = time.perf_counter()
for name in sys.argv[2:]:
    srs.notebook.reader.read_lesson(Path(name))
print(time.perf_counter() - start)
"""

MAKE = """
import sys, time
from pathlib import Path
if sys.argv[1] == "in-process":
    import srs.maths.budget, srs.maths.derivation, srs.maths.latex
    srs.maths.derivation._check_in_helper = srs.maths.derivation._check_step
    srs.maths.budget.evaluate_within_budget = srs.maths.latex.evaluate_at
    srs.maths.budget.start_helper = lambda options=None: None
from srs.kinds import MakeContext, get_kind
from srs.notebook.reader import read_lesson
from srs.sources.find import find_sources
start = time.perf_counter()
for name in sys.argv[2:]:
    lesson = read_lesson(Path(name))
    for source in find_sources(lesson, "markdown"):
        get_kind(source.kind).make(source, MakeContext(lesson=lesson))
print(time.perf_counter() - start)
"""


def timed(script: str, mode: str, lessons: list[str]) -> float:
    """Seconds the script reports for one fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", script, mode, *lessons], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(done.stdout.strip().splitlines()[-1])


def compare(title: str, script: str, modes: tuple[str, str], lessons: list[str], rounds: int) -> None:
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(rounds):
        for mode in modes:
            times[mode].append(timed(script, mode, lessons))
    print(title)
    for mode in modes:
        each = ", ".join(f"{t:.3f}" for t in times[mode])
        print(f"  {mode:>11}: median {statistics.median(times[mode]):.3f} s  ({each})")
    ratio = statistics.median(times[modes[0]]) / statistics.median(times[modes[1]])
    print(f"  ratio {modes[0]} / {modes[1]}: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    lessons = sorted(str(p) for p in (ROOT / "lessons").glob("*.ipynb"))
    parser.add_argument("lessons", nargs="*", default=lessons)
    args = parser.parse_args()
    started = time.perf_counter()
    compare("reading the lessons", READ, ("on", "off"), args.lessons, args.rounds)
    compare("making the markdown cards", MAKE, ("budgeted", "in-process"), args.lessons, args.rounds)
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
