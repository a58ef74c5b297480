"""Hostile front matter for the generated tests of issue 13, point 7: strategies and sites.

Every value that carries markup carries a marker the checks look for in the output:
``pwn-tag`` elements, ``onpwn`` attributes, ``pwn()`` calls, ``pwnstrong`` / ``pwnem`` /
``pwncode`` / ``PWNABBR`` (Markdown, MyST and reST made live), links to ``*.pwn`` hosts,
``275511`` (Liquid or Jinja evaluated ``91837*3``), paths under ``pwned-*`` folders (a file
written outside the output folder) and ``SECRET-7f3a`` (a file outside the source folder
read into the site).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from postblog_testing import write_site

SECRET = b"SECRET-7f3a"
#: What Liquid or Jinja would make of ``91837*3``.
EVALUATED = "275511"

MARKUP = (
    "<script>pwn()</script>", "<SCRIPT SRC=//evil.pwn/x.js></SCRIPT>", "<img src=x onerror=pwn()>",
    "<svg/onload=pwn()>", "<pwn-tag>", "</title><pwn-tag>", "</script><pwn-tag>",
    "</textarea><pwn-tag>", "</style><pwn-tag>", '"><pwn-tag>', "'><pwn-tag>", '" onpwn="1',
    "' onpwn='1", " onpwn=1 ", "<!--", "-->", "<![CDATA[", "]]>", "&lt;pwn-tag&gt;",
    "&#60;pwn-tag&#62;", "&amp;lt;pwn-tag&amp;gt;", "&", "&quot; onpwn=&quot;1",
    '<a href="javascript:pwn()">x</a>', "<iframe src=//evil.pwn></iframe>",
    "**pwnstrong**", "_pwnem_", "*pwnem*", "`pwncode`", "[x](https://mdlink.pwn/)",
    "<https://mdlink.pwn/>", "{abbr}`PWNABBR (pwn)`", "{raw}`<pwn-tag>`",
    "{sub-ref}`wordcount-words`", ":abbr:`PWNABBR (pwn)`", "`x <https://rstlink.pwn/>`_",
    ".. raw:: html\n\n   <pwn-tag>", "|pwn|", "{{ 91837 | times: 3 }}", "{{ 91837*3 }}",
    "{% raw %}", "{% endraw %}", "{% include ../../secret.png %}", "{{ page.title }}",
    "{% if %}", "{{", "{%", "#}", "\\", "\n---\n", "...", "<!-- more -->", "# Heading",
    "\x00", "\x0b", "\x1b[31m", "\x7f", "\r", "\t", "\u2028", "\u0085", "\ufeff", "\ufffe",
)
UNICODE = (
    "مرحبا بالعالم", "שלום", "\u202eevil\u202c", "\u200f", "\u2066x\u2069",
    "e\u0301\u0301\u0301", "Z\u0337\u0334a\u0336", "👩\u200d👩\u200d👧", "🏳️\u200d🌈", "🇩🇪",
    "😀", "日本語のタイトル", "\u200b", "\u00ad", "İı", "ß", "ﬃ", "Ⅻ", "\U0001d400", "\U0010fffd",
)
URLS = (
    "javascript:pwn()", "JaVaScRiPt:pwn()", " javascript:pwn()", "java\tscript:pwn()",
    "java\nscript:pwn()", "\x01javascript:pwn()", "&#106;avascript:pwn()",
    "&#x6A;avascript:pwn()", "javascript&colon;pwn()", "vbscript:pwn()",
    "data:text/html,<script>pwn()</script>", "data:image/svg+xml;base64,PHN2Zz4=",
    "//evil.pwn/x.png", "///evil.pwn", "\\\\evil.pwn\\x", "https://example.org/a b?<pwn-tag>#\"'",
    "http://[::1]:80/", "https://user:pass@evil.pwn/", "mailto:a@example.org", "file:///etc/passwd",
    "../secret.png", "../../secret.png", "../../../secret.png", "../../../../secret.png",
    "/../secret.png", "/../../secret.png", "@ROOT@/secret.png", "img/link.png", "/img/link.png",
    "img/real.png", "/etc/passwd", "C:\\Windows\\win.ini", "%2e%2e/%2e%2e/secret.png",
    "../../../../../../../../../../pwned-trav/x.png", "../../../../pwned-trav/x",
    "/../../../../../../../../pwned-abs/x.html", "https://example.org/" + "a" * 2500,
    "?", "#", "", " ", "/", "//", "x:y", "blog/index", "/blog/index.html", "/blog/atom.xml",
    "/blog/feed.json", "/blog/feed.json/", "/blog/atom.xml/", "search", "/index.html",
    "/genindex.html", "/search.html", "/searchindex.js",
    "/_static/doctools.js", "/blog/tag/index.html", "blog/category/index", "blog/page/2",
    "_static/basic", "blog/tag/plain", "/blog/author/ada.html", "/:title/", "/:categories/:year/:title.html", "../sched.yml",
    "../secret-schedule.yml", "img/sched.yml", "https://example.org/ok",
)
#: Names of categories, tags, authors, locations: mostly shared, so that a build has few pages.
NAMES = (
    "<pwn-tag>", "<script>pwn()</script>", '" onpwn="1', "C++", "C", "c", "C#", "index",
    "page", "atom", "rss", "feed", "2020", "😀", "🙂", "日本", "مرحبا", "e\u0301", "é", "-",
    "../../pwned-tax", "{{ 91837*3 }}", "**pwnstrong**", "a" * 300, "Ada Lovelace",
    "javascript:pwn()", "\x00", "  ",
)
DATE_TEXTS = (
    "2020-02-30", "2020-13-01", "0000-01-01", "9999-12-31 23:59:59 -12:00",
    "0001-01-01 00:00:00 +14:00", "2020-01-01T25:00:00", "yesterday", "1 January 2020",
    "Jan 1, 2020", "2020/1/1", "01.01.2020", "2020-01-01 10:00 +2500", "2020-01-01 10:00:00 Z",
    "-2020-01-01", "20200101", "2999-01-01", "2021-06-01 12:00:00 +02:00", "1970-01-01",
)
#: Keys MyST or Sphinx act on as they document (raw meta tags, substitutions, tocdepth):
#: what an author writes there is theirs, as the body is, and not the blog's.
NOT_OURS = frozenset({"myst", "mystnb", "html_meta", "substitutions", "tocdepth", "jupytext",
                      "kernelspec", "file_format", "orphan", "nosearch"})

_pieces = st.one_of(
    st.sampled_from(MARKUP), st.sampled_from(UNICODE), st.sampled_from(URLS),
    st.text(max_size=10), st.text(st.characters(codec="utf-8"), max_size=6),
)
texts = st.one_of(st.lists(_pieces, max_size=4).map("".join), st.text(max_size=20))
urls = st.one_of(st.sampled_from(URLS), texts)
names = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), texts)
_offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m)))
dates = st.one_of(
    st.dates(), st.datetimes(),
    st.datetimes(timezones=_offsets),
    st.sampled_from(DATE_TEXTS), texts,
)
_scalars = st.one_of(
    texts, st.integers().filter(lambda n: EVALUATED not in str(n)), st.floats(),
    st.booleans(), st.none(), dates,
)
anything = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=5,
)


def _or_anything(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, anything)


def _lists(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.lists(strategy, max_size=3))


_author_map = st.fixed_dictionaries({"name": names}, optional={
    "key": names, "email": texts, "url": urls, "avatar": urls, "bio": texts,
    "twitter": urls, "github": urls, "linkedin": urls, "mastodon": urls,
})
_authors = st.one_of(
    names, st.lists(st.one_of(names, _author_map), max_size=3), _author_map,
    st.dictionaries(st.sampled_from(NAMES[:8]), st.one_of(names, _author_map), max_size=2),
    st.lists(names, max_size=3).map(", ".join),
)
_event = st.one_of(names, st.fixed_dictionaries({"name": names}, optional={
    "url": urls, "location": names, "start": dates, "end": dates, "schedule": urls,
}))
#: ablog's counts (``image: 2``, ``excerpt: 1``) as writers, and Unicode, write digits.
COUNTS = ("2", " 3 ", "²", "①", "١٢", "٣", "0x10", "-1", "1e3", "007", "9" * 30)
_counts = st.one_of(st.integers(-1, 3), st.sampled_from(COUNTS))
_image = st.one_of(urls, _counts,
                   st.dictionaries(st.sampled_from(("path", "feature", "url")), urls, max_size=2))
_flags = st.one_of(st.booleans(), st.sampled_from(("yes", "no", "true", "False", "maybe", "")))

#: Every key the reading layer reads, with what a writer (or an attacker) may put there.
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(("title", "subtitle", "description", "summary", "series",
                     "excerpt_separator", "layout", "author_email"), _or_anything(texts)),
    "excerpt": _or_anything(st.one_of(texts, _counts)),
    **dict.fromkeys(("permalink", "canonical_link", "external_link"), _or_anything(urls)),
    **dict.fromkeys(("date", "updated", "last_modified_at", "modified"), _or_anything(dates)),
    **dict.fromkeys(("author", "authors"), _or_anything(_authors)),
    **dict.fromkeys(("category", "categories", "tags", "tag", "keywords", "location",
                     "language", "lang"), _or_anything(_lists(names))),
    **dict.fromkeys(("header-img", "header_img", "image"), _or_anything(_image)),
    **dict.fromkeys(("published", "draft", "blogpost"), _or_anything(_flags)),
    **dict.fromkeys(("redirect_from", "redirect", "redirect_to"), _or_anything(_lists(urls))),
    "event": _or_anything(_event),
    "part": _or_anything(st.one_of(st.integers(-2, 10**20), _counts)),
}
_unknown_keys = st.one_of(texts, st.sampled_from(("subtite", "titel", "tgas", "html_theme.x"))
                          ).filter(lambda k: k not in FIELDS and k not in NOT_OURS)

#: YAML only a hand can write: tags, anchors, merge keys, duplicates, impossible dates.
RAW_LINES = (
    "tags: !!set {a, b}", "image: !!binary aGVsbG8=", "title: !custom x",
    "date: !!timestamp 2020-99-99", "part: !!float .nan", "part: .inf", "title: !!str 12",
    "author: !!omap [{name: x}]", "categories: !!pairs [[a, b]]",
    'series: !!python/object/apply:os.system ["touch pwned-yaml"]',
    "? [a, b]\n: c", "title: first\ntitle: second", "<<: {title: merged, tags: [m]}",
    "part: 99999999999999999999999", "date: 9999-12-31 23:59:59 -12:00",
    "date: 0001-01-01 00:00:00 +14:00", "date: 2020-02-30", "updated: 0000-00-00",
    "date: 2020-01-01 10:00:00 +99:00", "tags: &a [x, *a]", "author: &b {name: B, self: *b}",
    "anchor: &l [l, l]\nlist2: [*l, *l, *l]", "title: 'unclosed", "title: \"\\ud800\"",
    "title: |\n  multi\n  <pwn-tag>", "title: >-\n  folded\n  text", "? title\n: complex",
    "null: x", "1: one", "true: t", "tags:\n- a\n-\n- [b]", "event:\n  name:\n    - n",
    "excerpt: 3", "image: 2", "image: -1", "excerpt: 99999999999", "%YAML 1.1",
)


@st.composite
def front_matters(draw: st.DrawFn) -> dict[str, Any]:
    """A front matter mapping: some known keys with hostile values, and unknown keys."""
    keys = draw(st.lists(st.sampled_from(sorted(FIELDS)), unique=True, max_size=12))
    data = {key: draw(FIELDS[key]) for key in keys}
    data.update(draw(st.dictionaries(_unknown_keys, anything, max_size=2)))
    return data


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """The YAML between the fences: a dumped mapping, sometimes with hand-written lines."""
    text = dump(draw(front_matters()))
    extra = draw(st.lists(st.sampled_from(RAW_LINES), max_size=2))
    return text + "".join(line + "\n" for line in extra)


def dump(data: dict[str, Any]) -> str:
    """Front matter as YAML, the way a writer's editor would keep it."""
    if not data:
        return ""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


