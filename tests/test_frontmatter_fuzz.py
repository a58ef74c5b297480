"""Issue 13, point 7: front matter that hypothesis makes up, hostile in every field.

Values come from ``hostile_frontmatter``: random keys; text, numbers, booleans, nulls,
lists, mappings, dates and YAML tags; right-to-left text, combining marks, emoji, NUL and
control characters; HTML, ``<script>``, attribute breakers, Markdown, MyST roles, Liquid,
reST; ``javascript:``, ``data:``, ``//host``, ``../../`` and very long URLs. Two layers:

- **Reading** (fast, ``READING_EXAMPLES`` each): any mapping and any YAML text go through
  ``read_front_matter`` and ``PostBuilder`` without an exception; problems are at lines of
  the block; every ``Post`` field has its declared type; no link has an unsafe scheme.
- **Builds**: ``BUILDS`` sites of ``POSTS_PER_BUILD`` hostile posts each (and one plain
  post to compare with) are built. Per build: no exception and no traceback; each post is
  in the model and its page is written (unless unpublished or future); no value's markup
  is live in any page, attribute, JSON-LD, OpenGraph tag or feed; feeds parse (feedparser
  ``bozo`` false, JSON Feed ``json.loads``); no file outside the output folder written;
  nothing from outside the source folder in the output; no page overwritten by another.

A failing build names each post and file concerned, with the post's front matter; when
the build itself raises, each post is built alone to say which ones make it raise.
Shrinking is off for builds (each step is a build): the report is made to be read instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import shutil
import tempfile
import traceback
import types
import typing
from io import StringIO
from pathlib import Path
from urllib.parse import unquote

import feedparser
from hostile_frontmatter import (
    BASELINE,
    EVALUATED,
    SECRET,
    PostFile,
    Site,
    front_matters,
    sites,
    write_tree,
    yaml_texts,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from sphinx.testing.util import SphinxTestApp

from postblog_testing import resolve
from sphinx_postblog.model import Author, Event, Post, unsafe_scheme
from sphinx_postblog.reading.fields import PostBuilder, is_post_front_matter
from sphinx_postblog.reading.frontmatter import RawFrontMatter, read_front_matter
from sphinx_postblog.state import blog_state

#: Example counts; the environment may lower them while working on the tests.
READING_EXAMPLES = int(os.environ.get("POSTBLOG_FUZZ_READING", "500"))
BUILDS = int(os.environ.get("POSTBLOG_FUZZ_BUILDS", "13"))
POSTS_PER_BUILD = int(os.environ.get("POSTBLOG_FUZZ_POSTS", "40"))
#: The same examples on every run (``make test`` and CI stay repeatable); with
#: ``POSTBLOG_FUZZ_EXPLORE=1``, new ones each run, to look for what these miss.
EXPLORE = os.environ.get("POSTBLOG_FUZZ_EXPLORE") == "1"

READING = settings(max_examples=READING_EXAMPLES, deadline=None, database=None,
                   derandomize=not EXPLORE,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BUILDING = settings(max_examples=BUILDS, deadline=None, database=None, print_blob=True,
                    derandomize=not EXPLORE,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


# -- reading --------------------------------------------------------------------------------

def conforms(value: object, hint: object) -> bool:
    """Whether ``value`` is of the annotated type ``hint`` (the model's few shapes)."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return any(conforms(value, arg) for arg in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(item, args[0]) for item in value)
        return len(value) == len(args) and all(map(conforms, value, args))
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)  # type: ignore[arg-type]


def check_typed(obj: object) -> None:
    for name, hint in typing.get_type_hints(type(obj)).items():
        value = getattr(obj, name)
        assert conforms(value, hint), f"{type(obj).__name__}.{name} = {value!r} is no {hint}"


