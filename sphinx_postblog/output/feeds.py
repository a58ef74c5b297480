"""Atom, RSS 2.0 and JSON Feed 1.1 for the blog and for each category, tag and author.

Feeds are written from the model in the main process at ``build-finished`` (never from
writer processes), in the formats of :mod:`.feedformats`; a file is only rewritten when its
content changed, so no-op builds stay cheap. Items carry the post's whole body
(``postblog_feed_full``, see :mod:`.fulltext`) or its excerpt, or only titles
(``postblog_feed_titles``); ``postblog_feed_templates`` (ablog's ``blog_feed_templates``)
adds Atom feeds whose items are made by Jinja templates. Ids are the posts' absolute URLs
(``urn:uuid`` names made from the project and the post when the site's address is not
known), dates carry ``postblog_timezone``, and a feed's date is its newest item's.
"""

from __future__ import annotations

import posixpath
import re
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog.ablog.redirects import ablog_pagename
from sphinx_postblog.config import conf_location, config_signature, settings
from sphinx_postblog.dates import EPOCH, in_zone, source_date, zone
from sphinx_postblog.files import write_if_changed
from sphinx_postblog.i18n import _, catalog_signature
from sphinx_postblog.output.blocks import HtmlMaker, fill, tag
from sphinx_postblog.output.feedformats import MEDIA_TYPES, Feed, atom_rss, json_feed
from sphinx_postblog.output.fulltext import BodyHTML, page_stamp, sanitise
from sphinx_postblog.output.records import DigestRecord
from sphinx_postblog.state import build_run, digest
from sphinx_postblog.view import PAGE_BUILDERS, TAXA, Blog, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Author, Post

logger = logging.getLogger(__name__)

#: Characters XML 1.0 forbids; real posts carry them (a stray vertical tab, say).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_KINDS = ("category", "tag", "author", "location", "language", "event", "speaker")
FORMATS = {"atom": ".atom.xml", "rss": ".rss.xml", "json": ".json"}
MAIN_FEEDS = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}


def clean(text: str) -> str:
    """Text that any XML feed accepts."""
    return _NOT_XML.sub("", text)


def feed_paths(path: str, kind: str = "index", slug: str = "") -> dict[str, str]:
    """Output paths of the Atom, RSS and JSON feeds of a listing; ``path`` is the blog's."""
    if kind == "index":
        return {fmt: f"{path}/{name}" for fmt, name in MAIN_FEEDS.items()}
    return {fmt: f"{path}/{kind}/{slug}{ext}" for fmt, ext in FORMATS.items()}


def talks_html(post: Post, link: str) -> str:
    """The post's summary and the talks it reports on, as HTML for a feed's content."""
    items = []
    for talk in post.talks:
        title = tag("a", talk.title, href=f"{link}#{talk.anchor}")
        if talk.speakers:
            # TRANSLATORS: a talk in a feed: its title, then who gave it.
            parts = fill(HtmlMaker(), _("{title} by {speakers}"), title=title,
                         speakers=HtmlMaker().text(", ".join(s.name for s in talk.speakers)))
        else:
            parts = [title]
        for url, label in ((talk.slides, _("slides")), (talk.video, _("recording"))):
            if url:
                parts.append(Markup(" · ") + tag("a", label, href=url))
        items.append(tag("li", Markup("").join(parts)))
    summary = post.description or post.excerpt
    intro = tag("p", summary) if summary else Markup("")
    return str(intro + tag("p", _("Talks covered:")) + tag("ul", Markup("").join(items)))


#: Sphinx's default ``author``, which names nobody.
_NO_AUTHOR = "Author name not set"


