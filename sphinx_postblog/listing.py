"""Post lists as HTML: the blog index, collection pages and ``postlist`` in HTML builders.

Lists are where a big blog spends its time (each post appears on about eight listing
pages), so they are written as escaped HTML strings straight from the model, without
building and translating docutils nodes. The markup matches the post header's classes.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup
from sphinx.util.osutil import relative_uri

from sphinx_postblog.data import link_url
from sphinx_postblog.render import format_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.blog import Blog, Collection
    from sphinx_postblog.model import Author, Post, Taxon


def _attrs(**attrs: str) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def tag(name: str, content: str | Markup = "", **attrs: str) -> Markup:
    """An HTML element; plain ``str`` content and all attribute values are escaped.

    Plain string formatting with :func:`html.escape`: ``Markup.format`` costs ten times
    as much, and lists are the hot path of a big blog.
    """
    inner = content if isinstance(content, Markup) else escape(content)
    return Markup(f"<{name}{_attrs(**attrs)}>{inner}</{name}>")


class ListingHTML:
    """Renders list markup for one page, with links relative to it."""

    def __init__(self, app: Sphinx, blog: Blog, pagename: str) -> None:
        self.app, self.blog = app, blog
        self.page_uri = app.builder.get_target_uri(pagename)
        self.date_format = app.config.postblog_date_format

    def href(self, pagename: str) -> str:
        """Relative URL from this page to ``pagename``."""
        uri = relative_uri(self.page_uri, self.app.builder.get_target_uri(pagename))
        return uri or self.page_uri.rsplit("/", 1)[-1] or "./"

    def authors(self, authors: list[Author]) -> Markup:
        """``A``, ``A and B``, ``A, B and C`` as h-cards linking to author pages."""
        parts = []
        for index, author in enumerate(authors):
            if index:
                parts.append(" and " if index == len(authors) - 1 else ", ")
            link = tag("a", author.display_name, class_="u-url p-name",
                       href=self.href(self.blog.pagename("author", author.slug)))
            parts.append(tag("span", link, class_="p-author h-card"))
        return tag("span", Markup("").join(parts), class_="postblog-authors")

    def terms(self, taxa: list[Taxon], kind: str) -> Markup:
        """Category or tag links."""
        links = Markup(" ").join(
            tag("a", t.name, class_=f"p-category postblog-{kind}",
                href=self.href(self.blog.pagename(kind, t.slug))) for t in taxa)
        return tag("span", links, class_=f"postblog-{'categories' if kind == 'category' else 'tags'}")

    def entry(self, post: Post, *, excerpt: bool = True, date_format: str | None = None) -> Markup:
        """One post in a list."""
        blog = self.blog
        title = tag("p", tag("a", post.title, class_="p-name u-url", href=self.href(post.docname)),
                    class_="postblog-entry-title")
        meta = [tag("time", format_date(post.date, date_format or self.date_format),
                    class_="dt-published", datetime=post.day.isoformat())]
        authors = blog.authors_of(post)
        if authors:
            meta.append(self.authors(authors))
        categories = blog.categories_of(post)
        if categories:
            meta.append(self.terms(categories, "category"))
        body = title + tag("p", Markup(" · ").join(meta), class_="postblog-entry-meta")
        if excerpt and post.excerpt:
            body += tag("p", post.excerpt, class_="postblog-entry-excerpt p-summary")
        return tag("article", body, class_="postblog-entry h-entry") + Markup("\n")

    def post_list(self, posts: list[Post], *, excerpt: bool = True,
                  date_format: str | None = None, classes: str = "") -> Markup:
        """A list of posts, or a short note when there is none."""
        if posts:
            inner = Markup("").join(self.entry(p, excerpt=excerpt, date_format=date_format)
                                    for p in posts)
        else:
            inner = tag("p", "No posts yet.", class_="postblog-empty")
        return tag("div", Markup("\n") + inner, class_=f"postblog-list {classes}".strip())

    def pagination(self, kind: str, slug: str, page: int, pages: int) -> Markup:
        """Links to the neighbouring pages of a paginated list."""
        if pages <= 1:
            return Markup("")
        parts = []
        if page > 1:
            parts.append(tag("a", "← Newer posts", class_="postblog-page-prev", rel="prev",
                             href=self.href(self.blog.pagename(kind, slug, page - 1))))
        parts.append(tag("span", f"Page {page} of {pages}", class_="postblog-page-current"))
        if page < pages:
            parts.append(tag("a", "Older posts →", class_="postblog-page-next", rel="next",
                             href=self.href(self.blog.pagename(kind, slug, page + 1))))
        return tag("nav", Markup(" ").join(parts), class_="postblog-pagination",
                   aria_label="Pages")

    def author_card(self, author: Author) -> Markup:
        """Name, avatar, bio and profile links of an author."""
        parts = []
        if author.avatar:
            src = author.avatar
            if "://" not in src:
                # Local avatars are copied to the same path in the output (copy_avatars).
                src = relative_uri(self.page_uri, src.lstrip("/"))
            attrs = _attrs(class_="u-photo postblog-avatar", src=src, alt=author.display_name)
            parts.append(Markup(f"<img{attrs}>"))
        parts.append(tag("p", author.display_name, class_="p-name"))
        if author.bio:
            parts.append(tag("p", author.bio, class_="p-note postblog-bio"))
        links = [(label, url) for label, url in
                 [("website", author.url), *((n, link_url(n, h)) for n, h in author.links)]
                 if url]
        if links:
            items = Markup("").join(tag("li", tag("a", label, class_="u-url", href=url, rel="me"))
                                    for label, url in links)
            parts.append(tag("ul", items, class_="postblog-author-links"))
        return tag("div", Markup("\n").join(parts), class_="postblog-author-card h-card")

    def term_list(self, kind: str, collections: list[Collection]) -> Markup:
        """Every category (tag, author, year, event) with its number of posts."""
        items = Markup("").join(
            tag("li", tag("a", c.name, href=self.href(self.blog.pagename(kind, c.slug)))
                + Markup(" ") + tag("span", str(len(c.posts)), class_="postblog-count"))
            for c in collections)
        return tag("ul", items, class_=f"postblog-terms postblog-terms-{kind}")


def section(title: str, ident: str, body: Markup) -> Markup:
    """A page's top section with its heading."""
    return tag("section", tag("h1", title) + Markup("\n") + body, id=ident)
