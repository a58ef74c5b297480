"""Running sphinx-build: one child process per build, its wall time and peak memory.

Each build is a separate ``python -m sphinx -q -b html`` process. Wall time is measured
around the child; peak memory is the child's own ``ru_maxrss`` from ``os.wait4`` (which,
on Linux, includes the worker processes it forked and reaped under ``-j``), so each figure
belongs to one build only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corpus import Post, tags_of

if TYPE_CHECKING:
    from systems import System

PHASES = ("full", "noop", "edit", "retag", "full-j2")
PHASE_TITLES = {
    "full": "full build",
    "noop": "no-op rebuild",
    "edit": "one-post body edit",
    "retag": "one-post retag",
    "full-j2": "-j 2 full build",
}
# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass
class Run:
    """One build: wall seconds, peak resident memory of the build's processes, outcome."""

    seconds: float
    max_rss_mb: float
    returncode: int
    warnings: int
    stderr_tail: str = ""

    def as_json(self) -> dict[str, object]:
        """The run as JSON data (the stderr tail only when the build failed)."""
        data = asdict(self)
        if self.returncode == 0:
            data.pop("stderr_tail")
        return data


def sphinx_build(python: Path, srcdir: Path, outdir: Path, jobs: int = 1,
                 pythonpath: str = "") -> Run:
    """Build ``srcdir`` into ``outdir`` with html, quietly, in a child process."""
    env = {**os.environ, "PYTHONPATH": pythonpath} if pythonpath else None
    command = [str(python), "-m", "sphinx", "-q", "-b", "html", "-j", str(jobs)]
    command += [str(srcdir), str(outdir)]
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        # The source folder as working directory keeps the repository off sys.path.
        child = subprocess.Popen(command, cwd=srcdir, env=env, stdout=subprocess.DEVNULL,
                                 stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read().decode("utf-8", errors="replace")
    warnings = sum("WARNING" in line for line in text.splitlines())
    rss = usage.ru_maxrss * _RSS_UNIT / 2**20
    return Run(round(seconds, 3), round(rss, 1), child.returncode, warnings, text[-2000:])


@dataclass
class Site:
    """One system's source tree and output folders for one corpus size."""

    system: System
    python: Path
    srcdir: Path
    target: str  # file name (in _posts/) of the post the edit phases change
    pythonpath: str = ""  # where the snapshot of sphinx_postblog is, for its system
    runs: dict[str, list[Run]] = field(default_factory=dict)
    failure: str = ""

    @property
    def outdir(self) -> Path:
        """Output of the serial builds (full, then the incremental phases)."""
        return self.srcdir.parent / "out"

    @property
    def outdir_j2(self) -> Path:
        """Output of the ``-j 2`` full builds."""
        return self.srcdir.parent / "out-j2"

    def edit_body(self, round_: int) -> None:
        """Append a paragraph to the target post."""
        path = self.srcdir / "_posts" / self.target
        text = path.read_bytes().decode("utf-8")
        paragraph = f"\n\nBenchmark edit {round_}: a paragraph appended between two builds.\n"
        path.write_bytes((text.rstrip() + paragraph).encode("utf-8"))

    def retag(self, round_: int) -> None:
        """Drop the target post's first tag and give it a new one."""
        path = self.srcdir / "_posts" / self.target
        post = Post.parse(path.name, path.read_bytes().decode("utf-8"))
        tags = [*tags_of(post)[1:], f"retag-{round_}"]
        path.write_bytes(self.system.set_tags(post, tags).text().encode("utf-8"))


def snapshot_package(package: Path, dest: Path) -> str:
    """Copy a package's sources to ``dest``; return a digest of them.

    Builds then import the copy (through PYTHONPATH), so edits made to the working tree
    while a long run goes on do not change what is measured halfway through.
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(package, dest / package.name,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    digest = hashlib.sha256()
    for path in sorted((dest / package.name).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(dest).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _fresh(outdir: Path) -> Path:
    if outdir.exists():
        shutil.rmtree(outdir)
    return outdir


def _one(site: Site, phase: str, round_: int) -> Run:
    outdir, jobs = site.outdir, 1
    if phase == "full":
        _fresh(outdir)
    elif phase == "full-j2":
        outdir, jobs = _fresh(site.outdir_j2), 2
    elif phase == "edit":
        site.edit_body(round_)
    elif phase == "retag":
        site.retag(round_)
    return sphinx_build(site.python, site.srcdir, outdir, jobs, site.pythonpath)


def run_phases(site: Site, phases: tuple[str, ...], repeat: int, echo: bool = True) -> None:
    """Run each phase ``repeat`` times, in PHASES order; stop the site at its first failure.

    The incremental phases need the state a full build leaves, so a full build runs first
    (and counts as the full phase) whenever any serial phase is asked for.
    """
    order = [p for p in PHASES if p in phases or (p == "full" and set(phases) - {"full-j2"})]
    for phase in order:
        for round_ in range(repeat):
            run = _one(site, phase, round_)
            site.runs.setdefault(phase, []).append(run)
            if echo:
                print(f"  {site.system.name:9} {phase:8} {run.seconds:8.2f} s {run.max_rss_mb:8.1f} MB"
                      f"  warnings {run.warnings}", flush=True)
            if run.returncode:
                site.failure = f"{phase} build failed ({run.returncode}): {run.stderr_tail[-600:]}"
                return


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtual environment."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_ablog(venv: Path) -> tuple[Path | None, str]:
    """A separate venv with ablog and myst-parser (ablog pins its own versions).

    Returns its interpreter, or None and the reason it could not be made.
    """
    python = venv_python(venv)
    check = [str(python), "-c", "import ablog, myst_parser"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python, ""
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "ablog", "myst-parser"],
        check,
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode:
            return None, f"{' '.join(step[:4])} failed: {(done.stderr or done.stdout)[-600:]}"
    return python, ""


def versions(python: Path, packages: tuple[str, ...]) -> dict[str, str]:
    """Installed versions of ``packages`` in the environment of ``python``."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))"
    )
    done = subprocess.run([str(python), "-c", code, *packages], capture_output=True, text=True,
                          check=False)
    return json.loads(done.stdout) if done.returncode == 0 else {}
