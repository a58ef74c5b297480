"""Generated pages: the blog index, and one page per category, tag, author, year and event.

Pages are rendered from the model with the current theme's ``page.html``; no post is
re-rendered for them, so their cost grows with the posts they list, not with
collections × posts.
"""

from __future__ import annotations

import gc
import json
import math
import zlib
from collections.abc import Callable, Iterable
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import copyfile
from sphinx.util.parallel import ParallelTasks, parallel_available

from sphinx_postblog.blog import Blog, get_blog, today
from sphinx_postblog.collector import resolved_inputs
from sphinx_postblog.config import config_signature
from sphinx_postblog.listing import ListingHTML, section
from sphinx_postblog.render import PAGE_BUILDERS
from sphinx_postblog.resolve import entry_summary, index_docname
from sphinx_postblog.state import blog_state, digest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from markupsafe import Markup
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post

KIND_TITLES = {"category": "Categories", "tag": "Tags", "author": "Authors",
               "year": "Archive", "event": "Events"}
KIND_LABELS = {"category": "categories", "tag": "tags", "author": "authors",
               "year": "archive", "event": "events"}
HEADINGS = {"category": "Category: {}", "tag": "Tag: {}", "author": "Posts by {}",
            "year": "Posts from {}", "event": "{}"}

Page = tuple[str, dict[str, Any], str]


def terms_pagename(blog: Blog, kind: str) -> str:
    """The page listing every category (tag, author, year, event)."""
    return f"{blog.path}/archive" if kind == "year" else f"{blog.path}/{kind}/index"


def page_context(title: str, body: Markup) -> dict[str, Any]:
    """Template context for a generated page."""
    # Themes print ``title`` as HTML (a document's title is rendered markup).
    return {"title": html_escape(title), "body": str(body), "display_toc": False, "toc": "", "meta": {},
            "sourcename": "", "postblog_generated": True}


#: A generated page before it is made: its name, a digest of what it is made from, and
#: how to make it. Pages whose inputs did not change are not made at all.
Planned = tuple[str, str, Callable[[], Page]]


def _listing_pages(app: Sphinx, blog: Blog, kind: str, slug: str, title: str,
                   posts: list[Post]) -> Iterator[Planned]:
    per_page = app.config.postblog_per_page
    pages = max(1, math.ceil(len(posts) / per_page))
    coll = blog.collections.get(kind, {}).get(slug)
    author = coll.author if coll is not None else None
    for page in range(1, pages + 1):
        pagename = blog.pagename(kind, slug, page)
        heading = title if page == 1 else f"{title} (page {page})"
        chunk = posts[(page - 1) * per_page : page * per_page]
        inputs = digest(pagename, heading, page, pages, author if page == 1 else None,
                         [entry_summary(blog, p) for p in chunk])

        def make(pagename: str = pagename, heading: str = heading, page: int = page,
                 chunk: list[Post] = chunk) -> Page:
            html = ListingHTML(app, blog, pagename)
            body = html.post_list(chunk) + html.pagination(kind, slug, page, pages)
            if page == 1 and author is not None:
                body = html.author_card(author) + body
            ident = f"postblog-{kind}-{slug}" if slug else "postblog-index"
            return pagename, page_context(heading, section(heading, ident, body)), "page.html"

        yield pagename, inputs, make


def _terms_page(app: Sphinx, blog: Blog, kind: str) -> Planned:
    pagename = terms_pagename(blog, kind)
    collections = list(blog.collections[kind].values())
    if kind == "year":
        collections.sort(key=lambda c: c.slug, reverse=True)
    else:
        collections.sort(key=lambda c: c.name.casefold())
    inputs = digest(pagename, [(c.slug, c.name, len(c.posts)) for c in collections])

    def make() -> Page:
        body = ListingHTML(app, blog, pagename).term_list(kind, collections)
        title = KIND_TITLES[kind]
        ident = f"postblog-{KIND_LABELS[kind]}"
        return pagename, page_context(title, section(title, ident, body)), "page.html"

    return pagename, inputs, make


