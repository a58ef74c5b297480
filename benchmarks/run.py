"""Benchmark: the same blog built by plain Sphinx (the floor), sphinx-postblog and ablog.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py --sizes 110``). For each
number of posts and each system it measures a full build, a no-op rebuild, a one-post body
edit, a one-post retag and a ``-j 2`` full build, each in its own sphinx-build process;
prints the figures with postblog's ratios to the floor and to ablog and the issue's
targets; writes the raw figures as JSON and draws them as an SVG. The ``preview`` phase
(:mod:`live`) measures edit-to-reload with live servers: ``sphinx-postblog preview`` and
sphinx-autobuild on each system's site.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from corpus import Corpus, fill_missing_images, make_corpus, pick, write_tree
from live import LIVE_SYSTEMS, run_live
from live_report import live_markdown, live_text, live_verdicts
from measure import PHASES, Site, ensure_ablog, run_phases, snapshot_package, versions
from report import markdown_report, text_report, verdicts
from svg import render_svg
from systems import INDEX, SYSTEMS, make_system

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("sphinx", "myst-parser", "docutils")
LIVE_PHASES = ("preview",)


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="110,550,1100,5000", help="numbers of posts")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"among {', '.join((*PHASES, *LIVE_PHASES))} (preview: "
                             f"{', '.join(LIVE_SYSTEMS)}; not run unless named)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"among {', '.join(SYSTEMS)}")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (minimum kept)")
    parser.add_argument("--out", type=Path,
                        help="JSON of the figures (default: benchmarks/results.json, or "
                             "benchmarks/results-preview.json when only the preview phase runs)")
    parser.add_argument("--svg", type=Path,
                        help="the chart (default: docs/_static/benchmark.svg; none when only "
                             "the preview phase runs)")
    parser.add_argument("--markdown", type=Path, help="also write the tables as Markdown here")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks/_work",
                        help="where corpora, builds and the ablog venv go")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared/corpus/jekyll-blog",
                        help="Jekyll blog to replicate (synthetic posts when absent)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes of an existing --out file (e.g. 5000 posts "
                             "measured with fewer phases in a run of its own)")
    parser.add_argument("--keep-missing-images", action="store_true",
                        help="do not add placeholders for referenced images the corpus lacks")
    parser.add_argument("--preview-edits", type=int, default=3,
                        help="edits per live server in the preview phase (median kept)")
    parser.add_argument("--edit-pause", type=float, default=2.0,
                        help="seconds a writer pauses between saves in the preview phase")
    parser.add_argument("--memory-edits", type=int, default=200,
                        help="successive edits of the preview's memory series (0: none)")
    parser.add_argument("--memory-sizes", default="550",
                        help="sizes at which the preview's memory series runs")
    parser.add_argument("--define", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the live servers of the postblog site (-D), e.g. "
                             "postblog_feed_full=0")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in _csv(args.sizes)]
    args.phases = tuple(_csv(args.phases))
    args.systems = _csv(args.systems)
    args.memory_sizes = [int(size) for size in _csv(args.memory_sizes)]
    # A preview-only run keeps the build phases' figures and chart as they are.
    live_only = set(args.phases) <= set(LIVE_PHASES)
    if args.out is None:
        args.out = REPO / ("benchmarks/results-preview.json" if live_only
                           else "benchmarks/results.json")
    if args.svg is None and not live_only:
        args.svg = REPO / "docs/_static/benchmark.svg"
    unknown = (set(args.phases) - {*PHASES, *LIVE_PHASES}) | (set(args.systems) - set(SYSTEMS))
    if unknown or args.repeat < 1:
        parser.error(f"unknown phases or systems: {', '.join(sorted(unknown))}" if unknown
                     else "--repeat must be at least 1")
    return args


def interpreters(args: argparse.Namespace) -> tuple[dict[str, Path], dict[str, Any]]:
    """The Python that runs each system's builds, and each system's status."""
    pythons, status = {}, {}
    for name in args.systems:
        if name == "ablog":
            python, reason = ensure_ablog(args.work / "ablog-venv")
            if python is None:
                print(f"ablog skipped: {reason}", file=sys.stderr)
                status[name] = {"status": "skipped", "reason": f"cannot install ablog: {reason}"}
                continue
            packages = ("ablog", *PACKAGES)
        else:
            python, packages = Path(sys.executable), (*PACKAGES, "sphinx-postblog")
        pythons[name] = python
        status[name] = {"status": "ok", "python": str(python), "versions": versions(python, packages)}
    return pythons, status


def prepare_site(args: argparse.Namespace, corpus: Corpus, name: str, python: Path) -> Site:
    """Write one system's source tree for one corpus size."""
    system = make_system(name, corpus.data)
    srcdir = args.work / str(len(corpus.posts)) / name / "src"
    posts = tuple(system.adapt(post) for post in corpus.posts)
    write_tree(srcdir, corpus, posts)
    (srcdir / "conf.py").write_text(system.conf, encoding="utf-8")
    (srcdir / "index.md").write_text(INDEX.format(count=len(posts)), encoding="utf-8")
    if not args.keep_missing_images:
        fill_missing_images(srcdir, corpus.posts)
    pythonpath = "" if name == "ablog" else str(args.work / "snapshot")
    return Site(system, python, srcdir, target=pick(posts), pythonpath=pythonpath)


