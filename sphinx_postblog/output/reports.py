"""What event and speaker pages show above their list of reports, and the events index.

An event page opens with the event's card (dates, place, website, feeds) and the talks its
reports cover, each with its speakers and links to the reports; a speaker page with the
speaker's card and every talk of theirs that a report covers. Escaped HTML strings from the
model, as every listing (:mod:`~sphinx_postblog.output.listing`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup
from sphinx.util.osutil import relative_uri

from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _, ngettext
from sphinx_postblog.model import slugify
from sphinx_postblog.output.blocks import fill, html_attrs, tag
from sphinx_postblog.output.talks import avatar_src, initials

if TYPE_CHECKING:
    from sphinx_postblog.model import Event, Post, Speaker, Talk
    from sphinx_postblog.output.listing import ListingHTML
    from sphinx_postblog.view import Collection


def event_dates(event: Event, date_format: str, language: str | None = None) -> Markup:
    """``<time>`` elements of an event's first and last day."""
    if event.start is None:
        return Markup("")
    dates = tag("time", format_date(event.start, date_format, language), class_="dt-start",
                datetime=event.start.isoformat())
    if event.end and event.end != event.start:
        dates += Markup(" – ") + tag("time", format_date(event.end, date_format, language),
                                     class_="dt-end", datetime=event.end.isoformat())
    return dates


