"""A post's header (subtitle, byline, terms, event, hero image, notices) and footer.

Docutils nodes, so every builder and theme shows them; the byline, term links and dates
are :mod:`~sphinx_postblog.output.blocks`', as in every listing. Everything here only
reads the model (through :class:`~sphinx_postblog.view.Blog`), when the page is written.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_postblog.config import settings
from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _, ngettext
from sphinx_postblog.nodes import element
from sphinx_postblog.output import blocks
from sphinx_postblog.output.blocks import NodeMaker, PageLinks

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Blog


class Renderer:
    """Builds a post's header and footer as nodes, with links relative to its page."""

    def __init__(self, app: Sphinx, blog: Blog, fromdoc: str) -> None:
        self.blog = blog
        self.settings = settings(app)
        self.links = PageLinks(app, blog, fromdoc)
        self.mk = NodeMaker()
        self.html = app.builder.format == "html"
        self.language = app.config.language

    def date(self, post_date: dt.datetime, classes: str) -> nodes.Node:
        """A ``<time>`` element in the blog's date format."""
        return blocks.time(self.mk, post_date, self.settings.date_format, classes, self.language)

    def day(self, value: dt.date) -> str:
        """A day in the blog's date format and the project's language."""
        return format_date(value, self.settings.date_format, self.language)

    # -- a post page -----------------------------------------------------------------------

    def header(self, post: Post, placeholder: nodes.Element) -> nodes.Element:
        """The post's header: subtitle, byline, terms, hero image, notices, summary."""
        blog = self.blog
        header = element("header", classes=["postblog-header"])
        if post.subtitle:
            header += nodes.paragraph(post.subtitle, post.subtitle, classes=["postblog-subtitle"])
        byline = nodes.paragraph(classes=["postblog-byline"])
        authors = blog.authors_of(post)
        if authors:
            byline.extend(blocks.fill(self.mk, _("By {authors}"), authors=blocks.authors(
                self.mk, self.links.authors(authors))))
            byline += nodes.Text(" · ")
        byline += self.date(post.date, "dt-published postblog-date")
        if post.updated and post.updated.date() != post.date.date():
            byline += nodes.Text(" · ")
            # TRANSLATORS: after the post's date in its byline: "updated 4 March 2024".
            byline.extend(blocks.fill(self.mk, _("updated {date}"), date=self.date(
                post.updated, "dt-updated postblog-updated")))
        minutes = max(1, math.ceil(post.word_count / self.settings.words_per_minute))
        byline += nodes.Text(" · ")
        reading = ngettext("{minutes} min read", "{minutes} min read", minutes)
        byline += element("span", nodes.Text(reading.format(minutes=minutes)),
                          classes=["postblog-reading-time"])
        header += byline
        categories, tags = blog.categories_of(post), blog.tags_of(post)
        if categories or tags:
            terms = nodes.paragraph(classes=["postblog-taxonomy"])
            if categories:
                terms += blocks.terms(self.mk, "category", self.links.taxa("category", categories))
            if categories and tags:
                terms += nodes.Text(" · ")
            if tags:
                terms += blocks.terms(self.mk, "tag", self.links.taxa("tag", tags))
            header += terms
        places = self.places(post)
        if places is not None:
            header += places
        if post.event is not None:
            header += self.event_card(post)
        series = self.series_nav(post)
        if series is not None:
            header += series
        images = [child for child in placeholder.children if isinstance(child, nodes.image)]
        if images:
            header += element("div", *images, classes=["postblog-hero"])
        if blog.is_draft(post):
            note = (_("This post is a draft: it is not published yet, and is not listed "
                      "on the blog.") if not post.published else
                    _("This post is scheduled for {date}, and is not listed on the blog.")
                    .format(date=self.day(post.date)))
            header += element("div", nodes.paragraph(note, note), classes=["postblog-draft-notice"],
                              role="note")
        summary = post.description or post.excerpt
        if summary and self.html:  # for microformats readers; other builders would show it
            header += element("p", nodes.Text(summary), classes=["p-summary"], hidden="hidden")
        return header

    def places(self, post: Post) -> nodes.Element | None:
        """Where and in which languages the post was written (ablog), linked to their pages."""
        parts: list[nodes.Node] = []
        for kind in ("location", "language"):
            taxa = self.blog.taxa_of(kind, post)
            if not taxa:
                continue
            if parts:
                parts.append(nodes.Text(" · "))
            label = (ngettext("Location: {places}", "Locations: {places}", len(taxa))
                     if kind == "location" else
                     ngettext("Language: {places}", "Languages: {places}", len(taxa)))
            parts.extend(blocks.fill(self.mk, label, places=blocks.terms(
                self.mk, kind, self.links.taxa(kind, taxa), separator=", ")))
        if not parts:
            return None
        return nodes.paragraph("", "", *parts, classes=["postblog-places"])

    def event_card(self, post: Post) -> nodes.Node:
        """The conference a post reports on, as an h-event."""
        event = self.blog.event_of(post)
        assert event is not None
        # A paragraph inside: references (the website link) are inline, as in any builder.
        facts = nodes.paragraph()
        facts += self.mk.link(event.name, self.links.collection("event", event.slug),
                              "p-name postblog-event-name")
        if event.location:
            facts += nodes.Text(" · ")
            facts += element("span", nodes.Text(event.location),
                             classes=["p-location", "postblog-event-location"])
        if event.start:
            dates = element("span", classes=["postblog-event-dates"])
            dates += element("time", nodes.Text(self.day(event.start)),
                             classes=["dt-start"], datetime=event.start.isoformat())
            if event.end and event.end != event.start:
                dates += nodes.Text(" – ")
                dates += element("time", nodes.Text(self.day(event.end)),
                                 classes=["dt-end"], datetime=event.end.isoformat())
            facts += nodes.Text(" · ")
            facts += dates
        if event.url:
            facts += nodes.Text(" · ")
            facts.extend(blocks.external(_("Website"), event.url, "u-url", html=self.html))
        return element("div", facts, classes=["postblog-event", "h-event"])

    def series_nav(self, post: Post) -> nodes.Node | None:
        """"Part 2 of 3" of the post's series, and a link to every part."""
        parts = self.blog.series_of(post)
        if len(parts) < 2:
            return None
        number = parts.index(post) + 1
        nav = element("nav", classes=["postblog-series"],
                      **{"aria-label": _("Series: {name}").format(name=post.series)})
        label = _("Part {number} of {total} of the series “{name}”").format(
            number=number, total=len(parts), name=post.series)
        nav += nodes.paragraph(label, label, classes=["postblog-series-label"])
        items: list[list[nodes.Node]] = []
        for part in parts:
            if part is post:
                current = element("span", nodes.Text(part.title))
                current["attrs"]["aria-current"] = "page"
                items.append([current])
            else:
                items.append([element("a", nodes.Text(part.title),
                                      href=self.links.post(part, external=False))])
        nav += blocks.item_list(items, "postblog-series-parts", html=self.html, ordered=True)
        return nav

    def footer(self, post: Post) -> nodes.Node | None:
        """Related posts, and links to the previous (older) and next (newer) listed posts."""
        related = self.blog.related_to(post)
        older, newer = self.blog.neighbours(post.key)
        if older is None and newer is None and not related:
            return None
        footer = element("div", classes=["postblog-post-footer"])
        if related:
            title = _("Related posts")
            box = element("nav", classes=["postblog-related-posts"], **{"aria-label": title})
            box += nodes.paragraph(title, title, classes=["postblog-related-posts-title"])
            box += blocks.item_list(
                [[element("a", nodes.Text(other.title), href=self.links.post(other, external=False)),
                  nodes.Text(" · "), self.date(other.date, "postblog-date")]
                 for other in related], "", html=self.html)
            footer += box
        if older is None and newer is None:
            return footer
        nav = element("nav", classes=["postblog-footer"], **{"aria-label": _("More posts")})
        for neighbour, label, rel in ((older, _("Previous post"), "prev"),
                                      (newer, _("Next post"), "next")):
            if neighbour is None:
                continue
            href = self.links.post(neighbour, external=False)
            link = element("a", element("span", nodes.Text(label), classes=["postblog-nav-label"]),
                           element("span", nodes.Text(neighbour.title),
                                   classes=["postblog-nav-title"]),
                           classes=[f"postblog-{rel}"], href=href, rel=rel)
            # Elsewhere than HTML, each on a line of its own: "Next post: Title".
            nav += link if self.html else nodes.paragraph(
                "", "", nodes.Text(f"{label}: {neighbour.title}"))
        footer += nav
        return footer
