"""Generated pages: the blog index, a page per category, tag, author, place, year, event.

Pages are rendered from the model with the current theme's ``page.html``; no post is
re-rendered for them, so their cost grows with the posts they list, not with
collections × posts.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx.util import logging
from sphinx.util.osutil import copyfile
from sphinx.util.parallel import ParallelTasks, parallel_available

from sphinx_postblog.config import settings
from sphinx_postblog.i18n import N_, _
from sphinx_postblog.output.blocks import tag
from sphinx_postblog.output.feeds import feed_paths
from sphinx_postblog.output.freshness import entry_summary, index_docname
from sphinx_postblog.output.listing import ListingHTML, section
from sphinx_postblog.output.records import DigestRecord, blog_digest, site_signature
from sphinx_postblog.output.reports import ReportPages
from sphinx_postblog.paths import in_source, is_remote
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.slugs import KEYS, clash_message, page_paths
from sphinx_postblog.state import blog_state, build_run, digest
from sphinx_postblog.view import PAGE_BUILDERS, Blog, get_blog

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Collection

#: Titles of the pages listing every category (tag …), translated where they are shown.
KIND_TITLES = {"category": N_("Categories"), "tag": N_("Tags"), "author": N_("Authors"),
               "location": N_("Locations"), "language": N_("Languages"),
               "year": N_("Archive"), "event": N_("Events"), "speaker": N_("Speakers")}
KIND_LABELS = {"category": "categories", "tag": "tags", "author": "authors",
               "location": "locations", "language": "languages",
               "year": "archive", "event": "events", "speaker": "speakers"}
#: Titles of a category's (tag's …) pages, translated where they are shown.
HEADINGS = {"category": N_("Category: {name}"), "tag": N_("Tag: {name}"),
            "author": N_("Posts by {name}"), "location": N_("Posts from {place}"),
            "language": N_("Posts in {language}"), "year": N_("Posts from {year}"),
            "event": "{name}", "speaker": "{name}"}


def heading(kind: str, name: str) -> str:
    """The title of a category's (tag's, author's …) pages, in the project's language."""
    template = HEADINGS[kind]
    return (_(template) if template != "{name}" else template).format(
        name=name, place=name, language=name, year=name)

logger = logging.getLogger(__name__)

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
    per_page = settings(app).per_page
    pages = max(1, math.ceil(len(posts) / per_page))
    coll = blog.collections.get(kind, {}).get(slug)
    for page in range(1, pages + 1):
        pagename = blog.pagename(kind, slug, page)
        heading = title if page == 1 else _("{title} (page {number})").format(
            title=title, number=page)
        chunk = posts[(page - 1) * per_page : page * per_page]
        intro_inputs = _intro_inputs(blog, coll) if page == 1 else None
        inputs = digest(pagename, heading, page, pages, intro_inputs,
                        [entry_summary(blog, p) for p in chunk])

        def make(pagename: str = pagename, heading: str = heading, page: int = page,
                 chunk: list[Post] = chunk) -> Page:
            html = ListingHTML(app, blog, pagename)
            body = html.post_list(chunk) + html.pagination(kind, slug, page, pages)
            if page == 1 and coll is not None:
                body = _intro(app, html, coll) + body
            ident = f"postblog-{kind}-{slug}" if slug else "postblog-index"
            return pagename, page_context(heading, section(heading, ident, body)), "page.html"

        yield pagename, inputs, make


def _intro_inputs(blog: Blog, coll: Collection | None) -> object:
    """What the top of a collection's first page is made from."""
    if coll is None:
        return None
    speakers = [(s.slug, s.slug in blog.collections["speaker"])
                for _, talk in coll.talks for s in talk.speakers]
    writer = blog.author_of_speaker(coll.speaker) if coll.speaker is not None else None
    return (coll.author, coll.event, coll.speaker,
            [(p.docname, p.title, t) for p, t in coll.talks], speakers,
            (writer.slug, writer.author) if writer is not None else None)


def _intro(app: Sphinx, html: ListingHTML, coll: Collection) -> Markup:
    """What a collection's first page shows above its posts: a card, the talks covered."""
    if coll.author is not None:
        return html.author_card(coll.author)
    if coll.kind not in {"event", "speaker"}:
        return Markup("")
    reports = ReportPages(html, third_party=settings(app).third_party_media,
                          feeds=feed_paths(html.blog.path, coll.kind, coll.slug))
    if coll.kind == "event":
        intro = reports.event_card(coll.event) if coll.event is not None else Markup("")
    else:
        intro = (reports.speaker_card(coll.speaker, html.blog.author_of_speaker(coll.speaker))
                 if coll.speaker is not None else Markup(""))
    if coll.talks:
        intro += reports.talks(coll.talks, heading=_("Talks covered") if coll.kind == "event"
                               else _("Talks"))
    return intro + tag("h2", _("Reports"), id="reports")


