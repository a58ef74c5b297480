"""Filling blog elements when a page is written (``doctree-resolved``).

Post headers and footers, ``postlist`` placeholders and the blog index's list are filled
from the current model, on the pages that have them; which pages are written again is
:mod:`~sphinx_postblog.output.freshness`' concern.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_postblog import nodes as pb
from sphinx_postblog.config import settings
from sphinx_postblog.dates import format_date
from sphinx_postblog.output.freshness import index_docname
from sphinx_postblog.output.header import Renderer
from sphinx_postblog.output.listing import ListingHTML
from sphinx_postblog.output.postlist import lines, list_posts, plain_line
from sphinx_postblog.output.talks import TalkCards
from sphinx_postblog.state import build_run
from sphinx_postblog.view import PAGE_BUILDERS, Blog, get_blog

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post


def _post_slots(doctree: nodes.document, *, sections: bool) -> list[nodes.Element]:
    """The header and footer placeholders of a post (and of its section posts).

    PostStructure puts them among the children of the post's top-level section; looking
    there first spares a walk over every node of every post.
    """
    slots: list[nodes.Element] = [child for section in doctree.children if isinstance(section, nodes.section)
             for child in section.children
             if isinstance(child, pb.postblog_header | pb.postblog_footer)]
    if len(slots) == 2 and not sections:  # one header, one footer
        return slots
    return [n for n in doctree.findall(nodes.Element)
            if isinstance(n, pb.postblog_header | pb.postblog_footer)]


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the placeholders of a page with the current blog elements."""
    build_run(app.env).written += 1
    blog = get_blog(app)
    post = blog.state.posts.get(docname)
    sections = docname in blog.state.sections
    has_lists = docname in blog.state.postlists
    is_index = docname == index_docname(app)
    has_talks = docname in blog.state.talks
    if post is None and not sections and not has_lists and not is_index and not has_talks:
        return  # most pages of a site: nothing of the blog in them
    renderer = Renderer(app, blog, docname)
    if has_talks:
        config = settings(app)
        cards = TalkCards(app, renderer.links, config.date_format, config.third_party_media)
        for talk in list(doctree.findall(pb.postblog_talk)):
            talk.replace_self(cards.card(talk))
    if post is not None or sections:
        for slot in _post_slots(doctree, sections=sections):
            # A section post's header names its post; the page's slots are the page post's.
            owner = blog.state.posts.get(slot.get("post") or docname)
            rendered = (None if owner is None else renderer.header(owner, slot)
                        if isinstance(slot, pb.postblog_header) else renderer.footer(owner))
            if rendered is None:
                slot.parent.remove(slot)
            else:
                slot.replace_self(rendered)
    if has_lists:
        for node in list(doctree.findall(pb.postlist)):
            posts = list_posts(blog, node["count"], node["options"])
            node.replace_self(_list_node(app, blog, docname, posts, excerpt=node["excerpts"],
                                         options=node["options"]))
    if is_index:
        per_page = settings(app).per_page
        pages = max(1, math.ceil(len(blog.listed) / per_page))
        # Inside the page's own top section, so themes treat the list as its content.
        target: nodes.Element = next(
            (n for n in doctree.children if isinstance(n, nodes.section)), doctree)
        target.append(_list_node(app, blog, docname, blog.listed[:per_page], excerpt=True))
        if app.builder.name in PAGE_BUILDERS and pages > 1:
            nav = ListingHTML(app, blog, docname).pagination("index", "", 1, pages)
            target.append(nodes.raw("", str(nav), format="html"))


def _list_node(app: Sphinx, blog: Blog, docname: str, posts: list[Post], *, excerpt: bool,
               options: dict[str, Any] | None = None) -> nodes.Node:
    """A post list: HTML for HTML builders, a plain bullet list for the others."""
    # A postlist's dates are short by default (ablog's post_date_format_short), the index's not.
    short = settings(app).date_format_short if options is not None else ""
    options = options or {}
    date_format = options.get("date") or short or None
    fields = lines(options)
    if app.builder.format == "html":
        html = ListingHTML(app, blog, docname)
        if fields is None:
            markup = html.post_list(posts, excerpt=excerpt, date_format=date_format,
                                    classes="postblog-postlist", expand=options.get("expand", ""))
        else:
            markup = html.line_list(posts, fields, list_style=options.get("list-style", ""),
                                    excerpt=excerpt, expand=options.get("expand", ""),
                                    date_format=date_format, classes="postblog-postlist")
        return nodes.raw("", str(markup), format="html")
    items = nodes.bullet_list(classes=["postblog-list"])
    fmt = date_format or settings(app).date_format
    for post in posts:
        text = (f"{post.title} ({format_date(post.date, fmt, app.config.language)})"
                if fields is None else plain_line(blog, post, fields, fmt, app.config.language))
        items += nodes.list_item("", nodes.paragraph(text, text))
    return items
