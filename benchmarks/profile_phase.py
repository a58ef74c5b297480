"""Profile one postblog build of one phase, on a site that ``run.py`` left in ``_work/``.

    .venv/bin/python benchmarks/profile_phase.py --size 1100 --phase noop

brings a copy of ``_work/<size>/postblog/src`` to the state before the phase (a full build
first for the incremental phases, then the edit), runs that build under
``python -m cProfile -o``, and prints the top functions by cumulative time: those of
sphinx_postblog, then all.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

from measure import PHASES, Site, sphinx_build
from systems import make_system

WORK = Path(__file__).resolve().parent / "_work"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--phase", choices=PHASES, default="full")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--snapshot", action="store_true",
                        help="profile the copy of sphinx_postblog the last run measured")
    return parser.parse_args()


def prepare(size: int, phase: str, pythonpath: str) -> tuple[Site, Path]:
    """A fresh copy of the site, brought to the state just before ``phase``'s build."""
    source = WORK / str(size) / "postblog" / "src"
    if not source.is_dir():
        sys.exit(f"{source} is missing: run benchmarks/run.py --sizes {size} first")
    srcdir = WORK / "profile" / "src"
    if srcdir.parent.exists():
        shutil.rmtree(srcdir.parent)
    shutil.copytree(source, srcdir)
    target = sorted(p.name for p in (srcdir / "_posts").iterdir())[size // 2]
    site = Site(make_system("postblog", {}), Path(sys.executable), srcdir, target,
                pythonpath=pythonpath)
    if phase in {"noop", "edit", "retag"}:
        sphinx_build(site.python, srcdir, site.outdir, pythonpath=pythonpath)
    if phase == "edit":
        site.edit_body(99)
    elif phase == "retag":
        site.retag(99)
    return site, srcdir.parent / f"{phase}.prof"


def main() -> None:
    """Profile the phase and print the summary."""
    args = parse_args()
    pythonpath = str(WORK / "snapshot") if args.snapshot else ""
    site, profile = prepare(args.size, args.phase, pythonpath)
    jobs = "2" if args.phase == "full-j2" else "1"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "sphinx", "-q",
               "-b", "html", "-j", jobs, str(site.srcdir), str(site.outdir)]
    env = {**os.environ, "PYTHONPATH": pythonpath} if pythonpath else None
    subprocess.run(command, cwd=site.srcdir, check=True, env=env)
    stats = pstats.Stats(str(profile)).sort_stats("cumulative")
    print(f"\n--- sphinx_postblog functions, {args.phase} build at {args.size} posts ---")
    stats.print_stats("sphinx_postblog", args.top)
    print("\n--- all functions ---")
    stats.print_stats(args.top)


if __name__ == "__main__":
    main()
