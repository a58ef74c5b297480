"""Issue 4, point 3: every incremental build equals a clean build of the same sources.

A hypothesis state machine edits a small blog the way writers do: add, delete, retitle,
retag, recategorise, re-date, publish or hold back a post, rename an author in
``_data/authors.yml``, give the blog index a document of its own or take it away. After
each edit it builds incrementally into the same output and doctree folders, with a new
application as sphinx-autobuild does, builds the same sources afresh into new folders, and
compares the two: every page a clean build writes (blog index and its pages, category, tag,
author and year pages, post pages with header and footer, a page with post lists) and every
feed. Files the clean build does not write (pages of collections that no longer exist,
removed posts) may stay behind, as Sphinx leaves removed documents' pages, but no current
page may link to them.

When it fails, hypothesis prints the shortest edit sequence it found (shrinking rebuilds the
blog many times, so a failing run takes minutes; a passing run about a minute).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from io import StringIO
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import feedparser
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sphinx.testing.util import SphinxTestApp

from postblog_testing import resolve

SITE = "https://blog.example.org/"

CONF = f"""\
project = "Property blog"
extensions = ["myst_parser", "sphinx_postblog"]
html_theme = "alabaster"
postblog_per_page = 2
postblog_feed_length = 3
postblog_url = "{SITE}"
"""

INDEX = """\
# Home

```{toctree}
lists
```
"""

LISTS = """\
# Lists

## Latest three

```{postlist} 3
```

## Tagged python

```{postlist}
:tag: python
```

## By Ada

```{postlist}
:author: ada
```

## By Bob Smith

```{postlist}
:author: Bob Smith
```

## In news

```{postlist}
:category: news
```

## From 2020

```{postlist}
:year: 2020
```
"""

BLOG_INDEX = """\
---
orphan: true
---
# News from the dome

What happened at the observatory.
"""

#: Post files the machine may create: the name's date differs from any front matter date.
STEMS = ("2019-03-01-first", "2019-11-20-second", "2020-02-14-third",
         "2020-07-04-fourth", "2021-01-09-fifth", "2021-05-30-sixth")
TITLES = ("Comets", "First light", "A new mirror", "Night shift", "Dark skies", "Clouds")
TAGS = ("python", "docs", "rain", "sprint")
CATEGORIES = ("news", "releases", "notes")
AUTHOR_KEYS = ("ada", "bob", "carol")
AUTHOR_NAMES = {
    "ada": ("Ada Lovelace", "Ada King"),
    "bob": ("Bob Smith", "Robert Smith"),
    "carol": ("Carol Chen", "Caroline Chen"),
}
DATES = (None, "2018-12-24", "2020-02-14", "2020-09-01", "2022-03-03")


@dataclass(frozen=True)
class PostSpec:
    """What the machine wrote into one post file."""

    title: str
    category: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    date: str | None = None
    published: bool = True
    #: A post list in the body: the post page then depends on other posts.
    with_list: bool = False

    def source(self) -> str:
        lines = ["---", f"title: {self.title}", f"category: {self.category}",
                 f"tags: [{', '.join(self.tags)}]", f"authors: [{', '.join(self.authors)}]"]
        if self.date:
            lines.append(f"date: {self.date}")
        if not self.published:
            lines.append("published: false")
        lines += ["---", "", f"Notes about {self.title.lower()}.", ""]
        if self.with_list:
            lines += ["```{postlist} 2", ":tag: python", "```", ""]
        return "\n".join(lines)


@dataclass
class Blog:
    """The sources, as the machine last wrote them."""

    posts: dict[str, PostSpec] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=lambda: {k: v[0] for k, v in
                                                           AUTHOR_NAMES.items()})

    def authors_yml(self) -> str:
        return "".join(f"{key}:\n  name: {name}\n" for key, name in self.names.items())


post_specs = st.builds(
    PostSpec,
    title=st.sampled_from(TITLES),
    category=st.sampled_from(CATEGORIES),
    tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True).map(tuple),
    authors=st.lists(st.sampled_from(AUTHOR_KEYS), min_size=1, max_size=2,
                     unique=True).map(tuple),
    date=st.sampled_from(DATES),
    published=st.booleans(),
    with_list=st.booleans(),
)


# -- building --------------------------------------------------------------------------------


def build(srcdir: Path, builddir: Path, *, fresh: bool) -> SphinxTestApp:
    """One build with a new application, as sphinx-autobuild starts one per change."""
    # The test application would swap alabaster for ``basic``; keep the sidebar navigation.
    app = SphinxTestApp("html", srcdir=srcdir, builddir=builddir, freshenv=fresh,
                        confoverrides={"html_theme": "alabaster"},
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


# -- comparing -------------------------------------------------------------------------------

_FEEDS = (".xml", ".json")
#: Pages that show the whole project, not the blog: the search index and such.
_SKIPPED = {"genindex.html", "search.html", "py-modindex.html"}


def _outputs(outdir: Path) -> set[str]:
    return {p.relative_to(outdir).as_posix() for p in outdir.rglob("*")
            if p.is_file() and p.relative_to(outdir).parts[0] not in {"_static", "_sources"}
            and p.name not in {".buildinfo", "searchindex.js", "objects.inv"}}


def _normal_html(file: Path) -> dict[str, object]:
    """What a reader and a feed reader see of a page, whitespace normalised."""
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    head = soup.head
    assert head is not None and soup.body is not None
    return {
        "title": " ".join((soup.title.get_text() if soup.title else "").split()),
        "head": sorted(" ".join(str(tag).split()) for tag in head.find_all(["link", "meta"])
                       if not {"stylesheet", "icon"} & set(tag.get("rel") or [])),
        "json-ld": [json.loads(s.string or "null")
                    for s in head.find_all("script", type="application/ld+json")],
        "body": " ".join(str(soup.body).split()),
    }


def _normal_feed(file: Path) -> dict[str, object]:
    """A feed's metadata and entries, as a feed reader parses them."""
    if file.name.endswith(".json"):
        return json.loads(file.read_text(encoding="utf-8"))
    parsed = feedparser.parse(file.read_bytes())
    assert not parsed.bozo, (file, parsed.bozo_exception)
    entries = [
        {"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
         "published": e.get("published"), "updated": dict.get(e, "updated"),
         "summary": e.get("summary"),
         "authors": [(a.get("name"), a.get("email"), a.get("href"))
                     for a in e.get("authors", [])],
         "tags": [t.get("term") for t in e.get("tags", [])]}
        for e in parsed.entries
    ]
    feed = parsed.feed
    meta = {"title": feed.get("title"), "id": feed.get("id"), "link": feed.get("link"),
            "links": sorted((lk.get("rel"), lk.get("href")) for lk in feed.get("links", []))}
    # A feed without entries has no newest entry; feedgen then stamps the time of the build.
    if entries:
        meta["updated"] = dict.get(feed, "updated")
    return {"feed": meta, "entries": entries}