def site_signature(app: Sphinx) -> str:
    """What a generated page shows besides its own body: configuration, theme, navigation."""
    builder, env = app.builder, app.env
    info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    navigation = sorted((doc, [(child, env.titles[child].astext()) for child in children
                               if child in env.titles])
                        for doc, children in env.toctree_includes.items())
    # Pages link stylesheets and scripts with a checksum of their content (?v=...).
    static = sorted((path.name, zlib.crc32(path.read_bytes()))
                    for path in Path(app.outdir, "_static").glob("*")
                    if path.suffix in {".css", ".js"} and path.is_file())
    return digest(getattr(info, "config_hash", ""), getattr(info, "tags_hash", ""),
                   templates.newest_template_mtime() if templates is not None else 0,
                   navigation, static, str(today()), builder.name)


def blog_digest(app: Sphinx, site: str) -> str:
    """Everything generated pages, feeds and redirects are made from, as one digest.

    The fingerprints of every post and post list (computed for ``env-get-updated``) cover
    titles, dates, excerpts, resolved authors and terms and the order of posts; the site
    signature covers theme, configuration and navigation.
    """
    state = blog_state(app.env)
    return digest(sorted(state.rendered.items()), sorted(state.posts),
                   config_signature(app.config), site)


class DigestRecord:
    """Digests of generated files as last written, by name, kept beside the doctrees.

    ``html-collect-pages`` pages are written on every build, and a big blog has hundreds
    of them and of feeds. A file whose digest (of what it is made from) is unchanged and
    whose output exists is not made again: its output from the last build is still
    right. ``blog`` is a digest of everything the blog is made from: when it is as last
    time, nothing need be made at all.
    """

    def __init__(self, app: Sphinx, what: str) -> None:
        self.path = Path(app.doctreedir, f"postblog-{what}-{app.builder.name}.json")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.old_blog: str = data["blog"]
            self.old: dict[str, str] = data["items"]
        except (OSError, ValueError, KeyError, TypeError):
            self.old_blog, self.old = "", {}
        self.new: dict[str, str] = {}
        self.blog = ""

    def all_unchanged(self, blog: str, output: Callable[[str], Path]) -> bool:
        """Whether the blog is as last time and every file written then is still there."""
        self.blog = blog
        return blog == self.old_blog and all(output(name).is_file() for name in self.old)

    def unchanged(self, name: str, made_from: str, outputs: Iterable[Path]) -> bool:
        """Record a file's digest; whether it and its outputs are as last time."""
        self.new[name] = made_from
        return self.old.get(name) == made_from and all(path.is_file() for path in outputs)

    def save(self) -> None:
        """Keep the digests for the next build."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"blog": self.blog, "items": self.new}
        self.path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")


#: Documents written in a build after which the garbage they left is collected first.
_MANY_WRITTEN = 100


def collect_pages(app: Sphinx) -> Iterator[Page]:
    """Yield every generated page that changed (``html-collect-pages``)."""
    app._postblog_unchanged = False  # type: ignore[attr-defined]
    if app.builder.name not in PAGE_BUILDERS:
        return
    record = DigestRecord(app, "pages")
    site = site_signature(app)

    def output(pagename: str) -> Path:
        return Path(app.builder.get_outfilename(pagename))  # type: ignore[attr-defined]

    if record.all_unchanged(blog_digest(app, site), output):
        # Feeds and redirect pages are made from the same inputs: they stand too.
        app._postblog_unchanged = True  # type: ignore[attr-defined]
        return
    if getattr(app, "_postblog_written", 0) >= _MANY_WRITTEN:
        # The doctrees just written are garbage in reference cycles, which Python's
        # collector may leave for a while: the pages made now would add to them.
        gc.collect()
    changed = [make for pagename, inputs, make in _all_pages(app)
               if not record.unchanged(pagename, digest(site, inputs), [output(pagename)])]
    if _writes_in_parallel(app, len(changed)):
        _write_in_workers(app, changed)
    else:
        yield from (make() for make in changed)
    record.save()


#: Fewest changed pages worth forking writers for (a fork costs what about 10 pages do).
_PARALLEL_PAGES = 40


def _writes_in_parallel(app: Sphinx, pages: int) -> bool:
    """Whether this build writes documents in worker processes, and has pages enough."""
    return (parallel_available and app.parallel > 1 and pages >= _PARALLEL_PAGES
            and getattr(app.builder, "parallel_ok", False))


def _write_in_workers(app: Sphinx, makes: list[Callable[[], Page]]) -> None:
    """Make and write the pages in ``app.parallel`` forked processes.

    Sphinx writes the pages that ``html-collect-pages`` yields one by one in its main
    process, after its writers have finished: hundreds of index pages made on one CPU
    while the others wait (2 s at 1,100 posts). Each worker gets every n-th page,
    so long and short listings are shared out evenly. It is the same as Sphinx's own
    writers do for documents: ``handle_page`` in a forked process, its warnings sent back.
    """
    builder = app.builder

    def write(chunk: list[Callable[[], Page]]) -> None:
        for make in chunk:
            builder.handle_page(*make())  # type: ignore[attr-defined]

    tasks = ParallelTasks(app.parallel)
    for worker in range(app.parallel):
        tasks.add_task(write, makes[worker :: app.parallel])
    tasks.join()


def write_if_changed(path: Path, text: str) -> None:
    """Write a generated file unless it already holds ``text`` (keeps mtimes for servers)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def blog_unchanged(app: Sphinx) -> bool:
    """Whether this build found nothing the blog's generated files are made from changed."""
    return getattr(app, "_postblog_unchanged", False)


