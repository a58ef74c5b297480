"""An ablog site switches by one word: its settings, post options and sidebars keep working.

``roots/test-ablog-site`` is an ablog site of our own (reST ``post`` directives with
ablog's options, a MyST ``blogpost: true`` post, ``blog_*`` settings, ``html_sidebars``
naming ablog's templates) with ``extensions = ["sphinx_postblog"]``. The last tests build
a copy of it with ablog itself and compare what both show.
"""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import feedparser
import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import blog_posting, main, page, resolve, text, warnings
from sphinx_postblog.ablog.redirects import ablog_slug
from sphinx_postblog.ablog.settings import SETTINGS
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import get_blog

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).parent / "roots" / "test-ablog-site"
THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme",
          "basic", "postblog"]
#: sphinx-rtd-theme prints no html_sidebars (its navigation is fixed), with ablog too.
NO_SIDEBARS = {"sphinx_rtd_theme"}
BOXES = ["ablog__postcard", "ablog__recentposts", "ablog__tagcloud", "ablog__categories",
         "ablog__archives", "ablog__authors", "ablog__languages", "ablog__locations"]
#: The ablog settings the test root's conf.py sets, and the postblog_* ones they become.
READ_AS = {"blog_path": "postblog_path", "blog_title": "postblog_title",
           "blog_baseurl": "postblog_url", "blog_authors": "postblog_authors",
           "blog_default_author": "postblog_default_author",
           "blog_locations": "postblog_locations", "blog_languages": "postblog_languages",
           "blog_default_language": "postblog_default_language",
           "post_date_format_short": "postblog_date_format_short",
           "blog_feed_fulltext": "postblog_feed_full",
           "blog_feed_length": "postblog_feed_length",
           "blog_feed_archives": "postblog_feed_ablog_paths",
           "blog_feed_templates": "postblog_feed_templates"}
IGNORED = ["fontawesome_included", "disqus_shortname"]
POSTS = ["posts/ferry-log", "posts/harbour-crane", "posts/night-shift", "posts/tide-tables"]


def copy_root(where: Path) -> Path:
    """A copy of the test root to build in."""
    shutil.copytree(ROOT, where, ignore=shutil.ignore_patterns("_build"))
    return where


def build(src: Path, **kwargs: Any) -> SphinxTestApp:
    """Build ``src`` (html) into a folder beside it; the caller cleans the app up."""
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / f"{src.name}-build",
                        status=StringIO(), warning=StringIO(), **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """The test root built once by sphinx-postblog (alabaster, the default theme)."""
    app = build(copy_root(tmp_path_factory.mktemp("site") / "src"))
    try:
        yield app
    finally:
        app.cleanup()


def boxes(soup: BeautifulSoup) -> dict[str, Tag]:
    """The sidebar boxes of a page, by ablog's class name; each at most once."""
    found = {}
    for name in BOXES:
        box = soup.select(f".{name}")
        assert len(box) <= 1, name
        if box:
            found[name] = box[0]
    return found


def links(box: Tag, base: str) -> dict[str, str]:
    """Text of each link of a box → the output path (or URL) it leads to."""
    return {text(a): a["href"] if "://" in a["href"] else resolve(base, a["href"])
            for a in box.select("a[href]")}


# -- sidebars ------------------------------------------------------------------------------


def test_every_theme_builds_and_shows_the_same_boxes(tmp_path):
    seen: dict[str, dict[str, str]] = {}
    for theme in THEMES:
        if theme not in {"alabaster", "basic", "postblog"}:
            pytest.importorskip(theme)
        # A list of its own: pydata-sphinx-theme and sphinx-book-theme append to
        # templates_path, which would otherwise be Sphinx's default list, shared by every
        # later build in this process.
        app = build(copy_root(tmp_path / theme),
                    confoverrides={"html_theme": theme, "templates_path": []})
        try:
            assert not [w for w in warnings(app) if "TemplateNotFound" in w or "postblog" in w]
            soup = page(app, "posts/harbour-crane.html")
            if theme in NO_SIDEBARS:
                assert boxes(soup) == {}
                continue
            found = boxes(soup)
            assert list(found) == BOXES, theme
            seen[theme] = {name: text(box) for name, box in found.items()}
            # Not a post page: no post card, the other boxes as on a post.
            about = boxes(page(app, "about.html"))
            assert list(about) == BOXES[1:], theme
        finally:
            app.cleanup()
    first = seen["alabaster"]
    for theme, texts in seen.items():
        assert texts == first, theme


