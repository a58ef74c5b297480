"""ablog's dialect: an ablog site builds unmodified once ``"ablog"`` reads ``"sphinx_postblog"``.

ablog's ``post`` and ``update`` directives (:mod:`.directives`) and their fields read as
front matter (:mod:`.frontmatter`); ablog's ``conf.py`` settings read into the
``postblog_*`` ones (:mod:`.settings`); ablog's sidebar templates under their names
(:mod:`.sidebars`); the redirect pages of a post's ``redirect`` (:mod:`.redirects`);
ablog's reference names of its pages and posts (:mod:`.references`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.ablog.directives import setup_ablog_directives
from sphinx_postblog.ablog.frontmatter import with_defaults, with_post_directive
from sphinx_postblog.ablog.redirects import write_ablog_addresses, write_redirects
from sphinx_postblog.ablog.references import on_missing_reference
from sphinx_postblog.ablog.settings import setup_ablog_settings
from sphinx_postblog.ablog.sidebars import setup_sidebars
from sphinx_postblog.config import settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.reading.frontmatter import RawFrontMatter


def on_front_matter(app: Sphinx, docname: str, text: str,
                    raw: RawFrontMatter | None) -> RawFrontMatter | None:
    """Front matter completed by a ``post`` directive's fields and the site's defaults.

    (``postblog-front-matter``.) The defaults are ``postblog_default_author``,
    ``postblog_default_location`` and ``postblog_default_language`` (ablog's
    ``blog_default_*``), for posts that give none.
    """
    config = settings(app)
    return with_defaults(with_post_directive(raw, text), {
        "author": config.default_author, "location": config.default_location,
        "language": config.default_language})


def setup_ablog(app: Sphinx) -> None:
    """Register ablog's directives, settings and sidebars; read the directives as front matter."""
    setup_ablog_settings(app)
    setup_ablog_directives(app)
    setup_sidebars(app)
    app.connect("postblog-front-matter", on_front_matter)
    app.connect("missing-reference", on_missing_reference)
    app.connect("build-finished", write_redirects)
    app.connect("build-finished", write_ablog_addresses)
