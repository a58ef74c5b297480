"""Where one preview rebuild spends its time, on the site a run left in ``_work/``.

    .venv/bin/python benchmarks/profile_preview.py --size 550 [--edits 3] [--snapshot]

builds a copy of ``_work/<size>/postblog/src`` with the preview's own builder
(``sphinx_postblog.preview.builder.PreviewBuilder``, in this process, as
``sphinx-postblog preview`` does), appends a paragraph to the target post ``--edits``
times, rebuilding after each, and prints for every rebuild its seconds and the seconds of
each Sphinx event's handlers (the extension's share), then a profile of the last one.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

WORK = Path(__file__).resolve().parent / "_work"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--snapshot", action="store_true",
                        help="profile the copy of sphinx_postblog the last run measured")
    return parser.parse_args()


def main() -> None:
    """Build, edit, rebuild, and print where the time went."""
    args = parse_args()
    if args.snapshot:
        sys.path.insert(0, str(WORK / "snapshot"))
    import sphinx.events  # noqa: PLC0415 (after the path is set)

    from sphinx_postblog.preview.builder import PreviewBuilder  # noqa: PLC0415
    from sphinx_postblog.preview.fastpaths import Changes, norm  # noqa: PLC0415

    source = WORK / str(args.size) / "postblog" / "src"
    if not source.is_dir():
        sys.exit(f"{source} is missing: run benchmarks/run.py --sizes {args.size} first")
    srcdir = WORK / "profile-preview" / "src"
    if srcdir.parent.exists():
        shutil.rmtree(srcdir.parent)
    shutil.copytree(source, srcdir)
    out = srcdir.parent / "out"
    if (source.parent / "out").is_dir():
        shutil.copytree(source.parent / "out", out)  # start from the run's build
    post = srcdir / "_posts" / sorted(p.name for p in (srcdir / "_posts").iterdir())[
        args.size // 2]

    spent: dict[str, float] = defaultdict(float)
    emit = sphinx.events.EventManager.emit

    def timed(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return emit(self, name, *args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    sphinx.events.EventManager.emit = timed  # type: ignore[method-assign]
    builder = PreviewBuilder(srcdir, out, watched=[srcdir])
    first = builder.build()
    print(f"first build: {first.seconds:.2f} s ({first.read} read, {first.written} written)")
    profile = cProfile.Profile()
    for number in range(1, args.edits + 1):
        text = post.read_bytes().decode("utf-8")
        post.write_bytes(f"{text.rstrip()}\n\nProfiled edit {number}.\n".encode())
        spent.clear()
        if number == args.edits:
            profile.enable()
        outcome = builder.build(Changes(frozenset({norm(post)})))
        profile.disable()
        events = ", ".join(f"{name} {seconds:.3f}" for name, seconds in
                           sorted(spent.items(), key=lambda item: -item[1]) if seconds > 0.005)
        print(f"rebuild {number}: {outcome.seconds:.3f} s; event handlers: {events}")
    builder.close()
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(args.top)
    print(f"\n--- the last rebuild, profiled ---\n{stream.getvalue()}")


if __name__ == "__main__":
    main()
