"""ablog's ``redirect`` and Jekyll's ``redirect_from``: a page at each old path a post names.

``:redirect: blog/old-name, blog/older-name`` (paths relative to the site's root, as
document names) writes ``blog/old-name.html`` and ``blog/older-name.html`` (or
``…/index.html`` with ``dirhtml``), each a small page leading to the post.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog.files import redirect_page, redirect_refusal, write_if_changed
from sphinx_postblog.state import build_run
from sphinx_postblog.view import PAGE_BUILDERS, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


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
