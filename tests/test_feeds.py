"""Feeds: Atom, RSS and JSON Feed for the blog and each category, tag and author.

Every feed is read back with feedparser (or as JSON) and compared with the model.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest

from postblog_testing import page, warnings, write_site
from sphinx_postblog.view import get_blog

SITE = "https://example.org/docs/"
LENGTH = 4



def _post(title: str, tags: str, category: str, author: str, extra: str = "") -> str:
    return (f"---\ntitle: \"{title}\"\ntags: [{tags}]\ncategory: {category}\n"
            f"author: {author}\n{extra}---\nBody of {title}.\n")


@pytest.fixture
def site(tmp_path):
    posts = {
        "2021-01-01-frost": _post("Frost", "weather, cold", "notes", "ada"),
        "2021-01-02-rain": _post("Rain", "weather", "notes", "bob"),
        "2021-01-03-parser": _post("A parser", "code", "dev", "ada"),
        "2021-01-04-sun": _post("Sun", "weather", "notes", "ada",
                                "description: \"Bright & <warm>\"\n"),
        "2021-01-05-tests": _post("Tests", "code, cold", "dev", "bob"),
        "2021-01-06-wind": _post("Wind <b>&</b> \\\"gusts\\\"", "weather", "notes", "ada",
                                 "updated: 2021-02-01 10:00:00 +0200\n"),
        "2021-01-07-draft": _post("Draft", "weather", "notes", "ada", "published: false\n"),
        "2999-01-01-future": _post("Future", "weather", "notes", "ada"),
    }
    files = {f"_posts/{name}.md": text for name, text in posts.items()}
    files["_data/authors.yml"] = ("ada:\n  name: Ada Lovelace\n  url: https://ada.example.org/\n"
                                  "  email: ada@example.org\nbob:\n  name: Bob\n")
    return write_site(tmp_path / "src", files,
                      conf=f'postblog_url = "{SITE}"\npostblog_feed_length = {LENGTH}\n'
                           'postblog_title = "Field notes"\n')


@pytest.fixture
def app(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    return app


def _parsed(app, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(Path(app.outdir, path).read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def _expected(posts) -> list[str]:
    return [p.title for p in posts][:LENGTH]


@pytest.mark.parametrize("path", ["blog/atom.xml", "blog/rss.xml"])
def test_the_blog_feed_lists_the_newest_published_posts(app, path):
    parsed = _parsed(app, path)
    blog = get_blog(app)
    assert [e.title for e in parsed.entries] == _expected(blog.listed)
    assert [e.title for e in parsed.entries] == ['Wind <b>&</b> "gusts"', "Tests", "Sun",
                                                 "A parser"]
    assert parsed.feed.title == "Field notes"
    assert warnings(app) == []


def test_entries_link_to_their_posts_with_dates_authors_and_terms(app):
    parsed = _parsed(app, "blog/atom.xml")
    wind, tests_, sun = parsed.entries[:3]
    assert wind.link == SITE + "_posts/2021-01-06-wind.html"
    assert Path(app.outdir, wind.link.removeprefix(SITE)).is_file()
    assert wind.id == wind.link
    assert dt.datetime(*wind.published_parsed[:6]) == dt.datetime(2021, 1, 6)
    assert dt.datetime(*wind.updated_parsed[:6]) == dt.datetime(2021, 2, 1, 8)
    assert [a.name for a in wind.authors] == ["Ada Lovelace"]
    assert wind.authors[0].get("href") == "https://ada.example.org/"
    assert sorted(t.term for t in tests_.tags) == ["code", "cold", "dev"]
    assert sun.summary == "Bright & <warm>"
    assert sun.summary_detail.type == "text/plain"


@pytest.mark.parametrize(("kind", "fmt"), [(k, f) for k in ("category", "tag", "author")
                                           for f in (".atom.xml", ".rss.xml")])
def test_each_collection_feed_lists_exactly_its_posts(app, kind, fmt):
    collections = get_blog(app).collections[kind]
    assert len(collections) >= 2
    for slug, coll in collections.items():
        parsed = _parsed(app, f"blog/{kind}/{slug}{fmt}")
        assert [e.title for e in parsed.entries] == _expected(coll.posts), slug
        assert parsed.feed.title == f"Field notes: {coll.name}"


def test_the_json_feed_matches_the_atom_feed(app):
    feed = json.loads(Path(app.outdir, "blog/feed.json").read_text(encoding="utf-8"))
    atom = _parsed(app, "blog/atom.xml")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SITE + "blog/feed.json"
    assert [i["title"] for i in feed["items"]] == [e.title for e in atom.entries]
    assert [i["url"] for i in feed["items"]] == [e.link for e in atom.entries]
    for item in feed["items"]:
        assert dt.datetime.fromisoformat(item["date_published"]).tzinfo is not None
        assert "email" not in json.dumps(item.get("authors", []))


def test_pages_name_their_feeds_and_the_files_exist(app):
    soup = page(app, "blog/tag/weather.html")
    hrefs = [link["href"] for link in soup.select('link[rel="alternate"]')]
    assert len(hrefs) == 6  # the blog's three, the tag's three
    for href in hrefs:
        assert (Path(app.outdir, "blog/tag") / href).resolve().is_file(), href


def test_no_site_url_gives_relative_links(make_app, site, tmp_path):
    app = make_app("html", srcdir=site, confoverrides={"postblog_url": ""})
    app.build()
    parsed = _parsed(app, "blog/tag/code.atom.xml")
    for entry in parsed.entries:
        assert not entry.link.startswith("http"), entry.link
        assert (Path(app.outdir, "blog/tag") / entry.link).resolve().is_file()


def test_a_post_with_hundreds_of_tags(make_app, tmp_path):
    tags = [f"t{i:03d}" for i in range(300)]
    src = write_site(tmp_path / "many", {
        "_posts/2021-01-01-many.md": f"---\ntitle: Many\ntags: [{', '.join(tags)}]\n---\nBody.\n",
    }, conf='postblog_url = "https://example.org/"\n')
    app = make_app("html", srcdir=src)
    app.build()
    for path in ("blog/atom.xml", "blog/rss.xml", "blog/tag/t299.atom.xml"):
        (entry,) = _parsed(app, path).entries
        assert sorted(t.term for t in entry.tags) == tags, path
