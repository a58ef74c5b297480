"""Redirect pages: at each old path a post names, and at ablog's addresses of the blog's pages.

``:redirect: blog/old-name, blog/older-name`` (ablog's ``redirect``, Jekyll's
``redirect_from``; paths relative to the site's root, as document names) writes
``blog/old-name.html`` and ``blog/older-name.html`` (or ``…/index.html`` with
``dirhtml``), each a small page leading to the post.

With ``postblog_ablog_addresses`` (on when ``conf.py`` sets ablog's settings), each page
that ablog named differently gets one at ablog's address too: ``blog.html`` (ablog's page
of all posts), ``blog/tag.html`` (its list of tags, and so on), and
``blog/author/mira-okafor.html`` (ablog names a collection's page by its display name,
made a slug by :func:`ablog_slug`).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog.config import settings
from sphinx_postblog.files import redirect_page, redirect_refusal, write_if_changed
from sphinx_postblog.state import build_run
from sphinx_postblog.view import PAGE_BUILDERS, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


#: The kinds of page ablog has lists of (``blog/tag.html``) and pages for.
ABLOG_KINDS = ("category", "tag", "author", "location", "language")


def ablog_slug(name: str) -> str:
    """A name as ablog makes it a path: accents dropped, other signs removed, ``-`` joins."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKD", name)).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def ablog_pagename(path: str, kind: str, name: str) -> str:
    """The page name ablog gives a listing: ``blog/tag/<slug>``, a year's ``blog/<year>``.

    ``""`` for a kind of listing ablog does not have, or a name it makes no slug of.
    """
    if kind == "year":
        return f"{path}/{name}"
    slug = ablog_slug(name)
    return f"{path}/{kind}/{slug}" if kind in ABLOG_KINDS and slug else ""


def old_pagename(path: str) -> str | None:
    """The page name of an old path, or ``None`` if it leaves the site.

    ``blog/old-name`` (ablog) and ``/2015/old.html`` are those pages; ``/old/path/``
    (jekyll-redirect-from's folder addresses) is the folder's ``index`` page.
    """
    written = path.strip()
    name = posixpath.normpath(written.strip("/")).removesuffix(".html")
    if not name or name in {".", ".."} or name.startswith("../"):
        return None
    return f"{name}/index" if written.endswith("/") else name


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """Write the redirect pages of every post's ``redirect`` (``build-finished``)."""
    if (exception is not None or app.builder.name not in PAGE_BUILDERS
            or build_run(app.env).unchanged):
        return
    builder = app.builder
    base = site_url(app)
    written: set[str] = set()
    for post in sorted(get_blog(app).posts, key=lambda p: p.docname):
        for path in post.redirects:
            name = old_pagename(path)
            if name is None or name in app.env.all_docs or name in written:
                why = ("is outside the site" if name is None else
                       "is a page of the site" if name in app.env.all_docs else
                       "is another post's redirect too")
                logger.warning("no redirect page at %r: the path %s", path, why,
                               location=post.docname, type="postblog", subtype="permalink")
                continue
            written.add(name)
            post_uri = builder.get_target_uri(post.docname)
            target = relative_uri(builder.get_target_uri(name), post_uri)
            html = redirect_page(target, base + post_uri if base else target,
                                 post.title, app.config.language)
            target_file = Path(builder.get_outfilename(name))  # type: ignore[attr-defined]
            refusal = redirect_refusal(app.outdir, target_file)
            if refusal:
                logger.warning("no redirect page at %r: %s", path, refusal,
                               location=post.docname, type="postblog", subtype="permalink")
                continue
            try:
                write_if_changed(target_file, html)
            except (OSError, ValueError) as exc:  # a name too long, a NUL, a file in the way
                logger.warning("no redirect page at %r: %s", path,
                               getattr(exc, "strerror", None) or exc,
                               location=post.docname, type="postblog", subtype="permalink")


def ablog_addresses(app: Sphinx) -> dict[str, tuple[str, str]]:
    """The page names ablog gives the blog's pages → ours and its title, where they differ."""
    blog = get_blog(app)
    title = settings(app).title
    found = {blog.path: (blog.pagename(), title)}
    for kind in ABLOG_KINDS:
        found[f"{blog.path}/{kind}"] = (f"{blog.path}/{kind}/index", title)
        for coll in blog.collections[kind].values():
            old = ablog_pagename(blog.path, kind, coll.name)
            if old:  # a name of signs only has no page in ablog either
                # Two names with one ablog slug: the first keeps it.
                found.setdefault(old, (blog.pagename(kind, coll.slug), coll.name))
    return {old: ours for old, ours in found.items() if old != ours[0]}


def write_ablog_addresses(app: Sphinx, exception: Exception | None) -> None:
    """Redirect pages at ablog's addresses of the blog's pages (``build-finished``).

    None where a document or another page of the site is, nor to a page this build did
    not write.
    """
    if (exception is not None or app.builder.name not in PAGE_BUILDERS
            or not settings(app).ablog_addresses or build_run(app.env).unchanged):
        return
    builder = app.builder
    base = site_url(app)
    for old, (new, title) in sorted(ablog_addresses(app).items()):
        target_file = Path(builder.get_outfilename(old))  # type: ignore[attr-defined]
        if (old in app.env.all_docs or redirect_refusal(app.outdir, target_file)
                or not Path(builder.get_outfilename(new)).is_file()):  # type: ignore[attr-defined]
            continue
        new_uri = builder.get_target_uri(new)
        target = relative_uri(builder.get_target_uri(old), new_uri)
        html = redirect_page(target, base + new_uri if base else target, title,
                             app.config.language)
        with contextlib.suppress(OSError, ValueError):
            write_if_changed(target_file, html)
