"""Issue 2, point 2: which documents are posts, and the typed Post read from each."""

from __future__ import annotations

import datetime as dt

import pytest

from postblog_testing import main, page, text, warnings
from sphinx_postblog.model import Post
from sphinx_postblog.state import blog_state

POSTS = {
    "_posts/2015-12-8-unpadded-date",
    "_posts/2016-01-10-list-tags",
    "_posts/2016-02-20-string-tags",
    "_posts/2016-03-01-with-offset",
    "_posts/2016-04-01-unpublished",
    "_posts/2016-05-05-many-headings",
    "_posts/2016-06-06-deep-start",
    "blog/_posts/2017-05-05-blog-underscore",
    "posts/2017-06-06-plain-posts",
    "blog/posts/2017-07-07-blog-posts",
    "notes/layout-post",
    "notes/ablog-post",
}


def _posts(app) -> dict[str, Post]:
    return blog_state(app.env).posts


@pytest.mark.sphinx("html", testroot="posts")
def test_posts_are_found_by_folder_and_by_front_matter(app):
    app.build()
    assert set(_posts(app)) == POSTS
    assert all(isinstance(post, Post) for post in _posts(app).values())


@pytest.mark.sphinx("html", testroot="posts")
def test_posts_root_builds_without_warnings(app):
    app.build()
    assert warnings(app) == []


@pytest.mark.sphinx("html", testroot="posts")
def test_a_page_that_is_not_a_post_stays_untouched(app):
    app.build()
    assert "notes/plain" not in _posts(app)
    assert "index" not in _posts(app)
    soup = page(app, "notes/plain.html")
    body = main(soup)
    assert body.select(".h-entry, .postblog-header, .e-content, .postblog-footer") == []
    assert [text(h) for h in body.find_all("h1")] == ["Soil Guide"]
    assert [text(h) for h in body.find_all("h2")] == ["Testing the soil"]
    assert soup.find_all("script", type="application/ld+json") == []
    # No post, so not a single blog page lists it.
    listing = page(app, "blog/index.html")
    assert "notes/plain" not in str([a.get("href") for a in listing.find_all("a")])


@pytest.mark.sphinx("html", testroot="posts")
def test_tags_from_a_yaml_list_are_a_list(app):
    app.build()
    post = _posts(app)["_posts/2016-01-10-list-tags"]
    assert not isinstance(post.tags, str)
    assert list(post.tags) == ["apple trees", "pruning"]


@pytest.mark.sphinx("html", testroot="posts")
def test_tags_from_a_space_separated_string(app):
    app.build()
    post = _posts(app)["_posts/2016-02-20-string-tags"]
    assert not isinstance(post.tags, str)
    assert list(post.tags) == ["seeds", "catalogue", "planning"]


@pytest.mark.sphinx("html", testroot="posts")
def test_published_false_is_the_boolean_false(app):
    app.build()
    posts = _posts(app)
    assert posts["_posts/2016-04-01-unpublished"].published is False
    assert posts["_posts/2016-01-10-list-tags"].published is True


