"""Images in posts: site-root paths, raw ``<img>`` tags, missing files."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8cfc0f01f0005000201a2b6e92f0000000049454e44ae426082")


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def build(src: Path) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    app.build()
    app.cleanup()
    return app


def test_images_by_site_path_and_raw_html_are_copied(tmp_path):
    src = tmp_path / "src"
    write(src / "conf.py", 'extensions = ["myst_parser", "sphinx_postblog"]\n')
    write(src / "index.md", "# Home\n")
    write(src / "images/a.png", PNG)
    write(src / "images/b.png", PNG)
    write(src / "images/hero.png", PNG)
    write(src / "_posts/2020-01-01-pictures.md",
          "---\ntitle: Pictures\nheader-img: images/hero.png\n---\n"
          "![site path](/images/a.png)\n\n"
          '<a href="/images/b.png"><img src="../images/b.png" alt="B" '
          'style="width: 60%; margin: 0 auto"></a>\n')
    app = build(src)
    soup = BeautifulSoup(Path(app.outdir, "_posts/2020-01-01-pictures.html").read_text(),
                         "html.parser")
    images = soup.select(".e-content img")
    assert [i.get("alt") for i in images] == ["site path", "B"]
    for image in [*images, soup.select_one(".postblog-hero img")]:
        assert Path(app.outdir, "_posts", image["src"]).resolve().is_file()
    raw = images[1]
    assert "align-center" in raw["class"] and "60%" in raw["style"]
    assert raw.parent.name == "a" and raw.parent["href"].endswith("_images/b.png")
    assert "WARNING" not in app.warning.getvalue()


def test_missing_images_warn_once_and_are_not_read_again(tmp_path):
    src = tmp_path / "src"
    write(src / "conf.py", 'extensions = ["myst_parser", "sphinx_postblog"]\n')
    write(src / "index.md", "# Home\n")
    write(src / "_posts/2020-01-01-gone.md",
          "---\ntitle: Gone\nheader-img: images/nothere.jpg\n---\n"
          "![gone](/images/missing.png)\n\n<img src=\"/images/also-missing.png\">\n")
    first = build(src)
    lines = [w for w in first.warning.getvalue().splitlines() if "WARNING" in w]
    assert len(lines) == 3, lines
    assert all(re.search(r"2020-01-01-gone\.md:\d+: WARNING", w) for w in lines), lines
    second = build(src)
    assert "0 added, 0 changed, 0 removed" in second.status.getvalue()
    assert "WARNING" not in second.warning.getvalue()