def _links(outdir: Path, path: str) -> set[str]:
    """Output files a page links to or loads, relative to the output folder."""
    soup = BeautifulSoup((outdir / path).read_text(encoding="utf-8"), "html.parser")
    targets = set()
    for tag in soup.find_all(["a", "link", "script", "img"]):
        ref = tag.get("href") or tag.get("src")
        if not ref:
            continue
        if ref.startswith(SITE):
            ref = ref[len(SITE):]
            target = PurePosixPath(urlsplit(ref).path).as_posix()
        else:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = resolve(path, parts.path)
        if target.endswith("/") or target in {"", "."}:
            target = f"{target.rstrip('/')}/index.html".lstrip("/")
        targets.add(target)
    return targets


def assert_same_as_clean(incremental: Path, clean: Path, blog: Blog) -> None:
    """The incremental output shows exactly what the clean output shows."""
    expected, got = _outputs(clean), _outputs(incremental)
    missing = expected - got
    assert not missing, f"the incremental build did not write {sorted(missing)}"
    # Not vacuous: the clean build wrote the blog's pages and feeds.
    assert {"blog/index.html", "blog/atom.xml", "blog/feed.json", "lists.html"} <= expected
    assert {f"_posts/{stem}.html" for stem in blog.posts} <= expected

    for path in sorted(expected):
        if path in _SKIPPED:
            continue
        if path.endswith(".html"):
            assert _normal_html(incremental / path) == _normal_html(clean / path), path
        elif path.endswith(_FEEDS):
            assert _normal_feed(incremental / path) == _normal_feed(clean / path), path

    # Leftovers of removed posts and collections are acceptable only while unreachable.
    existing = expected | {p.relative_to(clean).as_posix() for p in clean.rglob("*")
                           if p.is_file()}
    for path in sorted(expected):
        if path.endswith(".html") and path not in _SKIPPED:
            dangling = {t for t in _links(incremental, path) if t not in existing}
            assert not dangling, f"{path} links to {sorted(dangling)}, which a clean build lacks"


