"""Blog elements as docutils nodes: post header and footer, post lists, pagination.

Everything here only reads the model (through :class:`~sphinx_postblog.blog.Blog`); it is
called when a page is written, so lists are always built from the current posts.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_postblog.nodes import element

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx

    from sphinx_postblog.blog import Blog
    from sphinx_postblog.model import Author, Post, Taxon

PAGE_BUILDERS = frozenset({"html", "dirhtml"})


def format_date(value: dt.date, fmt: str) -> str:
    """``strftime`` with ``%-d`` and ``%-m`` (no zero padding) on every platform."""
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)


class Renderer:
    """Builds blog nodes for one page (``fromdoc``), with links relative to it."""

    def __init__(self, app: Sphinx, blog: Blog, fromdoc: str) -> None:
        self.app, self.blog, self.fromdoc = app, blog, fromdoc
        self.config = app.config
        self.links = app.builder.name in PAGE_BUILDERS

    # -- small pieces -------------------------------------------------------------------

    def uri(self, pagename: str) -> str | None:
        """Relative URI to a page, or None where this builder has no such pages."""
        if not self.links:
            return None
        return self.app.builder.get_relative_uri(self.fromdoc, pagename)

    def link(self, text: str, pagename: str, classes: list[str], *, exists: bool = True,
             **attrs: str) -> nodes.Node:
        """A link to ``pagename`` (plain text where that page is not generated)."""
        href = self.uri(pagename) if exists else None
        if href is None:
            return nodes.inline(text, text, classes=classes)
        return element("a", nodes.Text(text), classes=classes, href=href, **attrs)

    def date(self, post_date: dt.datetime, classes: list[str], fmt: str | None = None) -> nodes.Node:
        """A ``<time>`` element."""
        text = format_date(post_date, fmt or self.config.postblog_date_format)
        return element("time", nodes.Text(text), classes=classes,
                       datetime=post_date.date().isoformat())

    def author(self, author: Author) -> nodes.Node:
        """An author as an h-card linking to the author's page."""
        return element("span", self.link(author.display_name,
                                         self.blog.pagename("author", author.slug),
                                         ["u-url", "p-name"],
                                         exists=author.slug in self.blog.collections["author"]),
                       classes=["p-author", "h-card"])

    def authors(self, authors: list[Author]) -> nodes.Node:
        """Authors joined as English prose: ``A``, ``A and B``, ``A, B and C``."""
        span = element("span", classes=["postblog-authors"])
        for index, author in enumerate(authors):
            if index:
                span += nodes.Text(" and " if index == len(authors) - 1 else ", ")
            span += self.author(author)
        return span

    def terms(self, taxa: list[Taxon], kind: str) -> nodes.Node:
        """Category or tag links with the ``p-category`` class."""
        span = element("span", classes=[f"postblog-{'categories' if kind == 'category' else 'tags'}"])
        for index, taxon in enumerate(taxa):
            if index:
                span += nodes.Text(" ")
            span += self.link(taxon.name, self.blog.pagename(kind, taxon.slug),
                              ["p-category", f"postblog-{kind}"],
                              exists=taxon.slug in self.blog.collections[kind])
        return span

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
            byline += self.authors(authors)
            byline += nodes.Text(" · ")
        byline += self.date(post.date, ["dt-published", "postblog-date"])
        if post.updated and post.updated.date() != post.date.date():
            byline += nodes.Text(" · updated ")
            byline += self.date(post.updated, ["dt-updated", "postblog-updated"])
        minutes = max(1, math.ceil(post.word_count / self.config.postblog_words_per_minute))
        byline += nodes.Text(" · ")
        byline += element("span", nodes.Text(f"{minutes} min read"),
                          classes=["postblog-reading-time"])
        header += byline
        categories, tags = blog.categories_of(post), blog.tags_of(post)
        if categories or tags:
            terms = nodes.paragraph(classes=["postblog-taxonomy"])
            if categories:
                terms += self.terms(categories, "category")
            if categories and tags:
                terms += nodes.Text(" · ")
            if tags:
                terms += self.terms(tags, "tag")
            header += terms
        if post.event is not None:
            header += self.event_card(post)
        images = [child for child in placeholder.children if isinstance(child, nodes.image)]
        if images:
            header += element("div", *images, classes=["postblog-hero"])
        if blog.is_draft(post):
            why = ("This post is a draft: it is not published yet"
                   if not post.published else
                   f"This post is scheduled for {format_date(post.date, self.config.postblog_date_format)}")
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
        card += self.link(event.name, self.blog.pagename("event", event.slug),
                          ["postblog-event-name"],
                          exists=event.slug in self.blog.collections["event"])
        if event.location:
            card += nodes.Text(" · ")
            card += element("span", nodes.Text(event.location), classes=["postblog-event-location"])
        if event.start:
            fmt = self.config.postblog_date_format
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
            href = self.app.builder.get_relative_uri(self.fromdoc, other.docname)
            nav += element("a", element("span", nodes.Text(label), classes=["postblog-nav-label"]),
                           element("span", nodes.Text(other.title), classes=["postblog-nav-title"]),
                           classes=[f"postblog-{rel}"], href=href, rel=rel)
        return nav


def postlist_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Normalise ``postlist`` options into filter lists (shared by directive and fingerprints)."""
    split = re.compile(r"\s*,\s*")
    return {
        key: [v for v in split.split(str(raw.get(key, ""))) if v]
        for key in ("category", "tag", "author", "year", "event")
    }
