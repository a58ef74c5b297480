"""Issue 13, points 5 and 6: link previews, search engines, reproducible builds.

One canonical link per page in every theme, with ``postblog_url``, ``html_baseurl`` or
both; OpenGraph ``article`` tags and a Twitter card on post pages; ``sitemap.xml`` of the
published pages (or drafts kept out of sphinx-sitemap's); and two clean builds of the same
sources, in different machine time zones, that give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from defusedxml import ElementTree

from postblog_testing import ROOTS, blog_posting, page, warnings, write_site

SITE = "https://kitchen.example.org/"
FEATURE = "_posts/2021-06-15-feature"
THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme",
          "basic", "postblog"]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _root(tmp_path: Path, name: str) -> Path:
    return shutil.copytree(ROOTS / f"test-{name}", tmp_path / "src",
                           ignore=shutil.ignore_patterns("_build"))


def _canonicals(app, path: str) -> list[str]:
    return [link["href"] for link in page(app, path).find_all("link", rel="canonical")]


# -- canonical links -----------------------------------------------------------------------

@pytest.mark.parametrize("address", ["postblog_url", "html_baseurl"])
@pytest.mark.parametrize("theme", THEMES)
def test_one_canonical_link_per_page_in_every_theme(make_app, tmp_path, theme, address):
    if theme not in {"alabaster", "basic", "postblog"}:
        pytest.importorskip(theme)
    app = make_app("html", srcdir=_root(tmp_path, "postpage"),
                   confoverrides={"html_theme": theme, address: SITE})
    app.build()
    for path in (f"{FEATURE}.html", "index.html", "blog/index.html", "blog/tag/chilli.html",
                 "genindex.html"):
        assert _canonicals(app, path) == [SITE + path], (theme, path)
    soup = page(app, f"{FEATURE}.html")
    assert blog_posting(soup)["url"] == SITE + f"{FEATURE}.html"
    assert [m["content"] for m in soup.find_all("meta", property="og:url")] == [
        SITE + f"{FEATURE}.html"]


@pytest.mark.parametrize("theme", ["furo", "pydata_sphinx_theme", "postblog"])
def test_one_canonical_link_in_dirhtml_with_both_addresses(make_app, tmp_path, theme):
    if theme != "postblog":
        pytest.importorskip(theme)
    app = make_app("dirhtml", srcdir=_root(tmp_path, "postpage"),
                   confoverrides={"html_theme": theme, "html_baseurl": SITE,
                                  "postblog_url": SITE})
    app.build()
    assert _canonicals(app, f"{FEATURE}/index.html") == [SITE + f"{FEATURE}/"]
    assert _canonicals(app, "blog/tag/chilli/index.html") == [SITE + "blog/tag/chilli/"]


def test_no_canonical_link_without_an_address(make_app, tmp_path):
    app = make_app("html", srcdir=_root(tmp_path, "postpage"))
    app.build()
    assert _canonicals(app, f"{FEATURE}.html") == []
    assert page(app, f"{FEATURE}.html").find("meta", property="og:url") is None
    assert not Path(app.outdir, "sitemap.xml").exists()


def test_a_post_published_elsewhere_names_that_page_once(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "_posts/2021-01-01-moved.md": ("---\ntitle: Moved\ncanonical_link: "
                                       "https://first.example.net/moved\n---\nBody.\n")},
        conf=f'html_baseurl = "{SITE}"\nhtml_theme = "furo"\n')
    pytest.importorskip("furo")
    app = make_app("html", srcdir=src)
    app.build()
    soup = page(app, "_posts/2021-01-01-moved.html")
    assert _canonicals(app, "_posts/2021-01-01-moved.html") == ["https://first.example.net/moved"]
    assert soup.find("meta", property="og:url")["content"] == "https://first.example.net/moved"
    assert blog_posting(soup)["url"] == "https://first.example.net/moved"


# -- OpenGraph and Twitter -----------------------------------------------------------------

def _meta(soup, key: str) -> list[str]:
    attribute = "name" if key.startswith("twitter:") else "property"
    return [m["content"] for m in soup.find_all("meta", attrs={attribute: key})]


@pytest.mark.sphinx("html", testroot="postpage", confoverrides={"postblog_url": SITE})
def test_opengraph_article_and_twitter_card(app):
    app.build()
    soup = page(app, f"{FEATURE}.html")
    assert _meta(soup, "og:type") == ["article"]
    assert _meta(soup, "og:title") == ["Fermenting hot sauce"]
    assert _meta(soup, "og:description") == ["How we fermented chillies for a fortnight."]
    assert _meta(soup, "og:image") == [SITE + "_images/header.svg"]
    assert Path(app.outdir, "_images/header.svg").is_file()
    assert _meta(soup, "og:site_name") == ["Post page"]
    assert _meta(soup, "article:published_time") == ["2021-06-15T00:00:00+00:00"]
    assert _meta(soup, "article:modified_time") == []
    assert _meta(soup, "article:author") == [SITE + "blog/author/ada.html"]
    assert _meta(soup, "article:section") == ["Preserving"]
    assert _meta(soup, "article:tag") == ["chilli", "fermentation"]
    assert _meta(soup, "twitter:card") == ["summary_large_image"]
    assert _meta(soup, "twitter:title") == ["Fermenting hot sauce"]
    # A post without an image: the small card, and no og:image.
    older = page(app, "_posts/2021-05-01-older.html")
    assert _meta(older, "twitter:card") == ["summary"]
    assert _meta(older, "og:image") == []
    # Pages that are no posts carry no article.
    for path in ("index.html", "blog/index.html"):
        assert _meta(page(app, path), "og:type") == [], path


def test_dates_in_previews_take_the_time_zone(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "_posts/2021-01-05-winter.md": ("---\ntitle: Winter\ndate: 2021-01-05 07:15\n"
                                        "updated: 2021-02-01 12:00 +0100\nauthor: Ann\n"
                                        "tags: [snow]\n---\nCold.\n")},
        conf=f'postblog_url = "{SITE}"\npostblog_timezone = "America/New_York"\n')
    app = make_app("html", srcdir=src)
    app.build()
    soup = page(app, "_posts/2021-01-05-winter.html")
    assert _meta(soup, "article:published_time") == ["2021-01-05T07:15:00-05:00"]
    assert _meta(soup, "article:modified_time") == ["2021-02-01T12:00:00+01:00"]
    assert blog_posting(soup)["datePublished"] == "2021-01-05T07:15:00-05:00"


def test_a_time_zone_that_does_not_exist_is_one_warning(make_app, tmp_path):
    src = write_site(tmp_path / "src", {}, conf='postblog_timezone = "Mars/Olympus_Mons"\n')
    app = make_app("html", srcdir=src)
    found = [w for w in warnings(app) if "postblog_timezone" in w]
    assert len(found) == 1 and "[postblog.config]" in found[0]
    assert app.config.postblog_timezone == "UTC"


# -- sitemap -------------------------------------------------------------------------------

def _sitemap(app) -> dict[str, str]:
    root = ElementTree.fromstring(Path(app.outdir, "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP_NS}urlset"
    found = {}
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc")
        assert loc not in found, loc
        found[loc] = url.findtext(f"{SITEMAP_NS}lastmod") or ""
    return found


@pytest.mark.parametrize("address", ["postblog_url", "html_baseurl"])
def test_the_sitemap_lists_published_pages_with_lastmod(make_app, tmp_path, address):
    src = _root(tmp_path, "drafts")
    (src / "about.md").write_text("---\norphan: true\n---\n# About\n", encoding="utf-8")
    (src / "private.md").write_text("---\norphan: true\nsitemap: false\n---\n# Private\n",
                                    encoding="utf-8")
    app = make_app("html", srcdir=src, confoverrides={address: SITE,
                                                      "postblog_permalink": "/:title/"})
    app.build()
    urls = _sitemap(app)
    for loc in urls:
        assert loc.startswith(SITE)
        assert Path(app.outdir, loc.removeprefix(SITE)).is_file(), loc
    assert urls[SITE + "_posts/2020-01-01-old-live.html"] == "2020-01-01"
    assert urls[SITE + "_posts/2020-06-01-live.html"] == "2020-06-01"
    assert urls[SITE + "blog/index.html"] == "2020-06-01"
    assert urls[SITE + "blog/tag/onions.html"] == "2020-06-01"
    assert urls[SITE + "index.html"] == ""
    assert SITE + "about.html" in urls
    # No drafts, no page that asks to be left out, no redirect page.
    assert not [u for u in urls if "unpublished" in u or "future" in u or "private" in u]
    assert Path(app.outdir, "old-live/index.html").is_file()  # the redirect page
    assert not [u for u in urls if "old-live/" in u]


def test_the_sitemap_of_a_dirhtml_build(make_app, tmp_path):
    app = make_app("dirhtml", srcdir=_root(tmp_path, "drafts"),
                   confoverrides={"postblog_url": SITE})
    app.build()
    urls = _sitemap(app)
    assert SITE in urls
    assert urls[SITE + "_posts/2020-06-01-live/"] == "2020-06-01"
    assert SITE + "blog/tag/onions/" in urls


def test_with_sphinx_sitemap_drafts_are_left_out_of_its_sitemap(make_app, tmp_path):
    pytest.importorskip("sphinx_sitemap")
    src = _root(tmp_path, "drafts")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('extensions.append("sphinx_sitemap")\nsitemap_url_scheme = "{link}"\n'
                   f'html_baseurl = "{SITE}"\n')
    app = make_app("html", srcdir=src)
    app.build()
    urls = _sitemap(app)  # sphinx-sitemap's own: one sitemap, its format
    assert SITE + "_posts/2020-06-01-live.html" in urls
    assert not [u for u in urls if "unpublished" in u or "future" in u]
    assert "sphinx_sitemap" in app.extensions


# -- reproducible builds -------------------------------------------------------------------

def _files(outdir: Path) -> dict[str, bytes]:
    return {path.relative_to(outdir).as_posix(): path.read_bytes()
            for path in sorted(outdir.rglob("*")) if path.is_file()}


def test_two_clean_builds_give_the_same_bytes(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    saved = os.environ.get("TZ")
    outputs = []
    try:
        for name, zone in (("east", "Pacific/Kiritimati"), ("west", "Etc/GMT+12")):
            os.environ["TZ"] = zone
            time.tzset()
            src = shutil.copytree(ROOTS / "test-reports", tmp_path / name / "src",
                                  ignore=shutil.ignore_patterns("_build"))
            app = make_app("html", srcdir=src, builddir=tmp_path / name / "_build",
                           confoverrides={"postblog_timezone": "Europe/Lisbon"})
            app.build()
            outputs.append(Path(app.outdir))
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    first, second = (_files(out) for out in outputs)
    assert sorted(first) == sorted(second)
    for name in ("searchindex.js", "objects.inv", ".buildinfo", "sitemap.xml",
                 "blog/atom.xml", "blog/rss.xml", "blog/feed.json"):
        assert name in first, name
    assert [name for name in first if first[name] != second[name]] == []
