"""Conference reports in a real browser: accessibility, small screens, no JavaScript, dark mode.

The test root ``test-reports`` is built once per theme (postblog, furo) and its pages are
opened from ``file://`` URLs in Debian's Chromium, one browser for the module. axe-core
checks a report, the event page, a speaker page and the blog index; a 375 px wide window
must not scroll sideways; the talk cards are readable without JavaScript; and the postblog
theme's dark scheme changes the cards' colours and keeps their contrast.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import ROOTS

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip("needs Chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

THEMES = ["postblog", "furo"]
REPORT = "_posts/2025-05-16-lighthouse-day-one.html"
PAGES = {
    "report": REPORT,
    "event": "blog/event/lighthouse-conf-2025.html",
    "speaker": "blog/speaker/ana-duarte.html",
    "index": "blog/index.html",
}
BLOCKING = {"serious", "critical"}

# The colour of an element's text and the colour behind it, alpha composited over its
# ancestors' backgrounds (any CSS colour syntax, through a canvas), as [r, g, b] 0-255.
COLOURS_JS = """
(el) => {
  const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "#000";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];  // ImageData is not premultiplied
  };
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] > 0) layers.push(colour);
    if (colour[3] >= 1) break;
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  }
  const [r, g, b, a] = rgba(getComputedStyle(el).color);
  const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  return {fg, bg, css: [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]};
}
"""


def contrast(first: list[float], second: list[float]) -> float:
    """The WCAG contrast ratio of two sRGB colours (0-255 channels)."""
    def luminance(rgb: list[float]) -> float:
        lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
               for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Sites(dict):
    """Output folders of one copy of the test root, built in a theme when first asked for."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = base
        self.src = shutil.copytree(ROOTS / "test-reports", base / "src")

    def __missing__(self, theme: str) -> Path:
        if theme != "postblog":
            pytest.importorskip(theme)
        app = SphinxTestApp("html", srcdir=self.src, builddir=self.base / f"_build-{theme}",
                            confoverrides={"html_theme": theme},
                            status=io.StringIO(), warning=io.StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
        self[theme] = Path(app.outdir)
        return self[theme]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Sites:
    return Sites(tmp_path_factory.mktemp("reports-browser"))


def url(site: Path, path: str) -> str:
    file = site / path
    assert file.is_file(), f"{path} was not written"
    return file.as_uri()


@pytest.mark.parametrize("which", list(PAGES))
@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_accessibility_violation(browser, sites, theme, which):
    page = browser.new_page()
    try:
        page.goto(url(sites[theme], PAGES[which]))
        results = axe_playwright.Axe().run(page)
    finally:
        page.close()
    assert results.response.get("testEngine", {}).get("name") == "axe-core"
    serious = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['html'][:200]}\n      {n['failureSummary']}"
                    for n in v["nodes"])
        for v in serious)
    assert not serious, f"{theme} {PAGES[which]}:\n{report}"


# Blog elements reaching beyond the window's right edge: a theme may clip its content
# column or scroll it on its own (furo), where the page itself would not scroll sideways.
OVERFLOWING_JS = """
() => [...document.querySelectorAll("[class*='postblog'], [class*='postblog'] *")]
  .filter((el) => el.getClientRects().length)
  .map((el) => [Math.round(el.getBoundingClientRect().right),
                el.tagName.toLowerCase() + [...el.classList].map((c) => "." + c).join("")])
  .filter(([right]) => right > window.innerWidth)
  .slice(0, 5)
"""


@pytest.mark.parametrize("theme", THEMES)
def test_no_horizontal_scrolling_at_375_px(browser, sites, theme):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    problems = {}
    try:
        page = context.new_page()
        for path in PAGES.values():
            page.goto(url(sites[theme], path))
            width = page.evaluate("document.documentElement.scrollWidth")
            overflowing = page.evaluate(OVERFLOWING_JS)
            if width > 375 or overflowing:
                problems[path] = (width, overflowing)
    finally:
        context.close()
    assert not problems, f"{theme}: too wide at 375 px (page width, elements): {problems}"


@pytest.mark.parametrize("theme", THEMES)
def test_talk_cards_readable_without_javascript(browser, sites, theme):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(sites[theme], REPORT))
        cards = page.locator("article.postblog-talk")
        assert cards.count() == 3
        for card in cards.all():
            assert card.locator(".postblog-talk-title").is_visible()
            names = card.locator(".postblog-talk-speakers .p-name").all()
            assert names
            for name in names:
                assert name.is_visible(), name.inner_text()
        buttons = page.locator("article.postblog-talk a.postblog-button")
        kinds = {button.get_attribute("class").split()[1] for button in buttons.all()}
        assert kinds >= {"postblog-slides", "postblog-recording"}
        for button in buttons.all():
            assert button.is_visible(), button.inner_text()
            assert button.bounding_box()["width"] > 0
        assert page.locator(".postblog-talk-abstract > summary").first.is_visible()
    finally:
        context.close()


def test_dark_scheme_of_the_postblog_theme(browser, sites):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(url(sites["postblog"], REPORT))
            card = page.locator("article.postblog-talk").first
            colours[scheme] = card.evaluate(COLOURS_JS)
            colours[scheme]["title"] = card.locator(".postblog-talk-title").evaluate(COLOURS_JS)
        finally:
            context.close()
    light, dark = colours["light"], colours["dark"]
    assert light["css"][0] != dark["css"][0], colours
    assert light["bg"] != dark["bg"], colours
    for scheme, found in colours.items():
        for what in (found, found["title"]):
            ratio = contrast(what["fg"], what["bg"])
            assert ratio >= 4.5, f"{scheme}: contrast {ratio:.2f} of {what['css']}"
