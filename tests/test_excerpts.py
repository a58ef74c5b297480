"""Issue 2, point 6: excerpt key > text before the separator > description > first paragraph."""

from __future__ import annotations

import pytest

from postblog_testing import listed, main, page, text, warnings
from sphinx_postblog.state import blog_state

EXPECTED = {
    "_posts/2022-01-01-excerpt-key": "The excerpt key says this.",
    "_posts/2022-01-02-separator": (
        "Rye needs a long, slow rise. Two paragraphs come before the marker."),
    "_posts/2022-01-03-description": "Loaves, shaped by hand.",
    "_posts/2022-01-04-first-paragraph": "Spelt behaves like wheat, mostly.",
    "_posts/2022-01-05-own-separator": "Oats in a loaf. Barley too.",
}


@pytest.mark.sphinx("html", testroot="excerpts")
def test_excerpts_in_the_model(app):
    app.build()
    posts = blog_state(app.env).posts
    assert {docname: posts[docname].excerpt for docname in EXPECTED} == EXPECTED
    assert warnings(app) == []


@pytest.mark.sphinx("html", testroot="excerpts")
def test_excerpts_on_the_blog_index(app):
    app.build()
    soup = page(app, "blog/index.html")
    entries = main(soup).select(".postblog-list .postblog-entry")
    names = listed(soup)
    shown = {name: text(entry.select_one(".postblog-entry-excerpt"))
             for name, entry in zip(names, entries, strict=True)}
    assert shown == {docname.split("/")[-1]: excerpt for docname, excerpt in EXPECTED.items()}


@pytest.mark.sphinx("html", testroot="excerpts")
def test_text_after_the_separator_stays_on_the_post_page_only(app):
    app.build()
    post = main(page(app, "_posts/2022-01-02-separator.html"))
    assert "This part stays on the post page." in text(post.select_one(".e-content"))
    index = main(page(app, "blog/index.html"))
    assert "This part stays" not in text(index)
    # The marker itself is no visible text anywhere.
    assert "more" not in text(post.select_one(".e-content")).split()


@pytest.mark.sphinx("html", testroot="excerpts",
                    confoverrides={"postblog_excerpt_separator": "<!-- break -->"})
def test_the_separator_is_configurable(app):
    app.build()
    posts = blog_state(app.env).posts
    # ``<!-- more -->`` is no separator any more: the description comes next.
    assert posts["_posts/2022-01-02-separator"].excerpt == "The description says this."
    assert posts["_posts/2022-01-05-own-separator"].excerpt == "Oats in a loaf. Barley too."
