"""The preview phase's targets (issue 15) and its table, from the figures of :mod:`live`."""

from __future__ import annotations

from typing import Any

from live import LIVE_SYSTEMS

#: Issue 15: preview edit-to-reload seconds at these sizes; at least 4x faster than
#: sphinx-autobuild with plain Sphinx; memory growth over a long series of edits.
SECONDS_TARGETS = {550: 0.3, 5000: 1.0}
SPEEDUP_TARGET = 4.0
MEMORY_TARGET = 1.10
HEADER = ("posts", "preview s", "autobuild postblog s", "autobuild floor s",
          "autobuild ablog s", "floor/preview", "target", "postblog/preview", "ablog/preview")


def _median(results: dict[str, Any], size: int, system: str) -> float | None:
    value = results.get("live", {}).get(str(size), {}).get(system, {}).get("median")
    return float(value) if value is not None else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def memory_growth(results: dict[str, Any], size: int) -> tuple[float, int] | None:
    """Resident size after the last edit over after the first build, and the edits."""
    samples = results.get("live", {}).get(str(size), {}).get("preview-memory", {}).get("rss_mb")
    if not samples or len(samples) < 2 or not samples[0][1]:
        return None
    return samples[-1][1] / samples[0][1], samples[-1][0]


def live_verdicts(results: dict[str, Any]) -> list[tuple[str, int, float, float, bool]]:
    """(target, size, value, limit, passed) for every live target the run allows."""
    found = []
    for size_text in sorted(results.get("live", {}), key=int):
        size = int(size_text)
        preview = _median(results, size, "preview")
        if preview is not None and size in SECONDS_TARGETS:
            limit = SECONDS_TARGETS[size]
            found.append(("preview edit-to-reload s", size, preview, limit, preview <= limit))
        speedup = _ratio(_median(results, size, "autobuild-floor"), preview)
        if speedup is not None:
            found.append(("autobuild floor / preview", size, speedup, SPEEDUP_TARGET,
                          speedup >= SPEEDUP_TARGET))
        growth = memory_growth(results, size)
        if growth is not None:
            found.append((f"preview memory after {growth[1]} edits / after first build", size,
                          growth[0], MEMORY_TARGET, growth[0] <= MEMORY_TARGET))
    return found


def live_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per size: median edit-to-reload seconds per system, and ratios."""
    rows = []
    for size_text in sorted(results.get("live", {}), key=int):
        size = int(size_text)
        secs = [_median(results, size, system) for system in LIVE_SYSTEMS]
        speedup = _ratio(secs[2], secs[0])
        check = "" if speedup is None else \
            f"≥{SPEEDUP_TARGET:.0f} {'PASS' if speedup >= SPEEDUP_TARGET else 'FAIL'}"
        rows.append((str(size), *("—" if v is None else f"{v:.2f}" for v in secs),
                     "—" if speedup is None else f"{speedup:.1f}x", check,
                     *("—" if (r := _ratio(v, secs[0])) is None else f"{r:.1f}x"
                       for v in (secs[1], secs[3]))))
    return rows


def _lines(results: dict[str, Any]) -> list[str]:
    lines = []
    defines = results.get("meta", {}).get("live_defines")
    if defines:
        lines.append("the postblog site's live servers ran with "
                     + ", ".join(f"-D {define}" for define in defines))
    for size_text in sorted(results.get("live", {}), key=int):
        pages = [f"{system} {run['page_median']:.2f}"
                 for system, run in results["live"][size_text].items()
                 if system in LIVE_SYSTEMS and run.get("page_median") is not None]
        if pages:
            lines.append(f"served page changed at {size_text} posts (median s): "
                         + ", ".join(pages))
        growth = memory_growth(results, int(size_text))
        samples = results["live"][size_text].get("preview-memory", {}).get("rss_mb") or []
        if growth is not None:
            shown = ", ".join(f"{n}: {mb:.0f}" for n, mb in samples)
            lines.append(f"preview memory at {size_text} posts, MB after n edits: {shown} "
                         f"({growth[0]:.2f}x after {growth[1]} edits; target ≤{MEMORY_TARGET})")
        for system, run in results["live"][size_text].items():
            if run.get("failure"):
                lines.append(f"{system} at {size_text} posts failed: {run['failure'][-200:]}")
    return lines


def live_text(results: dict[str, Any]) -> str:
    """The preview table for the terminal."""
    rows = live_rows(results)
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    out = ["", "== preview: edit-to-reload (median s) =="]
    out += ["  ".join(cell.rjust(w) if i else cell.ljust(w)
                      for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
            for row in [HEADER, *rows]]
    out += _lines(results)
    out += [f"  {'PASS' if ok else 'FAIL'}  {name} at {size}: {value:.2f} (limit {limit})"
            for name, size, value, limit, ok in live_verdicts(results)]
    return "\n".join(out)


def live_markdown(results: dict[str, Any]) -> str:
    """The preview table in Markdown, for docs/performance.md."""
    rows = live_rows(results)
    if not rows:
        return ""
    out = ["**Preview: edit-to-reload, median seconds**", "", "| " + " | ".join(HEADER) + " |",
           "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    out += ["", *(f"- {line}" for line in _lines(results))]
    return "\n".join(out) + "\n"