def check_post(post: Post, problems: list, last_line: int) -> None:
    check_typed(post)
    for author in post.authors:
        check_typed(author)
        assert isinstance(author, Author)
        for url in (author.url, author.avatar, *(handle for _, handle in author.links)):
            assert unsafe_scheme(url) is None, author
    if post.event is not None:
        check_typed(post.event)
        assert isinstance(post.event, Event)
        assert unsafe_scheme(post.event.url) is None, post.event
    for url in (post.canonical_link, post.external_link, post.image):
        assert unsafe_scheme(url) is None, url
    assert post.title, "a post always has a title"
    assert post.slug, "a post always has a slug"
    assert post.date.tzinfo is not None
    assert post.updated is None or post.updated.tzinfo is not None
    for problem in problems:
        assert 1 <= problem.line <= last_line, (problem, last_line)
    assert pickle.loads(pickle.dumps(post)) == post


@READING
@given(data=front_matters(), stem=st.sampled_from(
    ("2020-01-02-a", "2020-13-45-bad", "no-date", "2019-12-31-", "2022-06-02-😀")))
def test_any_mapping_reads_into_a_typed_post(data, stem):
    raw = RawFrontMatter(data=data, lines={key: n for n, key in enumerate(data, start=2)},
                         length=len(data) + 2)
    is_post_front_matter(raw)
    builder = PostBuilder(f"_posts/{stem}", raw, mtime=1_600_000_000.0)
    check_post(builder.build(), builder.problems, raw.length)


@READING
@given(text=yaml_texts())
def test_any_yaml_reads_into_a_typed_post(text):
    source = f"---\n{text}---\n\nBody.\n"
    raw = read_front_matter(source)
    assert raw is not None
    lines = source.count("\n") + 1
    assert all(2 <= line < raw.length for line in raw.lines.values()), raw.lines
    is_post_front_matter(raw)
    builder = PostBuilder("_posts/2020-01-02-a", raw, mtime=None)
    check_post(builder.build(), builder.problems, lines)


# -- what a build wrote ----------------------------------------------------------------------

_LIVE_TAG = re.compile(rb"<\s*/?\s*pwn", re.IGNORECASE)
_JSON_LD = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
#: Elements Markdown, MyST or reST make; a marker inside one means the value was parsed.
_FORMATTED = {"strong", "em", "code", "abbr", "b", "i", "tt"}
_LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href"}
_REFRESH = b'http-equiv="refresh"'


def _excerpt(data: bytes, needle: bytes) -> str:
    at = data.lower().find(needle.lower())
    return repr(data[max(at - 80, 0): at + 120].decode("utf-8", "replace")) if at >= 0 else ""


def html_problems(data: bytes, *, fragment: bool = False) -> list[str]:
    """Markup from front matter made live in one HTML document (or a feed's HTML)."""
    found = []
    if _LIVE_TAG.search(data):
        found.append(f"a live <pwn-tag>: {_excerpt(data, b'<pwn')}")
    if not data.strip():
        return found
    root = lxml_html.fragment_fromstring(data, create_parent="div") if fragment \
        else lxml_html.document_fromstring(data)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if "pwn" in tag:
            found.append(f"an injected element <{tag}>")
        for written, value in element.attrib.items():
            name = written.lower()
            if "pwn" in name or name.startswith("on"):
                found.append(f"an injected attribute {name}={value!r} on <{tag}>")
            elif name in _LINK_ATTRIBUTES and unsafe_scheme(value):
                found.append(f"an unsafe link {name}={value[:60]!r} on <{tag}>")
        content = element.get("content", "")
        if tag == "meta" and ((element.get("property") in {"og:url", "og:image"}
                               and unsafe_scheme(content))
                              or (element.get("http-equiv") == "refresh"
                                  and unsafe_scheme(content.partition("url=")[2]))):
            found.append(f"an unsafe URL in <meta {dict(element.attrib)}>")
        if tag == "script" and element.get("type") != "application/ld+json" and (
                "pwn" in (element.text or "") or "pwn" in element.get("src", "")):
            found.append(f"an injected script {lxml_html.tostring(element)[:120]!r}")
        text = element.text_content()
        if tag in _FORMATTED and ("pwn" in text.lower()):
            found.append(f"front matter markup made live: <{tag}>{text[:60]}</{tag}>")
        if tag == "a" and re.match(r"https://(md|rst)link\.pwn", element.get("href", "")):
            found.append(f"a front matter link made live: {element.get('href')}")
    for match in _JSON_LD.finditer(data):
        payload = match.group(1)
        if b"<!--" in payload or b"</script" in payload.lower():
            found.append(f"JSON-LD that can end its script: {payload[:120]!r}")
        try:
            json_urls(json.loads(payload), found)
        except ValueError as exc:
            found.append(f"JSON-LD that is not JSON ({exc}): {payload[:200]!r}")
    return found