@dataclass(frozen=True)
class PostFile:
    """One post of a generated site: where it goes and what it says."""

    path: str
    text: str
    front: str

    @property
    def docname(self) -> str:
        """The post's document name."""
        return self.path.rsplit(".", 1)[0]


_STEMS = st.one_of(
    st.sampled_from(("2020-01-02-a", "2021-1-5-b", "2019-12-31-", "2020-13-45-bad",
                     "2022-06-01-日本語", "2022-06-02-😀", "no-date", "2023-03-03-C++",
                     "2020-02-29-leap", "2024-07-07-x.y", "2000-01-01-index")),
    st.builds("2020-05-{:02d}-p".format, st.integers(1, 28)),
)
_BODIES = ("Body text.\n", "Body text.\n\n<!-- more -->\n\nMore text.\n",
           "## Section\n\nBody text under a section.\n", "# Body heading\n\nText.\n", "")


@st.composite
def post_files(draw: st.DrawFn, number: int) -> PostFile:
    """A Markdown post (or, one time in six, a reST post with a field list).

    One time in eight it is outside the posts folders: a post only if its front matter
    says so (``layout: post``, ``blogpost: true``), else a page that must be safe too.
    """
    folder = draw(st.sampled_from(("_posts",) * 7 + ("notes",)))
    stem = f"{folder}/{draw(_STEMS)}-{number}"
    body = draw(st.sampled_from(_BODIES))
    if draw(st.integers(0, 5)) == 0:
        fields = draw(st.dictionaries(st.sampled_from(sorted(FIELDS)),
                                      st.one_of(texts, urls, names, dates.map(str)), max_size=8))
        front = "".join(f":{key}: {_one_line(value)}\n" for key, value in fields.items())
        text = front + "\n" + (body.replace("## ", "").replace("# ", "") or "Body.") + "\n"
        return PostFile(f"{stem}.rst", text, front)
    front = draw(yaml_texts())
    return PostFile(f"{stem}.md", f"---\n{front}---\n\n{body}", front)