class FeedWriter:
    """Writes the feeds of one build."""

    def __init__(self, app: Sphinx, blog: Blog) -> None:
        self.app, self.blog = app, blog
        self.base = site_url(app)
        config = settings(app)
        self.length = config.feed_length
        self.titles_only = config.feed_titles
        self.zone = zone(config.timezone)
        self.bodies = (BodyHTML(app, len(blog.listed))
                       if config.feed_full and not self.titles_only else None)
        self.jinja = SandboxedEnvironment()
        # feedgen is the costly part: a feed whose items did not change is not made again.
        self.record = DigestRecord(app, "feeds")
        author = app.config.author if app.config.author != _NO_AUTHOR else ""
        self.author = clean(author or app.config.project or config.title)
        #: What every feed is made from beyond its posts; and each post's part, by key.
        self.settings = (self.base, app.config.project, app.config.language, self.author,
                         catalog_signature(app.config.language), config_signature(app.config),
                         source_date())
        self._post_inputs: dict[str, str] = {}

    def made_from(self, name: str, title: str, page: str, posts: list[Post],
                  templates: dict[str, Any] | None) -> str:
        """A digest of everything a feed is made from, without making it.

        Each item is made from its post, the post's authors and terms, and the post's page
        as last read and written (the body, the talks); making the items of 75 feeds on
        every save costs more than the rest of a one-post rebuild.
        """
        return digest(name, title, page, templates, self.settings,
                      [self._post_input(post) for post in posts[: self.length]])

    def _post_input(self, post: Post) -> str:
        found = self._post_inputs.get(post.key)
        if found is None:
            blog = self.blog
            # A post changes only when its document is read again: the page's stamp
            # stands for it (its repr costs more than all the rest).
            found = self._post_inputs[post.key] = digest(
                post.key, page_stamp(self.app, post.docname), blog.authors_of(post),
                [blog.taxa_of(kind, post) for kind in TAXA])
        return found

    def url(self, feed_path: str, target: str) -> str:
        """Absolute URL of an output path, or relative to the feed when no base is known."""
        if self.base:
            return self.base + target
        # The feed itself: its own name (Sphinx's relative URI of a page to itself is "").
        return relative_uri(feed_path, target) or posixpath.basename(target)

    def ident(self, name: str, url: str) -> str:
        """A stable id: the absolute URL, or a ``urn:uuid`` made from the project and name.

        The same sources give the same ids in every build, on every machine.
        """
        if self.base:
            return url
        project = self.app.config.project or settings(self.app).title
        return uuid.uuid5(uuid.NAMESPACE_URL, f"sphinx-postblog:{project}:{name}").urn

    def content(self, post: Post, feed_path: str, link: str) -> str:
        """An item's HTML content: the post's body, or the talks it covers, or nothing."""
        if self.titles_only:
            return ""
        if self.bodies is not None:
            # With a base URL every link is absolute: the same in every feed.
            scope = self.base or posixpath.dirname(feed_path)
            body = self.bodies.html(post, lambda target: self.url(feed_path, target), scope)
            if body:
                return clean(body)
        return clean(sanitise(talks_html(post, link))) if post.talks else ""

    def _author_url(self, author: Author) -> str:
        if author.url or not self.base:
            return clean(author.url)
        return self.base + self.app.builder.get_target_uri(
            self.blog.pagename("author", author.slug))

    def entries(self, feed_path: str, posts: list[Post], templates: dict[str, Any] | None = None,
                feed_title: str = "") -> list[dict[str, Any]]:
        """The feed items, in one neutral shape for all three formats.

        ``templates`` make an item's ``title``, ``summary`` or ``content`` (ablog's
        ``blog_feed_templates``).
        """
        builder = self.app.builder
        items = []
        for post in posts[: self.length]:
            link = self.url(feed_path, builder.get_target_uri(post.docname))
            link += f"#{post.anchor}" if post.anchor else ""  # one section of its page
            items.append({
                "id": self.ident(post.key, link), "permalink": bool(self.base),
                # A post published elsewhere (ablog's external_link) is read there.
                "page": link, "url": post.external_link or link, "title": clean(post.title),
                "summary": "" if self.titles_only else clean(post.description or post.excerpt),
                "published": in_zone(post.date, self.zone),
                "updated": in_zone(post.updated or post.date, self.zone),
                "authors": [{"name": clean(a.display_name),
                             "email": clean(a.email), "url": self._author_url(a)}
                            for a in self.blog.authors_of(post)],
                "tags": [clean(t.name) for t in
                         self.blog.categories_of(post) + self.blog.tags_of(post)],
                "content": self.content(post, feed_path, link),
            })
            if templates:
                self.templated(items[-1], post, templates, feed_path, feed_title)
        return items

    def templated(self, item: dict[str, Any], post: Post, templates: dict[str, Any],
                  feed_path: str, feed_title: str) -> None:
        """Make an item's title, summary or content with the feed's Jinja templates."""
        blog = self.blog

        def terms(taxa: list[Any]) -> list[SimpleNamespace]:
            return [SimpleNamespace(name=t.name, label=t.slug) for t in taxa]

        context = {
            "post": SimpleNamespace(
                title=post.title, url=item["url"], docname=post.docname, date=post.date,
                update=post.updated or post.date, excerpt=item["summary"],
                tags=terms(blog.taxa_of("tag", post)),
                category=terms(blog.taxa_of("category", post)),
                location=terms(blog.taxa_of("location", post)),
                language=terms(blog.taxa_of("language", post)),
                author=[SimpleNamespace(name=a.display_name, label=a.key)
                        for a in blog.authors_of(post)]),
            "title": item["title"], "summary": item["summary"], "content": item["content"],
            "post_url": item["url"], "feed_title": feed_title,
            "feed_url": self.url(feed_path, feed_path),
        }
        for element in ("title", "summary", "content"):
            template = templates.get(element)
            if not isinstance(template, str):
                continue
            try:
                made = clean(self.jinja.from_string(template).render(context))
            except TemplateError as exc:
                if build_run(self.app.env).first_time(f"feed-template:{template}"):
                    logger.warning("feed template %r for %s cannot be rendered: %s; using "
                                   "the default", template, element, exc, type="postblog",
                                   subtype="config",
                                   location=conf_location(self.app, "postblog_feed_templates"))
                continue
            item[element] = sanitise(made) if element == "content" else made

    def feed(self, paths: dict[str, str], title: str, page: str,
             items: list[dict[str, Any]]) -> Feed:
        """The feed of a listing page, in the shape every format is written from."""
        home = self.url(paths["atom"], page)
        # Never the build's time: the newest item's date, or SOURCE_DATE_EPOCH.
        updated = max((item["updated"] for item in items),
                      default=source_date() or EPOCH)
        return Feed(title=clean(title), home=home,
                    urls={fmt: self.url(paths["atom"], path) for fmt, path in paths.items()},
                    ident=self.ident(paths["atom"], home), updated=updated,
                    language=self.app.config.language or "en", author=self.author,
                    items=items)

    @property
    def ablog_paths(self) -> bool:
        """Whether ablog's feed paths are written too (``postblog_feed_ablog_paths``)."""
        return bool(self.base) and settings(self.app).feed_ablog_paths

    def ablog_path(self, kind: str, name: str) -> str:
        """Where ablog's ``blog_feed_archives`` put the Atom feed of a listing, or ``""``.

        ``blog/tag/<name>/atom.xml``, the name made a slug as ablog makes it (an
        author's or a language's from its display name); a year's ``blog/<year>/atom.xml``.
        With ``postblog_feed_ablog_paths`` and the site's address only: the copy's links
        are absolute, so it reads the same from there.
        """
        page = ablog_pagename(self.blog.path, kind, name) if self.ablog_paths else ""
        return f"{page}/atom.xml" if page else ""

    def write(self, kind: str, slug: str, title: str, posts: list[Post],
              templates: dict[str, Any] | None = None, name: str = "") -> None:
        """Write the three feeds of one listing (a year's: only ablog's Atom feed)."""
        ablog = self.ablog_path(kind, name or slug)
        paths = {"atom": ablog} if kind == "year" else feed_paths(self.blog.path, kind, slug)
        page = self.app.builder.get_target_uri(self.blog.pagename(kind, slug))
        outputs = [Path(self.app.outdir, path) for path in {*paths.values(), ablog} if path]
        if self.record.unchanged(paths["atom"],
                                 self.made_from(paths["atom"], title, page, posts, templates),
                                 outputs):
            return
        items = self.entries(paths["atom"], posts, templates, title)
        feed = self.feed(paths, title, page, items)
        for fmt, document in atom_rss(feed, rss="rss" in paths):
            write_if_changed(Path(self.app.outdir, paths[fmt]), document)
            if fmt == "atom" and ablog and ablog != paths["atom"]:
                write_if_changed(Path(self.app.outdir, ablog), document)
        if "json" in paths:
            write_if_changed(Path(self.app.outdir, paths["json"]), json_feed(feed))

    def write_templated(self, name: str, templates: dict[str, Any], title: str,
                        posts: list[Post]) -> None:
        """Write an Atom feed of the blog whose items the templates make (``blog/<name>.xml``)."""
        path = f"{self.blog.path}/{name}.xml"
        page = self.app.builder.get_target_uri(self.blog.pagename())
        output = Path(self.app.outdir, path)
        if self.record.unchanged(path, self.made_from(path, title, page, posts, templates),
                                 [output]):
            return
        items = self.entries(path, posts, templates, title)
        feed = self.feed({"atom": path}, title, page, items)
        for _format, document in atom_rss(feed, rss=False):
            write_if_changed(output, document)

    def save(self) -> None:
        """Keep the digests (and the bodies) for the next build."""
        self.record.save()
        if self.bodies is not None:
            self.bodies.save()


