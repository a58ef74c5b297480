"""The postblog theme's page context: header links, logo and stylesheets, made in Python."""

from __future__ import annotations

import pytest

from postblog_testing import page, warnings, write_site
from sphinx_postblog.theme.context import css_files, theme_context

NAV_LINKS = """
html_theme_options = {"nav_links": [
    ("Home", "index"),
    ("About", "about/index"),
    {"title": "Blog", "url": "blog/index.html"},
    ("Dir", "about/"),
    ("Ext", "https://example.org/x"),
    ("Root", "/abs/path"),
    ("Frag", "#top"),
    ("Page", "blog/page"),
    ("Mail", "mailto:ada@example.org"),
]}
"""


def _site(tmp_path, conf: str = "", theme: str = "postblog"):
    return write_site(tmp_path / "src", {
        "about/index.md": "# About\n",
        "blog/page.md": "# A page\n",
        "_static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    }, conf=f'html_theme = "{theme}"\nhtml_static_path = ["_static"]\n' + conf)


def _nav(soup) -> list[tuple[str, str, str | None]]:
    """Each header link: title, href, aria-current."""
    return [(a.get_text(), a["href"], a.get("aria-current"))
            for a in soup.select("nav.postblog-nav li a")]


def _stylesheets(soup) -> list[str]:
    return [link["href"].split("?")[0] for link in soup.select('link[rel="stylesheet"]')]


def test_nav_links_of_every_kind(make_app, tmp_path):
    app = make_app("html", srcdir=_site(tmp_path, NAV_LINKS))
    app.build()
    assert not [w for w in warnings(app) if "postblog" in w]

    assert _nav(page(app, "about/index.html")) == [
        ("Home", "../index.html", None),
        ("About", "#", "page"),  # a page name: this page
        ("Blog", "../blog/index.html", None),  # a file under the site root
        ("Dir", "./", None),  # a folder under the site root
        ("Ext", "https://example.org/x", None),  # kept: a URL,
        ("Root", "/abs/path", None),  # a path from the server root
        ("Frag", "#top", None),  # and a fragment
        ("Page", "../blog/page.html", None),
        ("Mail", "mailto:ada@example.org", None),  # any scheme
    ]
    page_links = _nav(page(app, "blog/page.html"))
    assert [current for *_, current in page_links] == [None] * 7 + ["page", None]
    assert page_links[2] == ("Blog", "index.html", None)
    # "blog/index.html" is the current page there: its href is the page's own.
    blog = _nav(page(app, "blog/index.html"))
    assert [title for title, _, current in blog if current] == ["Blog"]
    assert blog[0] == ("Home", "../index.html", None)


def test_nav_links_in_dirhtml(make_app, tmp_path):
    app = make_app("dirhtml", srcdir=_site(tmp_path, NAV_LINKS))
    app.build()
    links = _nav(page(app, "about/index.html"))
    # The page's URL is about/ here: the folder link is the current page too.
    assert links[:4] == [("Home", "../", None), ("About", "#", "page"),
                         ("Blog", "../blog/index.html", None), ("Dir", "#", "page")]
    assert links[-2] == ("Page", "../blog/page/", None)


def test_no_nav_links_no_nav(make_app, tmp_path):
    app = make_app("html", srcdir=_site(tmp_path))
    app.build()
    soup = page(app, "index.html")
    assert soup.select_one("a.postblog-site-title") is not None
    assert soup.select_one("nav.postblog-nav") is None


@pytest.mark.parametrize(("conf", "expected"), [
    # A file under html_static_path, relative to each page.
    ('html_theme_options = {"logo": "logo.svg"}\n', "../_static/logo.svg"),
    # A URL, kept.
    ('html_theme_options = {"logo": "https://cdn.example.org/logo.png"}\n',
     "https://cdn.example.org/logo.png"),
    # No logo option: html_logo.
    ('html_logo = "_static/logo.svg"\n', "../_static/logo.svg"),
])
def test_logo(make_app, tmp_path, conf, expected):
    app = make_app("html", srcdir=_site(tmp_path, conf))
    app.build()
    title = page(app, "about/index.html").select_one("a.postblog-site-title")
    assert title["href"] == "../index.html"
    assert title.select_one("img.postblog-logo")["src"] == expected
    assert title.select_one(".postblog-site-name") is not None  # logo_show_title


def test_logo_without_title(make_app, tmp_path):
    conf = ('project = "Proj"\nhtml_theme_options = {"logo": "logo.svg", '
            '"logo_show_title": False}\n')
    app = make_app("html", srcdir=_site(tmp_path, conf))
    app.build()
    title = page(app, "index.html").select_one("a.postblog-site-title")
    assert title.select_one("img.postblog-logo")["src"] == "_static/logo.svg"
    assert title.select_one("img.postblog-logo")["alt"] == "Logo of Proj"
    assert title.select_one(".postblog-site-name") is None


def test_no_logo(make_app, tmp_path):
    app = make_app("html", srcdir=_site(tmp_path))
    app.build()
    title = page(app, "index.html").select_one("a.postblog-site-title")
    assert title.select_one("img") is None
    assert title.select_one(".postblog-site-name") is not None


# A page-specific stylesheet added by another handler, which the theme must keep.
PAGE_CSS = """
def setup(app):
    def add(app, pagename, templatename, context, doctree):
        if pagename == "about/index":
            app.add_css_file("page-only.css")
    app.connect("html-page-context", add)
"""


@pytest.mark.parametrize("theme", ["postblog", "alabaster"])
def test_fallback_stylesheet_only_in_other_themes(make_app, tmp_path, theme):
    app = make_app("html", srcdir=_site(tmp_path, PAGE_CSS, theme=theme))
    app.build()
    about = _stylesheets(page(app, "about/index.html"))
    index = _stylesheets(page(app, "index.html"))
    assert "../_static/page-only.css" in about
    assert "_static/page-only.css" not in index
    if theme == "postblog":
        assert "_static/postblog.css" in index
        assert not [href for href in about + index if "postblog-elements" in href]
    else:
        assert "_static/postblog-elements.css" in index
        assert "../_static/postblog-elements.css" in about


def test_other_themes_context_untouched(make_app, tmp_path):
    conf = NAV_LINKS + """
seen = []
def setup(app):
    app.connect("html-page-context",
                lambda app, pagename, t, context, d: seen.append(sorted(context)), priority=999)
"""
    app = make_app("html", srcdir=_site(tmp_path, conf, theme="alabaster"))
    app.build()
    seen = app.config._raw_config["seen"]
    assert seen
    assert not [keys for keys in seen if "postblog_nav_links" in keys]


def test_theme_inheriting_postblog(make_app, tmp_path):
    src = _site(tmp_path, NAV_LINKS + 'html_theme_path = ["_themes"]\n'
                'html_theme_options["logo"] = "logo.svg"\n', theme="child")
    (src / "_themes/child").mkdir(parents=True)
    (src / "_themes/child/theme.toml").write_text('[theme]\ninherit = "postblog"\n')
    app = make_app("html", srcdir=src)
    app.build()
    soup = page(app, "about/index.html")
    assert _nav(soup)[1] == ("About", "#", "page")
    assert soup.select_one("img.postblog-logo")["src"] == "../_static/logo.svg"
    assert not [href for href in _stylesheets(soup) if "postblog-elements" in href]


def test_malformed_nav_links_warn_once(make_app, tmp_path):
    conf = """
html_theme_options = {"nav_links": [
    ("Home", "index"),
    "about/index",
    ("Title", 3),
    {"title": "No url"},
    ("Blog", "blog/index.html"),
]}
"""
    app = make_app("html", srcdir=_site(tmp_path, conf))
    app.build()
    theme_warnings = [w for w in warnings(app) if "[postblog.theme]" in w]
    # Once each, however many pages are written, and located at conf.py.
    assert len(theme_warnings) == 3, theme_warnings
    assert all("conf.py" in w.split("WARNING")[0] for w in theme_warnings)
    assert "'about/index'" in theme_warnings[0]
    assert [title for title, *_ in _nav(page(app, "about/index.html"))] == ["Home", "Blog"]
    assert (app.outdir / "blog/page.html").is_file()


def test_nav_links_not_a_list(make_app, tmp_path):
    app = make_app("html", srcdir=_site(tmp_path, 'html_theme_options = {"nav_links": "x"}\n'))
    app.build()
    assert len([w for w in warnings(app) if "[postblog.theme]" in w]) == 1
    assert page(app, "index.html").select_one("nav.postblog-nav") is None


def test_handler_connected_once(make_app, tmp_path):
    # The theme's entry point sets the extension up, then the theme again.
    src = _site(tmp_path, 'extensions.append("sphinx_postblog.theme")\n')
    app = make_app("html", srcdir=src)
    listeners = app.events.listeners["html-page-context"]
    assert [listener.handler for listener in listeners].count(theme_context) == 1


def test_css_files_copied_not_mutated():
    class Css:
        def __init__(self, filename: str) -> None:
            self.filename = filename

    original = [Css("basic.css"), Css("postblog-elements.css"), "old/postblog-elements.css",
                "custom.css"]
    kept = list(original)
    result = css_files({"css_files": original})
    assert [getattr(css, "filename", css) for css in result] == ["basic.css", "custom.css"]
    assert original == kept
    assert result is not original


@pytest.mark.parametrize(("conf", "expected"), [
    ('copyright = "2026, Ada Lovelace"\n', "© Copyright 2026, Ada Lovelace."),
    # No copyright set: no line reading "© Copyright ." in the footer.
    ("", None),
])
def test_copyright_line_only_when_set(make_app, tmp_path, conf, expected):
    app = make_app("html", srcdir=_site(tmp_path, conf))
    app.build()
    line = page(app, "index.html").select_one(".postblog-copyright")
    assert (None if line is None else " ".join(line.get_text().split())) == expected
