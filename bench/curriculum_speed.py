"""How long does `srs build lessons/` take when nothing changed? (It should stay under 3 s in all.)

Builds every lesson once into a fresh folder (untimed: that is the cold build, minutes for a long
curriculum), then times unchanged rebuilds of the whole folder, with `--bundle` too. An unchanged
rebuild hashes each lesson's inputs, settles it without starting a process, checks the fronts of
all decks against each other from the manifests, and (with --bundle) writes the bundle again.

    python bench/curriculum_speed.py [--lessons lessons] [--rounds 10]
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

ROOT = Path(__file__).resolve().parent.parent


def build(lessons: Path, out: Path, *extra: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of `srs build LESSONS --out OUT`, and what it printed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "srs", "build", str(lessons), "--out", str(out), *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"srs build failed:\n{done.stdout}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=Path, default=ROOT / "lessons")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="srs-curriculum-") as folder:
        out = Path(folder) / "decks"
        wall, _, printed = build(args.lessons, out)
        lessons = printed.count(" cards (")
        print(f"cold build of {lessons} lessons: {wall:.1f} s (not the measure)")
        for label, extra in (("unchanged rebuild", ()), ("unchanged rebuild --bundle", ("--bundle",))):
            walls, cpus = [], []
            for _ in range(args.rounds):
                wall, cpu, printed = build(args.lessons, out, *extra)
                if printed.count("up to date") != lessons:
                    sys.exit(f"a lesson was rebuilt although nothing changed:\n{printed}")
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{label}: median {statistics.median(walls):.2f} s wall (best {min(walls):.2f} s, "
                f"worst {max(walls):.2f} s), median {statistics.median(cpus):.2f} s CPU, {args.rounds} rounds"
            )


if __name__ == "__main__":
    main()
