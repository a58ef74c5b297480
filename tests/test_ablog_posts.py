"""ablog posts build unchanged: the ``post`` directive, in reST and in MyST."""

from __future__ import annotations

import datetime as dt

import pytest

from postblog_testing import listed, main, page, text, warnings, write_site
from sphinx_postblog.ablog.frontmatter import read_post_directive
from sphinx_postblog.state import blog_state

RST_POST = """First ablog post
================

.. post:: Apr 15, 2014
   :tags: earth, love, peace
   :category: python
   :author: Ada
   :location: SF
   :image: 1
   :excerpt: 2

Some text in the first post.
"""

MYST_POST = """# Second, in MyST

```{post} 2015-06-01
:tags: love
:author: Bob
```

Text of the second post.
"""

COLON_POST = """---
title: Third, with front matter too
tags: [sun]
---

:::{post} Jan 02, 2016
:tags: ignored, front matter wins
:author: Ada
:::

Body.
"""

ABOUT_ABLOG = """# How ablog marks a post

````markdown
```{post} 2020-01-01
:tags: a
```
````

```rst
.. post:: Apr 15, 2014
```
"""



@pytest.fixture
def app(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "index.rst": "Home\n====\n\n.. toctree::\n   :glob:\n\n   posts/*\n   about\n",
        "posts/first.rst": RST_POST, "posts/second.md": MYST_POST, "posts/third.md": COLON_POST,
        "about.md": ABOUT_ABLOG,
    }, conf='myst_enable_extensions = ["colon_fence"]\n')
    app = make_app("html", srcdir=src)
    app.build()
    return app


def test_the_directive_makes_the_page_a_post_with_its_fields(app):
    posts = blog_state(app.env).posts
    assert sorted(posts) == ["posts/first", "posts/second", "posts/third"]
    first, second, third = posts["posts/first"], posts["posts/second"], posts["posts/third"]
    assert (first.title, first.date.date(), first.tags, first.categories, first.locations) == (
        "First ablog post", dt.date(2014, 4, 15), ("earth", "love", "peace"), ("python",), ("SF",))
    assert [a.key for a in first.authors] == ["Ada"]
    assert not first.image  # ablog's ":image: 1" is a count, not a file
    assert (second.title, second.date.date(), second.tags) == (
        "Second, in MyST", dt.date(2015, 6, 1), ("love",))
    assert [a.key for a in second.authors] == ["Bob"]
    # Front matter wins over the directive; the directive fills what front matter lacks.
    assert (third.title, third.tags, third.date.date()) == (
        "Third, with front matter too", ("sun",), dt.date(2016, 1, 2))
    assert [a.key for a in third.authors] == ["Ada"]


def test_no_warning_and_the_directive_shows_nothing(app):
    assert warnings(app) == []
    body = main(page(app, "posts/first.html"))
    assert "Apr 15, 2014" not in text(body.select_one(".e-content") or body)
    assert body.select_one("time")["datetime"].startswith("2014-04-15")


def test_ablog_posts_are_listed_like_any_post(app):
    assert listed(page(app, "blog/tag/love.html")) == ["second", "first"]
    assert listed(page(app, "blog/index.html")) == ["third", "second", "first"]


def test_a_directive_shown_in_a_code_block_is_not_one():
    assert read_post_directive(ABOUT_ABLOG) is None
    assert read_post_directive("No directive here.\n") is None
    raw = read_post_directive(RST_POST)
    assert raw is not None and raw.lines["date"] == 4 and raw.lines["tags"] == 5