#: JSON keys (besides ``*url*``) whose values are links; ``id`` may be a ``urn:``.
_URL_KEYS = {"image", "mainEntityOfPage", "avatar", "banner_image", "icon", "favicon"}


def json_urls(data: object, found: list[str], key: str = "") -> None:
    """Every URL-valued field of JSON-LD or a JSON Feed must be safe."""
    if isinstance(data, dict):
        for name, value in data.items():
            json_urls(value, found, name)
    elif isinstance(data, list):
        for value in data:
            json_urls(value, found, key)
    elif (isinstance(data, str) and ("url" in key.lower() or key in _URL_KEYS)
          and unsafe_scheme(data)):
        found.append(f"an unsafe URL in JSON: {key}={data[:60]!r}")


_ATOM = "{http://www.w3.org/2005/Atom}"
_HTML_IN_XML = (f".//{_ATOM}content[@type='html']", f".//{_ATOM}summary[@type='html']",
                f".//{_ATOM}title[@type='html']", ".//item/description",
                ".//{http://purl.org/rss/1.0/modules/content/}encoded")
_LINKS_IN_XML = (f".//{_ATOM}link", f".//{_ATOM}uri", ".//item/link", ".//channel/link")


def feed_problems(path: Path, data: bytes) -> list[str]:
    """A feed that does not parse, or whose HTML or links carry front matter markup."""
    found = []
    if _REFRESH in data:
        return ["a redirect page was written over this feed"]
    if path.suffix == ".json":
        try:
            feed = json.loads(data)
        except ValueError as exc:
            return [f"a JSON Feed that is not JSON: {exc}"]
        json_urls(feed, found)
        for item in feed.get("items", []):
            found += html_problems(item.get("content_html", "").encode(), fragment=True)
        return found
    if _LIVE_TAG.search(data):
        found.append(f"a live <pwn-tag>: {_excerpt(data, b'<pwn')}")
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [*found, f"not well-formed XML: {exc}"]
    for query in _HTML_IN_XML:
        for element in root.iterfind(query):
            found += [f"in <{etree.QName(element).localname}>: {problem}" for problem in
                      html_problems((element.text or "").encode(), fragment=True)]
    for query in _LINKS_IN_XML:
        for element in root.iterfind(query):
            url = element.get("href") or element.text or ""
            if unsafe_scheme(url):
                found.append(f"an unsafe link in the feed: {url[:60]!r}")
    return found


