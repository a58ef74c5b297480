"""Generated pages: the blog index, and one page per category, tag, author, year and event.

Pages are rendered from the model with the current theme's ``page.html``; no post is
re-rendered for them, so their cost grows with the posts they list, not with
collections × posts.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import copyfile, relative_uri

from sphinx_postblog.blog import Blog, Collection, get_blog
from sphinx_postblog.data import link_url
from sphinx_postblog.nodes import element
from sphinx_postblog.render import PAGE_BUILDERS, Renderer
from sphinx_postblog.resolve import index_docname

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Author, Post

KIND_TITLES = {"category": "Categories", "tag": "Tags", "author": "Authors",
               "year": "Archive", "event": "Events"}
KIND_LABELS = {"category": "categories", "tag": "tags", "author": "authors",
               "year": "archive", "event": "events"}


def _section(title: str, ident: str) -> nodes.section:
    section = nodes.section(ids=[ident])
    section += nodes.title(title, title)
    return section


def author_card(renderer: Renderer, author: Author) -> nodes.Node:
    """Name, avatar, bio and profile links of an author."""
    card = element("div", classes=["postblog-author-card", "h-card"])
    if author.avatar:
        src = author.avatar
        if "://" not in src:
            # Local avatars are copied to the same path in the output (see copy_avatars).
            src = relative_uri(renderer.app.builder.get_target_uri(renderer.fromdoc),
                               src.lstrip("/"))
        card += element("img", classes=["u-photo", "postblog-avatar"], src=src,
                        alt=author.display_name)
    card += nodes.paragraph(author.display_name, author.display_name, classes=["p-name"])
    if author.bio:
        card += nodes.paragraph(author.bio, author.bio, classes=["p-note", "postblog-bio"])
    links = [(label, url) for label, url in
             [("website", author.url), *((n, link_url(n, h)) for n, h in author.links)] if url]
    if links:
        items = element("ul", classes=["postblog-author-links"])
        for label, url in links:
            items += element("li", element("a", nodes.Text(label), classes=["u-url"], href=url,
                                           rel="me"))
        card += items
    return card


def _listing_pages(app: Sphinx, blog: Blog, kind: str, slug: str, title: str,
                   posts: list[Post], intro: nodes.Node | None = None,
                   ) -> Iterator[tuple[str, dict[str, Any], str]]:
    per_page = app.config.postblog_per_page
    pages = max(1, math.ceil(len(posts) / per_page))
    for page in range(1, pages + 1):
        pagename = blog.pagename(kind, slug, page)
        renderer = Renderer(app, blog, pagename)
        heading = title if page == 1 else f"{title} (page {page})"
        section = _section(heading, f"postblog-{kind}-{slug}" if slug else "postblog-index")
        if intro is not None and page == 1:
            section += intro
        chunk = posts[(page - 1) * per_page : page * per_page]
        section += renderer.post_list(chunk, excerpt=True)
        nav = renderer.pagination(kind, slug, page, pages)
        if nav is not None:
            section += nav
        yield pagename, page_context(app, heading, section), "page.html"


def _terms_page(app: Sphinx, blog: Blog, kind: str) -> tuple[str, dict[str, Any], str]:
    pagename = f"{blog.path}/{'archive' if kind == 'year' else kind + '/index'}"
    renderer = Renderer(app, blog, pagename)
    title = KIND_TITLES[kind]
    section = _section(title, f"postblog-{KIND_LABELS[kind]}")
    terms = element("ul", classes=["postblog-terms", f"postblog-terms-{kind}"])
    collections = blog.collections[kind].values()
    ordered: list[Collection] = (sorted(collections, key=lambda c: c.slug, reverse=True)
                                 if kind == "year" else
                                 sorted(collections, key=lambda c: c.name.casefold()))
    for coll in ordered:
        item = element("li", renderer.link(coll.name, blog.pagename(kind, coll.slug), []))
        item += nodes.Text(" ")
        item += element("span", nodes.Text(str(len(coll.posts))), classes=["postblog-count"])
        terms += item
    section += terms
    return pagename, page_context(app, title, section), "page.html"


def page_context(app: Sphinx, title: str, node: nodes.Node) -> dict[str, Any]:
    """Template context for a generated page."""
    return {
        "title": title,
        "body": app.builder.render_partial(node)["fragment"],  # type: ignore[attr-defined]
        "display_toc": False,
        "toc": "",
        "meta": {},
        "sourcename": "",
        "postblog_generated": True,
    }


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield every generated page (``html-collect-pages``)."""
    if app.builder.name not in PAGE_BUILDERS:
        return
    blog = get_blog(app)
    title = app.config.postblog_title
    for page in _listing_pages(app, blog, "index", "", title, blog.listed):
        if page[0] == blog.pagename("index") and index_docname(app):
            continue  # the project's own blog/index document shows page one
        yield page
    for kind, collections in blog.collections.items():
        if not collections:
            continue
        yield _terms_page(app, blog, kind)
        for coll in collections.values():
            intro = None
            if coll.author is not None:
                intro = author_card(Renderer(app, blog, blog.pagename(kind, coll.slug)),
                                    coll.author)
            heading = {"category": f"Category: {coll.name}", "tag": f"Tag: {coll.name}",
                       "author": f"Posts by {coll.name}", "year": f"Posts from {coll.name}",
                       "event": coll.name}[kind]
            yield from _listing_pages(app, blog, kind, coll.slug, heading, coll.posts, intro)


def register_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Give every generated page a label for ``{ref}`` (``env-updated``)."""
    std = env.domains.standard_domain
    labels, anonlabels = std.data["labels"], std.data["anonlabels"]
    for name in [n for n in labels if n.startswith("postblog-")]:
        labels.pop(name, None)
        anonlabels.pop(name, None)
    if app.builder.name not in PAGE_BUILDERS:
        return
    blog = get_blog(app)
    entries = {"postblog-index": (blog.pagename("index"), app.config.postblog_title)}
    for kind, collections in blog.collections.items():
        entries[f"postblog-{KIND_LABELS[kind]}"] = (
            f"{blog.path}/{'archive' if kind == 'year' else kind + '/index'}", KIND_TITLES[kind])
        for coll in collections.values():
            entries[f"postblog-{kind}-{coll.slug}"] = (blog.pagename(kind, coll.slug), coll.name)
    for label, (pagename, title) in entries.items():
        labels[label] = (pagename, "", title)
        anonlabels[label] = (pagename, "")


def copy_avatars(app: Sphinx, exception: Exception | None) -> None:
    """Copy local avatar images of the authors file into the output (``build-finished``)."""
    if exception is not None or app.builder.name not in PAGE_BUILDERS:
        return
    for author in get_blog(app).state.data.authors.values():
        if not author.avatar or "://" in author.avatar:
            continue
        relative = author.avatar.lstrip("/")
        source = Path(app.srcdir, relative).resolve()
        if source.is_file() and Path(app.srcdir).resolve() in source.parents:
            copyfile(source, Path(app.outdir, relative))
