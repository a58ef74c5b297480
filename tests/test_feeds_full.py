"""Issue 13, point 4: feeds in full.

Atom 1.0, RSS 2.0 and JSON Feed 1.1 carry each post's whole body as sanitised HTML with
absolute links, its excerpt as the summary, every author, categories and tags, stable ids
and dates with ``postblog_timezone``'s offset. Atom and RSS are read back with feedparser
(which must not complain) and, for their structure, with ElementTree: feedparser cleans
what it reads, so whether the file itself is clean is only seen in the raw elements. The
JSON Feed is validated against a schema written from the JSON Feed 1.1 specification
(feedparser 6 does not read JSON Feed).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import shutil
from io import StringIO
from pathlib import Path

import feedparser
import jsonschema
import pytest
from defusedxml import ElementTree
from sphinx.testing.util import SphinxTestApp

from postblog_testing import ROOTS, edit, warnings, write_site
from sphinx_postblog.output.fulltext import BodyHTML

SITE = "https://example.org/docs/"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.json").read_text(
    encoding="utf-8"))
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

HOSTILE_BODY = """\
The kiln was lit at dawn.

<!-- more -->

<script>alert("script")</script>

<img src="https://cdn.example.net/kiln.png" onerror="alert('onerror')" alt="kiln">

<p onclick="alert('onclick')">Clicked <a href="javascript:alert('js')">here</a> and
<a href="JaVaScRiPt:alert('js2')">there</a>.</p>

<iframe src="https://evil.example.net/frame"></iframe>

<svg onload="alert('svg')"><circle r="1"/></svg>

<style>body { display: none }</style>

<form action="https://evil.example.net/"><input name="q"></form>

