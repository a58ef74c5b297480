"""One set of HTML building blocks for every place a post is shown.

Bylines, term links, ``<time>`` elements and links between pages are built here, once,
for the post header and footer (as docutils nodes, so every builder and theme shows them)
and for every listing and ``postlist`` (as escaped HTML strings, the hot path of a big
blog). A block is written once against :class:`Maker`; :class:`HtmlMaker` and
:class:`NodeMaker` turn it into either form, so the same post shows the same byline
everywhere.

Links are made by :class:`PageLinks`, for one page: a generated page (an author's, a
tag's) is linked only where it exists (a page builder, and a listed post in it); a
document is always linked.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Generic, TypeVar

from docutils import nodes
from markupsafe import Markup
from sphinx.util.osutil import relative_uri

from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _, pieces
from sphinx_postblog.nodes import element
from sphinx_postblog.view import PAGE_BUILDERS

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from sphinx.application import Sphinx

    from sphinx_postblog.model import Author, Post, Taxon
    from sphinx_postblog.view import Blog

T = TypeVar("T")
#: A name to show and the link to its page, or None where there is no page to link.
Named = tuple[str, "str | None"]


def html_attrs(**attrs: str) -> str:
    """Attributes as HTML, values escaped; ``class_`` is ``class``, ``aria_label`` is ``aria-label``."""
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def tag(name: str, content: str | Markup = "", **attrs: str) -> Markup:
    """An HTML element; plain ``str`` content and all attribute values are escaped.

    Plain string formatting with :func:`html.escape`: ``Markup.format`` costs ten times
    as much, and lists are the hot path of a big blog.
    """
    inner = content if isinstance(content, Markup) else escape(content)
    return Markup(f"<{name}{html_attrs(**attrs)}>{inner}</{name}>")


class Maker(Generic[T]):
    """What a block needs to build an element: text, elements, links."""

    def text(self, text: str) -> T:
        """Text, escaped where it is written."""
        raise NotImplementedError

    def el(self, name: str, children: Sequence[T], classes: str = "", **attrs: str) -> T:
        """An element with the given classes and attributes."""
        raise NotImplementedError

    def link(self, text: str, href: str | None, classes: str, **attrs: str) -> T:
        """A link, or the text in a ``<span>`` of the same classes when ``href`` is None."""
        raise NotImplementedError


class HtmlMaker(Maker[Markup]):
    """Blocks as escaped HTML strings."""

    def text(self, text: str) -> Markup:
        """Escaped text."""
        return Markup(escape(text))

    def el(self, name: str, children: Sequence[Markup], classes: str = "",
           **attrs: str) -> Markup:
        """An element; the children are markup already."""
        if classes:
            attrs = {"class_": classes, **attrs}
        return Markup(f"<{name}{html_attrs(**attrs)}>{''.join(children)}</{name}>")

    def link(self, text: str, href: str | None, classes: str, **attrs: str) -> Markup:
        """``<a>``, or ``<span>`` without a target."""
        if href is None:
            return tag("span", text, class_=classes)
        return tag("a", text, class_=classes, href=href, **attrs)


class NodeMaker(Maker[nodes.Node]):
    """Blocks as docutils nodes: HTML elements in HTML builders, their text in the others."""

    def text(self, text: str) -> nodes.Node:
        """A text node."""
        return nodes.Text(text)

    def el(self, name: str, children: Sequence[nodes.Node], classes: str = "",
           **attrs: str) -> nodes.Node:
        """A :class:`~sphinx_postblog.nodes.postblog_element`."""
        return element(name, *children, classes=classes.split(), **attrs)

    def link(self, text: str, href: str | None, classes: str, **attrs: str) -> nodes.Node:
        """An ``<a>`` element, or an inline node without a target."""
        if href is None:
            return nodes.inline(text, text, classes=classes.split())
        return element("a", nodes.Text(text), classes=classes.split(), href=href, **attrs)


def item_list(items: Sequence[Sequence[nodes.Node]], classes: str, *, html: bool,
              ordered: bool = False) -> nodes.Element:
    """A list of inline items: ``<ul>``/``<ol>`` in HTML, a docutils list in other builders.

    The other builders write a ``postblog_element`` as its children only, which would run
    the items together; a docutils list gives each its own line or bullet.
    """
    if html:
        box = element("ol" if ordered else "ul", classes=classes.split())
        for item in items:
            box += element("li", *item)
        return box
    entries = [nodes.list_item("", nodes.paragraph("", "", *item)) for item in items]
    kind = nodes.enumerated_list if ordered else nodes.bullet_list
    return kind("", *entries, classes=classes.split())


def external(label: str, url: str, classes: str, *, html: bool) -> list[nodes.Node]:
    """A link to another site: its label in HTML; ``label: url`` where links are not clickable."""
    if html:
        return [nodes.reference(label, label, refuri=url, classes=classes.split())]
    return [nodes.Text(f"{label}: "), nodes.reference(url, url, refuri=url, classes=classes.split())]


# -- the blocks --------------------------------------------------------------------------


def fill(mk: Maker[T], message: str, **parts: T | list[T]) -> list[T]:
    """A translated message with ``{placeholders}``: its text, each placeholder an element.

    The translation decides the order (``"By {authors}"`` is ``"Von {authors}"``).
    """
    found: list[T] = []
    for literal, name in pieces(message):
        if literal:
            found.append(mk.text(literal))
        part = parts.get(name) if name is not None else None
        if isinstance(part, list):
            found.extend(part)
        elif part is not None:
            found.append(part)
    return found


def time(mk: Maker[T], value: dt.datetime, fmt: str, classes: str,
         language: str | None = None) -> T:
    """A ``<time>`` element: the date as readers of ``language`` read it, the day as machines do."""
    return mk.el("time", [mk.text(format_date(value, fmt, language))], classes,
                 datetime=value.date().isoformat())


def authors(mk: Maker[T], people: Sequence[Named]) -> T:
    """Authors as h-cards joined as prose: ``A``, ``A and B``, ``A, B and C``."""
    cards = [mk.el("span", [mk.link(name, href, "u-url p-name")], "p-author h-card")
             for name, href in people]
    if len(cards) < 2:
        return mk.el("span", cards, "postblog-authors")
    first: list[T] = []
    for index, card in enumerate(cards[:-1]):
        if index:
            first.append(mk.text(", "))
        first.append(card)
    # TRANSLATORS: authors as prose, "A, B and C": {first} is every author but the last.
    parts = fill(mk, _("{first} and {last}"), first=first, last=cards[-1])
    return mk.el("span", parts, "postblog-authors")


#: The microformats class of a term's link, and the class of the span around them.
_TERM_CLASSES = {"category": ("p-category", "postblog-categories"),
                 "tag": ("p-category", "postblog-tags"),
                 "location": ("p-location", "postblog-locations"),
                 "language": ("", "postblog-languages")}


def terms(mk: Maker[T], kind: str, taxa: Sequence[Named], separator: str = " ") -> T:
    """Category, tag, location or language links (``p-category``, ``p-location``)."""
    microformat, box = _TERM_CLASSES[kind]
    parts: list[T] = []
    for index, (name, href) in enumerate(taxa):
        if index:
            parts.append(mk.text(separator))
        parts.append(mk.link(name, href, f"{microformat} postblog-{kind}".strip()))
    return mk.el("span", parts, box)


class PageLinks:
    """Links from one page to documents and to generated pages, relative to it."""

    def __init__(self, app: Sphinx, blog: Blog, pagename: str) -> None:
        self.builder, self.blog = app.builder, blog
        self.page_uri = app.builder.get_target_uri(pagename)
        #: Whether generated pages (author, tag … pages) exist for this builder.
        self.generated = app.builder.name in PAGE_BUILDERS

    def href(self, pagename: str) -> str:
        """Relative URL from this page to a document or a generated page."""
        uri = relative_uri(self.page_uri, self.builder.get_target_uri(pagename))
        return uri or self.page_uri.rsplit("/", 1)[-1] or "./"

    def post(self, post: Post, *, external: bool = True) -> str:
        """The link to a post: its page, at its section's anchor when it is one section.

        In lists, a post published elsewhere (ablog's ``external_link``) links there.
        """
        if external and post.external_link:
            return post.external_link
        href = self.href(post.docname)
        return f"{href}#{post.anchor}" if post.anchor else href

    def collection(self, kind: str, slug: str) -> str | None:
        """The link to a category's (tag's, author's …) page, if it is generated."""
        if not self.generated or slug not in self.blog.collections[kind]:
            return None
        return self.href(self.blog.pagename(kind, slug))

    def authors(self, people: Sequence[Author]) -> list[Named]:
        """Authors' names and the links to their pages."""
        return [(a.display_name, self.collection("author", a.slug)) for a in people]

    def taxa(self, kind: str, taxa: Sequence[Taxon]) -> list[Named]:
        """Names of categories (tags, locations, languages) and the links to their pages."""
        return [(t.name, self.collection(kind, t.slug)) for t in taxa]
