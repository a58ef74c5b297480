"""Issue 4, point 4: posts need no toctree, and stay out of every page's navigation.

The root's ``index.md`` has a toctree with one page (``guide``); no post is in any toctree.
Sphinx must not warn that the posts are not included in a toctree, the global toctree (the
sidebar navigation, the templates' ``toctree()``) must not list them, and the blog's own
pages are how readers reach them.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from bs4 import BeautifulSoup

from postblog_testing import listed, page, resolve, text, warnings
from sphinx_postblog.state import blog_state

POSTS = ["_posts/2022-08-15-heat", "_posts/2022-04-02-spring-storm",
         "_posts/2022-01-10-first-frost"]  # newest first
PAGES = ["index", "guide", *POSTS]
TITLES = {"A hot August", "Spring storm", "First frost"}
#: Sphinx's test application builds with the ``basic`` theme unless told otherwise.
ALABASTER = {"html_theme": "alabaster"}


@pytest.fixture
def built(app):
    """The root built once, with the ``toctree()`` output of every page kept."""
    toctrees: dict[str, str] = {}

    def keep_toctree(app, pagename, templatename, context, doctree):
        if "toctree" in context:
            # As themes call it for a full sidebar: everything, hidden entries too.
            toctrees[pagename] = context["toctree"](collapse=False, includehidden=True,
                                                    titles_only=False, maxdepth=-1)

    app.connect("html-page-context", keep_toctree)
    app.build()
    return app, toctrees


def _linked_docs(html: str, pagename: str) -> set[str]:
    """Docnames of the internal pages a piece of HTML links to, from the page ``pagename``."""
    soup = BeautifulSoup(html, "html.parser")
    base = f"{pagename}.html"
    found = set()
    for a in soup.find_all(["a", "link"], href=True):
        href = a["href"]
        if "://" in href or href.startswith("mailto:"):
            continue
        if href.startswith("#"):  # the page itself
            found.add(pagename)
            continue
        found.add(str(PurePosixPath(resolve(base, href)).with_suffix("")))
    return found


@pytest.mark.sphinx("html", testroot="orphans", confoverrides=ALABASTER)
def test_posts_outside_every_toctree_give_no_warning(built):
    app, _ = built
    assert set(blog_state(app.env).posts) == set(POSTS)
    for post in POSTS:
        assert post not in app.env.toctree_includes.get("index", [])
    every_included = {doc for children in app.env.toctree_includes.values() for doc in children}
    assert every_included == {"guide"}
    lines = warnings(app)
    assert not [line for line in lines if "toctree" in line or "isn't included" in line], lines
    assert lines == []


@pytest.mark.sphinx("html", testroot="orphans", confoverrides=ALABASTER)
@pytest.mark.parametrize("pagename", PAGES)
def test_the_global_toctree_does_not_list_posts(built, pagename):
    _, toctrees = built
    assert pagename in toctrees, "the page was not written"
    linked = _linked_docs(toctrees[pagename], pagename)
    assert "guide" in linked  # the toctree is there, so the check is not vacuous
    assert linked.isdisjoint(POSTS), linked
    shown = text(BeautifulSoup(toctrees[pagename], "html.parser"))
    assert not [title for title in TITLES if title in shown], shown


@pytest.mark.sphinx("html", testroot="orphans", confoverrides=ALABASTER)
@pytest.mark.parametrize("pagename", PAGES)
def test_the_sidebar_does_not_list_posts(built, pagename):
    app, _ = built
    soup = page(app, f"{pagename}.html")
    sidebar = soup.select_one("div.sphinxsidebar")
    assert sidebar is not None
    navigation = sidebar.select("li.toctree-l1 > a")
    assert [text(a) for a in navigation] == ["Guide"]
    linked = _linked_docs(str(sidebar), pagename)
    assert linked.isdisjoint(POSTS), linked
    shown = text(sidebar)
    for title in TITLES:
        assert title not in shown


@pytest.mark.sphinx("html", testroot="orphans", confoverrides=ALABASTER)
@pytest.mark.parametrize("pagename", PAGES)
def test_no_previous_or_next_link_leads_to_a_post(built, pagename):
    app, _ = built
    soup = page(app, f"{pagename}.html")
    # Sphinx's relation links (``<link rel="next">``, alabaster's "Related Topics" box) come
    # from toctrees: posts outside them are nobody's previous or next page.
    relations = [str(link) for link in soup.find_all("link", rel=["next", "prev"])]
    box = soup.select_one("div.sphinxsidebar div.relations")
    if box is not None:
        relations.append(str(box))
    linked = set().union(*(_linked_docs(html, pagename) for html in relations))
    assert linked.isdisjoint(POSTS), linked


@pytest.mark.sphinx("html", testroot="orphans", confoverrides=ALABASTER)
def test_the_blog_index_lists_the_posts(built):
    app, _ = built
    assert listed(page(app, "blog/index.html")) == [PurePosixPath(p).name for p in POSTS]
    assert listed(page(app, "blog/2022.html")) == [PurePosixPath(p).name for p in POSTS]
    assert listed(page(app, "blog/category/news.html")) == [
        "2022-04-02-spring-storm", "2022-01-10-first-frost"]
