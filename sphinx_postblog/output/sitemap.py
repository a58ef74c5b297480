"""``sitemap.xml``: every published page of the site, for search engines.

Written at ``build-finished`` in the main process, at the output's root, when the site's
address is known (``postblog_url``, else ``html_baseurl``): every document (posts, other
pages) and every generated page, each once; never a draft, a redirect page, or a page
whose front matter says ``sitemap: false`` (as jekyll-sitemap reads it). A post's
``lastmod`` is its ``updated`` date, else its date; a listing's is that of the newest post
it is made from; other documents have none (the only date a build knows of them would be
a file's modification time, which differs between two checkouts of the same sources).

With sphinx-sitemap loaded, it writes the sitemap: it lists the pages it sees at
``html-page-context``, except those matching ``sitemap_excludes``; drafts are added to
that list before the pages are written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote
from xml.sax.saxutils import escape

from sphinx_postblog.config import settings
from sphinx_postblog.dates import in_zone, zone
from sphinx_postblog.files import write_if_changed
from sphinx_postblog.output.drafts import is_draft_page
from sphinx_postblog.output.records import DigestRecord
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import PAGE_BUILDERS, Blog, get_blog, site_url

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinx_postblog.model import Post

SITEMAP = "sitemap.xml"
#: A later page of a paginated listing: ``blog/tag/x/page/2``.
_LATER_PAGE = re.compile(r"/page/\d+$")
#: fnmatch's special characters, for ``sitemap_excludes`` patterns that match one name.
_GLOB = re.compile(r"([*?\[])")


def _drafts(app: Sphinx, blog: Blog) -> list[str]:
    """Documents that are drafts, as the search index and ``noindex`` see them."""
    return sorted(doc for doc in app.env.found_docs if is_draft_page(blog, doc))


def _left_out(app: Sphinx, docname: str) -> bool:
    """Whether the document's front matter keeps it out (``sitemap: false``)."""
    value = app.env.metadata.get(docname, {}).get("sitemap")
    return str(value).strip().lower() in {"false", "no", "off", "0"}


def _moment(post: Post, where: dt.tzinfo) -> dt.datetime:
    return in_zone(post.updated or post.date, where)


def _lastmod(posts: list[Post], where: dt.tzinfo) -> str:
    """W3C Datetime of the newest change among ``posts``: a day, or a time with offset."""
    newest = max(posts, key=lambda p: _moment(p, where))
    if newest.updated is None and not newest.has_time:
        return newest.day.isoformat()
    return _moment(newest, where).isoformat()


def _listing_lastmods(blog: Blog, where: dt.tzinfo) -> dict[str, str]:
    """``lastmod`` of the first page of each listing, by page name."""
    found: dict[str, str] = {}
    if blog.listed:
        newest = _lastmod(blog.listed, where)
        found[blog.pagename()] = newest
        for kind in blog.collections:
            found[f"{blog.path}/{kind}/index"] = newest
        found[f"{blog.path}/archive"] = newest
    for kind, collections in blog.collections.items():
        for coll in collections.values():
            if coll.posts:
                found[blog.pagename(kind, coll.slug)] = _lastmod(coll.posts, where)
    return found


def _url(base: str, builder: Builder, pagename: str) -> str:
    return base + quote(builder.get_target_uri(pagename), safe="/~")


def sitemap_entries(app: Sphinx) -> list[tuple[str, str]]:
    """``(URL, lastmod or "")`` of every published page, sorted by page name."""
    builder, env = app.builder, app.env
    base = site_url(app)
    blog = get_blog(app)
    where = zone(settings(app).timezone)
    state = blog_state(env)
    drafts = set(_drafts(app, blog))

    def written(pagename: str) -> bool:
        return Path(builder.get_outfilename(pagename)).is_file()  # type: ignore[attr-defined]

    pages: dict[str, str] = {}
    for docname in sorted(env.found_docs - drafts):
        if _left_out(app, docname) or not written(docname):
            continue
        posts = [p for p in state.posts_of(docname) if not blog.is_draft(p)]
        pages[docname] = _lastmod(posts, where) if posts else ""
    listings = _listing_lastmods(blog, where)
    # The generated pages of this build, as the page writer recorded them (output.pages).
    for pagename in sorted(DigestRecord(app, "pages").old):
        if pagename in pages or not written(pagename):
            continue
        first = _LATER_PAGE.sub("", pagename)
        first = blog.pagename() if first == blog.path else first
        pages[pagename] = listings.get(pagename, listings.get(first, ""))
    return [(_url(base, builder, name), pages[name]) for name in sorted(pages)]


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Write ``sitemap.xml`` (``build-finished``), unless sphinx-sitemap does."""
    if (exception is not None or app.builder.name not in PAGE_BUILDERS
            or "sphinx_sitemap" in app.extensions or not site_url(app)):
        return
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in sitemap_entries(app):
        modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{escape(url)}</loc>{modified}</url>")
    lines.append("</urlset>")
    write_if_changed(Path(app.outdir, SITEMAP), "\n".join(lines) + "\n")


def _sphinx_sitemap_link(app: Sphinx, pagename: str) -> str:
    """A page's link as sphinx-sitemap forms it (before its URL scheme is applied)."""
    if app.builder.name == "dirhtml":
        if pagename == "index":
            return ""
        return pagename[: -len("index")] if pagename.endswith("/index") else pagename + "/"
    return pagename + (app.config.html_file_suffix or ".html")


def exclude_drafts_from_sphinx_sitemap(app: Sphinx, builder: Builder) -> None:
    """Add drafts to ``sitemap_excludes`` before pages are written (``write-started``).

    sphinx-sitemap matches each page's link against these patterns (``fnmatch``) as the
    page is written; after reading, the drafts are known. Writers of a ``-j`` build are
    forked later, so they see the list too.
    """
    if "sphinx_sitemap" not in app.extensions or builder.name not in PAGE_BUILDERS:
        return
    excludes = list(getattr(app.config, "sitemap_excludes", None) or [])
    for docname in _drafts(app, get_blog(app)):
        pattern = _GLOB.sub(r"[\1]", _sphinx_sitemap_link(app, docname))
        if pattern not in excludes:
            excludes.append(pattern)
    app.config.sitemap_excludes = excludes


def setup_sitemap(app: Sphinx) -> None:
    """Write the sitemap at the end of a build, or keep drafts out of sphinx-sitemap's."""
    app.connect("write-started", exclude_drafts_from_sphinx_sitemap)
    app.connect("build-finished", write_sitemap)
