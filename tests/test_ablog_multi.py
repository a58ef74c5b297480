"""Issue 12, point 7: ablog's posting sections, locations and languages, postlist options, names.

A small harbour blog of our own (``roots/test-ablog-multi``): a reST document with three
``post`` directives, a MyST one with two, single posts with locations and languages, a
page of ``postlist`` options and ablog's reference names. Where ablog imports, the same
root is built with ablog too, and both must read the same posts.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import (
    ROOTS,
    edit,
    listed,
    listed_titles,
    main,
    page,
    section,
    snapshot,
    text,
    warnings,
    write_site,
)
from sphinx_postblog.state import blog_state

ROOT = ROOTS / "test-ablog-multi"
SECTION_POSTS = ["journal#night-crossing", "journal#rope-workshop", "notes/market#spice-stalls"]
PAGE_POSTS = ["journal", "notes/gulls", "notes/lighthouse", "notes/market", "notes/tides"]


def _build(srcdir: Path, builddir: Path, **kwargs) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=srcdir, builddir=builddir, freshenv=True, **kwargs)
    app.build()
    app.cleanup()
    return app


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SphinxTestApp:
    base = tmp_path_factory.mktemp("multi")
    return _build(shutil.copytree(ROOT, base / "src"), base / "out")


def _posts(app):
    return blog_state(app.env).posts


# -- several posts in one document ---------------------------------------------------------------


def test_each_post_directive_of_a_document_is_a_post(built):
    posts = _posts(built)
    assert sorted(posts) == sorted(PAGE_POSTS + SECTION_POSTS)
    assert blog_state(built.env).sections == {
        "journal": ("journal#rope-workshop", "journal#night-crossing"),
        "notes/market": ("notes/market#spice-stalls",)}
    journal, rope, night = (posts[k] for k in ("journal", "journal#rope-workshop",
                                               "journal#night-crossing"))
    assert [(p.title, p.anchor, p.date.date()) for p in (journal, rope, night)] == [
        ("Harbour journal", "", dt.date(2023, 3, 3)),
        ("Rope workshop", "rope-workshop", dt.date(2023, 3, 10)),
        # The directive's :title: wins over the section's heading.
        ("A crossing at night", "night-crossing", dt.date(2023, 3, 17))]
    assert all(p.docname == "journal" for p in (journal, rope, night))
    assert rope.tags == ("rope", "boats") and [a.key for a in rope.authors] == ["Tomas"]


def test_a_section_post_s_excerpt_is_its_section_s_first_paragraph_or_the_directive_s_content(built):
    posts = _posts(built)
    assert posts["journal"].excerpt.startswith("The winter moorings opened today")
    assert posts["journal#rope-workshop"].excerpt == (
        "Twelve of us tied and untied knots for an afternoon in the net loft.")
    assert posts["journal#night-crossing"].excerpt == "The excerpt written inside the directive."
    assert posts["notes/market#spice-stalls"].excerpt == (
        "Three new stalls sell dried peppers and smoked salt.")


def test_update_notes_date_the_section_they_are_in(built):
    posts = _posts(built)
    # The page's post holds every section; the rope workshop's section has no update note.
    assert posts["journal"].updated.date() == dt.date(2023, 3, 20)
    assert posts["journal#night-crossing"].updated.date() == dt.date(2023, 3, 20)
    assert posts["journal#rope-workshop"].updated is None


def test_each_section_post_has_its_own_header(built):
    body = main(page(built, "journal.html"))
    entries = body.select("section.h-entry")
    assert [e.get("id") for e in entries] == ["harbour-journal", "rope-workshop", "night-crossing"]
    rope = body.select_one("section#rope-workshop")
    assert text(rope.select_one(".postblog-header time.dt-published")) == "10 March 2023"
    assert [text(a) for a in rope.select(".postblog-header .p-author a")] == ["Tomas"]
    assert rope.select_one(".postblog-header .p-summary").get_text(strip=True).startswith("Twelve")
    assert rope.select_one(".e-content") is not None
    # The directive's content stays in place (ablog shows it).
    night = body.select_one("section#night-crossing .e-content")
    assert "The excerpt written inside the directive." in text(night)
    # One footer: the page's post's.
    assert len(body.select(".postblog-post-footer")) == 1


def test_lists_and_feeds_link_to_the_section(built):
    index = main(page(built, "blog/index.html"))
    hrefs = [a["href"] for a in index.select(".postblog-entry-title a")]
    assert "../journal.html#rope-workshop" in hrefs
    assert "../journal.html#night-crossing" in hrefs
    assert "../notes/market.html#spice-stalls" in hrefs
    assert "../journal.html" in hrefs
    feed = json.loads(Path(built.outdir, "blog/feed.json").read_text(encoding="utf-8"))
    urls = {item["title"]: item["url"] for item in feed["items"]}
    assert urls["Rope workshop"].endswith("journal.html#rope-workshop")
    assert urls["A crossing at night"].endswith("journal.html#night-crossing")
    assert urls["Harbour journal"].endswith("journal.html")
    atom = Path(built.outdir, "blog/tag/boats.atom.xml").read_text(encoding="utf-8")
    assert "journal.html#rope-workshop" in atom


def test_the_build_has_no_warning(built):
    assert warnings(built) == []


# -- locations and languages -------------------------------------------------------------------


def test_locations_and_languages_have_pages(built):
    locations = main(page(built, "blog/location/index.html"))
    assert [text(li) for li in locations.select(".postblog-terms li")] == [
        "Cascais 2", "Lisbon 3", "Porto 3"]
    assert listed_titles(page(built, "blog/location/porto.html")) == [
        "Market notes", "A crossing at night", "Rope workshop"]
    assert listed_titles(page(built, "blog/language/pt.html")) == ["Spice stalls",
                                                                   "Rope workshop"]
    languages = main(page(built, "blog/language/index.html"))
    assert [text(li) for li in languages.select(".postblog-terms li")] == ["en 6", "pt 2"]
    labels = built.env.domains.standard_domain.data["labels"]
    assert labels["postblog-location-porto"][0] == "blog/location/porto"
    assert labels["postblog-languages"][0] == "blog/language/index"


def test_locations_and_languages_have_feeds(built):
    porto = json.loads(Path(built.outdir, "blog/location/porto.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in porto["items"]] == [
        "Market notes", "A crossing at night", "Rope workshop"]
    for path in ("blog/location/lisbon.atom.xml", "blog/location/lisbon.rss.xml",
                 "blog/language/pt.atom.xml", "blog/language/en.json"):
        assert Path(built.outdir, path).is_file(), path
    head = page(built, "blog/location/porto.html").head
    links = [link["href"] for link in head.select('link[rel="alternate"]')]
    assert "porto.atom.xml" in links


def test_the_post_header_links_its_locations_and_languages(built):
    rope = main(page(built, "journal.html")).select_one("section#rope-workshop")
    places = rope.select_one(".postblog-places")
    assert text(places) == "Locations: Porto , Lisbon · Language: pt"
    assert [a["href"] for a in places.select("a.p-location")] == [
        "blog/location/porto.html", "blog/location/lisbon.html"]
    assert places.select_one("a.postblog-language")["href"] == "blog/language/pt.html"


# -- postlist options --------------------------------------------------------------------------


def _lines(app, heading: str) -> list[str]:
    soup = page(app, "lists.html")
    return [text(p) for p in section(soup, heading).select(".postblog-entry-line")]


def test_postlist_format_and_date(built):
    assert _lines(built, "Formatted") == [
        "Counting gulls by Ines on 2023-06-20", "Tide tables by Tomas on 2023-06-01",
        "Lighthouse open day by Ines on 2023-05-06"]
    assert _lines(built, "Places in the format") == ["Counting gulls ( Cascais ; en ) [ birds ]"]
    soup = page(built, "lists.html")
    places = section(soup, "Places in the format")
    assert places.select_one("a.p-location")["href"] == "blog/location/cascais.html"


def test_postlist_sort_and_list_style(built):
    soup = page(built, "lists.html")
    box = section(soup, "Sorted with a style")
    assert listed_titles(soup, box) == ["Harbour journal", "Rope workshop"]  # oldest first
    assert box.select_one("ul.postblog-lines")["style"] == "list-style-type: circle"
    # Without :format:, ablog's "{date} - {title}".
    assert _lines(built, "Sorted with a style") == ["3 March 2023 - Harbour journal",
                                                    "10 March 2023 - Rope workshop"]


def test_postlist_location_and_language_filters(built):
    soup = page(built, "lists.html")
    assert listed_titles(soup, section(soup, "From Porto")) == [
        "Market notes", "A crossing at night", "Rope workshop"]
    assert listed(soup, section(soup, "From Porto"))[1:] == ["journal", "journal"]
    assert listed_titles(soup, section(soup, "In Portuguese")) == ["Spice stalls",
                                                                   "Rope workshop"]


def test_postlist_expand(built):
    soup = page(built, "lists.html")
    more = section(soup, "Expanded").select(".postblog-entry-more a")
    assert [(text(a), a["href"]) for a in more] == [
        ("Read on", "notes/market.html"), ("Read on", "journal.html#night-crossing")]


# -- ablog's names -----------------------------------------------------------------------------


def test_ablog_reference_names_resolve(built):
    refs = section(page(built, "lists.html"), "References").select("a.reference")
    assert [(text(a), a["href"]) for a in refs] == [
        ("boats", "blog/tag/boats.html"),
        ("Porto", "blog/location/porto.html"),
        ("pt", "blog/language/pt.html"),
        ("Locations", "blog/location/index.html"),
        ("Languages", "blog/language/index.html"),
        ("2023", "blog/2023.html"),
        ("the journal", "journal.html"),
        ("Lighthouse open day", "notes/lighthouse.html"),
        ("Rope workshop", "journal.html#rope-workshop"),
    ]


# -- incremental and parallel builds -----------------------------------------------------------


NIGHT_DIRECTIVE = """.. post:: Mar 17, 2023
   :tags: night
   :author: Ines
   :location: Porto
   :language: en
   :title: A crossing at night

   The excerpt written inside the directive.