def _one_line(value: Any) -> str:
    return " ".join(str(value).replace("\x00", "").split()) or "x"


@dataclass(frozen=True)
class Site:
    """A generated blog: its posts and the settings it is built with."""

    posts: tuple[PostFile, ...]
    conf: str
    builder: str = "html"

    def __repr__(self) -> str:
        # The failure message names each post concerned with its front matter.
        return f"Site({len(self.posts)} posts, {self.builder}, conf={self.conf!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # hypothesis' printer: not every post again

    def output(self, pagename: str) -> str:
        """The output file of a page, as this site's builder names it."""
        if self.builder == "dirhtml" and pagename.rsplit("/", 1)[-1] != "index":
            return f"{pagename}/index.html"
        return f"{pagename}.html"


@st.composite
def sites(draw: st.DrawFn, size: int) -> Site:
    """``size`` hostile posts and one plain one, with settings that change what is written."""
    posts = tuple(draw(post_files(number)) for number in range(size))
    conf = "".join((
        f"html_theme = {draw(st.sampled_from(('postblog', 'alabaster')))!r}\n",
        f"postblog_url = {draw(st.sampled_from(('https://example.org/', '')))!r}\n",
        f"postblog_permalink = {draw(st.sampled_from(('', '/:title/', 'date')))!r}\n",
        f"postblog_feed_fulltext = {draw(st.booleans())}\n",
        "postblog_feed_length = 1000\n",
    ))
    return Site(posts, conf, draw(st.sampled_from(("html", "html", "dirhtml"))))


