"""Is this version of srs slower than another? Cold builds of one lesson by both, interleaved.

    git worktree add /tmp/srs-old <commit>
    python bench/compare_versions.py /tmp/srs-old [--lesson lessons/07-attention.ipynb] [--rounds 10]

Each round builds the lesson cold with this checkout's srs and with the other checkout's (the order
alternating from round to round), each into a fresh folder, so that a slow moment of a shared
machine hits both alike. Reports each version's median and best wall time and the median of the
rounds' ratios (this / other).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold_build(checkout: Path, lesson: Path, out: Path) -> float:
    """Wall seconds of `python -m srs build` run from `checkout`'s sources."""
    env = dict(os.environ, PYTHONPATH=str(checkout), MPLBACKEND="Agg")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "srs", "build", str(lesson), "--out", str(out)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the build from {checkout} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a checkout of the version to compare with")
    parser.add_argument("--lesson", type=Path, default=Path("lessons/07-attention.ipynb"))
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    checkouts = {"this": ROOT, "other": args.other.resolve()}
    work = Path(tempfile.mkdtemp(prefix="srs-compare-"))
    times: dict[str, list[float]] = {"this": [], "other": []}
    try:
        for number in range(args.rounds):
            order = ["this", "other"] if number % 2 == 0 else ["other", "this"]
            for name in order:
                lesson = checkouts[name] / args.lesson
                times[name].append(cold_build(checkouts[name], lesson, work / f"{name}-{number}"))
            print(f"round {number + 1}: this {times['this'][-1]:.2f} s, other {times['other'][-1]:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, found in times.items():
        print(f"{name}: median {statistics.median(found):.2f} s, best {min(found):.2f} s")
    ratios = [a / b for a, b in zip(times["this"], times["other"], strict=True)]
    print(f"this / other: median of the rounds {statistics.median(ratios):.2f}, "
          f"best against best {min(times['this']) / min(times['other']):.2f}")


if __name__ == "__main__":
    main()