After the firing, the glaze had [run](https://example.net/glaze) everywhere.
"""

POSTS = {
    "_posts/2021-03-01-kiln.md": (
        "---\ntitle: Firing the kiln\ndate: 2021-03-01 09:30\nauthor: [ada, bob]\n"
        "category: Pottery\ntags: [kiln, glaze]\n---\n" + HOSTILE_BODY),
    "_posts/2021-04-10-wheel.md": (
        "---\ntitle: The wheel\nauthor: bob\ncategory: Pottery\ntags: [wheel]\n"
        "updated: 2021-05-02 08:00:00 +0300\n---\n"
        "Centre the clay first.\n\n## Trimming\n\nSee [the kiln post](2021-03-01-kiln.md), the "
        "{doc}`home page <../index>` and this picture:\n\n![A bowl](../images/bowl.svg)\n\n"
        "Mail [us](mailto:studio@example.org) or jump [down](#trimming).\n"),
    "_posts/2021-07-04-offset.md": (
        "---\ntitle: Written with an offset\ndate: 2021-07-04 18:00:00 -0500\nauthor: ada\n---\n"
        "Far away.\n"),
}
AUTHORS = ("ada:\n  name: Ada Lovelace\n  url: https://ada.example.org/\n"
           "bob:\n  name: Bob Potter\n")
BOWL = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<circle cx="5" cy="5" r="4"/></svg>\n')


def _site(root: Path, conf: str = "") -> Path:
    files = {**POSTS, "_data/authors.yml": AUTHORS, "images/bowl.svg": BOWL}
    return write_site(root, files, conf=(
        f'project = "Studio"\npostblog_url = "{SITE}"\n'
        'postblog_timezone = "Europe/Berlin"\n' + conf))


@pytest.fixture(scope="module")
def built(tmp_path_factory, make_app_module):
    app = make_app_module("html", srcdir=_site(tmp_path_factory.mktemp("full") / "src"))
    app.build()
    return app


@pytest.fixture(scope="module")
def make_app_module(request, tmp_path_factory):
    """Sphinx's ``make_app`` for a module-scoped build (one build serves many tests)."""
    apps = []

    def make(*args, **kwargs):
        kwargs.setdefault("status", StringIO())
        kwargs.setdefault("warning", StringIO())
        app = SphinxTestApp(*args, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.cleanup()


def _parsed(app, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(Path(app.outdir, path).read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def _xml(app, path: str):
    return ElementTree.fromstring(Path(app.outdir, path).read_bytes())


def _json(app, path: str) -> dict:
    feed = json.loads(Path(app.outdir, path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(feed)
    return feed


def _atom_entries(app, path: str = "blog/atom.xml") -> dict[str, object]:
    return {e.findtext(f"{ATOM}title"): e for e in _xml(app, path).iter(f"{ATOM}entry")}


def _rss_items(app, path: str = "blog/rss.xml") -> dict[str, object]:
    return {i.findtext("title"): i for i in _xml(app, path).iter("item")}


FEEDS = [("blog/atom.xml", "blog/rss.xml", "blog/feed.json"),
         ("blog/tag/kiln.atom.xml", "blog/tag/kiln.rss.xml", "blog/tag/kiln.json"),
         ("blog/author/bob.atom.xml", "blog/author/bob.rss.xml", "blog/author/bob.json"),
         ("blog/category/pottery.atom.xml", "blog/category/pottery.rss.xml",
          "blog/category/pottery.json")]


@pytest.mark.parametrize(("atom", "rss", "jsonfeed"), FEEDS)
def test_every_feed_reads_back_and_validates(built, atom, rss, jsonfeed):
    assert _parsed(built, atom).version == "atom10"
    assert _parsed(built, rss).version == "rss20"
    feed = _json(built, jsonfeed)
    assert [i["title"] for i in feed["items"]] == [e.title for e in _parsed(built, atom).entries]


def test_the_build_has_no_warning_of_ours(built):
    assert [w for w in warnings(built) if "postblog" in w] == []


def test_atom_has_what_the_w3c_validator_asks_for(built):
    feed = _xml(built, "blog/atom.xml")
    assert feed.findtext(f"{ATOM}id") == SITE + "blog/index.html"
    assert dt.datetime.fromisoformat(feed.findtext(f"{ATOM}updated")).tzinfo is not None
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Studio"
    links = {(lk.get("rel"), lk.get("type")): lk.get("href") for lk in feed.iter(f"{ATOM}link")
             if lk in list(feed)}
    assert links[("self", "application/atom+xml")] == SITE + "blog/atom.xml"
    assert links[("alternate", "text/html")] == SITE + "blog/index.html"
    ids = []
    for entry in feed.iter(f"{ATOM}entry"):
        ids.append(entry.findtext(f"{ATOM}id"))
        for element in ("updated", "published"):
            assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}{element}")).tzinfo
        (link,) = entry.findall(f"{ATOM}link")
        assert link.get("rel", "alternate") == "alternate"
        assert link.get("href").startswith(SITE)
        assert entry.findall(f"{ATOM}author")
    assert len(ids) == len(set(ids)) == 3
    assert all(i.startswith(SITE + "_posts/") for i in ids)


def test_rss_self_link_permalink_guids_and_rfc822_dates(built):
    channel = _xml(built, "blog/rss.xml").find("channel")
    self_link = channel.find(f"{ATOM}link")
    assert (self_link.get("rel"), self_link.get("href")) == ("self", SITE + "blog/rss.xml")
    assert self_link.get("type") == "application/rss+xml"
    assert channel.findtext("link") == SITE + "blog/index.html"
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")).tzinfo
    for item in channel.iter("item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true"
        assert guid.text == item.findtext("link")
        published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert published.tzinfo is not None


def test_items_carry_the_whole_post_and_the_excerpt_as_summary(built):
    kiln = _atom_entries(built)["Firing the kiln"]
    assert kiln.findtext(f"{ATOM}summary") == "The kiln was lit at dawn."
    content = kiln.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "The kiln was lit at dawn." in content.text
    assert "the glaze had" in content.text  # after the excerpt marker
    rss = _rss_items(built)["Firing the kiln"]
    assert rss.findtext("description") == "The kiln was lit at dawn."
    assert "the glaze had" in rss.findtext(CONTENT)
    item = next(i for i in _json(built, "blog/feed.json")["items"]
                if i["title"] == "Firing the kiln")
    assert item["summary"] == "The kiln was lit at dawn."
    assert "the glaze had" in item["content_html"]


def test_a_post_reads_the_same_in_every_feed_that_lists_it(built):
    """A body is made once and kept for the other feeds: each copy is the whole body."""
    found: dict[str, set[str]] = {}
    feeds_of: dict[str, int] = {}
    for path in Path(built.outdir, "blog").rglob("*.xml"):
        root = ElementTree.fromstring(path.read_bytes())
        for entry in root.iter(f"{ATOM}entry"):
            title = entry.findtext(f"{ATOM}title")
            found.setdefault(title, set()).add(entry.find(f"{ATOM}content").text)
            feeds_of[title] = feeds_of.get(title, 0) + 1
    assert feeds_of["Firing the kiln"] >= 4  # the blog's, its category's, tags' and authors'
    assert feeds_of["The wheel"] >= 4
    assert {title: len(bodies) for title, bodies in found.items()} == dict.fromkeys(found, 1)
    [wheel] = found["The wheel"]
    assert "Centre the clay first." in wheel and "Trimming" in wheel


def _contents(app) -> list[str]:
    """Every item's HTML content in every feed file, as the file holds it."""
    found = []
    for path in Path(app.outdir, "blog").rglob("*"):
        if path.suffix == ".xml":
            root = ElementTree.fromstring(path.read_bytes())
            found += [e.text or "" for e in root.iter(f"{ATOM}content")]
            found += [e.text or "" for e in root.iter(CONTENT)]
            found += [e.text or "" for e in root.iter("description")]
        elif path.suffix == ".json":
            found += [i.get("content_html", "") for i in
                      json.loads(path.read_text(encoding="utf-8"))["items"]]
    return found


def test_no_script_handler_or_javascript_url_in_any_feed(built):
    contents = _contents(built)
    assert any("Clicked" in c for c in contents)
    for content in contents:
        lowered = content.lower()
        for bad in ("<script", "alert(", "onerror", "onclick", "onload", "javascript:",
                    "<iframe", "<style", "<form", "<input", "<svg"):
            assert bad not in lowered, (bad, content)
    # What is harmless stays: the picture and the text around the removed parts.
    kiln = _atom_entries(built)["Firing the kiln"].findtext(f"{ATOM}content")
    assert 'src="https://cdn.example.net/kiln.png"' in kiln
    assert "Clicked" in kiln and "here" in kiln


def test_links_and_images_are_absolute_under_the_site(built):
    content = _atom_entries(built)["The wheel"].findtext(f"{ATOM}content")
    targets = re.findall(r'(?:href|src)="([^"]*)"', content)
    assert targets
    for target in targets:
        assert target.startswith((SITE, "mailto:", "https://example.net/")), target
    assert SITE + "_posts/2021-03-01-kiln.html" in targets
    assert SITE + "index.html" in targets
    assert SITE + "_images/bowl.svg" in targets
    assert SITE + "_posts/2021-04-10-wheel.html#trimming" in targets
    assert Path(built.outdir, "_images/bowl.svg").is_file()
    assert "headerlink" not in content and "¶" not in content


def test_every_author_in_every_format(built):
    kiln = _atom_entries(built)["Firing the kiln"]
    authors = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
               for a in kiln.findall(f"{ATOM}author")]
    assert authors == [("Ada Lovelace", "https://ada.example.org/"),
                       ("Bob Potter", SITE + "blog/author/bob.html")]
    rss = _rss_items(built)["Firing the kiln"]
    assert [c.text for c in rss.findall(f"{DC}creator")] == ["Ada Lovelace", "Bob Potter"]
    item = next(i for i in _json(built, "blog/feed.json")["items"]
                if i["title"] == "Firing the kiln")
    assert item["authors"] == [{"name": "Ada Lovelace", "url": "https://ada.example.org/"},
                               {"name": "Bob Potter", "url": SITE + "blog/author/bob.html"}]
    parsed = _parsed(built, "blog/atom.xml")
    entry = next(e for e in parsed.entries if e.title == "Firing the kiln")
    assert [a.name for a in entry.authors] == ["Ada Lovelace", "Bob Potter"]


def test_categories_and_tags(built):
    kiln = _atom_entries(built)["Firing the kiln"]
    assert [c.get("term") for c in kiln.findall(f"{ATOM}category")] == ["Pottery", "kiln", "glaze"]
    rss = _rss_items(built)["Firing the kiln"]
    assert [c.text for c in rss.findall("category")] == ["Pottery", "kiln", "glaze"]
    item = next(i for i in _json(built, "blog/feed.json")["items"]
                if i["title"] == "Firing the kiln")
    assert item["tags"] == ["Pottery", "kiln", "glaze"]


def test_dates_carry_the_configured_time_zone(built):
    entries = _atom_entries(built)
    # Written without an offset: read in Europe/Berlin (UTC+1 in March, +2 in May).
    assert entries["Firing the kiln"].findtext(f"{ATOM}published") == "2021-03-01T09:30:00+01:00"
    assert entries["The wheel"].findtext(f"{ATOM}published") == "2021-04-10T00:00:00+02:00"
    # Written with an offset: kept.
    assert entries["The wheel"].findtext(f"{ATOM}updated") == "2021-05-02T08:00:00+03:00"
    assert entries["Written with an offset"].findtext(f"{ATOM}published") == (
        "2021-07-04T18:00:00-05:00")
    # The feed's date is its newest item's, not the build's.
    assert _xml(built, "blog/atom.xml").findtext(f"{ATOM}updated") == "2021-07-04T18:00:00-05:00"
    kiln = _rss_items(built)["Firing the kiln"]
    assert kiln.findtext("pubDate") == "Mon, 01 Mar 2021 09:30:00 +0100"
    item = next(i for i in _json(built, "blog/feed.json")["items"]
                if i["title"] == "Firing the kiln")
    assert item["date_published"] == "2021-03-01T09:30:00+01:00"


def test_ids_are_stable_without_a_site_address(make_app, tmp_path):
    ids = []
    for name in ("one", "two"):
        src = _site(tmp_path / name / "src", conf='postblog_url = ""\n')
        app = make_app("html", srcdir=src)
        app.build()
        feed = _xml(app, "blog/atom.xml")
        assert feed.findtext(f"{ATOM}id").startswith("urn:uuid:")
        # Links relative to the feed: its own name for itself, never an empty href.
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == "atom.xml"
        assert links["alternate"] == "index.html"
        found = [feed.findtext(f"{ATOM}id")]
        found += [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
        assert all(i.startswith("urn:uuid:") for i in found)
        guids = [g.get("isPermaLink") for g in _xml(app, "blog/rss.xml").iter("guid")]
        assert guids == ["false"] * 3
        _json(app, "blog/feed.json")
        ids.append(found)
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 4


def test_excerpts_only_when_feed_full_is_off(make_app, tmp_path):
    app = make_app("html", srcdir=_site(tmp_path / "src", conf="postblog_feed_full = False\n"))
    app.build()
    kiln = _atom_entries(app)["Firing the kiln"]
    assert kiln.findtext(f"{ATOM}summary") == "The kiln was lit at dawn."
    assert kiln.find(f"{ATOM}content") is None
    item = next(i for i in _json(app, "blog/feed.json")["items"] if i["title"] == "Firing the kiln")
    assert "content_html" not in item and item["content_text"] == "The kiln was lit at dawn."


def test_ablog_blog_feed_fulltext_is_read_as_feed_full(make_app, tmp_path):
    src = write_site(tmp_path / "src", {}, conf="blog_feed_fulltext = False\n")
    app = make_app("html", srcdir=src)
    assert app.config.postblog_feed_full is False
    assert "ablog setting blog_feed_fulltext is read as postblog_feed_full" in (
        app.status.getvalue())


def test_an_empty_blog_is_dated_source_date_epoch(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = write_site(tmp_path / "src", {}, conf=f'postblog_url = "{SITE}"\n')
    app = make_app("html", srcdir=src)
    app.build()
    feed = _xml(app, "blog/atom.xml")
    assert feed.findtext(f"{ATOM}updated") == "2023-11-14T22:13:20+00:00"
    assert _parsed(app, "blog/rss.xml").feed.updated == "Tue, 14 Nov 2023 22:13:20 +0000"
    _json(app, "blog/feed.json")


def test_a_reports_entry_carries_its_talk_cards(make_app, tmp_path):
    shutil.copytree(ROOTS / "test-reports", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src")
    app.build()
    entries = _atom_entries(app, "blog/event/lighthouse-conf-2025.atom.xml")
    day_one = entries["Lighthouse Conf, day one"].findtext(f"{ATOM}content")
    for talk in ("Lanterns for maintainers", "Tides of release notes", "Hallway track"):
        assert talk in day_one
    for speaker in ("Ana Duarte", "Ben Osei", "Chris Vale"):
        assert speaker in day_one
    assert 'href="https://slides.example.org/lanterns.pdf"' in day_one
    assert 'href="https://blog.example.org/blog/speaker/ana-duarte.html"' in day_one
    assert "<script" not in day_one.lower()
    _json(app, "blog/event/lighthouse-conf-2025.json")


def test_a_reports_excerpt_lists_its_talks(make_app, tmp_path):
    shutil.copytree(ROOTS / "test-reports", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"postblog_feed_full": False})
    app.build()
    parsed = _parsed(app, "blog/event/lighthouse-conf-2025.atom.xml")
    day_one = next(e for e in parsed.entries if "day one" in e.title)
    content = day_one.content[0].value
    assert "Lanterns for maintainers" in content and "Ana Duarte" in content
    assert "#talk-lanterns" in content


def test_an_edited_body_reaches_the_feeds_on_the_next_build(make_app, tmp_path):
    src = _site(tmp_path / "src")
    app = make_app("html", srcdir=src, builddir=tmp_path / "build")
    app.build()
    assert "the glaze had" in _atom_entries(app)["Firing the kiln"].findtext(f"{ATOM}content")
    # Same words, same count, same excerpt: nothing but the body differs.
    post = src / "_posts/2021-03-01-kiln.md"
    edit(post, post.read_text(encoding="utf-8").replace("the glaze had", "the slip had"))
    again = make_app("html", srcdir=src, builddir=tmp_path / "build")
    again.build()
    for path in ("blog/atom.xml", "blog/tag/kiln.atom.xml"):
        content = _atom_entries(again, path)["Firing the kiln"].findtext(f"{ATOM}content")
        assert "the slip had" in content and "the glaze had" not in content, path
    item = next(i for i in _json(again, "blog/feed.json")["items"]
                if i["title"] == "Firing the kiln")
    assert "the slip had" in item["content_html"]


def test_bodies_come_from_their_pages_and_are_rendered_only_when_missing(make_app, tmp_path,
                                                                         monkeypatch):
    rendered: list[str] = []
    render = BodyHTML._render

    def counted(self, post):
        rendered.append(post.docname)
        return render(self, post)

    monkeypatch.setattr(BodyHTML, "_render", counted)
    src = _site(tmp_path / "src")
    app = make_app("html", srcdir=src, builddir=tmp_path / "build")
    app.build()
    # Every body was taken from its page as the page was written: none rendered again.
    assert rendered == []
    wheel = _atom_entries(app)["The wheel"].findtext(f"{ATOM}content")
    assert "Centre the clay first." in wheel
    assert 'href="https://example.org/docs/_posts/2021-03-01-kiln.html"' in wheel

    post = src / "_posts/2021-03-01-kiln.md"
    edit(post, post.read_text(encoding="utf-8").replace("the glaze had", "the slip had"))
    again = make_app("html", srcdir=src, builddir=tmp_path / "build")
    again.build()
    assert rendered == []
    kiln = _atom_entries(again)["Firing the kiln"].findtext(f"{ATOM}content")
    assert "the slip had" in kiln and "<script" not in kiln.lower()

    # Kept bodies lost (or from an older reading): rendered for the feeds, the same.
    shutil.rmtree(Path(again.doctreedir) / "postblog-feedbodies-html")
    (src / "_posts/2021-07-04-offset.md").touch()
    third = make_app("html", srcdir=src, builddir=tmp_path / "build")
    third.build()
    # The pages not written again had no body kept: those were rendered, and read the same.
    assert "_posts/2021-04-10-wheel" in rendered
    assert "_posts/2021-07-04-offset" not in rendered
    # (A page cloaks e-mail addresses, %40 for @; a rendering on its own does not.)
    for title, body in (("The wheel", wheel), ("Firing the kiln", kiln)):
        content = _atom_entries(third)[title].findtext(f"{ATOM}content")
        assert content.replace("%40", "@") == body.replace("%40", "@")


def test_a_body_whose_page_is_written_again_is_rendered_again(make_app, tmp_path):
    # The post lists the blog's posts: a new post changes its page without changing its
    # source, and its body in the feeds follows the page.
    files = {**POSTS, "_posts/2021-08-01-listing.md": (
        "---\ntitle: Everything so far\nauthor: ada\n---\nThe posts:\n\n```{postlist}\n```\n")}
    src = write_site(tmp_path / "src", {**files, "_data/authors.yml": AUTHORS,
                                        "images/bowl.svg": BOWL},
                     conf=f'project = "Studio"\npostblog_url = "{SITE}"\n')
    app = make_app("html", srcdir=src, builddir=tmp_path / "build")
    app.build()
    assert "A new glaze" not in _atom_entries(app)["Everything so far"].findtext(
        f"{ATOM}content")
    edit(src / "_posts/2021-05-01-glaze.md",
         "---\ntitle: A new glaze\nauthor: bob\n---\nCeladon.\n")
    again = make_app("html", srcdir=src, builddir=tmp_path / "build")
    again.build()
    content = _atom_entries(again)["Everything so far"].findtext(f"{ATOM}content")
    assert "A new glaze" in content
