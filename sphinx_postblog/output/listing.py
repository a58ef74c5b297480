"""Post lists as HTML: the blog index, collection pages and ``postlist`` in HTML builders.

Lists are where a big blog spends its time (each post appears on about eight listing
pages), so they are written as escaped HTML strings straight from the model, without
building and translating docutils nodes. Bylines, terms and dates are the same building
blocks as the post header's (:mod:`~sphinx_postblog.output.blocks`).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup
from sphinx.util.osutil import relative_uri

from sphinx_postblog.config import settings
from sphinx_postblog.i18n import _, ngettext
from sphinx_postblog.output import blocks
from sphinx_postblog.output.blocks import HtmlMaker, PageLinks, html_attrs, tag
from sphinx_postblog.reading.data import link_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Author, Post
    from sphinx_postblog.view import Blog, Collection


class ListingHTML:
    """Renders list markup for one page, with links relative to it."""

    def __init__(self, app: Sphinx, blog: Blog, pagename: str) -> None:
        self.blog = blog
        self.links = PageLinks(app, blog, pagename)
        self.page_uri = self.links.page_uri
        self.href = self.links.href
        self.date_format = settings(app).date_format
        self.language = app.config.language
        self.mk = HtmlMaker()

    def entry(self, post: Post, *, excerpt: bool = True, date_format: str | None = None,
              expand: str = "") -> Markup:
        """One post in a list; ``expand``: a "read more" link after the excerpt (ablog)."""
        blog = self.blog
        title = tag("p", tag("a", post.title, class_="p-name u-url", href=self.links.post(post)),
                    class_="postblog-entry-title")
        meta = [blocks.time(self.mk, post.date, date_format or self.date_format, "dt-published",
                            self.language)]
        authors = blog.authors_of(post)
        if authors:
            meta.append(blocks.authors(self.mk, self.links.authors(authors)))
        categories = blog.categories_of(post)
        if categories:
            meta.append(blocks.terms(self.mk, "category", self.links.taxa("category", categories)))
        body = title + tag("p", Markup(" · ").join(meta), class_="postblog-entry-meta")
        if excerpt and post.excerpt:
            body += self.excerpt(post, expand)
        return tag("article", body, class_="postblog-entry h-entry") + Markup("\n")

    def excerpt(self, post: Post, expand: str = "") -> Markup:
        """A post's excerpt, and a link to read on when ``expand`` names one."""
        found = tag("p", post.excerpt, class_="postblog-entry-excerpt p-summary")
        if expand:
            found += tag("p", tag("a", expand, href=self.links.post(post)),
                         class_="postblog-entry-more")
        return found

    def post_list(self, posts: list[Post], *, excerpt: bool = True,
                  date_format: str | None = None, classes: str = "", expand: str = "") -> Markup:
        """A list of posts, or a short note when there is none."""
        if posts:
            inner = Markup("").join(self.entry(p, excerpt=excerpt, date_format=date_format,
                                               expand=expand) for p in posts)
        else:
            inner = tag("p", _("No posts yet."), class_="postblog-empty")
        return tag("div", Markup("\n") + inner, class_=f"postblog-list {classes}".strip())

    def line_list(self, posts: list[Post], fields: list[tuple[str, str | None]], *,
                  list_style: str, excerpt: bool, expand: str, date_format: str | None,
                  classes: str = "") -> Markup:
        """Posts as lines of ablog's ``postlist :format:`` (literal text, then a field)."""
        if not posts:
            return tag("div", tag("p", _("No posts yet."), class_="postblog-empty"),
                       class_=f"postblog-list {classes}".strip())
        items = []
        for post in posts:
            line = Markup("").join(self.line_part(post, literal, name, date_format)
                                   for literal, name in fields)
            body = tag("p", line, class_="postblog-entry-line")
            if excerpt and post.excerpt:
                body += self.excerpt(post, expand)
            items.append(tag("li", body, class_="postblog-entry h-entry"))
        return tag("ul", Markup("\n") + Markup("\n").join(items),
                   class_=f"postblog-list postblog-lines {classes}".strip(),
                   style=f"list-style-type: {list_style or 'none'}")

    def line_part(self, post: Post, literal: str, name: str | None,
                  date_format: str | None) -> Markup:
        """Literal text of a ``:format:`` and the field after it, as HTML."""
        part = Markup(escape(literal))
        if name == "title":
            part += tag("span", tag("a", post.title, class_="p-name u-url",
                                    href=self.links.post(post)), class_="postblog-entry-title")
        elif name == "date":
            part += blocks.time(self.mk, post.date, date_format or self.date_format,
                                "dt-published", self.language)
        elif name == "author":
            part += blocks.authors(self.mk, self.links.authors(self.blog.authors_of(post)))
        elif name is not None:
            kind = "tag" if name == "tags" else name
            part += blocks.terms(self.mk, kind, self.links.taxa(kind, self.blog.taxa_of(kind, post)),
                                 separator=", ")
        return part

    def pagination(self, kind: str, slug: str, page: int, pages: int) -> Markup:
        """Links to the neighbouring pages of a paginated list."""
        if pages <= 1:
            return Markup("")
        parts = []
        if page > 1:
            parts.append(tag("a", _("← Newer posts"), class_="postblog-page-prev", rel="prev",
                             href=self.href(self.blog.pagename(kind, slug, page - 1))))
        parts.append(tag("span", _("Page {page} of {pages}").format(page=page, pages=pages),
                         class_="postblog-page-current"))
        if page < pages:
            parts.append(tag("a", _("Older posts →"), class_="postblog-page-next", rel="next",
                             href=self.href(self.blog.pagename(kind, slug, page + 1))))
        return tag("nav", Markup(" ").join(parts), class_="postblog-pagination",
                   aria_label=_("Pages"))

    def author_card(self, author: Author) -> Markup:
        """Name, avatar, bio and profile links of an author."""
        parts = []
        if author.avatar:
            src = author.avatar
            if "://" not in src:
                # Local avatars are copied to the same path in the output (copy_avatars).
                src = relative_uri(self.page_uri, src.lstrip("/"))
            attrs = html_attrs(class_="u-photo postblog-avatar", src=src, alt=author.display_name)
            parts.append(Markup(f"<img{attrs}>"))
        parts.append(tag("p", author.display_name, class_="p-name"))
        if author.bio:
            parts.append(tag("p", author.bio, class_="p-note postblog-bio"))
        links = [(label, url) for label, url in
                 [(_("website"), author.url), *((n, link_url(n, h)) for n, h in author.links)]
                 if url]
        if links:
            items = Markup("").join(tag("li", tag("a", label, class_="u-url", href=url, rel="me"))
                                    for label, url in links)
            parts.append(tag("ul", items, class_="postblog-author-links"))
        return tag("div", Markup("\n").join(parts), class_="postblog-author-card h-card")

    def term_list(self, kind: str, collections: list[Collection]) -> Markup:
        """Every category (tag, author, year) with its number of posts; speakers with their talks."""
        def count(coll: Collection) -> str:
            if kind != "speaker":
                return str(len(coll.posts))
            talks = len({talk.id or talk.title for _post, talk in coll.talks})
            return ngettext("{count} talk", "{count} talks", talks).format(count=talks)

        items = Markup("").join(
            tag("li", tag("a", c.name, href=self.href(self.blog.pagename(kind, c.slug)))
                + Markup(" ") + tag("span", count(c), class_="postblog-count"))
            for c in collections)
        return tag("ul", items, class_=f"postblog-terms postblog-terms-{kind}")


def section(title: str, ident: str, body: Markup) -> Markup:
    """A page's top section with its heading."""
    return tag("section", tag("h1", title) + Markup("\n") + body, id=ident)