def files_outside(root: Path, *skip: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` but not under ``skip``, with its size and modification time."""
    found = {}
    for folder, dirs, files in os.walk(root):
        if Path(folder) in skip:
            dirs.clear()
            continue
        for name in files + [d for d in dirs if Path(folder, d).is_symlink()]:
            stat = Path(folder, name).lstat()
            found[str(Path(folder, name))] = (stat.st_size, stat.st_mtime_ns)
    return found


def _strays() -> set[str]:
    """Files a traversal would have written next to the test's folders (``pwned-*``)."""
    places = (Path("/"), Path(tempfile.gettempdir()), Path.cwd())
    return {str(p) for place in places if place.is_dir() for p in place.iterdir()
            if "pwned" in p.name}


def build(src: Path, builddir: Path, builder: str = "html") -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=src, builddir=builddir, freshenv=True,
                        status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def raised(exc: BaseException) -> str:
    """An exception and the last frames where it (or what caused it) was raised."""
    cause = exc.__cause__ or exc
    frames = [frame for frame in traceback.extract_tb(cause.__traceback__)
              if "sphinx_postblog" in frame.filename][-4:]
    where = "".join(traceback.format_list(frames))
    return f"{type(cause).__name__}: {cause}\n{where}"


class Findings:
    """What a build got wrong, by post where a post's own page or build shows it."""

    def __init__(self) -> None:
        self.found: dict[PostFile | None, list[str]] = {}

    def add(self, message: str, post: PostFile | None = None) -> None:
        messages = self.found.setdefault(post, [])
        if message not in messages:
            messages.append(message)

    def __bool__(self) -> bool:
        return bool(self.found)

    def report(self, limit: int = 12) -> str:
        parts = []
        for post, messages in list(self.found.items())[:limit]:
            lines = "\n".join(f"- {message}" for message in messages[:limit])
            if post is None:
                parts.append(lines)
            else:
                parts.append(f"{post.path}:\n{lines}\n--- its front matter ---\n{post.front}---")
        return "\n\n".join(parts)


def culprits(site: Site, findings: Findings) -> None:
    """Build each post of a build that raised alone: the ones that make a build raise."""
    for post in site.posts:
        with tempfile.TemporaryDirectory(prefix="postblog-fuzz-") as tmp:
            src, builddir = write_tree(Path(tmp), Site((post,), site.conf, site.builder))
            try:
                build(src, builddir, site.builder)
            except Exception as exc:  # noqa: BLE001 - any exception is what is looked for
                findings.add(f"built alone, the build raised {raised(exc)}", post)


def check_build(site: Site, root: Path) -> Findings:
    """Build ``site`` under ``root``: what a hostile site must never do to a build."""
    findings = Findings()
    src, builddir = write_tree(root, site)
    ours = (builddir / site.builder, builddir / "doctrees")
    before, strays = files_outside(root, *ours), _strays()
    try:
        app = build(src, builddir, site.builder)
    except Exception as exc:  # noqa: BLE001 - reported with the posts that cause it
        findings.add(f"the build raised {raised(exc)}")
        culprits(site, findings)
        return findings
    log = app.status.getvalue() + app.warning.getvalue()
    if "Traceback" in log or "Exception occurred" in log:
        findings.add(f"a traceback in the log:\n{log[log.find('Traceback') - 300:][:3000]}")
    after = files_outside(root, *ours)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        findings.add(f"files written outside the output folder: {changed[:10]}")
    if _strays() - strays:
        findings.add(f"files written outside the test's folder: {_strays() - strays}")
    check_posts(app, site, findings)
    check_output(Path(app.outdir), site, findings)
    check_fixed_pages(Path(app.outdir), site, findings)
    return findings


def check_posts(app: SphinxTestApp, site: Site, findings: Findings) -> None:
    """Each post is in the model, and its page is written (unless a draft or future)."""
    out = Path(app.outdir)
    posts = blog_state(app.env).posts
    scripts = (out / site.output(BASELINE.docname)).read_bytes().count(b"<script")
    for post in site.posts:
        model = posts.get(post.docname)
        page = out / site.output(post.docname)
        if model is None and post.path.startswith("_posts/"):
            findings.add("the post is not in the model", post)
        # Pages outside the posts folders that are no posts are checked with every page.
        if model is None or not page.is_file():
            if model and model.published and not model.is_future(dt.date.today()):
                findings.add("the post's page was not written", post)
            continue
        if (count := page.read_bytes().count(b"<script")) != scripts:
            findings.add(f"{count} <script> tags in its page, the plain post has {scripts}", post)
        for target in missing_pages(out, page):
            findings.add(f"its page links to {target}, which was not written", post)


def missing_pages(out: Path, page: Path) -> list[str]:
    """The blog's own pages (author, category, tag...) a page links to that are not there."""
    missing = []
    base = page.relative_to(out).as_posix()
    for element in lxml_html.parse(page).iter("a"):
        href = element.get("href", "")
        if not href or href.startswith(("#", "/")) or "://" in href or unsafe_scheme(href):
            continue
        try:
            target = resolve(base, unquote(href.split("?")[0]))
        except IndexError:  # above the site's root: not one of its pages
            continue
        if not target.startswith("blog/"):
            continue
        file = out / target
        if file.is_dir():
            file /= "index.html"
        if not file.is_file() or _REFRESH in file.read_bytes():
            missing.append(target)
    return missing


#: Pages every build writes; none may become another page's redirect.
FIXED_PAGES = ("index", "genindex", "search", "blog/index", "blog/tag/plain",
               "blog/author/ada")


def check_output(out: Path, site: Site, findings: Findings) -> None:
    """Every file written: no live markup, no secret, no page written over, feeds that parse."""
    pages = {out / site.output(post.docname): post for post in site.posts}
    sources = "\n".join(post.text for post in site.posts)
    for file in sorted(out.rglob("*")):
        if not file.is_file():
            continue
        name = file.relative_to(out).as_posix()
        data = file.read_bytes()
        post = pages.get(file)
        if SECRET in data:
            findings.add(f"{name}: a file from outside the source folder is in the output")
        if EVALUATED.encode() in data and EVALUATED not in sources:
            findings.add(f"{name}: Liquid or Jinja in front matter was evaluated: "
                         f"{_excerpt(data, EVALUATED.encode())}", post)
        if file.suffix == ".html" and file.parent.name not in {"_sources", "_static"}:
            if post is not None and _REFRESH in data:
                findings.add("a redirect page was written over the post's page", post)
            for problem in html_problems(data):
                findings.add(problem if post else f"{name}: {problem}", post)
        elif name.startswith("blog/") and file.suffix in {".xml", ".json"}:
            for problem in feed_problems(file, data):
                findings.add(f"{name}: {problem}")
        elif file.suffix in {".js", ".css", ".inv", ".xml", ".json"} and _REFRESH in data:
            findings.add(f"a redirect page to this post was written over {name}",
                         redirected_from(file, data, out, site))


def redirected_from(file: Path, data: bytes, out: Path, site: Site) -> PostFile | None:
    """The post a redirect page leads to."""
    links = lxml_html.fromstring(data).xpath("//body//a/@href")
    if not links:
        return None
    try:
        target = resolve(file.relative_to(out).as_posix(), unquote(links[0]))
    except IndexError:
        return None
    return next((post for post in site.posts if site.output(post.docname) == target
                 or site.output(post.docname) == f"{target}/index.html"
                 or f"{target}index.html" == site.output(post.docname)), None)


def check_fixed_pages(out: Path, site: Site, findings: Findings) -> None:
    """Pages every build writes are there, none written over; the main feeds parse."""
    for pagename in FIXED_PAGES:
        name = site.output(pagename)
        if not (out / name).is_file():
            findings.add(f"{name}: missing")
        elif _REFRESH in (data := (out / name).read_bytes()):
            findings.add(f"a redirect page to this post was written over {name}",
                         redirected_from(out / name, data, out, site))
    for name in ("blog/atom.xml", "blog/rss.xml"):
        if not (out / name).is_file():
            findings.add(f"{name}: missing")
            continue
        parsed = feedparser.parse((out / name).read_bytes(), sanitize_html=False)
        if parsed.bozo:
            findings.add(f"{name}: feedparser bozo: {parsed.bozo_exception}")


@BUILDING
@given(site=sites(POSTS_PER_BUILD))
def test_hostile_front_matter_builds_safely(site):
    root = Path(tempfile.mkdtemp(prefix="postblog-fuzz-"))
    try:
        findings = check_build(site, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert not findings, f"{findings.report()}\n\nconf.py:\n{site.conf}"
