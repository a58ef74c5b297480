"""The issue's targets, checked against measured figures, and the tables that show them.

Every ratio is postblog's figure over the floor's (or ablog's) from the same run. A target
is checked only when the sizes measured allow it (``-j 2`` at 1,100 posts; cost per post
at 5,000 against 550).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from measure import PHASES

#: Time targets: postblog / floor, per phase.
TIME_TARGETS = {"full": 1.10, "noop": 1.2, "edit": 1.3, "retag": 1.5}
MEMORY_TARGET = 1.2
PARALLEL_SIZE, PARALLEL_TARGET = 1100, 0.7
SCALING_SIZES, SCALING_TARGET = (550, 5000), 1.2
SHORT = {"full": "full", "noop": "no-op", "edit": "body edit", "retag": "retag",
         "full-j2": "-j 2 full"}

Results = dict[str, Any]


def figure(results: Results, size: int, system: str, phase: str, key: str) -> float | None:
    """One measured figure (``seconds`` or ``max_rss_mb``), or None when not measured."""
    site = results["results"].get(str(size), {}).get(system, {})
    value = site.get("phases", {}).get(phase, {}).get(key)
    return float(value) if value is not None else None


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b when both are known."""
    return a / b if a is not None and b else None


@dataclass(frozen=True)
class Verdict:
    """One target checked: what, at which size, the measured value and the limit."""

    target: str
    size: int
    value: float
    limit: float

    @property
    def passed(self) -> bool:
        """Whether the value is within the limit."""
        return self.value <= self.limit

    def as_json(self) -> dict[str, object]:
        """The verdict as JSON data."""
        return {"target": self.target, "size": self.size, "value": round(self.value, 3),
                "limit": self.limit, "pass": self.passed}


def phase_verdicts(results: Results, size: int) -> list[Verdict]:
    """Time and memory ratios to the floor at one size."""
    found = []
    for phase in PHASES:
        time_ratio = ratio(figure(results, size, "postblog", phase, "seconds"),
                           figure(results, size, "floor", phase, "seconds"))
        if time_ratio is not None and phase in TIME_TARGETS:
            found.append(Verdict(f"{SHORT[phase]} time / floor", size, time_ratio,
                                 TIME_TARGETS[phase]))
        memory_ratio = ratio(figure(results, size, "postblog", phase, "max_rss_mb"),
                             figure(results, size, "floor", phase, "max_rss_mb"))
        if memory_ratio is not None:
            found.append(Verdict(f"{SHORT[phase]} peak memory / floor", size, memory_ratio,
                                 MEMORY_TARGET))
    return found


def parallel_ratio(results: Results, size: int, system: str) -> float | None:
    """``-j 2`` full build time over the serial full build time."""
    return ratio(figure(results, size, system, "full-j2", "seconds"),
                 figure(results, size, system, "full", "seconds"))


def cost_per_post(results: Results, size: int, system: str) -> float | None:
    """Full build seconds per post."""
    seconds = figure(results, size, system, "full", "seconds")
    return seconds / size if seconds is not None else None


def verdicts(results: Results) -> list[Verdict]:
    """Every target the measured sizes allow checking."""
    sizes = results["sizes"]
    found = [v for size in sizes for v in phase_verdicts(results, size)]
    parallel = parallel_ratio(results, PARALLEL_SIZE, "postblog")
    if parallel is not None:
        found.append(Verdict("-j 2 / -j 1 full time", PARALLEL_SIZE, parallel, PARALLEL_TARGET))
    small, large = SCALING_SIZES
    scaling = ratio(cost_per_post(results, large, "postblog"),
                    cost_per_post(results, small, "postblog"))
    if scaling is not None:
        found.append(Verdict(f"cost per post {large} / {small}", large, scaling, SCALING_TARGET))
    return found


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def _check(value: float | None, limit: float | None) -> str:
    if value is None or limit is None:
        return ""
    return f"≤{limit:.2f} {'PASS' if value <= limit else 'FAIL'}"


HEADER = ("phase", "floor s", "postblog s", "ablog s", "pb/floor", "target", "pb/ablog",
          "floor MB", "postblog MB", "ablog MB", "pb/floor MB", "target MB")


