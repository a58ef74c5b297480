"""Filling blog elements when a page is written (``doctree-resolved``), and knowing when to.

A page's blog elements depend on other posts (previous/next links, post lists) and on data
files. :func:`fingerprint` names exactly those inputs, so that an incremental build rewrites
a page when, and only when, what it shows has changed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_postblog import nodes as pb
from sphinx_postblog.blog import Blog, get_blog
from sphinx_postblog.listing import ListingHTML
from sphinx_postblog.render import PAGE_BUILDERS, Renderer, format_date, postlist_options
from sphinx_postblog.state import digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post


def list_posts(blog: Blog, count: int, options: dict[str, str]) -> list[Post]:
    """The posts a ``postlist`` with these options shows."""
    posts = blog.query(**postlist_options(options))
    return posts[:count] if count else posts


def index_docname(app: Sphinx) -> str | None:
    """The blog index, when the project has a document of its own at ``<path>/index``."""
    docname = f"{app.config.postblog_path}/index"
    return docname if docname in app.env.all_docs else None


def entry_summary(blog: Blog, post: Post) -> tuple[object, ...]:
    """What a list entry or a neighbour link shows of a post (kept while the view lasts)."""
    summary = blog.summaries.get(post.docname)
    if summary is None:
        summary = blog.summaries[post.docname] = (
            post.docname, post.title, post.date, post.excerpt,
            [(a.slug, a.display_name) for a in blog.authors_of(post)],
            [(t.slug, t.name) for t in blog.categories_of(post)])
    return summary


def fingerprint(app: Sphinx, docname: str) -> str | None:
    """A digest of everything the blog elements of ``docname`` show, or None if it has none."""
    blog = get_blog(app)
    parts: list[object] = []
    post = blog.state.posts.get(docname)
    if post is not None:
        older, newer = blog.neighbours(docname)
        linked = [(kind, slug in blog.collections[kind]) for kind, slug in
                  [("author", a.slug) for a in blog.authors_of(post)]
                  + [("category", t.slug) for t in blog.categories_of(post)]
                  + [("tag", t.slug) for t in blog.tags_of(post)]]
        parts += [post, blog.authors_of(post), blog.categories_of(post), blog.tags_of(post),
                  blog.is_draft(post), linked, [entry_summary(blog, p) for p in (older, newer) if p]]
    for options in blog.state.postlists.get(docname, ()):
        parts.append([entry_summary(blog, p)
                      for p in list_posts(blog, options["count"], options["options"])])
    if docname == index_docname(app):
        parts.append([entry_summary(blog, p) for p in blog.listed[: app.config.postblog_per_page]])
        parts.append(len(blog.listed))
    if not parts:
        return None
    config = [getattr(app.config, name) for name in
              ("postblog_date_format", "postblog_words_per_minute", "postblog_path")]
    return digest(parts, config)


def _post_slots(doctree: nodes.document) -> list[nodes.Element]:
    """The header and footer placeholders of a post.

    PostStructure puts them among the children of the post's top-level section; looking
    there first spares a walk over every node of every post.
    """
    slots: list[nodes.Element] = [child for section in doctree.children if isinstance(section, nodes.section)
             for child in section.children
             if isinstance(child, pb.postblog_header | pb.postblog_footer)]
    if len(slots) == 2:  # one header, one footer
        return slots
    return [n for n in doctree.findall(nodes.Element)
            if isinstance(n, pb.postblog_header | pb.postblog_footer)]


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholders of a page with the current blog elements."""
    app._postblog_written = getattr(app, "_postblog_written", 0) + 1  # type: ignore[attr-defined]
    blog = get_blog(app)
    post = blog.state.posts.get(docname)
    has_lists = docname in blog.state.postlists
    is_index = docname == index_docname(app)
    if post is None and not has_lists and not is_index:
        return  # most pages of a site: nothing of the blog in them
    renderer = Renderer(app, blog, docname)
    if post is not None:
        for slot in _post_slots(doctree):
            rendered = (renderer.header(post, slot) if isinstance(slot, pb.postblog_header)
                        else renderer.footer(post))
            if rendered is None:
                slot.parent.remove(slot)
            else:
                slot.replace_self(rendered)
    if has_lists:
        for node in list(doctree.findall(pb.postlist)):
            posts = list_posts(blog, node["count"], node["options"])
            node.replace_self(_list_node(app, blog, docname, posts, excerpt=node["excerpts"],
                                         date_format=node["options"].get("date")))
    if is_index:
        per_page = app.config.postblog_per_page
        pages = max(1, math.ceil(len(blog.listed) / per_page))
        # Inside the page's own top section, so themes treat the list as its content.
        target: nodes.Element = next(
            (n for n in doctree.children if isinstance(n, nodes.section)), doctree)
        target.append(_list_node(app, blog, docname, blog.listed[:per_page], excerpt=True))
        if app.builder.name in PAGE_BUILDERS and pages > 1:
            nav = ListingHTML(app, blog, docname).pagination("index", "", 1, pages)
            target.append(nodes.raw("", str(nav), format="html"))


def _list_node(app: Sphinx, blog: Blog, docname: str, posts: list[Post], *, excerpt: bool,
               date_format: str | None = None) -> nodes.Node:
    """A post list: HTML for HTML builders, a plain bullet list for the others."""
    if app.builder.format == "html":
        html = ListingHTML(app, blog, docname).post_list(
            posts, excerpt=excerpt, date_format=date_format, classes="postblog-postlist")
        return nodes.raw("", str(html), format="html")
    items = nodes.bullet_list(classes=["postblog-list"])
    for post in posts:
        text = f"{post.title} ({format_date(post.date, date_format or app.config.postblog_date_format)})"
        items += nodes.list_item("", nodes.paragraph(text, text))
    return items