def test_ablog_postlist_options(make_app, tmp_path):
    src = write_site(tmp_path / "lists", {
        "index.rst": "Home\n====\n\n.. postlist:: 5\n   :tags: love\n"
                     "   :format: {title} by {author}\n   :sort:\n",
        "posts/first.rst": RST_POST, "posts/second.md": MYST_POST,
    })
    app = make_app("html", srcdir=src)
    app.build()
    # :sort: lists the newest five oldest first; :format: writes each as one line.
    assert listed(page(app, "index.html")) == ["first", "second"]
    lines = main(page(app, "index.html")).select(".postblog-lines .postblog-entry-line")
    assert [text(line) for line in lines] == ["First ablog post by Ada", "Second, in MyST by Bob"]
    assert warnings(app) == []


def test_ablog_update_notes(make_app, tmp_path):
    src = write_site(tmp_path / "updates", {
        "index.rst": "Home\n====\n",
        "posts/first.rst": RST_POST + "\n.. update:: May 1, 2014\n\n   Fixed a typo.\n"
                           "\n.. update:: Apr 20, 2014\n\n   Added a *picture*.\n\n"
                           ".. update:: someday\n\n   Never.\n",
    })
    app = make_app("html", srcdir=src)
    app.build()
    post = blog_state(app.env).posts["posts/first"]
    assert post.updated is not None and post.updated.date() == dt.date(2014, 5, 1)
    notes = main(page(app, "posts/first.html")).select(".postblog-update")
    assert [text(n.select_one(".admonition-title")) for n in notes][:2] == [
        "Updated on 1 May 2014", "Updated on 20 April 2014"]
    assert notes[1].find("em") is not None  # the content is parsed
    found = warnings(app)
    assert len(found) == 1 and "first.rst:22:" in found[0] and "someday" in found[0], found


MYST_OPTIONS = """---
blogpost: true
date: 2024-02-03
canonical_link: https://first.example.org/boats
external_link: https://elsewhere.example.org/boats
redirect: old/boats, old/more-boats
excerpt: 2
image: 2
exclude: true
nocomments: true
location: Bergen
language: nb
---

# Boats in front matter

First paragraph.

Second paragraph.

![A small boat](small.svg)

Third paragraph.

![A big boat](big.svg)
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'


@pytest.fixture
def options_app(make_app, tmp_path):
    src = write_site(tmp_path / "options", {
        "posts/boats.md": MYST_OPTIONS, "posts/small.svg": SVG, "posts/big.svg": SVG,
        "posts/bad.md": "---\nblogpost: true\ndate: 2024-01-01\n"
                        "external_link: javascript:alert(1)\nredirect: ../../outside\n---\n"
                        "# Bad links\n\nText.\n",
    })
    app = make_app("html", srcdir=src)
    app.build()
    return app


def test_ablog_options_in_myst_front_matter(options_app):
    post = blog_state(options_app.env).posts["posts/boats"]
    assert (post.canonical_link, post.external_link, post.redirects) == (
        "https://first.example.org/boats", "https://elsewhere.example.org/boats",
        ("old/boats", "old/more-boats"))
    assert (post.excerpt_paragraphs, post.image_number) == (2, 2)
    assert post.excerpt == "First paragraph. Second paragraph."
    assert post.image == "/posts/big.svg"
    assert (post.locations, post.languages) == (("Bergen",), ("nb",))
    soup = page(options_app, "posts/boats.html")
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        "https://first.example.org/boats"]
    index = main(page(options_app, "blog/index.html"))
    hrefs = [a["href"] for a in index.select(".postblog-entry-title a")]
    assert "https://elsewhere.example.org/boats" in hrefs
    for old in ("old/boats.html", "old/more-boats.html"):
        refresh = page(options_app, old).find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"].endswith("url=../posts/boats.html")


def test_unsafe_links_and_redirects_outside_the_site_warn(options_app):
    post = blog_state(options_app.env).posts["posts/bad"]
    assert post.external_link == ""
    found = warnings(options_app)
    assert len(found) == 2, found
    link, redirect = sorted(found, key=lambda w: "redirect" in w)
    assert "bad.md:4:" in link and "javascript" in link and "postblog.frontmatter" in link
    assert "outside the site" in redirect and "postblog.permalink" in redirect