class ReportPages:
    """The report parts of event and speaker pages, with links relative to one page."""

    def __init__(self, listing: ListingHTML, *, third_party: bool, feeds: dict[str, str]) -> None:
        self.listing = listing
        self.links = listing.links
        self.third_party = third_party
        #: Output paths of the page's own feeds, by format (``atom``, ``rss``, ``json``).
        self.feeds = feeds

    def event_card(self, event: Event) -> Markup:
        """Name, dates, place, website and feeds of an event, as an h-event."""
        facts = []
        dates = event_dates(event, self.listing.date_format, self.listing.language)
        if dates:
            facts.append(tag("span", dates, class_="postblog-event-dates"))
        if event.location:
            facts.append(tag("span", event.location, class_="p-location postblog-event-location"))
        if event.url:
            facts.append(tag("a", _("Website"), class_="u-url", href=event.url))
        body = tag("p", event.name, class_="p-name postblog-event-name")
        if facts:
            body += tag("p", Markup(" · ").join(facts), class_="postblog-event-facts")
        body += self.feed_links()
        return tag("div", body, class_="postblog-event postblog-event-card h-event")

    def feed_links(self) -> Markup:
        """Links to the page's feeds."""
        if not self.feeds:
            return Markup("")
        labels = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}
        links = Markup(" · ").join(
            tag("a", labels[fmt], href=relative_uri(self.links.page_uri, path), type=kind)
            for fmt, path, kind in ((f, p, _FEED_TYPES[f]) for f, p in self.feeds.items()))
        line = fill(self.listing.mk, _("Feeds: {links}"), links=links)
        return tag("p", Markup("").join(line), class_="postblog-feeds")

    def speaker_card(self, speaker: Speaker, writer: Collection | None = None) -> Markup:
        """Avatar, name, biography and links of a speaker, as an h-card.

        A speaker who also writes on the blog (``writer``, their author page) gets a link to
        their posts, and their author picture where the programme has none.
        """
        if writer is not None and writer.author is not None and not speaker.avatar:
            speaker = replace(speaker, avatar=writer.author.avatar)
        parts = [self.avatar(speaker), tag("p", speaker.name, class_="p-name")]
        if speaker.bio:
            parts.append(tag("div", Markup(nh3.clean(speaker.bio)), class_="p-note postblog-bio"))
        if speaker.links:
            items = Markup("").join(tag("li", tag("a", label, class_="u-url", href=url, rel="me"))
                                    for label, url in speaker.links)
            parts.append(tag("ul", items, class_="postblog-author-links"))
        if writer is not None:
            href = self.links.href(self.links.blog.pagename("author", writer.slug))
            parts.append(tag("p", tag("a", _("Posts by {name}").format(name=writer.name),
                                      href=href),
                             class_="postblog-speaker-author"))
        return tag("div", Markup("\n").join(parts),
                   class_="postblog-author-card postblog-speaker-card h-card")

    def avatar(self, speaker: Speaker) -> Markup:
        """The speaker's picture where it may be shown, else their initials."""
        src = avatar_src(speaker, self.links.page_uri, third_party=self.third_party)
        if src:
            return Markup(f"<img{html_attrs(class_='u-photo postblog-avatar', src=src, alt='')}>")
        return tag("span", initials(speaker.name), class_="postblog-avatar postblog-initials",
                   aria_hidden="true")

    def talks(self, covered: list[tuple[Post, Talk]], *, heading: str,
              with_speakers: bool = True) -> Markup:
        """The talks reports cover: one entry per talk, linking to every report on it."""
        groups: dict[str, list[tuple[Post, Talk]]] = {}
        # Oldest report first: it links the talk's title (the report written as it happened).
        for post, talk in sorted(covered, key=lambda pair: (pair[0].date, pair[0].docname)):
            groups.setdefault(talk.id or slugify(talk.title), []).append((post, talk))
        ordered = sorted(groups.values(), key=lambda group: (
            _instant(group[0][1].start), group[0][1].title.casefold()))
        items = Markup("").join(self._talk(group, with_speakers) for group in ordered)
        return (tag("h2", heading, id="talks")
                + tag("ul", items, class_="postblog-talk-list", role="list"))

    def _talk(self, group: list[tuple[Post, Talk]], with_speakers: bool) -> Markup:
        post, talk = group[0]
        href = f"{self.links.href(post.docname)}#{talk.anchor}"
        body = tag("a", talk.title, class_="p-name u-url", href=href)
        facts = []
        if with_speakers and talk.speakers:
            facts.append(Markup(", ").join(
                self.listing.mk.link(s.name, self.links.collection("speaker", s.slug), "p-performer")
                for s in talk.speakers))
        if talk.start is not None:
            day = format_date(talk.start, self.listing.date_format, self.listing.language)
            facts.append(tag("time", f"{day}, {talk.start:%H:%M}", class_="dt-start",
                             datetime=talk.start.isoformat()))
        if talk.room:
            facts.append(tag("span", talk.room, class_="p-location"))
        if facts:
            body += tag("p", Markup(" · ").join(facts), class_="postblog-talk-facts")
        reports = Markup(", ").join(
            tag("a", p.title, href=f"{self.links.href(p.docname)}#{t.anchor}") for p, t in group)
        line = fill(self.listing.mk, _("Reported in {reports}"), reports=reports)
        body += tag("p", Markup("").join(line), class_="postblog-talk-reports")
        return tag("li", body, class_="postblog-talk-entry h-event")

    def events_index(self, collections: list[Collection]) -> Markup:
        """Every event, newest first, with its dates, place and number of reports."""
        def newest(coll: Collection) -> tuple[str, str]:
            event = coll.event
            start = event.start.isoformat() if event and event.start else ""
            return start or coll.posts[0].date.date().isoformat(), coll.name.casefold()

        items = []
        for coll in sorted(collections, key=newest, reverse=True):
            event = coll.event
            count = len(coll.posts)
            facts = [tag("span", ngettext("{count} report", "{count} reports", count).format(
                count=count), class_="postblog-count")]
            if event is not None and event.start:
                facts.insert(0, event_dates(event, self.listing.date_format,
                                            self.listing.language))
            if event is not None and event.location:
                facts.insert(1, tag("span", event.location, class_="p-location"))
            link = tag("a", coll.name, class_="p-name u-url",
                       href=self.links.href(self.links.blog.pagename("event", coll.slug)))
            items.append(tag("li", link + tag("p", Markup(" · ").join(facts)), class_="h-event"))
        return tag("ul", Markup("").join(items), class_="postblog-terms postblog-events",
                   role="list")


def _instant(when: dt.datetime | None) -> tuple[bool, dt.datetime]:
    """A sort key for talk times, with or without an offset (without: read as UTC); None last."""
    if when is None:
        return True, dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    if when.tzinfo is None:
        return False, when.replace(tzinfo=dt.timezone.utc)
    return False, when


_FEED_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml",
               "json": "application/feed+json"}
