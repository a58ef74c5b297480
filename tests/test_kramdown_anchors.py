"""Issue 12, points 2-4: in-page links, ``{:toc}`` and code fences of Jekyll posts.

The blog in ``roots/test-kramdown-anchors`` is our own: headings with kramdown's automatic
ids (duplicates, digits, punctuation, dashes, underscores, a non-ASCII letter), ``{#id}``
and ``{: #id}`` ids, raw ``<a name>``/``<a id>`` anchors, ``{:toc}`` lists (one under a
``{:.no_toc}`` heading), a post starting at ``###``, Rouge lexer names, horizontal rules
where Markdown allows them and docutils does not, and one link to an id no page has.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import ROOTS, WARNING_LINE, page, text, warnings
from sphinx_postblog.jekyll.anchors import gfm_id, kramdown_id
from sphinx_postblog.jekyll.blocks import CONF_LEXER, pygments_name
from sphinx_postblog.state import blog_state

PRUNING = "_posts/2021-03-01-pruning-guide.html"


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    src = tmp_path_factory.mktemp("anchors") / "src"
    shutil.copytree(ROOTS / "test-kramdown-anchors", src)
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def heading_of(soup, ident: str) -> str:
    """The text of the heading an id belongs to (on its section or just before the heading)."""
    element = soup.find(id=ident)
    assert element is not None, ident
    section = element if element.name == "section" else element.find_parent("section")
    return text(section.find(re.compile(r"h[1-6]")))


def in_page_links(soup) -> list[str]:
    body = soup.select_one(".e-content")
    return [a["href"] for a in body.select('a[href^="#"]')
            if "headerlink" not in (a.get("class") or [])]


# -- the id algorithms ----------------------------------------------------------------------

@pytest.mark.parametrize(("heading", "gfm", "core"), [
    ("Upgrading to latest Kong 0.9.4", "upgrading-to-latest-kong-094",
     "upgrading-to-latest-kong-094"),
    ("1. Winter work in 2021", "1-winter-work-in-2021", "winter-work-in-2021"),
    ("What else ?", "what-else-", "what-else-"),
    ("snake_case cuts", "snake_case-cuts", "snakecase-cuts"),
    ("Äpfel und Birnen", "äpfel-und-birnen", "pfel-und-birnen"),
    ("2021", "2021", "section"),
    ("Let’s see: A & B", "lets-see-a--b", "lets-see-a--b"),
])
def test_kramdown_id_algorithms(heading: str, gfm: str, core: str) -> None:
    """kramdown-parser-gfm's ids (Jekyll's default) and kramdown's own, as in their sources."""
    assert gfm_id(heading) == gfm
    assert kramdown_id(heading) == core


@pytest.mark.parametrize(("rouge", "pygments"), [
    ("conf", CONF_LEXER), ("viml", "vim"), ("plaintext", "text"), ("erl", "erlang"),
    ("shell", "shell"), ("console", "console"), ("yml", "yml"), ("erb", "erb"),
    ("liquid", "liquid"), ("jsx", "jsx"), ("docker", "docker"), ("apache", "apache"),
    ("nginx", "nginx"), ("JSON", "JSON"), ("ruby?start_inline=true", "ruby"),
    ("no-such-lexer", "text"),
])
def test_rouge_names_as_pygments_names(rouge: str, pygments: str) -> None:
    assert pygments_name(rouge) == pygments


# -- a blog of our own ----------------------------------------------------------------------

def test_the_only_warning_is_the_link_to_no_id(blog) -> None:
    [line] = warnings(blog)
    found = WARNING_LINE.match(line)
    assert found, line
    assert found["path"].endswith("_posts/2021-03-01-pruning-guide.md")
    assert found["line"] == "59"
    assert "no-such-anchor" in found["message"]
    assert found["type"] == "myst.xref_missing"


def test_headings_have_kramdowns_ids_besides_sphinxs(blog) -> None:
    soup = page(blog, PRUNING)
    assert heading_of(soup, "checklist") == heading_of(soup, "checklist-1") == "Checklist"
    assert soup.find(id="checklist").find_parent("section") != soup.find(
        id="checklist-1").find_parent("section")
    expected = {
        "1-winter-work-in-2021": "1. Winter work in 2021",  # kramdown-parser-gfm
        "winter-work-in-2021": "1. Winter work in 2021",  # kramdown, and Sphinx
        "custom-saw-section": "A saw’s edge",  # {#id}
        "ladder-safety-first": "Ladder safety",  # {: #id}
        "before--after": "Before – after",  # -- is an en dash to kramdown
        "before----after": "Before – after",
        "snake_case-cuts": "snake_case cuts",
        "äpfel-und-birnen": "Äpfel und Birnen",
    }
    assert {ident: heading_of(soup, ident) for ident in expected} == expected
    # Sphinx's own ids stay first: permalinks and {ref} are unchanged.
    second = soup.find(id="checklist-1").find_parent("section")
    assert second["id"] == "id1"
    assert second.find("a", class_="headerlink")["href"] == "#id1"
    # An attribute list's id replaces the automatic one, as in kramdown.
    assert soup.find(id="a-saws-edge") is None