# -- the machine -----------------------------------------------------------------------------


class IncrementalBlog(RuleBasedStateMachine):
    """Edits a blog and checks each incremental build against a clean one."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="postblog-property-"))
        self.src = self.root / "src"
        self.blog = Blog()
        self.builds = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- writing sources --

    def _write(self, relative: str, text: str) -> None:
        path = self.src / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def _write_post(self, stem: str, spec: PostSpec) -> None:
        self.blog.posts[stem] = spec
        self._write(f"_posts/{stem}.md", spec.source())

    def _change(self, index: int, **changes: object) -> None:
        stem = sorted(self.blog.posts)[index % len(self.blog.posts)]
        self._write_post(stem, replace(self.blog.posts[stem], **changes))

    # -- rules --

    @initialize(first=post_specs, second=post_specs)
    def start(self, first: PostSpec, second: PostSpec) -> None:
        self._write("conf.py", CONF)
        self._write("index.md", INDEX)
        self._write("lists.md", LISTS)
        self._write("_data/authors.yml", self.blog.authors_yml())
        self._write_post(STEMS[1], first)
        self._write_post(STEMS[3], replace(second, published=True))

    @precondition(lambda self: len(self.blog.posts) < len(STEMS))
    @rule(which=st.integers(0, len(STEMS) - 1), spec=post_specs)
    def add_post(self, which: int, spec: PostSpec) -> None:
        free = [s for s in STEMS if s not in self.blog.posts]
        self._write_post(free[which % len(free)], spec)

    @precondition(lambda self: len(self.blog.posts) > 1)
    @rule(which=st.integers(0, len(STEMS) - 1))
    def delete_post(self, which: int) -> None:
        stem = sorted(self.blog.posts)[which % len(self.blog.posts)]
        del self.blog.posts[stem]
        (self.src / "_posts" / f"{stem}.md").unlink()

    @precondition(lambda self: self.blog.posts)
    @rule(which=st.integers(0, len(STEMS) - 1), title=st.sampled_from(TITLES))
    def retitle(self, which: int, title: str) -> None:
        self._change(which, title=title)

    @precondition(lambda self: self.blog.posts)
    @rule(which=st.integers(0, len(STEMS) - 1),
          tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True).map(tuple))
    def retag(self, which: int, tags: tuple[str, ...]) -> None:
        self._change(which, tags=tags)

    @precondition(lambda self: self.blog.posts)
    @rule(which=st.integers(0, len(STEMS) - 1), category=st.sampled_from(CATEGORIES))
    def recategorise(self, which: int, category: str) -> None:
        self._change(which, category=category)

    @precondition(lambda self: self.blog.posts)
    @rule(which=st.integers(0, len(STEMS) - 1), date=st.sampled_from(DATES))
    def redate(self, which: int, date: str | None) -> None:
        self._change(which, date=date)

    @precondition(lambda self: self.blog.posts)
    @rule(which=st.integers(0, len(STEMS) - 1))
    def toggle_published(self, which: int) -> None:
        stem = sorted(self.blog.posts)[which % len(self.blog.posts)]
        self._change(which, published=not self.blog.posts[stem].published)

    @rule(key=st.sampled_from(AUTHOR_KEYS), alternative=st.booleans())
    def rename_author(self, key: str, alternative: bool) -> None:
        self.blog.names[key] = AUTHOR_NAMES[key][int(alternative)]
        self._write("_data/authors.yml", self.blog.authors_yml())

    @rule()
    def toggle_blog_index(self) -> None:
        """Give the blog index a document of its own (a title, an introduction), or take it away."""
        own = self.src / "blog" / "index.md"
        if own.exists():
            own.unlink()
        else:
            self._write("blog/index.md", BLOG_INDEX)

    # -- the property --

    @invariant()
    def incremental_equals_clean(self) -> None:
        incremental = build(self.src, self.root / "incremental", fresh=False)
        self.builds += 1
        clean = build(self.src, self.root / f"clean-{self.builds}", fresh=True)
        try:
            assert_same_as_clean(Path(incremental.outdir), Path(clean.outdir), self.blog)
        finally:
            shutil.rmtree(self.root / f"clean-{self.builds}", ignore_errors=True)


IncrementalBlog.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TestIncrementalBuildEqualsCleanBuild = IncrementalBlog.TestCase
