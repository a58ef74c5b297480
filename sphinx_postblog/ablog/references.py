"""ablog's reference names: ``:ref:`tag-python```, ``:ref:`blog-archives```, posts by file name.

ablog defines no roles of its own: its pages and posts are reached with ``:ref:`` and names
it resolves when nothing else does (``missing-reference``). The same names work here. Page
names lead to sphinx-postblog's labels of its generated pages (``tag-python`` is
``postblog-tag-python``, ``archive-2014`` is ``postblog-year-2014``); a post's name is its
file name (its folder's, for an ``index`` document), followed by ``-`` and the section's id
for a section post. A label of the project's own always wins: only references nothing else
resolves come here.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.nodes import make_refnode

from sphinx_postblog.view import get_blog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Blog

#: ablog's names of its archive pages, and the labels of the pages that are ours.
PAGES = {"blog-posts": "postblog-index", "blog-archives": "postblog-archive",
         "blog-tags": "postblog-tags", "blog-categories": "postblog-categories",
         "blog-authors": "postblog-authors", "blog-locations": "postblog-locations",
         "blog-languages": "postblog-languages"}
#: ablog's prefixes of a collection's name, and the kinds of collection they name.
KINDS = {"tag": "tag", "category": "category", "author": "author", "location": "location",
         "language": "language", "archive": "year"}


def ablog_slug(text: str) -> str:
    """A name as ablog makes it part of a reference: punctuation dropped, spaces as ``-``."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKD", text)).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def page_label(blog: Blog, target: str) -> str | None:
    """The label of the generated page an ablog name means (``tag-python``), if any."""
    if target in PAGES:
        return PAGES[target]
    prefix, _, name = target.partition("-")
    kind = KINDS.get(prefix)
    if kind is None or not name:
        return None
    collections = blog.collections[kind]
    if name in collections:
        return f"postblog-{kind}-{name}"
    found = next((slug for slug, coll in collections.items()
                  if name in {ablog_slug(coll.name), ablog_slug(slug)}), None)
    return f"postblog-{kind}-{found}" if found is not None else None


def post_label(post: Post) -> str:
    """Ablog's name of a post: its file name (its folder's for ``index``), then its section's."""
    folder, name = posixpath.split(post.docname)
    if name == "index":
        name = posixpath.basename(folder) or name
    return (f"{name}-{post.anchor}" if post.anchor else name).lower()


def on_missing_reference(app: Sphinx, env: BuildEnvironment, node: nodes.Element,
                         contnode: nodes.Element) -> nodes.Element | None:
    """Resolve a ``:ref:`` to one of ablog's names that no label answered."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    target = node["reftarget"]
    blog = get_blog(app)
    label = page_label(blog, target)
    if label is not None:
        found = env.domains.standard_domain.data["labels"].get(label)
        if found is None:  # no such page for this builder
            return None
        docname, anchor, title = found
    else:
        post = next((p for p in blog.posts if post_label(p) == target), None)
        if post is None:
            return None
        docname, anchor, title = post.docname, post.anchor, post.title
    if node.get("refexplicit"):
        child = contnode
    else:
        child = nodes.inline(title, title, classes=contnode.get("classes", []))
    return make_refnode(app.builder, node["refdoc"], docname, anchor, child, title)