def test_raw_html_anchors_are_targets(blog) -> None:
    soup = page(blog, PRUNING)
    shears = soup.find(id="shears")
    assert shears.name == "a" and shears["name"] == "shears"
    assert soup.find(id="old-pruning-anchor")["name"] == "old-pruning-anchor"
    assert text(soup.find(id="ladder-note")) == "the ladder note"


def test_every_in_page_link_reaches_an_id_of_its_page(blog) -> None:
    for html in sorted(Path(blog.outdir, "_posts").glob("*.html")):
        soup = page(blog, f"_posts/{html.name}")
        ids = {element["id"] for element in soup.select("[id]")}
        missing = [href for href in in_page_links(soup) if href[1:] not in ids]
        assert missing == (["#no-such-anchor"] if html.name == Path(PRUNING).name else []), html
    links = in_page_links(page(blog, PRUNING))
    assert len(links) == 9 + 14  # the table's entries, then the links written in the post


def test_toc_lists_the_posts_headings_but_no_toc_ones(blog) -> None:
    soup = page(blog, PRUNING)
    [table] = soup.select(".e-content nav.contents")
    assert table.find_parent("section") is not None  # at the list's place, in the body
    top = table.find("ul", recursive=False)
    assert top["id"] == "markdown-toc"
    entries = [(a["href"], text(a)) for a in top.find_all("a")]
    assert entries == [
        ("#tools-of-the-trade", "Tools of the trade"), ("#checklist", "Checklist"),
        ("#1-winter-work-in-2021", "1. Winter work in 2021"), ("#checklist-1", "Checklist"),
        ("#custom-saw-section", "A saw’s edge"), ("#ladder-safety-first", "Ladder safety"),
        ("#before--after", "Before – after"), ("#snake_case-cuts", "snake_case cuts"),
        ("#äpfel-und-birnen", "Äpfel und Birnen"),
    ]
    assert top.find("a")["id"] == "markdown-toc-tools-of-the-trade"
    nested = top.find("li").find("ul")
    assert [text(a) for a in nested.find_all("a")] == ["Checklist"]
    # The excerpt is the post's first paragraph, not the table.
    excerpt = blog_state(blog.env).posts["_posts/2021-03-01-pruning-guide"].excerpt
    assert excerpt.startswith("Jump to the tools")


def test_toc_under_a_no_toc_heading_is_filled(blog) -> None:
    soup = page(blog, "_posts/2021-06-01-contents-heading.html")
    [table] = soup.select(".e-content nav.contents")
    assert heading_of(soup, "on-this-page") == "On this page"
    top = table.find("ol", recursive=False)  # "1. TOC": an ordered list, as in kramdown
    assert [(a["href"], text(a)) for a in top.find_all("a")] == [
        ("#blossom", "Blossom"), ("#bees", "Bees"), ("#fruit", "Fruit")]
    assert [text(a) for a in top.find("li").find("ol").find_all("a")] == ["Bees"]


def test_rouge_lexer_names_highlight_without_warnings(blog) -> None:
    soup = page(blog, "_posts/2021-04-01-grafting.html")
    blocks = [next(c for c in div["class"] if c.startswith("highlight-"))
              for div in soup.select(".e-content div[class*=highlight-]")]
    assert blocks == [f"highlight-{CONF_LEXER}", "highlight-vim", "highlight-text",
                      "highlight-shell", "highlight-yml", "highlight-ruby", "highlight-text"]
    conf = soup.select_one(f".highlight-{CONF_LEXER} pre")
    assert conf.select_one(".c").get_text() == "# a Rouge lexer name Pygments lacks"
    # The post starts at ###: its first heading is in the body, not the title.
    assert text(soup.select_one(".p-name")) == "Grafting day"
    assert heading_of(soup, "scion-wood-v20") == "Scion wood v2.0"


def test_rules_stay_where_markdown_put_them(blog) -> None:
    soup = page(blog, "_posts/2021-05-01-rule-first.html")
    body = soup.select_one(".e-content")
    assert len(body.find_all("hr")) == 4
    assert body.find("hr").find_previous_sibling() is None  # the body's first element


def test_pages_that_are_not_posts_keep_sphinxs_ids_only(blog) -> None:
    soup = page(blog, "about.html")
    ids = {element["id"] for element in soup.select("[role=main] [id]")}
    assert "tools-tricks-2-0" in ids
    assert "1-tools--tricks-20" not in ids and "tools--tricks-20" not in ids


@pytest.mark.sphinx("html", testroot="kramdown-anchors", confoverrides={"postblog_jekyll": False})
def test_without_jekyll_the_ids_are_sphinxs(app) -> None:
    app.build()
    soup = page(app, PRUNING)
    assert soup.find(id="1-winter-work-in-2021") is None
    assert soup.find(id="checklist-1") is None
