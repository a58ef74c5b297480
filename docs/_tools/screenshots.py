"""Screenshots of a conference report in the postblog theme and in furo, for the docs.

Builds the documentation (or ``--source``) with each theme into a temporary folder, opens one report in Chromium and writes
``docs/_static/screenshots/<theme>-<scheme>-<width>.png``: light and dark, 1280 and 375 px
wide, the top 1600 px of the page.

    python docs/_tools/screenshots.py
    python docs/_tools/screenshots.py --source tests/roots/test-reports --output /tmp/shots

Needs Playwright (``pip install playwright``) and a Chromium; Playwright's own browser
download is not used: ``--chromium`` (default ``/usr/bin/chromium``) is launched instead.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
THEMES = ("postblog", "furo")
SCHEMES = ("light", "dark")
WIDTHS = (1280, 375)
MAX_HEIGHT = 1600
#: A report's talk card, as the extension writes it.
TALK_CARD = re.compile(r'<article[^>]*class="postblog-talk[ "]')


def build(source: Path, outdir: Path, theme: str) -> None:
    """Build ``source`` as HTML with ``theme``; Sphinx's warnings go to stderr."""
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-E",
                    "-D", f"html_theme={theme}", str(source), str(outdir)], check=True)


def find_report(outdir: Path) -> Path:
    """The report page with the most talk cards (the first such post, by path, on ties)."""
    best, most = None, 0
    for page in sorted(outdir.rglob("*.html")):
        if "_sources" in page.parts:
            continue
        count = len(TALK_CARD.findall(page.read_text(encoding="utf-8", errors="replace")))
        if count > most:
            best, most = page, count
    if best is None:
        sys.exit(f"no page of {outdir} has a talk card")
    return best


def shoot(browser, url: str, target: Path, *, scheme: str, width: int) -> None:
    """A screenshot of the top of the page at ``url``, at most MAX_HEIGHT px tall."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        # Lazy images below the window would be blank in a full-page screenshot.
        page.evaluate("""async () => {
            const images = [...document.images];
            images.forEach((img) => { img.loading = "eager"; });
            await Promise.all(images.map((img) => img.decode().catch(() => null)));
        }""")
        height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
        page.screenshot(path=str(target), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height})
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    """Build, shoot, and say which files were written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DOCS,
                        help="Sphinx project to build (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=DOCS / "_static" / "screenshots",
                        help="folder for the PNG files (default: %(default)s)")
    parser.add_argument("--page", help="the report to shoot, a path in the output "
                                       "(default: the page with the most talk cards)")
    parser.add_argument("--themes", nargs="+", default=list(THEMES), metavar="THEME")
    parser.add_argument("--chromium", default="/usr/bin/chromium",
                        help="the Chromium to launch (default: %(default)s)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    source = args.source
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="postblog-shots-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        try:
            for theme in args.themes:
                outdir = Path(tmp) / theme
                print(f"building {source} with {theme}")
                build(source, outdir, theme)
                report = outdir / args.page if args.page else find_report(outdir)
                for scheme in SCHEMES:
                    for width in WIDTHS:
                        target = args.output / f"{theme}-{scheme}-{width}.png"
                        shoot(browser, report.as_uri(), target, scheme=scheme, width=width)
                        print(f"  {report.relative_to(outdir)} -> {target}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