def phase_row(results: Results, size: int, phase: str) -> tuple[str, ...] | None:
    """One table row: seconds and MB per system, ratios, targets; None if nothing measured."""
    secs = [figure(results, size, s, phase, "seconds") for s in ("floor", "postblog", "ablog")]
    mbs = [figure(results, size, s, phase, "max_rss_mb") for s in ("floor", "postblog", "ablog")]
    if all(v is None for v in secs):
        return None
    time_ratio, memory_ratio = ratio(secs[1], secs[0]), ratio(mbs[1], mbs[0])
    return (
        SHORT[phase], *(_num(v) for v in secs), _ratio(time_ratio),
        _check(time_ratio, TIME_TARGETS.get(phase)), _ratio(ratio(secs[1], secs[2])),
        *(_num(v, 0) for v in mbs), _ratio(memory_ratio), _check(memory_ratio, MEMORY_TARGET),
    )


def size_rows(results: Results, size: int) -> list[tuple[str, ...]]:
    """The rows of one size's table."""
    return [row for phase in PHASES if (row := phase_row(results, size, phase)) is not None]


def _extra_lines(results: Results) -> list[str]:
    lines = []
    for size in results["sizes"]:
        parts = [f"{s} {_ratio(parallel_ratio(results, size, s))}"
                 for s in ("floor", "postblog", "postblog-bare", "ablog")
                 if parallel_ratio(results, size, s) is not None]
        if parts:
            target = f" (target for postblog at {PARALLEL_SIZE}: ≤{PARALLEL_TARGET})"
            lines.append(f"-j 2 / -j 1 full build at {size}: " + ", ".join(parts) + target)
    for system in ("floor", "postblog", "postblog-bare", "ablog"):
        costs = [f"{size}: {1000 * c:.1f} ms" for size in results["sizes"]
                 if (c := cost_per_post(results, size, system)) is not None]
        if costs:
            lines.append(f"full build cost per post, {system}: " + ", ".join(costs))
    return lines


def bare_lines(results: Results) -> list[str]:
    """postblog with its speed-ups to Sphinx's own work off, over the floor: the blog's cost."""
    lines = []
    for size in results["sizes"]:
        parts = []
        for phase in PHASES:
            value = ratio(figure(results, size, "postblog-bare", phase, "seconds"),
                          figure(results, size, "floor", phase, "seconds"))
            memory = ratio(figure(results, size, "postblog-bare", phase, "max_rss_mb"),
                           figure(results, size, "floor", phase, "max_rss_mb"))
            if value is not None:
                parts.append(f"{SHORT[phase]} {_ratio(value)} ({_ratio(memory)} memory)")
        if parts:
            lines.append(f"postblog-bare / floor at {size}: " + ", ".join(parts))
    return lines


def text_report(results: Results) -> str:
    """The report printed at the end of a run."""
    out = []
    for size in results["sizes"]:
        rows = size_rows(results, size)
        widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
        out.append(f"\n== {size} posts ==")
        out.extend("  ".join(cell.rjust(w) if i else cell.ljust(w)
                             for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
                   for row in [HEADER, *rows])
    out += ["", *_extra_lines(results), *bare_lines(results), "", "Targets:"]
    for v in verdicts(results):
        out.append(f"  {'PASS' if v.passed else 'FAIL'}  {v.target} at {v.size}: "
                   f"{v.value:.2f} (≤{v.limit})")
    for system, status in results.get("systems", {}).items():
        if status.get("reason"):
            out.append(f"  {system}: {status['reason']}")
    return "\n".join(out)


def markdown_report(results: Results) -> str:
    """The same tables in Markdown, for docs/performance.md."""
    out = []
    for size in results["sizes"]:
        out += [f"**{size} posts**", "", "| " + " | ".join(HEADER) + " |",
                "|" + "---|" * len(HEADER)]
        out += ["| " + " | ".join(row) + " |" for row in size_rows(results, size)]
        out.append("")
    out += [f"- {line}" for line in [*_extra_lines(results), *bare_lines(results)]]
    return "\n".join(out) + "\n"
