"""How fast is `srs build`? Cold build vs the same notebook as a plain script vs nbconvert --execute.

Runs them interleaved (script, srs, nbconvert, then again), so that a slow moment of the machine
hits all alike, and reports each round's times, the ratios to the plain script and the CPU time.
Each round also times a rebuild after a code edit (a copy of the lesson whose first code cell gets
a new comment): the notebook runs again, the rest comes from what the last build kept. Then times
an unchanged rebuild (the common case: nothing changed, srs must notice and stop).

    python bench/build_speed.py [--lesson lessons/07-attention.ipynb] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The command `name` installed beside this Python, or else the first one on PATH."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found beside {sys.executable} or on PATH; install srs with its test extras")
    return found


def plain_script(notebook: Path, target: Path) -> Path:
    """The notebook's code cells, joined into one Python file that runs in the lesson's folder."""
    cells = json.loads(notebook.read_text())["cells"]
    code = [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code" and "raises-exception" not in c.get("metadata", {}).get("tags", [])
    ]
    target.write_text("\n\n".join(code) + "\n")
    return target


CPU = {"script": 0.0, "srs": 0.0, "nbconvert": 0.0, "edit": 0.0}
"""CPU seconds (user + system, all processes of the command) summed over the rounds."""


def adopt_orphans() -> None:
    """Become the parent of processes orphaned by the commands (Linux), so that their CPU time counts.

    srs does not wait for a worker that has finished: the kernel frees it after srs has exited.
    That process then comes to this one, which waits for it (see `reap_orphans`) before going on.
    """
    if sys.platform == "linux":
        import ctypes

        pr_set_child_subreaper = 36
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def reap_orphans() -> None:
    """Wait for every orphaned process adopted so far, adding its CPU time to RUSAGE_CHILDREN."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed(command: list[str], cwd: Path, env: dict[str, str], cpu_key: str | None = None) -> float:
    """Wall seconds of the command; its CPU seconds (with its children's) go to CPU[cpu_key]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    if cpu_key is not None:
        CPU[cpu_key] += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed


def edited_copy(lesson: Path, work: Path) -> Path:
    """A copy of the lesson, with the files beside it that its deck depends on, to edit freely."""
    from srs.notebook.fingerprint import build_files

    folder = work / "edit"
    for path in [lesson, *build_files(lesson)]:
        target = folder / path.relative_to(lesson.parent)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return folder / lesson.name


def edit_first_code_cell(notebook: Path, note: str) -> None:
    """Append a comment to the first code cell: a code edit, so the next build must run again."""
    data = json.loads(notebook.read_text())
    cell = next(c for c in data["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = f"{source}\n# {note}"
    notebook.write_text(json.dumps(data, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", type=Path, default=ROOT / "lessons" / "07-attention.ipynb")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-nbconvert", action="store_true", help="Time only the script and srs.")
    args = parser.parse_args()
    lesson = args.lesson.resolve()
    print(machine(), flush=True)
    adopt_orphans()
    # Python's bytecode cache on, as in any installation: without it, every process of srs compiles
    # its modules again (a few hundredths of a second each), which no user pays
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0")
    work = Path(tempfile.mkdtemp(prefix="srs-bench-"))
    script = plain_script(lesson, lesson.parent / f".bench-{lesson.stem}.py")
    rows = []
    try:
        edited = edited_copy(lesson, work)
        edit_out = work / "edit-out"
        build_edited = [tool("srs"), "build", str(edited), "--out", str(edit_out)]
        timed(build_edited, ROOT, env)  # the build an author has before the edit
        for round_number in range(1, args.rounds + 1):
            out = work / f"cold-{round_number}"
            row = {
                "script": timed([sys.executable, script.name], lesson.parent, env, "script"),
                "srs": timed([tool("srs"), "build", str(lesson), "--out", str(out)], ROOT, env, "srs"),
            }
            if not args.no_nbconvert:
                row["nbconvert"] = timed(
                    [
                        tool("jupyter"),
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--output-dir",
                        str(work),
                        "--output",
                        f"nb-{round_number}",
                        str(lesson),
                    ],
                    ROOT,
                    env,
                    "nbconvert",
                )
            edit_first_code_cell(edited, f"edit {round_number}")
            row["edit"] = timed(build_edited, ROOT, env, "edit")
            rows.append(row)
            print(f"round {round_number}: " + ", ".join(f"{k} {v:.2f}s" for k, v in row.items()), flush=True)
        rebuilds = [
            timed([tool("srs"), "build", str(lesson), "--out", str(work / "cold-1")], ROOT, env)
            for _ in range(5)
        ]
    finally:
        script.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    report(rows, rebuilds)


def machine() -> str:
    """One line on what the figures were measured with: cores, Python, torch."""
    from srs.core.versions import installed_version

    torch = installed_version("torch") or "not installed"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} usable cores, Python {sys.version.split()[0]}, torch {torch}"


def report(rows: list[dict[str, float]], rebuilds: list[float]) -> None:
    nb = "nbconvert" in rows[0]
    print(
        "\n| round | plain script | srs build (cold) | "
        + ("nbconvert --execute | " if nb else "")
        + "srs build after a code edit | srs / script | "
        + ("nbconvert / script | " if nb else "")
        + "code edit / script |"
    )
    print("|" + " --- |" * (8 if nb else 6))
    for number, row in enumerate(rows, start=1):
        cells = [f"{row['script']:.2f} s", f"{row['srs']:.2f} s"]
        cells += [f"{row['nbconvert']:.2f} s"] if nb else []
        cells += [f"{row['edit']:.2f} s", f"{row['srs'] / row['script']:.2f}"]
        cells += [f"{row['nbconvert'] / row['script']:.2f}"] if nb else []
        cells += [f"{row['edit'] / row['script']:.2f}"]
        print(f"| {number} | " + " | ".join(cells) + " |")
    for name in [name for name in ("script", "srs", "nbconvert", "edit") if name in rows[0]]:
        times = [row[name] for row in rows]
        print(f"{name}: median {statistics.median(times):.2f} s, best {min(times):.2f} s")
    cpu = ", ".join(f"{name} {seconds / len(rows):.1f} s" for name, seconds in CPU.items())
    print(f"\nCPU time per run (user + system, every process): {cpu}")
    # Noise on a shared machine only ever adds time, so the best of the rounds is the steadiest
    # figure; the median of the rounds' ratios is shown beside it.
    best = {name: min(row[name] for row in rows) for name in ("script", "srs", "edit")}
    ratio = statistics.median(r["srs"] / r["script"] for r in rows)
    print(
        f"\nsrs/script ratio: best against best {best['srs'] / best['script']:.2f}, "
        f"median of the rounds {ratio:.2f} (target: at most 1.05)"
    )
    edit_ratio = statistics.median(r["edit"] / r["script"] for r in rows)
    print(
        f"(build after a code edit)/script ratio: best against best {best['edit'] / best['script']:.2f}, "
        f"median of the rounds {edit_ratio:.2f}"
    )
    print(
        f"unchanged rebuild: median {statistics.median(rebuilds):.2f} s over {len(rebuilds)} runs "
        f"(min {min(rebuilds):.2f} s; target: under 0.5 s)"
    )


if __name__ == "__main__":
    main()