"""


def test_removing_a_post_directive_equals_a_clean_build(tmp_path):
    src = shutil.copytree(ROOT, tmp_path / "src")
    first = _build(src, tmp_path / "out")
    assert "journal#night-crossing" in _posts(first)
    journal = src / "journal.rst"
    source = journal.read_text(encoding="utf-8")
    assert NIGHT_DIRECTIVE in source
    edit(journal, source.replace(NIGHT_DIRECTIVE, ""))

    again = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "out")
    again.build()
    again.cleanup()
    assert "journal#night-crossing" not in _posts(again)
    assert blog_state(again.env).sections["journal"] == ("journal#rope-workshop",)
    assert "A crossing at night" not in listed_titles(page(again, "blog/index.html"))
    # Pages whose source did not change list the post no more.
    porto = listed_titles(page(again, "blog/location/porto.html"))
    assert porto == ["Market notes", "Rope workshop"]
    soup = page(again, "lists.html")
    assert listed_titles(soup, section(soup, "From Porto")) == ["Market notes", "Rope workshop"]
    assert warnings(again) == []

    clean = _build(src, tmp_path / "clean")
    expected, got = snapshot(clean), snapshot(again)
    assert set(expected) <= set(got)
    assert {path: got[path] for path in expected} == expected


def test_parallel_build_equals_serial(tmp_path):
    src = shutil.copytree(ROOT, tmp_path / "src")
    serial = _build(src, tmp_path / "serial")
    parallel = _build(src, tmp_path / "parallel", parallel=2)
    assert parallel.is_parallel_allowed("read")
    mine, theirs = blog_state(serial.env), blog_state(parallel.env)
    assert mine.posts == theirs.posts
    assert mine.sections == theirs.sections
    assert snapshot(parallel) == snapshot(serial)
    assert warnings(parallel) == []


# -- the same root, built by ablog ---------------------------------------------------------------


def _ablog_posts(tmp_path: Path) -> dict[str, dict]:
    """What ablog itself reads of the root: each post by docname and section."""
    ablog_blog = pytest.importorskip("ablog.blog")
    src = shutil.copytree(ROOT, tmp_path / "ablog-src")
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"sphinx_postblog"', '"ablog"'),
                    encoding="utf-8")
    ablog_blog.Blog._dict.clear()  # ablog keeps its blog in a class attribute
    try:
        app = _build(src, tmp_path / "ablog-out")
        found = {}
        for docname, infos in app.env.ablog_posts.items():
            for info in infos:
                key = f"{docname}#{info['section']}" if info["section"] else docname
                found[key] = info
        return found
    finally:
        ablog_blog.Blog._dict.clear()


def test_ablog_reads_the_same_posts(built, tmp_path):
    theirs = _ablog_posts(tmp_path)
    ours = _posts(built)
    assert sorted(theirs) == sorted(ours)
    for key, info in theirs.items():
        post = ours[key]
        assert post.title == info["title"], key
        assert post.date.date() == info["date"].date(), key
        assert list(post.locations) == info["location"], key
        assert list(post.languages) == info["language"], key
        assert list(post.tags) == info["tags"], key
        assert [a.key for a in post.authors] == info["author"], key
        assert (post.updated or post.date).date() == info["update"].date(), key
        excerpt = " ".join(" ".join(node.astext() for node in info["excerpt"]).split())
        assert post.excerpt == excerpt, key


# -- documents whose posts are all sections ------------------------------------------------------


DAYS = """Ferry diary
===========