def test_the_post_card_shows_the_post(site):
    card = boxes(page(site, "posts/harbour-crane.html"))["ablog__postcard"]
    assert card.select_one("time")["datetime"] == "2024-03-04"
    assert links(card, "posts/harbour-crane.html") == {
        "Tomás Lind": "news/author/tomas.html", "Oslo": "news/location/oslo.html",
        "English": "news/language/en.html", "Operations": "news/category/operations.html",
        "cranes": "news/tag/cranes.html", "maintenance": "news/tag/maintenance.html"}
    for target in links(card, "posts/harbour-crane.html").values():
        assert Path(site.outdir, target).is_file(), target


def test_recent_posts_use_the_short_date_and_external_links(site):
    recent = boxes(page(site, "about.html"))["ablog__recentposts"]
    assert links(recent, "about.html") == {
        "Recent Posts": "news/index.html",
        "20 May - A night on the quay": "posts/night-shift.html",
        "04 Mar - The crane that learned to wait": "posts/harbour-crane.html",
        "02 Nov - Reading the tide tables": "posts/tide-tables.html",
        "15 Jan - The ferry log, kept elsewhere": "https://ferries.example.net/log"}
    # On a post's own page, the other posts.
    on_post = boxes(page(site, "posts/night-shift.html"))["ablog__recentposts"]
    assert "A night on the quay" not in text(on_post)


def test_term_boxes_count_posts_and_link_their_pages(site):
    found = boxes(page(site, "index.html"))
    assert links(found["ablog__authors"], "index.html") == {
        "Authors": "news/author/index.html", "Mira Okafor": "news/author/mira.html",
        "Tomás Lind": "news/author/tomas.html"}
    assert text(found["ablog__authors"]) == "Authors Mira Okafor (2) Tomás Lind (3)"
    assert text(found["ablog__archives"]) == "Archives 2024 (2) 2023 (2)"
    assert text(found["ablog__categories"]) == (
        "Categories Data (1) Ferries (1) Operations (2) People (1)")
    assert text(found["ablog__languages"]) == "Languages English (3) Norsk bokmål (1)"
    assert text(found["ablog__locations"]) == "Locations Lisbon (1) Oslo (2)"
    cloud = {text(li): li["class"] for li in found["ablog__tagcloud"].select("li")}
    assert "postblog-cloud-5" in cloud["cranes"] and "postblog-cloud-1" in cloud["data"]
    for box in found.values():
        for target in links(box, "index.html").values():
            assert "://" in target or Path(site.outdir, target).is_file(), target


