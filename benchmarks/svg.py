"""A hand-written SVG of the results: build time and peak memory against number of posts.

Two panels with logarithmic axes, one line per system (colour) and phase (dash pattern),
and a legend. Plain SVG text, no plotting library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from measure import PHASE_TITLES, PHASES
from report import Results, figure

COLORS = {"floor": "#6b7280", "postblog": "#2563eb", "postblog-bare": "#7c3aed",
          "ablog": "#ea580c"}
DASHES = {"full": "", "noop": "2 3", "edit": "6 3", "retag": "6 3 2 3", "full-j2": "12 4"}
WIDTH, HEIGHT = 960, 470
PANEL_W, PANEL_H, TOP, LEFT = 380, 300, 40, 70


@dataclass(frozen=True)
class LogScale:
    """Maps values in [lo, hi] logarithmically onto pixels [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        """The pixel position of ``value``."""
        share = (math.log(value) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return self.start + share * (self.end - self.start)


def padded_range(values: list[float], pad: float) -> tuple[float, float]:
    """A range around ``values`` with a multiplicative margin (never empty)."""
    lo, hi = min(values), max(values)
    return lo / pad, hi * pad


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 ticks inside [lo, hi]; every 1..9 step when that gives fewer than three."""
    decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    for steps in ((1, 2, 5), tuple(range(1, 10))):
        ticks = [m * 10.0**d for d in decades for m in steps if lo <= m * 10.0**d <= hi]
        if len(ticks) >= 3:
            break
    return ticks


def _label(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"


def axes(x: LogScale, y: LogScale, sizes: list[int], title: str, unit: str) -> list[str]:
    """Frame, ticks, grid and labels of one panel."""
    left, right, bottom, top = x.start, x.end, y.start, y.end
    middle = (left + right) / 2
    frame = (f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
             'fill="none" stroke="#9ca3af"/>')
    out = [frame]
    out.append(f'<text x="{middle}" y="{top - 14}" text-anchor="middle" font-weight="bold">'
               f"{escape(title)}</text>")
    out.append(f'<text x="{middle}" y="{bottom + 36}" text-anchor="middle">posts (log scale)</text>')
    out.append(f'<text transform="translate({left - 50},{(top + bottom) / 2}) rotate(-90)" '
               f'text-anchor="middle">{escape(unit)} (log scale)</text>')
    for size in sizes:
        px = x(size)
        out.append(f'<line x1="{px:.1f}" y1="{bottom}" x2="{px:.1f}" y2="{bottom + 4}" stroke="#6b7280"/>')
        out.append(f'<text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">{size}</text>')
    for tick in log_ticks(y.lo, y.hi):
        py = y(tick)
        out.append(f'<line x1="{left}" y1="{py:.1f}" x2="{right}" y2="{py:.1f}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{left - 6}" y="{py + 4:.1f}" text-anchor="end">{_label(tick)}</text>')
    return out


def series(results: Results, key: str, unit: str, x: LogScale, y: LogScale) -> list[str]:
    """One polyline (and its points) per system and phase."""
    out = []
    for system, color in COLORS.items():
        for phase in PHASES:
            points = [(size, v) for size in results["sizes"]
                      if (v := figure(results, size, system, phase, key)) is not None]
            if not points:
                continue
            coords = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in points)
            dash = f' stroke-dasharray="{DASHES[phase]}"' if DASHES[phase] else ""
            out.append(f'<polyline points="{coords}" fill="none" stroke="{color}" '
                       f'stroke-width="1.8"{dash}/>')
            for size, value in points:
                tip = f"{system}, {PHASE_TITLES[phase]}, {size} posts: {value:.1f} {unit}"
                out.append(f'<circle cx="{x(size):.1f}" cy="{y(value):.1f}" r="2.5" '
                           f'fill="{color}"><title>{escape(tip)}</title></circle>')
    return out


def panel(results: Results, key: str, title: str, unit: str, left: float) -> list[str]:
    """One panel: ``key`` (``seconds`` or ``max_rss_mb``) against the number of posts."""
    sizes = list(results["sizes"])
    values = [v for size in sizes for system in COLORS for phase in PHASES
              if (v := figure(results, size, system, phase, key)) is not None]
    if not values:
        return []
    x = LogScale(*padded_range([float(s) for s in sizes], 1.25), left, left + PANEL_W)
    y = LogScale(*padded_range(values, 1.3), TOP + PANEL_H, TOP)
    return axes(x, y, sizes, title, unit) + series(results, key, unit, x, y)


def legend(top: float) -> list[str]:
    """Colours of the systems and dash patterns of the phases."""
    out = []
    for i, (system, color) in enumerate(COLORS.items()):
        px = LEFT + i * 150
        out.append(f'<line x1="{px}" y1="{top}" x2="{px + 30}" y2="{top}" stroke="{color}" '
                   'stroke-width="3"/>')
        out.append(f'<text x="{px + 36}" y="{top + 4}">{system}</text>')
    for i, phase in enumerate(PHASES):
        px, py = LEFT + i * 170, top + 24
        dash = f' stroke-dasharray="{DASHES[phase]}"' if DASHES[phase] else ""
        out.append(f'<line x1="{px}" y1="{py}" x2="{px + 30}" y2="{py}" stroke="#374151" '
                   f'stroke-width="1.8"{dash}/>')
        out.append(f'<text x="{px + 36}" y="{py + 4}">{escape(PHASE_TITLES[phase])}</text>')
    return out


def render_svg(results: Results) -> str:
    """The whole chart as SVG text."""
    body = panel(results, "seconds", "Build time", "seconds", LEFT)
    body += panel(results, "max_rss_mb", "Peak memory", "MB", LEFT + PANEL_W + 110)
    body += legend(TOP + PANEL_H + 70)
    note = escape(results.get("meta", {}).get("summary", ""))
    opening = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
               f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12" '
               'role="img" aria-labelledby="title">')
    title = ('<title id="title">sphinx-postblog benchmark: build time and peak memory '
             "against number of posts</title>")
    return "\n".join([
        opening,
        title,
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        *body,
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10" fill="#6b7280">{note}</text>',
        "</svg>",
        "",
    ])