#: What a ``postblog_feed_templates`` name must look like: a file name without a folder.
_FEED_NAME = re.compile(r"[\w.-]+")


def _feed_templates(app: Sphinx) -> dict[str, dict[str, Any]]:
    """The usable entries of ``postblog_feed_templates``; a warning for each other one."""
    found = {}
    for name, templates in settings(app).feed_templates.items():
        problem = ("is not a mapping of 'title', 'summary' or 'content' to a template"
                   if not isinstance(templates, dict) else
                   "is not a file name" if not _FEED_NAME.fullmatch(str(name)) else
                   "is the RSS feed's file (rss.xml)" if name == "rss" else "")
        if problem:
            logger.warning("postblog_feed_templates[%r] %s; no feed is written for it", name,
                           problem, type="postblog", subtype="config",
                           location=conf_location(app, "postblog_feed_templates"))
        else:
            found[str(name)] = templates
    return found


#: The record's entry for when the listed posts were last read (not a feed file's name).
_BODIES_READ = "<bodies read>"


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """Write every feed (``build-finished``)."""
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    main_feed = feed_paths(settings(app).path)["atom"]
    blog = get_blog(app)
    # Whole bodies are in the feeds, and no fingerprint covers a body: a post read again
    # (its source changed) makes the feeds again even when its title and excerpt stand.
    read = digest(sorted((p.docname, app.env.all_docs.get(p.docname)) for p in blog.listed)
                  if settings(app).feed_full else None)
    if (build_run(app.env).unchanged and Path(app.outdir, main_feed).is_file()
            and DigestRecord(app, "feeds").old.get(_BODIES_READ) == read):
        return
    writer = FeedWriter(app, blog)
    writer.record.unchanged(_BODIES_READ, read, [])
    templates = _feed_templates(app)
    # "atom" is the main feed (ablog's blog/atom.xml): its templates make its items.
    writer.write("index", "", settings(app).title, blog.listed, templates.pop("atom", None))
    for name, feed in templates.items():
        writer.write_templated(name, feed, settings(app).title, blog.listed)
    # ablog's feed of each year, where it put it (only its own, as ablog wrote).
    kinds = (*FEED_KINDS, "year") if writer.ablog_paths else FEED_KINDS
    for kind in kinds:
        for coll in blog.collections[kind].values():
            writer.write(kind, coll.slug, f"{settings(app).title}: {coll.name}", coll.posts,
                         name=coll.name)
    writer.save()


def feed_links(app: Sphinx, pagename: str) -> str:
    """``<link rel="alternate">`` elements for a page's feeds (and the blog's)."""
    wanted = [("index", "", settings(app).title)]
    path = settings(app).path
    for kind in FEED_KINDS:
        prefix = f"{path}/{kind}/"
        if pagename.startswith(prefix):
            slug = pagename[len(prefix):].split("/", maxsplit=1)[0]
            coll = get_blog(app).collections[kind].get(slug)
            if coll is not None:
                wanted.append((kind, slug, f"{settings(app).title}: {coll.name}"))
    page_uri = app.builder.get_target_uri(pagename)
    links = []
    for kind, slug, title in wanted:
        for fmt, output in feed_paths(path, kind, slug).items():
            href = relative_uri(page_uri, output)
            links.append(f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" '
                         f'title="{_attr(title)} ({fmt.upper()})" href="{_attr(href)}" />')
    return "\n".join(links) + "\n"


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))
