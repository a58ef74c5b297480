"""Atom, RSS 2.0 and JSON Feed 1.1 for the blog and for each category, tag and author.

Feeds are written from the model in the main process at ``build-finished`` (never from
writer processes), with feedgen for Atom and RSS; a file is only rewritten when its
content changed, so no-op builds stay cheap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog.config import settings
from sphinx_postblog.files import write_if_changed
from sphinx_postblog.output.blocks import tag
from sphinx_postblog.output.records import DigestRecord
from sphinx_postblog.state import build_run, digest
from sphinx_postblog.view import PAGE_BUILDERS, Blog, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post

logger = logging.getLogger(__name__)

#: Characters XML 1.0 forbids; real posts carry them (a stray vertical tab, say).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FEED_KINDS = ("category", "tag", "author", "event", "speaker")
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
        parts = [tag("a", talk.title, href=f"{link}#{talk.anchor}")]
        if talk.speakers:
            parts.append(Markup(" by ") + ", ".join(s.name for s in talk.speakers))
        for url, label in ((talk.slides, "slides"), (talk.video, "recording")):
            if url:
                parts.append(Markup(" · ") + tag("a", label, href=url))
        items.append(tag("li", Markup("").join(parts)))
    summary = post.description or post.excerpt
    intro = tag("p", summary) if summary else Markup("")
    return str(intro + tag("p", "Talks covered:") + tag("ul", Markup("").join(items)))


class FeedWriter:
    """Writes the feeds of one build."""

    def __init__(self, app: Sphinx, blog: Blog) -> None:
        self.app, self.blog = app, blog
        self.base = site_url(app)
        self.length = settings(app).feed_length
        # feedgen is the costly part: a feed whose items did not change is not made again.
        self.record = DigestRecord(app, "feeds")

    def url(self, feed_path: str, target: str) -> str:
        """Absolute URL of an output path, or relative to the feed when no base is known."""
        return self.base + target if self.base else relative_uri(feed_path, target)

    def entries(self, feed_path: str, posts: list[Post]) -> list[dict[str, Any]]:
        """The feed items, in one neutral shape for all three formats."""
        builder = self.app.builder
        items = []
        for post in posts[: self.length]:
            link = self.url(feed_path, builder.get_target_uri(post.docname))
            items.append({
                "id": link, "url": link, "title": clean(post.title),
                "summary": clean(post.description or post.excerpt),
                "published": post.date,
                "updated": post.updated or post.date,
                "authors": [{"name": clean(a.display_name),
                             "email": clean(a.email), "url": clean(a.url)}
                            for a in self.blog.authors_of(post)],
                "tags": [clean(t.name) for t in
                         self.blog.categories_of(post) + self.blog.tags_of(post)],
                "content": clean(talks_html(post, link)) if post.talks else "",
            })
        return items

    def atom_rss(self, paths: dict[str, str], title: str, page: str,
                 items: list[dict[str, Any]]) -> tuple[str, str]:
        """Atom and RSS documents (feedgen)."""
        # Imported only when a feed is made: lxml is slow to load, and no-op builds make none.
        from feedgen.feed import FeedGenerator  # noqa: PLC0415

        fg = FeedGenerator()
        home = self.url(paths["atom"], page)
        fg.id(home)
        fg.title(clean(title))
        fg.link(href=home, rel="alternate")
        fg.link(href=self.url(paths["atom"], paths["atom"]), rel="self")
        fg.description(clean(title))
        fg.language(self.app.config.language or "en")
        newest = max((item["updated"] for item in items), default=None)
        if newest is not None:
            fg.updated(newest)
        for item in reversed(items):  # feedgen prepends: oldest first gives newest first
            entry = fg.add_entry()
            entry.id(item["id"])
            entry.title(item["title"] or "Untitled")
            entry.link(href=item["url"])
            entry.published(item["published"])
            entry.updated(item["updated"])
            if item["summary"]:
                entry.summary(item["summary"])
            if item["content"]:
                entry.content(item["content"], type="html")
            for author in item["authors"]:
                entry.author({k: v for k, v in author.items() if v and k != "url"}
                             | ({"uri": author["url"]} if author["url"] else {}))
            if item["tags"]:  # at once: feedgen re-maps all categories on each call
                entry.category([{"term": tag} for tag in item["tags"]])
        atom = fg.atom_str(pretty=True).decode("utf-8")
        fg.link(href=home, rel="alternate", replace=True)
        rss = fg.rss_str(pretty=True).decode("utf-8")
        return atom, rss

    def json_feed(self, paths: dict[str, str], title: str, page: str,
                  items: list[dict[str, Any]]) -> str:
        """A JSON Feed 1.1 document."""
        feed: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": self.url(paths["json"], page),
            "feed_url": self.url(paths["json"], paths["json"]),
            "items": [],
        }
        for item in items:
            entry: dict[str, Any] = {
                "id": item["id"], "url": item["url"], "title": item["title"],
                "content_text": item["summary"] or item["title"],
                **({"content_html": item["content"]} if item["content"] else {}),
                "date_published": item["published"].isoformat(),
                "date_modified": item["updated"].isoformat(),
            }
            if item["summary"]:
                entry["summary"] = item["summary"]
            if item["authors"]:
                entry["authors"] = [{k: v for k, v in a.items() if v and k != "email"}
                                    for a in item["authors"]]
            if item["tags"]:
                entry["tags"] = item["tags"]
            feed["items"].append(entry)
        return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"

    def write(self, kind: str, slug: str, title: str, posts: list[Post]) -> None:
        """Write the three feeds of one listing."""
        paths = feed_paths(self.blog.path, kind, slug)
        page = self.app.builder.get_target_uri(self.blog.pagename(kind, slug))
        items = self.entries(paths["atom"], posts)
        made_from = digest(title, page, self.app.config.language, items)
        outputs = [Path(self.app.outdir, path) for path in paths.values()]
        if self.record.unchanged(paths["atom"], made_from, outputs):
            return
        atom, rss = self.atom_rss(paths, title, page, items)
        for fmt, text in (("atom", atom), ("rss", rss),
                          ("json", self.json_feed(paths, title, page, items))):
            write_if_changed(Path(self.app.outdir, paths[fmt]), text)

    def save(self) -> None:
        """Keep the digests for the next build."""
        self.record.save()


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """Write every feed (``build-finished``)."""
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    main_feed = feed_paths(settings(app).path)["atom"]
    if build_run(app.env).unchanged and Path(app.outdir, main_feed).is_file():
        return
    blog = get_blog(app)
    writer = FeedWriter(app, blog)
    writer.write("index", "", settings(app).title, blog.listed)
    for kind in FEED_KINDS:
        for coll in blog.collections[kind].values():
            writer.write(kind, coll.slug, f"{settings(app).title}: {coll.name}", coll.posts)
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
    types = {"atom": "application/atom+xml", "rss": "application/rss+xml",
             "json": "application/feed+json"}
    links = []
    for kind, slug, title in wanted:
        for fmt, output in feed_paths(path, kind, slug).items():
            href = relative_uri(page_uri, output)
            links.append(f'<link rel="alternate" type="{types[fmt]}" '
                         f'title="{_attr(title)} ({fmt.upper()})" href="{_attr(href)}" />')
    return "\n".join(links) + "\n"


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))
