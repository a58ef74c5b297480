"""Hostile links and names: no script URL reaches a page, no name too long for a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postblog_testing import main, page, text, warnings, write_site
from sphinx_postblog.model import MAX_SLUG_BYTES, slugify, unsafe_scheme

LONG_TAG = "word " * 1000



@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"),
    ("  JavaScript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("java\nscript:alert(1)", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html,<script>alert(1)</script>", "data"),
    ("https://example.org/a:b", None),
    ("mailto:ada@example.org", None),
    ("/images/a.png", None),
    ("images/a:b.png", None),
    ("", None),
])
def test_unsafe_schemes(url, scheme):
    assert unsafe_scheme(url) == scheme


def test_long_slugs_are_cut_and_stay_distinct():
    first, second = slugify(LONG_TAG), slugify(LONG_TAG + " more")
    assert len(first.encode()) <= MAX_SLUG_BYTES and len(second.encode()) <= MAX_SLUG_BYTES
    assert first != second
    assert slugify(first) == first
    wide = slugify("日本語" * 100)
    assert len(wide.encode()) <= MAX_SLUG_BYTES
    assert wide.startswith("日本語")
    assert slugify("Short Tag") == "short-tag"


@pytest.fixture
def hostile_site(tmp_path):
    return write_site(tmp_path / "src", {
        "_data/authors.yml":
            "ada:\n  name: Ada\n  url: https://ada.example.org/\n"
            "mallory:\n  name: Mallory\n  url: \"java\\tscript:alert(1)\"\n"
            "  avatar: \"JAVASCRIPT:alert(2)\"\n  github: \"javascript:alert(3)\"\n",
        "_posts/2021-01-01-images.md":
            "---\ntitle: Images\nauthor: mallory\nheader-img: \"javascript:alert(4)\"\n"
            f"tags: [\"{LONG_TAG}\", short]\n"
            "event:\n  name: Conf\n  url: \"vbscript:msgbox(1)\"\n---\nBody.\n",
        "_posts/2021-01-02-inline.md":
            "---\ntitle: Inline\nauthor:\n  name: Eve\n"
            "  url: \"data:text/html,<script>alert(5)</script>\"\n---\nBody.\n",
        "_posts/2021-01-03-fine.md": "---\ntitle: Fine\nauthor: ada\n---\nBody.\n",
    }, conf='html_theme = "postblog"\npostblog_url = "https://example.org/"\n')


def _links(soup) -> list[str]:
    return [value for tag in soup.find_all(True) for key, value in tag.attrs.items()
            if key in ("href", "src", "content", "srcset") and isinstance(value, str)]


def test_no_script_url_reaches_a_page(make_app, hostile_site):
    app = make_app("html", srcdir=hostile_site)
    app.build()
    out = Path(app.outdir)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for file in pages:
        for link in _links(page(app, file.relative_to(out).as_posix())):
            assert unsafe_scheme(link) is None, (file, link)
    for feed in out.rglob("*.xml"):
        assert not re.search(r"(java\s*script|vbscript|data):", feed.read_text("utf-8"),
                             re.IGNORECASE), feed
    # The safe link is still there.
    assert "https://ada.example.org/" in _links(page(app, "blog/author/ada.html"))


def test_script_urls_are_reported_where_they_are_written(make_app, hostile_site):
    app = make_app("html", srcdir=hostile_site)
    app.build()
    found = warnings(app)
    data = [w for w in found if "postblog.data" in w]
    assert len(data) == 1 and "authors.yml:4:" in data[0] and "mallory" in data[0], found
    front = {(w.split(": WARNING")[0].rsplit("/", 1)[-1]): w
             for w in found if "postblog.frontmatter" in w}
    assert "2021-01-01-images.md:4" in front  # header-img
    assert "2021-01-01-images.md:6" in front  # event
    assert "2021-01-02-inline.md:3" in front  # the inline author's url


def test_a_name_too_long_for_a_file_still_gets_its_page(make_app, hostile_site):
    app = make_app("html", srcdir=hostile_site)
    app.build()
    pages = list(Path(app.outdir, "blog/tag").glob("word-word-*.html"))
    assert len(pages) == 1
    assert len(pages[0].name.encode()) <= MAX_SLUG_BYTES + len(".html")
    soup = page(app, pages[0].relative_to(app.outdir).as_posix())
    assert text(main(soup).find("h1")) == f"Tag: {LONG_TAG.strip()}"
    assert [w for w in warnings(app) if "Errno" in w or "too long" in w] == []
