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

    def date(self, post_date: dt.datetime, classes: str) -> nodes.Node:
        """A ``<time>`` element in the blog's date format."""
        return blocks.time(self.mk, post_date, self.settings.date_format, classes)

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
            byline += nodes.Text("By ")
            byline += blocks.authors(self.mk, self.links.authors(authors))
            byline += nodes.Text(" · ")
        byline += self.date(post.date, "dt-published postblog-date")
        if post.updated and post.updated.date() != post.date.date():
            byline += nodes.Text(" · updated ")
            byline += self.date(post.updated, "dt-updated postblog-updated")
        minutes = max(1, math.ceil(post.word_count / self.settings.words_per_minute))
        byline += nodes.Text(" · ")
        byline += element("span", nodes.Text(f"{minutes} min read"),
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
        if post.event is not None:
            header += self.event_card(post)
        images = [child for child in placeholder.children if isinstance(child, nodes.image)]
        if images:
            header += element("div", *images, classes=["postblog-hero"])
        if blog.is_draft(post):
            why = ("This post is a draft: it is not published yet"
                   if not post.published else
                   f"This post is scheduled for {format_date(post.date, self.settings.date_format)}")
            note = f"{why}, and is not listed on the blog."
            header += element("div", nodes.paragraph(note, note), classes=["postblog-draft-notice"],
                              role="note")
        summary = post.description or post.excerpt
        if summary:
            header += element("p", nodes.Text(summary), classes=["p-summary"], hidden="hidden")
        return header

    def event_card(self, post: Post) -> nodes.Node:
        """The conference a post reports on."""
        event = post.event
        assert event is not None
        card = element("div", classes=["postblog-event"])
        card += self.mk.link(event.name, self.links.collection("event", event.slug),
                             "postblog-event-name")
        if event.location:
            card += nodes.Text(" · ")
            card += element("span", nodes.Text(event.location), classes=["postblog-event-location"])
        if event.start:
            fmt = self.settings.date_format
            dates = format_date(event.start, fmt)
            if event.end and event.end != event.start:
                dates += " – " + format_date(event.end, fmt)
            card += nodes.Text(" · ")
            card += element("span", nodes.Text(dates), classes=["postblog-event-dates"])
        if event.url:
            card += nodes.Text(" · ")
            card += element("a", nodes.Text("website"), classes=["u-url"], href=event.url)
        return card

    def footer(self, post: Post) -> nodes.Node | None:
        """Links to the previous (older) and next (newer) listed posts."""
        older, newer = self.blog.neighbours(post.docname)
        if older is None and newer is None:
            return None
        nav = element("nav", classes=["postblog-footer"], **{"aria-label": "More posts"})
        for other, label, rel in ((older, "Previous post", "prev"), (newer, "Next post", "next")):
            if other is None:
                continue
            href = self.links.href(other.docname)
            nav += element("a", element("span", nodes.Text(label), classes=["postblog-nav-label"]),
                           element("span", nodes.Text(other.title), classes=["postblog-nav-title"]),
                           classes=[f"postblog-{rel}"], href=href, rel=rel)
        return nav