def _all_pages(app: Sphinx) -> Iterator[Planned]:
    blog = get_blog(app)
    own_index = index_docname(app)
    title = app.config.postblog_title
    if own_index and own_index in app.env.titles:
        title = app.env.titles[own_index].astext()
    for page in _listing_pages(app, blog, "index", "", title, blog.listed):
        if not (own_index and page[0] == own_index):  # the project's own document shows it
            yield page
    for kind, collections in blog.collections.items():
        if not collections:
            continue
        yield _terms_page(app, blog, kind)
        for coll in collections.values():
            yield from _listing_pages(app, blog, kind, coll.slug,
                                      HEADINGS[kind].format(coll.name), coll.posts)


def register_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Give every generated page a label for ``{ref}`` (``env-updated``).

    The labels are kept in the environment: when nothing they come from changed since
    the last build (:func:`~sphinx_postblog.collector.resolved_inputs`), they stand.
    """
    if blog_state(env).resolved_inputs == resolved_inputs(app):
        return
    std = env.domains.standard_domain
    labels, anonlabels = std.data["labels"], std.data["anonlabels"]
    for name in [n for n in labels if n.startswith("postblog-")]:
        labels.pop(name, None)
        anonlabels.pop(name, None)
    if app.builder.name not in PAGE_BUILDERS:
        return
    blog = get_blog(app)
    entries = {"postblog-index": (blog.pagename("index"), app.config.postblog_title)}
    for kind, collections in blog.collections.items():
        entries[f"postblog-{KIND_LABELS[kind]}"] = (terms_pagename(blog, kind), KIND_TITLES[kind])
        for coll in collections.values():
            entries[f"postblog-{kind}-{coll.slug}"] = (blog.pagename(kind, coll.slug), coll.name)
    for label, (pagename, title) in entries.items():
        labels[label] = (pagename, "", title)
        anonlabels[label] = (pagename, "")


def copy_avatars(app: Sphinx, exception: Exception | None) -> None:
    """Copy local avatar images of the authors file into the output (``build-finished``)."""
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    srcdir = Path(app.srcdir).resolve()
    for author in blog_state(app.env).data.authors.values():
        if not author.avatar or "://" in author.avatar:
            continue
        relative = author.avatar.lstrip("/")
        source = (srcdir / relative).resolve()
        if source.is_file() and srcdir in source.parents:
            destination = Path(app.outdir, source.relative_to(srcdir))
            destination.parent.mkdir(parents=True, exist_ok=True)
            copyfile(source, destination)
