"""Does `srs build` stay linear in the number of cards? Builds synthetic notebooks of n and 10 n cards.

The notebooks are markdown only, one Q:/A: pair and one two-part cloze per cell with varied wording
(bench/synthetic.py), so nothing runs and the time is srs's own: reading, making cards, linting
(the near-duplicate check above all, which once compared every pair of fronts), rendering and
writing the deck. Each round builds both sizes into a fresh folder, interleaved, and the report
gives the median wall time, the CPU time and the ratio of the two sizes.

    python bench/scale.py [--cards 2000] [--factor 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import write_synthetic

ROOT = Path(__file__).resolve().parent.parent


def timed_build(notebook: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one cold `srs build` of the notebook."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "srs", "build", str(notebook), "--out", str(out)],
        env=env, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"srs build {notebook} failed:\n{done.stdout}{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [args.cards, args.cards * args.factor]
    with tempfile.TemporaryDirectory(prefix="srs-scale-") as folder:
        base = Path(folder)
        notebooks = {n: write_synthetic(base / f"synthetic-{n}.ipynb", n) for n in sizes}
        walls: dict[int, list[float]] = {n: [] for n in sizes}
        cpus: dict[int, list[float]] = {n: [] for n in sizes}
        for round_number in range(args.rounds):
            for n in sizes:
                wall, cpu = timed_build(notebooks[n], base / f"decks-{round_number}-{n}")
                walls[n].append(wall)
                cpus[n].append(cpu)
                print(f"round {round_number + 1}: {n} cards {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    small, large = sizes
    print(f"\n{'cards':>8} {'median wall':>12} {'best wall':>10} {'median CPU':>11}")
    for n in sizes:
        print(f"{n:>8} {statistics.median(walls[n]):>10.2f} s {min(walls[n]):>8.2f} s "
              f"{statistics.median(cpus[n]):>9.2f} s")
    wall_ratio = statistics.median(walls[large]) / statistics.median(walls[small])
    cpu_ratio = statistics.median(cpus[large]) / statistics.median(cpus[small])
    print(f"{args.factor}x the cards: {wall_ratio:.1f}x the wall time, {cpu_ratio:.1f}x the CPU time")


if __name__ == "__main__":
    main()
