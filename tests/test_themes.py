"""Every maintained theme shows every blog element; the postblog theme styles them."""

from __future__ import annotations

import json
import shutil

import pytest

from postblog_testing import page, warnings

THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme",
          "postblog"]


@pytest.mark.parametrize("theme", THEMES)
def test_blog_elements_in_every_theme(make_app, rootdir, tmp_path, theme):
    if theme not in {"alabaster", "postblog"}:
        pytest.importorskip(theme)
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-postpage", src)
    app = make_app("html", srcdir=src, confoverrides={"html_theme": theme})
    app.build()
    assert not [w for w in warnings(app) if "postblog" in w and "hostile" not in w]

    post = page(app, "_posts/2021-06-15-feature.html")
    entry = post.select_one(".h-entry.postblog-post")
    assert entry is not None, theme
    title = entry.select_one(".p-name")
    for link in title.select("a.headerlink"):
        link.decompose()
    assert title.get_text(strip=True) == "Fermenting hot sauce"
    assert post.select_one("title").get_text().startswith("Fermenting hot sauce")
    header = entry.select_one("header.postblog-header")
    assert header.select_one(".postblog-byline .p-author.h-card a[href]") is not None
    assert header.select_one("time.dt-published")["datetime"] == "2021-06-15"
    assert header.select(".postblog-taxonomy a.p-category")
    assert header.select_one(".postblog-hero img") is not None
    body = entry.select_one(".e-content")
    assert body is not None and body.get_text(strip=True)
    footer = entry.select_one("nav.postblog-footer")
    assert {a["rel"][0] for a in footer.select("a[rel]")} == {"prev", "next"}
    ld = [json.loads(s.string) for s in post.select('script[type="application/ld+json"]')]
    assert [d["@type"] for d in ld] == ["BlogPosting"]

    index = page(app, "blog/index.html")
    entries = index.select(".postblog-list article.h-entry")
    assert len(entries) >= 3
    # The generated page is rendered by the theme: it carries the theme's stylesheet links.
    assert index.select('link[rel="stylesheet"]')
    assert index.select_one('link[rel="alternate"][type="application/atom+xml"]') is not None