BASELINE = PostFile("_posts/2000-01-01-baseline.md",
                    "---\ntitle: Baseline\ndescription: Plain.\nauthor: Ada\ntags: [plain]\n"
                    "---\n\nBody text.\n", "")


def write_tree(root: Path, site: Site) -> tuple[Path, Path]:
    """Write the site under ``root/a/b/src``, with secrets around it; return src and build."""
    src = root / "a" / "b" / "src"
    for folder in (root, root / "a", root / "a" / "b"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET)
        (folder / "secret-schedule.yml").write_bytes(
            b"- title: " + SECRET + b"\n  slug: s1\n  abstract: " + SECRET + b"\n")
    (src / "img").mkdir(parents=True)
    (src / "img" / "real.png").write_bytes(b"\x89PNG\r\n\x1a\nreal")
    (src / "img" / "link.png").symlink_to(root / "a" / "b" / "secret.png")
    (src / "img" / "sched.yml").symlink_to(root / "a" / "b" / "secret-schedule.yml")
    files = {post.path: post.text.replace("@ROOT@", str(root)) for post in (*site.posts, BASELINE)}
    write_site(src, {"index.md": "# Home\n\n```{toctree}\n:glob:\nnotes/*\n```\n", **files},
               conf=site.conf)
    return src, root / "a" / "b" / "_build"