def test_a_project_template_of_the_same_name_wins(tmp_path):
    src = copy_root(tmp_path / "src")
    (src / "_templates" / "ablog").mkdir(parents=True)
    (src / "_templates" / "ablog" / "recentposts.html").write_text(
        '<div class="ablog__recentposts">Our own recent posts</div>\n', encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('templates_path = ["_templates"]\n')
    app = build(src)
    try:
        found = boxes(page(app, "posts/harbour-crane.html"))
        assert text(found["ablog__recentposts"]) == "Our own recent posts"
        assert list(found) == BOXES  # the others are still ours
    finally:
        app.cleanup()


def test_sidebar_text_is_escaped(tmp_path):
    src = copy_root(tmp_path / "src")
    post = src / "posts" / "night-shift.rst"
    post.write_text(post.read_text(encoding="utf-8").replace(
        ":tags: night, cranes", ':tags: <script>alert("x")</script>, cranes'), encoding="utf-8")
    app = build(src)
    try:
        soup = page(app, "posts/night-shift.html")
        for box in boxes(soup).values():
            assert box.find("script") is None
        assert '<script>alert("x")</script>' in text(boxes(soup)["ablog__tagcloud"])
    finally:
        app.cleanup()


# -- settings --------------------------------------------------------------------------------


def test_each_ablog_setting_says_once_what_it_became(site):
    status = site.status.getvalue()
    for name, target in READ_AS.items():
        lines = [line for line in status.splitlines() if f"ablog setting {name} " in line]
        assert len(lines) == 1, (name, lines)
        assert target in lines[0], lines[0]
    for name in IGNORED:
        lines = [line for line in status.splitlines() if f"ablog setting {name} " in line]
        assert len(lines) == 1 and "changes nothing" in lines[0], (name, lines)
    assert not [line for line in status.splitlines()
                if "ablog setting" in line and line.split()[2] not in {*READ_AS, *IGNORED}]
    assert warnings(site) == []
    config = site.config
    assert (config.postblog_path, config.postblog_title, config.postblog_url) == (
        "news", "Harbour Notes", "https://harbour.example.org/")
    assert config.postblog_authors["tomas"] == {"name": "Tomás Lind", "url": ""}
    assert config.postblog_default_author == ["mira"]
    assert config.postblog_date_format_short == "%d %b"
    assert (config.postblog_feed_full, config.postblog_feed_length) == (True, 10)


@pytest.mark.parametrize(("conf", "expected"), [
    ('blog_post_pattern = ["posts/*.rst", "notes/**/*.md"]\n',
     {"postblog_posts": ["posts/*", "notes/**/*"]}),
    (("post_date_format = '%d %B %Y'\npost_auto_excerpt = 2\npost_auto_image = 1\n"
      "blog_feed_titles = True\nblog_default_location = ['oslo', 'lisbon']\n"),
     {"postblog_date_format": "%d %B %Y", "postblog_excerpt_paragraphs": 2,
      "postblog_auto_image": 1, "postblog_feed_titles": True,
      "postblog_default_location": "oslo, lisbon"}),
    ('blog_title = "Ours"\npostblog_title = "Theirs"\n', {"postblog_title": "Theirs"}),
])
def test_more_ablog_settings_are_read(tmp_path, conf, expected):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_postblog"]\n' + conf, encoding="utf-8")
    (src / "index.rst").write_text("Home\n====\n", encoding="utf-8")
    app = build(src)
    try:
        for name, value in expected.items():
            assert getattr(app.config, name) == value, name
        assert warnings(app) == []
        info = [line for line in app.status.getvalue().splitlines() if "ablog setting" in line]
        assert len(info) == conf.count("\n") - conf.count("postblog_"), info
    finally:
        app.cleanup()


def test_every_ablog_setting_is_registered_and_none_is_unknown():
    names = [entry.name for entry in SETTINGS]
    assert len(names) == len(set(names))
    for entry in SETTINGS:
        assert bool(entry.target) != bool(entry.why), entry.name


# -- posts ----------------------------------------------------------------------------------


def test_authors_show_display_names_and_the_default_author_applies(site):
    posts = blog_state(site.env).posts
    assert sorted(posts) == POSTS
    assert [a.key for a in posts["posts/night-shift"].authors] == ["mira"]  # the default
    assert [a.key for a in posts["posts/ferry-log"].authors] == ["mira", "tomas"]
    soup = page(site, "posts/night-shift.html")
    byline = main(soup).select_one(".postblog-byline")
    assert "Mira Okafor" in text(byline)
    assert [p["name"] for p in blog_posting(soup)["author"]] == ["Mira Okafor"]
    card = page(site, "news/author/mira.html").select_one(".postblog-author-card")
    assert card.select_one("a.u-url")["href"] == "https://mira.example.org/"


def test_canonical_link_names_the_first_publication(site):
    soup = page(site, "posts/night-shift.html")
    assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [
        "https://mira.example.org/night-shift"]
    assert blog_posting(soup)["url"] == "https://mira.example.org/night-shift"
    other = page(site, "posts/harbour-crane.html")
    assert other.find("link", rel="canonical") is None or "mira" not in str(
        other.find("link", rel="canonical"))


def test_external_link_is_where_lists_and_feeds_send_readers(site):
    index = main(page(site, "news/index.html"))
    titles = {text(a): a["href"] for a in index.select(".postblog-entry-title a")}
    assert titles["The ferry log, kept elsewhere"] == "https://ferries.example.net/log"
    assert titles["A night on the quay"] == "../posts/night-shift.html"
    feed = feedparser.parse(Path(site.outdir, "news", "atom.xml").read_bytes())
    by_title = {e.title: e for e in feed.entries}
    assert by_title["The ferry log, kept elsewhere"].link == "https://ferries.example.net/log"
    assert by_title["A night on the quay"].link == (
        "https://harbour.example.org/posts/night-shift.html")


def test_excerpt_and_image_counts(site):
    crane = blog_state(site.env).posts["posts/harbour-crane"]
    assert crane.excerpt == ("Crane four stopped every morning at seven, and nobody knew why. "
                             "We logged every stop for three weeks before the pattern showed.")
    assert crane.image == "/posts/img/crane-night.svg"
    assert blog_posting(page(site, "posts/harbour-crane.html"))["image"] == (
        "https://harbour.example.org/_images/crane-night.svg")
    # post_auto_excerpt's default: one paragraph.
    assert blog_state(site.env).posts["posts/tide-tables"].excerpt == (
        "Tide tables look like a wall of numbers until you know which two columns matter.")
    assert blog_state(site.env).posts["posts/tide-tables"].image == ""


def test_redirect_pages_lead_to_the_post(site):
    for old in ("news/old-crane.html", "old/crane-notes.html"):
        soup = page(site, old)
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        assert resolve(old, target) == "posts/harbour-crane.html"


def test_feeds_carry_full_text_and_the_templates_feed(site):
    feed = feedparser.parse(Path(site.outdir, "news", "atom.xml").read_bytes())
    crane = next(e for e in feed.entries if e.title == "The crane that learned to wait")
    content = crane.content[0].value
    assert "The fix was a timer nobody had set" in content  # the third paragraph
    assert 'src="https://harbour.example.org/_images/crane-night.svg"' in content
    social = feedparser.parse(Path(site.outdir, "news", "social.xml").read_bytes())
    assert len(social.entries) == 4
    contents = {e.title: e.content[0].value for e in social.entries}
    assert contents["The crane that learned to wait"] == (
        "The crane that learned to wait #cranes #maintenance")


# -- the same site, built by ablog ----------------------------------------------------------


def _ablog_facts(app: SphinxTestApp) -> dict[str, dict[str, Any]]:
    from ablog.blog import Blog  # noqa: PLC0415

    facts = {}
    for post in Blog(app).posts:
        facts[post.docname] = {
            "title": post.title, "date": post.date.date(),
            "authors": sorted(a.name for a in post.author),
            "categories": sorted(c.name for c in post.category),
            "tags": sorted(t.name for t in post.tags),
            "locations": sorted(x.name for x in post.location),
            "languages": sorted(x.name for x in post.language),
        }
    return facts


def _our_facts(app: SphinxTestApp) -> dict[str, dict[str, Any]]:
    blog = get_blog(app)
    kinds = {"category": "categories", "tag": "tags", "location": "locations",
             "language": "languages"}
    return {post.docname: {
        "title": post.title, "date": post.date.date(),
        "authors": sorted(a.display_name for a in blog.authors_of(post)),
        **{key: sorted(t.name for t in blog.taxa_of(kind, post)) for kind, key in kinds.items()},
    } for post in blog.listed}


@pytest.fixture(scope="module")
def ablog_site(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The test root built by ablog, its one word changed back: its output and its facts.

    The application is cleaned up at once: while it lives, ablog's ``post`` directive is
    the registered one, for every other build too.
    """
    ablog_blog = pytest.importorskip("ablog.blog")
    src = copy_root(tmp_path_factory.mktemp("ablog") / "src")
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace(
        'extensions = ["sphinx_postblog"]', 'extensions = ["ablog", "myst_parser"]'),
        encoding="utf-8")
    ablog_blog.Blog._dict.clear()  # ablog keeps its blog in a class attribute
    app = build(src)
    try:
        return SimpleNamespace(outdir=app.outdir, facts=_ablog_facts(app))
    finally:
        ablog_blog.Blog._dict.clear()
        app.cleanup()


def test_every_atom_feed_ablog_writes_is_where_ablog_put_it(site, ablog_site):
    """``blog_feed_archives``: readers subscribed to ablog's feeds keep them."""
    def atom_feeds(outdir: str) -> dict[str, list[str]]:
        found = {}
        for path in Path(outdir).rglob("atom.xml"):
            feed = feedparser.parse(path.read_bytes())
            assert not feed.bozo, path
            found[path.relative_to(outdir).as_posix()] = sorted(e.title for e in feed.entries)
        return found

    theirs, ours = atom_feeds(ablog_site.outdir), atom_feeds(site.outdir)
    assert len(theirs) > 10  # the blog's, and each category's, tag's, author's, year's …
    assert {path: ours.get(path) for path in theirs} == theirs
    # Our own feed of the tag is the same document.
    assert (Path(site.outdir, "news/tag/cranes.atom.xml").read_bytes()
            == Path(site.outdir, "news/tag/cranes/atom.xml").read_bytes())


@pytest.mark.parametrize(("name", "slug"), [
    ("Mira Okafor", "mira-okafor"), ("Norsk bokmål", "norsk-bokmal"), ("C++", "c"),
    ("  Data -- Science ", "data-science"), ("snake_case", "snake_case"), ("!!!", ""),
])
def test_names_become_paths_as_ablog_makes_them(name, slug):
    assert ablog_slug(name) == slug


def test_every_page_ablog_writes_is_there_or_leads_to_ours(site, ablog_site):
    """Links to a site that switched from ablog keep working (``postblog_ablog_addresses``)."""
    assert site.config.postblog_ablog_addresses  # turned on by the ablog settings
    theirs = {p.relative_to(ablog_site.outdir).as_posix()
              for p in Path(ablog_site.outdir).rglob("*.html")}
    theirs.discard("news/drafts.html")  # ablog's list of drafts: drafts are not listed here
    led = {}
    for path in sorted(theirs):
        assert Path(site.outdir, path).is_file(), path
        soup = page(site, path)
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is not None:
            target = resolve(path, refresh["content"].split("url=", 1)[1])
            assert Path(site.outdir, target).is_file(), (path, target)
            assert page(site, target).find("meta", attrs={"http-equiv": "refresh"}) is None
            led[path] = target
    assert led == {
        "news.html": "news/index.html",
        "news/author.html": "news/author/index.html",
        "news/author/mira-okafor.html": "news/author/mira.html",
        "news/author/tomas-lind.html": "news/author/tomas.html",
        "news/category.html": "news/category/index.html",
        "news/language.html": "news/language/index.html",
        "news/language/english.html": "news/language/en.html",
        "news/language/norsk-bokmal.html": "news/language/nb.html",
        "news/location.html": "news/location/index.html",
        "news/tag.html": "news/tag/index.html",
        # A post's own redirect (its ``:redirect:``), as ablog writes it.
        "news/old-crane.html": "posts/harbour-crane.html",
        "old/crane-notes.html": "posts/harbour-crane.html",
    }
    # A redirect page names where it leads.
    assert text(page(site, "news/author/mira-okafor.html").find("a")) == "Mira Okafor"


def test_the_same_posts_titles_dates_and_terms_as_ablog(site, ablog_site):
    ours, theirs = _our_facts(site), ablog_site.facts
    assert sorted(theirs) == POSTS
    assert ours == theirs
    assert ours["posts/night-shift"]["date"] == dt.date(2024, 5, 20)


def test_the_same_sidebars_as_ablog(site, ablog_site):
    for pagename in ("posts/harbour-crane.html", "about.html"):
        ours, theirs = boxes(page(site, pagename)), boxes(page(ablog_site, pagename))
        assert list(ours) == list(theirs), pagename
        for name in ("ablog__categories", "ablog__archives", "ablog__authors",
                     "ablog__languages", "ablog__locations", "ablog__tagcloud"):
            names = {text(a) for a in ours[name].select("li a")}
            # ablog puts the count inside the link: "Oslo (2)".
            assert names == {text(a).rsplit(" (", 1)[0] for a in theirs[name].select("li a")}


def test_postlist_dates_are_short_as_in_ablog(site, ablog_site):
    ours = [text(t) for t in main(page(site, "index.html")).select(".postblog-postlist time")]
    assert ours == ["20 May", "04 Mar"]
    theirs = [text(li) for li in main(page(ablog_site, "index.html")).select("ul.postlist li")]
    assert [line.split(" - ")[0] for line in theirs] == ours


def test_a_new_post_reaches_the_sidebars_of_pages_not_read_again(tmp_path):
    src = copy_root(tmp_path / "src")
    app = build(src)
    app.cleanup()
    (src / "posts" / "gulls.rst").write_text(
        "Gulls on the roof\n=================\n\n.. post:: Jun 01, 2024\n   :tags: birds\n\n"
        "The gulls are back.\n", encoding="utf-8")
    app = build(src)
    try:
        for pagename in ("about.html", "news/tag/cranes.html", "posts/tide-tables.html"):
            found = boxes(page(app, pagename))
            assert "Gulls on the roof" in text(found["ablog__recentposts"]), pagename
            assert "birds" in text(found["ablog__tagcloud"]), pagename
        # Nothing changed: the pages are not written again.
        written = {name: Path(app.outdir, name).stat().st_mtime_ns
                   for name in ("about.html", "news/tag/cranes.html")}
        app.cleanup()
        app = build(src)
        assert {name: Path(app.outdir, name).stat().st_mtime_ns for name in written} == written
    finally:
        app.cleanup()