def site_json(site: Site) -> dict[str, Any]:
    """One site's runs and best figures (minimum over repeats of successful runs)."""
    phases = {}
    for phase, runs in site.runs.items():
        ok = [run for run in runs if run.returncode == 0]
        phases[phase] = {
            "seconds": min((r.seconds for r in ok), default=None),
            "max_rss_mb": min((r.max_rss_mb for r in ok), default=None),
            "runs": [run.as_json() for run in runs],
        }
    return {"phases": phases, "failure": site.failure}


def measure_size(args: argparse.Namespace, size: int, pythons: dict[str, Path],
                 results: dict[str, Any]) -> None:
    """Build every system at one corpus size and record the figures."""
    corpus = make_corpus(args.corpus, size)
    print(f"\n{size} posts ({corpus.source} corpus)", flush=True)
    entry: dict[str, Any] = {}
    sites = {}
    for name, python in pythons.items():
        site = sites[name] = prepare_site(args, corpus, name, python)
        run_phases(site, args.phases, args.repeat)
        entry[name] = site_json(site)
        if site.failure:
            print(f"  {name} failed: {site.failure}", file=sys.stderr)
            results["systems"][name].setdefault("failures", []).append(
                {"size": size, "reason": site.failure})
    results["results"][str(size)] = entry
    if "preview" in args.phases:
        memory = args.memory_edits if size in args.memory_sizes else 0
        results.setdefault("live", {})[str(size)] = run_live(
            sites, args.systems, args.preview_edits, args.edit_pause, memory,
            tuple(args.define))
    results["meta"]["corpus"] = corpus.source


def metadata(args: argparse.Namespace) -> dict[str, Any]:
    """Where and how the figures were measured."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": list(os.getloadavg()),
        "phases": list(args.phases),
        "repeat": args.repeat,
        "missing_images": "kept" if args.keep_missing_images else "placeholders",
        "live_defines": list(args.define),
    }


def summary(results: dict[str, Any]) -> str:
    """One line naming the conditions, for the chart."""
    meta, systems = results["meta"], results["systems"]
    found = {**systems.get("postblog", {}).get("versions", {}),
             **systems.get("ablog", {}).get("versions", {})}
    names = ", ".join(f"{k} {v}" for k, v in sorted(found.items()) if k != "docutils")
    best = f"best of {meta['repeat']}"
    merged = meta.get("merged")
    if merged:
        sizes = ", ".join(str(size) for size in merged["sizes"])
        best = f"best of {merged.get('repeat', '?')} at {sizes} posts, of {meta['repeat']} beyond"
    return (f"Measured {meta['date'][:10]} on {meta['cpus']} CPUs shared with other work "
            f"(noisy), {meta['corpus']} corpus, {best}; {names}.")


def write_outputs(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """JSON, SVG and (when asked) Markdown, from the figures measured so far."""
    results["meta"]["load_after"] = list(os.getloadavg())
    results["meta"]["summary"] = summary(results)
    results["verdicts"] = [v.as_json() for v in verdicts(results)] + [
        {"target": name, "size": size, "value": round(value, 3), "limit": limit, "pass": ok}
        for name, size, value, limit, ok in live_verdicts(results)]
    for path, text in ((args.out, json.dumps(results, indent=1) + "\n"),
                       (args.svg, render_svg(results) if args.svg else None),
                       (args.markdown, markdown_report(results) + live_markdown(results)
                        if args.markdown else None)):
        if path is not None and text is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status says only whether every build ran."""
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    pythons, status = interpreters(args)
    results: dict[str, Any] = {"meta": metadata(args), "sizes": [], "systems": status,
                               "results": {}}
    if args.merge and args.out.is_file():
        earlier = json.loads(args.out.read_text(encoding="utf-8"))
        kept = [size for size in earlier["sizes"] if size not in args.sizes]
        results["sizes"] = kept
        results["results"] = {str(size): earlier["results"][str(size)] for size in kept}
        results["live"] = {str(size): figures for size, figures in earlier.get("live", {}).items()
                           if int(size) not in args.sizes}
        results["meta"]["merged"] = {"sizes": kept, "date": earlier["meta"]["date"],
                                     "phases": earlier["meta"]["phases"],
                                     "repeat": earlier["meta"]["repeat"]}
    digest = snapshot_package(REPO / "sphinx_postblog", args.work / "snapshot")
    results["meta"]["sphinx_postblog_digest"] = digest
    for size in args.sizes:
        measure_size(args, size, pythons, results)
        results["sizes"] = sorted({*results["sizes"], size})
        write_outputs(args, results)
    print(text_report(results))
    print(live_text(results))
    written = [path for path in (args.out, args.svg, args.markdown) if path]
    print(f"\nwrote {', '.join(str(path) for path in written)}")
    failed = any(site.get("failure") for entry in results["results"].values()
                 for site in entry.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
