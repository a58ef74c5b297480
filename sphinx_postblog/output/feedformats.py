"""The three feed formats, written from one neutral shape of a feed and its items.

Atom 1.0 and RSS 2.0 by feedgen, JSON Feed 1.1 by hand. What each carries is what the
W3C feed validator and the JSON Feed 1.1 specification ask for: a feed ``id`` and
``updated``, a feed-level author (so every entry has one), a ``self`` link with the feed's
own URL and an ``alternate`` link to its page; entries with a stable ``id``, dates with
their offsets, every author, categories and tags; in RSS an ``atom:link rel="self"``,
``guid`` with ``isPermaLink`` and RFC 822 dates. No date is the build's time.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx_postblog.i18n import _

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

#: Media types of the formats, for ``self`` and ``alternate`` links.
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml",
               "json": "application/feed+json"}


@dataclass
class Feed:
    """One feed, in the shape all three formats are written from.

    ``urls`` maps each format to the feed file's URL (absolute when the site's address is
    known); ``ident`` is the feed's stable id, ``updated`` its newest item's date (or
    ``SOURCE_DATE_EPOCH``, never the build's time).
    """

    title: str
    home: str
    urls: dict[str, str]
    ident: str
    updated: dt.datetime
    language: str
    author: str
    items: list[dict[str, Any]] = field(default_factory=list)


def _person(author: dict[str, str], *, email: bool) -> dict[str, str]:
    found = {"name": author["name"]}
    if author.get("url"):
        found["uri"] = author["url"]
    if email and author.get("email"):
        found["email"] = author["email"]
    return found


def atom_rss(feed: Feed, *, rss: bool = True) -> Iterator[tuple[str, bytes]]:
    """The Atom document and (when ``rss``) the RSS document of a feed, UTF-8, one by one.

    One at a time, as bytes: a feed of 20 whole posts with highlighted code is megabytes,
    and each copy held at once (both documents, as bytes and as text) adds to a full
    build's peak memory.
    """
    # Imported only when a feed is made: lxml is slow to load, and no-op builds make none.
    from feedgen.feed import FeedGenerator  # noqa: PLC0415

    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS authors without email
    fg.id(feed.ident)
    fg.title(feed.title)
    fg.author({"name": feed.author})
    fg.link(href=feed.home, rel="alternate", type="text/html")
    fg.link(href=feed.urls["atom"], rel="self", type=MEDIA_TYPES["atom"])
    fg.description(feed.title)
    fg.language(feed.language)
    fg.updated(feed.updated)
    for item in reversed(feed.items):  # feedgen prepends: oldest first gives newest first
        entry = fg.add_entry()
        entry.id(item["id"])
        entry.guid(item["id"], permalink=item["permalink"])
        entry.title(item["title"] or _("Untitled"))
        entry.link(href=item["url"], rel="alternate", type="text/html")
        entry.published(item["published"])
        entry.updated(item["updated"])
        if item["summary"]:
            entry.summary(item["summary"])
        if item["content"]:
            entry.content(item["content"], type="html")
        for author in item["authors"]:
            entry.author(_person(author, email=True))
            entry.dc.dc_creator(author["name"], replace=False)
        if item["tags"]:  # at once: feedgen re-maps all categories on each call
            entry.category([{"term": tag} for tag in item["tags"]])
    yield "atom", fg.atom_str(pretty=True, encoding="UTF-8")
    if not rss:
        return
    # RSS readers read a <description> as HTML: the summary is text, so it is escaped once
    # more (Atom's <summary> says type="text" itself).
    for entry, item in zip(fg.entry(), feed.items, strict=True):  # feedgen lists newest first
        if item["summary"]:
            entry.description(html.escape(item["summary"], quote=False))
    # feedgen takes the last link for RSS's <link>: the page, after the self link.
    fg.link(href=feed.urls["rss"], rel="self", type=MEDIA_TYPES["rss"], replace=True)
    fg.link(href=feed.home, rel="alternate", type="text/html")
    yield "rss", fg.rss_str(pretty=True, encoding="UTF-8")


def json_feed(feed: Feed) -> str:
    """A JSON Feed 1.1 document."""
    document: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.urls["json"],
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": [],
    }
    for item in feed.items:
        entry: dict[str, Any] = {"id": item["id"], "url": item["page"]}
        if item["url"] != item["page"]:  # published elsewhere (ablog's external_link)
            entry["external_url"] = item["url"]
        entry["title"] = item["title"]
        if item["content"]:
            entry["content_html"] = item["content"]
        else:
            entry["content_text"] = item["summary"] or item["title"]
        if item["summary"]:
            entry["summary"] = item["summary"]
        entry["date_published"] = item["published"].isoformat()
        entry["date_modified"] = item["updated"].isoformat()
        if item["authors"]:
            entry["authors"] = [{"name": a["name"], **({"url": a["url"]} if a["url"] else {})}
                                for a in item["authors"]]
        if item["tags"]:
            entry["tags"] = item["tags"]
        document["items"].append(entry)
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