A page about the ferry; the posts are its days.

Monday
------

.. post:: Jul 3, 2023
   :tags: ferry

Calm water all the way.

Tuesday
-------

.. post:: Jul 4, 2023
   :tags: ferry

.. post:: Jul 5, 2023

Wind from the west.
"""

FRONT_MATTER = """---
title: Quay works
---

```{post} 2023-08-01
:tags: quay
```

The cranes arrived.

## Second week

```{post} 2023-08-08
```

The cranes left.
"""


def test_a_page_whose_posts_are_all_sections(make_app, tmp_path):
    src = write_site(tmp_path / "src", {"days.rst": DAYS, "quay.md": FRONT_MATTER})
    app = make_app("html", srcdir=src)
    app.build()
    posts = _posts(app)
    # No post opens the diary: it is a page with two posts in it, not a post.
    assert sorted(posts) == ["days#monday", "days#tuesday", "quay", "quay#second-week"]
    assert [posts[k].title for k in ("days#monday", "days#tuesday")] == ["Monday", "Tuesday"]
    assert posts["days#monday"].excerpt == "Calm water all the way."
    assert (posts["quay"].title, posts["quay#second-week"].title) == ("Quay works", "Second week")
    assert posts["quay#second-week"].excerpt == "The cranes left."
    body = main(page(app, "days.html"))
    assert body.select_one(".postblog-post-footer") is None
    assert [s["id"] for s in body.select("section.h-entry")] == ["monday", "tuesday"]
    found = warnings(app)
    assert len(found) == 1 and "days.rst:20:" in found[0], found
    assert "second post directive" in found[0] and "postblog.frontmatter" in found[0]