def _terms_page(app: Sphinx, blog: Blog, kind: str) -> Planned:
    pagename = terms_pagename(blog, kind)
    collections = list(blog.collections[kind].values())
    if kind == "year":
        collections.sort(key=lambda c: c.slug, reverse=True)
    else:
        collections.sort(key=lambda c: c.name.casefold())
    inputs = digest(pagename, [(c.slug, c.name, len(c.posts), c.event,
                                [t.id or t.title for _, t in c.talks]) for c in collections])

    def make() -> Page:
        html = ListingHTML(app, blog, pagename)
        if kind == "event":
            body = ReportPages(html, third_party=False, feeds={}).events_index(collections)
        else:
            body = html.term_list(kind, collections)
        title = _(KIND_TITLES[kind])
        ident = f"postblog-{KIND_LABELS[kind]}"
        return pagename, page_context(title, section(title, ident, body)), "page.html"

    return pagename, inputs, make


#: Documents written in a build after which the garbage they left is collected first.
_MANY_WRITTEN = 100


def collect_pages(app: Sphinx) -> Iterator[Page]:
    """Yield every generated page that changed (``html-collect-pages``)."""
    run = build_run(app.env)
    run.unchanged = False
    if app.builder.name not in PAGE_BUILDERS:
        return
    record = DigestRecord(app, "pages")
    site = site_signature(app)

    def output(pagename: str) -> Path:
        return Path(app.builder.get_outfilename(pagename))  # type: ignore[attr-defined]

    if record.all_unchanged(blog_digest(app, site), output):
        # Feeds and redirect pages are made from the same inputs: they stand too.
        run.unchanged = True
        return
    if run.written >= _MANY_WRITTEN:
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


def _all_pages(app: Sphinx) -> Iterator[Planned]:
    """Every generated page, but none where a project document is written (it stays)."""
    documents = page_paths(app.env.found_docs)
    for planned in _planned_pages(app):
        if planned[0].removesuffix("/index") not in documents:
            yield planned


def _planned_pages(app: Sphinx) -> Iterator[Planned]:
    blog = get_blog(app)
    own_index = index_docname(app)
    title = settings(app).title
    if own_index and own_index in app.env.titles:
        title = app.env.titles[own_index].astext()
    yield from _listing_pages(app, blog, "index", "", title, blog.listed)
    for kind, collections in blog.collections.items():
        if not collections:
            continue
        yield _terms_page(app, blog, kind)
        for coll in collections.values():
            yield from _listing_pages(app, blog, kind, coll.slug, heading(kind, coll.name),
                                      coll.posts)


def _pagenames(blog: Blog, per_page: int) -> Iterator[str]:
    """The names of every generated page (what :func:`_planned_pages` plans, without digests)."""
    listings = [("index", "", len(blog.listed))]
    for kind, collections in blog.collections.items():
        if collections:
            yield terms_pagename(blog, kind)
        listings += [(kind, coll.slug, len(coll.posts)) for coll in collections.values()]
    for kind, slug, count in listings:
        for page in range(1, max(1, math.ceil(count / per_page)) + 1):
            yield blog.pagename(kind, slug, page)


def warn_slug_clashes(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn of names sharing a slug, and of pages a project document stands in the way of.

    At ``env-check-consistency``: once per build that read something, in the main process.
    """
    if app.builder.name not in PAGE_BUILDERS:
        return
    blog = get_blog(app)
    for clash in blog.slugs.clashes:
        if clash.docname not in env.all_docs:
            continue
        source = Path(env.doc2path(clash.docname))
        line = next((found for key in KEYS[clash.kind]
                     if (found := yamlsafe.key_line(source, key)) > 1), 1)
        logger.warning("%s", clash_message(clash, blog.pagename(clash.kind, clash.slug)),
                       location=(clash.docname, line), type="postblog", subtype="slug")
    documents = page_paths(env.found_docs)
    own_index = index_docname(app)
    for pagename in _pagenames(blog, settings(app).per_page):
        docname = documents.get(pagename.removesuffix("/index"))
        if docname is not None and docname != own_index:
            logger.warning("the document %s is where the blog's generated page %s would be "
                           "written: the document is kept and the page is left out (move or "
                           "rename the document)", docname, pagename, location=docname,
                           type="postblog", subtype="slug")


def copy_avatars(app: Sphinx, exception: Exception | None) -> None:
    """Copy local avatars (authors file, speakers) into the output (``build-finished``).

    Only files inside the source folder are copied, symlinks resolved (reading has
    already left out, with a warning, every avatar outside it).
    """
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    srcdir = Path(app.srcdir).resolve()
    avatars = {author.avatar for author in blog_state(app.env).data.authors.values()}
    avatars |= {coll.speaker.avatar for coll in get_blog(app).collections["speaker"].values()
                if coll.speaker is not None}
    for avatar in sorted(avatars):
        if not avatar or is_remote(avatar):
            continue
        source = in_source(srcdir, avatar)
        if source is not None and source.is_file():
            destination = Path(app.outdir, source.relative_to(srcdir))
            destination.parent.mkdir(parents=True, exist_ok=True)
            copyfile(source, destination)