@pytest.mark.sphinx("html", testroot="posts")
def test_date_key_with_time_and_offset(app):
    app.build()
    post = _posts(app)["_posts/2016-03-01-with-offset"]
    expected = dt.datetime(2016, 3, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert isinstance(post.date, dt.datetime)
    assert post.date == expected
    assert post.date.utcoffset() == dt.timedelta(hours=2)
    assert post.has_time is True


@pytest.mark.sphinx("html", testroot="posts")
def test_date_key_wins_over_nothing_for_documents_outside_post_folders(app):
    app.build()
    assert _posts(app)["notes/layout-post"].date.date() == dt.date(2018, 1, 1)
    assert _posts(app)["notes/ablog-post"].date.date() == dt.date(2018, 2, 2)


@pytest.mark.sphinx("html", testroot="posts")
def test_date_and_slug_from_a_file_name_without_zero_padding(app):
    app.build()
    post = _posts(app)["_posts/2015-12-8-unpadded-date"]
    assert post.date.date() == dt.date(2015, 12, 8)
    assert post.has_time is False
    assert post.slug == "unpadded-date"
    assert _posts(app)["blog/posts/2017-07-07-blog-posts"].slug == "blog-posts"
    soup = page(app, "_posts/2015-12-8-unpadded-date.html")
    assert soup.select_one("time.dt-published")["datetime"] == "2015-12-08"


@pytest.mark.sphinx("html", testroot="posts")
def test_front_matter_title_is_the_page_title_and_the_h1(app):
    app.build()
    post = _posts(app)["_posts/2016-05-05-many-headings"]
    assert post.title == "A season in three parts"
    assert app.env.titles["_posts/2016-05-05-many-headings"].astext() == post.title
    soup = page(app, "_posts/2016-05-05-many-headings.html")
    assert text(soup.title).startswith("A season in three parts")
    assert [text(h) for h in main(soup).find_all("h1")] == ["A season in three parts"]


@pytest.mark.sphinx("html", testroot="posts")
def test_body_headings_stay_sections_inside_the_post_body(app):
    app.build()
    soup = page(app, "_posts/2016-05-05-many-headings.html")
    entry = main(soup).select_one(".h-entry")
    # One top-level section: the post itself; the body's headings are nested in it.
    assert len(main(soup).select(".h-entry")) == 1
    body = entry.select_one(".e-content")
    assert [text(h) for h in body.find_all("h2")] == ["Planting", "Growing", "Harvest"]
    assert [text(h) for h in body.find_all("h3")] == ["Pests"]
    assert body.find("h1") is None
    assert not [w for w in warnings(app) if "myst.header" in w]


@pytest.mark.sphinx("html", testroot="posts")
def test_a_body_starting_at_h3_starts_at_h2_under_the_title(app):
    app.build()
    soup = page(app, "_posts/2016-06-06-deep-start.html")
    body = main(soup).select_one(".h-entry .e-content")
    assert [text(h) for h in body.find_all("h2")] == ["The shed"]
    assert [text(h) for h in body.find_all("h3")] == ["The roof"]
    assert not [w for w in warnings(app) if "myst.header" in w or "header" in w.lower()]


@pytest.mark.sphinx("html", testroot="posts")
def test_a_post_without_title_takes_its_first_heading_ablog_style(app):
    app.build()
    post = _posts(app)["notes/ablog-post"]
    assert post.title == "Sowing Tomatoes Early"
    assert post.title_from_body is True
    assert list(post.tags) == ["seeds"]
    soup = page(app, "notes/ablog-post.html")
    assert text(soup.title).startswith("Sowing Tomatoes Early")
    entry = main(soup).select_one(".h-entry")
    assert [text(h) for h in entry.find_all("h1")] == ["Sowing Tomatoes Early"]
    # The heading became the title: it is not repeated in the body.
    body = entry.select_one(".e-content")
    assert [text(h) for h in body.find_all(["h1", "h2"])] == ["Light"]


@pytest.mark.sphinx("html", testroot="posts")
def test_every_post_is_an_orphan_and_has_a_post_page(app):
    app.build()
    for docname in POSTS:
        soup = page(app, f"{docname}.html")
        assert len(soup.select(".h-entry")) == 1, docname
    assert not [w for w in warnings(app) if "toctree" in w]


@pytest.mark.parametrize(("written", "expected"), [
    ("2024-01-02 10:00:00", "2024-01-02T10:00:00+01:00"),  # no offset: postblog_timezone's
    ("2024-01-02T10:00:00Z", "2024-01-02T10:00:00+00:00"),  # a written Z is kept
    ("2024-01-02 10:00:00 +00:00", "2024-01-02T10:00:00+00:00"),
    ("2024-01-02 10:00:00 +05:30", "2024-01-02T10:00:00+05:30"),
])
def test_a_written_offset_is_kept_and_a_missing_one_is_the_blog_s(written, expected):
    import pickle  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from sphinx_postblog.dates import in_zone  # noqa: PLC0415
    from sphinx_postblog.reading.fields import PostBuilder  # noqa: PLC0415
    from sphinx_postblog.reading.frontmatter import read_front_matter  # noqa: PLC0415

    raw = read_front_matter(f"---\ntitle: x\ndate: {written}\n---\nBody.\n")
    post = PostBuilder("_posts/2024-01-02-x", raw, mtime=None).build()
    again = pickle.loads(pickle.dumps(post))  # as the environment keeps it between builds
    assert in_zone(again.date, ZoneInfo("Europe/Berlin")).isoformat() == expected


def test_a_fence_inside_a_front_matter_value_does_not_end_it_for_myst(make_app, tmp_path):
    from postblog_testing import write_site  # noqa: PLC0415

    post = ("---\ntitle: Fine\ndescription: |\n  First paragraph.\n  ---\n  <pwn-tag>Second.\n"
            "---\n\nBody text.\n\n[broken](#nowhere)\n")
    srcdir = write_site(tmp_path / "src", {"_posts/2020-01-01-fine.md": post})
    app = make_app("html", srcdir=srcdir)
    app.build()
    state = blog_state(app.env).posts["_posts/2020-01-01-fine"]
    assert state.description == "First paragraph.\n---\n<pwn-tag>Second."
    body = main(page(app, "_posts/2020-01-01-fine.html"))
    assert body.find("pwn-tag") is None and "Second." not in text(body.select_one(".e-content"))
    # The body keeps its line numbers: the broken link is reported at its own line.
    assert [w for w in warnings(app) if "2020-01-01-fine.md:11:" in w and "nowhere" in w]


def test_a_fence_in_front_matter_whose_values_nest_does_not_end_it_for_myst(make_app, tmp_path):
    """Nested values take more lines written again than the block had: still no leak."""
    from postblog_testing import write_site  # noqa: PLC0415

    post = ("---\ndescription: '\n\n  ---\n\n  '\nlanguage: '{abbr}`PWNABBR (pwn)`'\n"
            "extra:\n  a: {b: {c: [1, 2, 3]}, d: [x, y, {e: f}]}\n  g: [[1, 2], [3, 4]]\n"
            "title: Nested\n---\n\nBody text.\n\n[broken](#nowhere)\n")
    srcdir = write_site(tmp_path / "src", {"_posts/2020-01-02-nested.md": post})
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert blog_state(app.env).posts["_posts/2020-01-02-nested"].title == "Nested"
    body = main(page(app, "_posts/2020-01-02-nested.html"))
    assert body.find("abbr") is None
    assert text(body.select_one(".e-content")) == "Body text. broken"
    assert [w for w in warnings(app) if "2020-01-02-nested.md:16:" in w and "nowhere" in w]
