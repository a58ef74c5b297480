"""Old URLs keep working: Jekyll permalink patterns and a redirect page at each post's old path.

A post is written where Sphinx writes any document (its docname), so ``{doc}`` links and
intersphinx keep working; ``postblog_permalink`` (or a post's own ``permalink:``) adds a
small redirect page at the path Jekyll used.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog.config import settings
from sphinx_postblog.files import redirect_page, redirect_refusal, write_if_changed
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.state import build_run
from sphinx_postblog.view import PAGE_BUILDERS, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post

logger = logging.getLogger(__name__)

#: Jekyll's named permalink styles.
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(output_ext|categories|short_year|i_month|i_day|y_day|"
                          r"short_day|year|month|day|title|slug|week|hour|minute|second)")


def expand(pattern: str, post: Post) -> str:
    """A post's URL path for a Jekyll permalink pattern or style."""
    pattern = STYLES.get(pattern, pattern)
    date = post.date
    values = {
        "year": f"{date.year:04d}", "short_year": f"{date.year % 100:02d}",
        "month": f"{date.month:02d}", "i_month": str(date.month),
        "day": f"{date.day:02d}", "i_day": str(date.day),
        "y_day": f"{date.timetuple().tm_yday:03d}", "short_day": date.strftime("%a"),
        "week": f"{date.isocalendar()[1]:02d}",
        "hour": f"{date.hour:02d}", "minute": f"{date.minute:02d}", "second": f"{date.second:02d}",
        "title": post.slug,
        "slug": re.sub(r"[^a-z0-9]+", "-", post.slug.lower()).strip("-"),
        "categories": "/".join(dict.fromkeys(c.lower().replace(" ", "-")
                                             for c in post.categories)),
        "output_ext": ".html",
    }
    path = re.sub(r"/{2,}", "/", "/" + _PLACEHOLDER.sub(lambda m: values[m.group(1)], pattern))
    # As a browser would: ``.`` and ``..`` segments resolved, never above the site's root.
    normal = posixpath.normpath(path)
    return normal + "/" if path.endswith("/") and normal != "/" else normal


def post_path(app: Sphinx, post: Post) -> str | None:
    """The post's old URL path (``/title/``), if a permalink applies to it."""
    pattern = post.permalink or settings(app).permalink
    return expand(pattern, post) if pattern else None


def old_paths(app: Sphinx) -> list[tuple[Post, str]]:
    """Every post with an old URL path, by document name (worked out once a view)."""
    blog = get_blog(app)
    found = blog.derived.get("old_paths")
    if found is None:
        default = settings(app).permalink
        found = blog.derived["old_paths"] = [
            (post, expand(pattern, post))
            for post in sorted(blog.posts, key=lambda p: p.docname)
            if (pattern := post.permalink or default)]
    return found


def output_file(path: str) -> str:
    """The file (relative to the output folder) that serves a URL path."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    if posixpath.splitext(relative)[1]:
        return relative
    return relative + ".html"


def check_permalinks(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn once per clash: two posts claiming the same old URL (``env-check-consistency``)."""
    seen: dict[str, str] = {}
    for post, path in old_paths(app):
        target = output_file(path)
        if target in seen:
            logger.warning("posts %s and %s have the same permalink %s; the old URL leads to "
                           "the first, both pages stay at their own paths",
                           env.doc2path(seen[target]), env.doc2path(post.docname), path,
                           location=post.docname, type="postblog", subtype="permalink")
            continue
        seen[target] = post.docname


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """Write a redirect page at each post's old URL (``build-finished``)."""
    if exception is not None or app.builder.name not in PAGE_BUILDERS or build_run(app.env).unchanged:
        return
    builder = app.builder
    base = site_url(app)
    written: set[str] = set()
    real = {builder.get_target_uri(d) for d in app.env.all_docs}
    for post, path in old_paths(app):
        relative = output_file(path)
        page_uri = builder.get_target_uri(post.docname)
        if relative in written or relative in real or relative == page_uri:
            continue
        written.add(relative)
        target = relative_uri(relative, page_uri)
        html = redirect_page(target, base + page_uri if base else target,
                                 post.title, app.config.language)
        refusal = redirect_refusal(app.outdir, Path(app.outdir, relative))
        if refusal:
            source = Path(app.env.doc2path(post.docname))
            line = yamlsafe.key_line(source, "permalink") if post.permalink else 1
            logger.warning("no redirect page for permalink %r: %s", path, refusal,
                           location=(post.docname, line), type="postblog", subtype="permalink")
            continue
        try:
            write_if_changed(Path(app.outdir, relative), html)
        except (OSError, ValueError) as exc:  # a name too long, a NUL, a file in the way
            source = Path(app.env.doc2path(post.docname))
            line = yamlsafe.key_line(source, "permalink") if post.permalink else 1
            logger.warning("no redirect page for permalink %r: %s", path,
                           getattr(exc, "strerror", None) or exc,
                           location=(post.docname, line), type="postblog", subtype="permalink")
