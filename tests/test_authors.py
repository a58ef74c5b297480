"""Issue 2, point 3: authors, categories and tags, from front matter, data files and conf.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from postblog_testing import listed, main, page, resolve, text, warnings
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import get_blog


def _authors(app, docname: str) -> list[tuple[str, str]]:
    """(slug, display name) of the post's authors, as the blog resolves them."""
    blog = get_blog(app)
    post = blog_state(app.env).posts[docname]
    return [(a.slug, a.display_name) for a in blog.authors_of(post)]


def _byline(app, docname: str) -> list[tuple[str, str]]:
    """(author page, name) of each author link in a post's byline."""
    soup = page(app, f"{docname}.html")
    links = main(soup).select(".postblog-header .p-author.h-card a")
    return [(resolve(f"{docname}.html", a["href"]), text(a)) for a in links]


@pytest.mark.sphinx("html", testroot="authors")
def test_author_by_key_of_the_authors_file_with_entities_decoded(app):
    app.build()
    assert _authors(app, "_posts/2020-01-01-by-key") == [("jurgen", "Jürgen Müller")]
    assert _byline(app, "_posts/2020-01-01-by-key") == [
        ("blog/author/jurgen.html", "Jürgen Müller")]
    soup = page(app, "blog/author/jurgen.html")
    assert text(main(soup).select_one(".postblog-author-card .p-name")) == "Jürgen Müller"
    assert "&uuml;" not in text(main(soup))


@pytest.mark.sphinx("html", testroot="authors")
def test_author_by_display_name_is_the_known_author(app):
    app.build()
    assert _authors(app, "_posts/2020-01-02-by-name") == [("ada", "Ada Lovelace")]
    assert _byline(app, "_posts/2020-01-02-by-name") == [("blog/author/ada.html", "Ada Lovelace")]


@pytest.mark.sphinx("html", testroot="authors")
def test_comma_separated_authors_are_resolved_one_by_one(app):
    app.build()
    post = blog_state(app.env).posts["_posts/2020-01-03-comma"]
    assert len(post.authors) == 2
    assert _authors(app, "_posts/2020-01-03-comma") == [("ada", "Ada Lovelace"),
                                                          ("bob", "Bob Smith")]
    assert _byline(app, "_posts/2020-01-03-comma") == [
        ("blog/author/ada.html", "Ada Lovelace"), ("blog/author/bob.html", "Bob Smith")]


@pytest.mark.sphinx("html", testroot="authors")
def test_authors_from_a_yaml_list_including_one_added_in_conf_py(app):
    app.build()
    assert _authors(app, "_posts/2020-01-04-list") == [("ada", "Ada Lovelace"),
                                                         ("carol", "Carol Chen")]


@pytest.mark.sphinx("html", testroot="authors")
def test_author_from_a_mapping(app):
    app.build()
    post = blog_state(app.env).posts["_posts/2020-01-05-mapping"]
    assert [(a.name, a.url) for a in post.authors] == [("Dana Inline", "https://dana.example.org/")]
    assert _byline(app, "_posts/2020-01-05-mapping") == [
        ("blog/author/dana-inline.html", "Dana Inline")]
    card = main(page(app, "blog/author/dana-inline.html")).select_one(".postblog-author-card")
    assert [a["href"] for a in card.select("a")] == ["https://dana.example.org/"]


@pytest.mark.sphinx("html", testroot="authors")
def test_unknown_author_keeps_the_name_as_written(app):
    app.build()
    assert _authors(app, "_posts/2020-01-06-unknown") == [("eve-unknown", "Eve Unknown")]
    assert listed(page(app, "blog/author/eve-unknown.html")) == ["2020-01-06-unknown"]


@pytest.mark.sphinx("html", testroot="authors")
def test_conf_py_overrides_one_field_and_keeps_the_others(app):
    app.build()
    ada = blog_state(app.env).data.authors["ada"]
    assert ada.bio == "Bio from conf.py."
    assert ada.name == "Ada Lovelace"
    assert ada.email == "ada@example.org"
    card = main(page(app, "blog/author/ada.html")).select_one(".postblog-author-card")
    assert text(card.select_one(".postblog-bio")) == "Bio from conf.py."
    assert "Bio from the authors file." not in text(card)
    assert "https://github.com/ada-l" in [a["href"] for a in card.select("a")]


@pytest.mark.sphinx("html", testroot="authors")
def test_author_pages_list_every_post_of_the_author_however_it_was_written(app):
    app.build()
    # By display name, in a comma-separated list, in a YAML list: all the same Ada.
    assert listed(page(app, "blog/author/ada.html")) == [
        "2020-01-04-list", "2020-01-03-comma", "2020-01-02-by-name"]
    assert listed(page(app, "blog/author/bob.html")) == ["2020-01-03-comma"]
    assert listed(page(app, "blog/author/carol.html")) == ["2020-01-04-list"]
    assert not Path(app.outdir, "blog/author/ada-lovelace.html").exists()


@pytest.mark.sphinx("html", testroot="authors")
def test_category_and_tag_display_names_from_data_files(app):
    app.build()
    soup = page(app, "_posts/2020-01-01-by-key.html")
    categories = main(soup).select(".postblog-header .postblog-category")
    assert [(text(a), resolve("_posts/x.html", a["href"])) for a in categories] == [
        ("How-to guides", "blog/category/howto.html")]
    tags = main(soup).select(".postblog-header .postblog-tag")
    assert [(text(a), resolve("_posts/x.html", a["href"])) for a in tags] == [
        ("API", "blog/tag/api.html"), ("misc", "blog/tag/misc.html")]
    assert text(main(page(app, "blog/category/howto.html")).find("h1")) == "Category: How-to guides"
    assert text(main(page(app, "blog/tag/api.html")).find("h1")) == "Tag: API"
    # ``categories: news`` (plural key) is the same category as ``category: news``.
    assert listed(page(app, "blog/category/news.html")) == [
        "2020-01-03-comma", "2020-01-02-by-name"]


@pytest.mark.sphinx("html", testroot="authors")
def test_unknown_categories_and_tags_keep_their_own_name(app):
    app.build()
    post = blog_state(app.env).posts["_posts/2020-01-06-unknown"]
    assert list(post.categories) == ["Field Notes"]
    assert list(post.tags) == ["Odd Tag", "api"]
    soup = page(app, "_posts/2020-01-06-unknown.html")
    header = main(soup).select_one(".postblog-header")
    assert [text(a) for a in header.select(".postblog-category")] == ["Field Notes"]
    assert [text(a) for a in header.select(".postblog-tag")] == ["Odd Tag", "API"]
    assert text(main(page(app, "blog/category/field-notes.html")).find("h1")) == (
        "Category: Field Notes")
    assert listed(page(app, "blog/tag/odd-tag.html")) == ["2020-01-06-unknown"]
    assert listed(page(app, "blog/tag/api.html")) == ["2020-01-06-unknown", "2020-01-01-by-key"]


@pytest.mark.sphinx("html", testroot="authors")
def test_authors_root_builds_without_warnings(app):
    app.build()
    assert warnings(app) == []


@pytest.mark.sphinx("html", testroot="avatar")
def test_a_local_avatar_is_copied_and_shown_on_the_author_page(app):
    app.build()
    assert Path(app.outdir, "images/ada.svg").is_file()
    soup = page(app, "blog/author/ada.html")
    img = main(soup).select_one(".postblog-author-card img.postblog-avatar")
    assert img is not None
    assert resolve("blog/author/ada.html", img["src"]) == "images/ada.svg"
    assert warnings(app) == []
