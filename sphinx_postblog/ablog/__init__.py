"""ablog's dialect: an ablog site's posts build unmodified.

ablog's ``post`` and ``update`` directives (:mod:`.directives`) and their fields read as
front matter (:mod:`.frontmatter`). The ablog drop-in (``blog_*`` settings, sidebars)
lands here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.ablog.directives import setup_ablog_directives
from sphinx_postblog.ablog.frontmatter import with_post_directive

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.reading.frontmatter import RawFrontMatter


def on_front_matter(app: Sphinx, docname: str, text: str,
                    raw: RawFrontMatter | None) -> RawFrontMatter | None:
    """Front matter completed by a ``post`` directive's fields (``postblog-front-matter``)."""
    return with_post_directive(raw, text)


def setup_ablog(app: Sphinx) -> None:
    """Register ablog's directives and read their fields with the front matter."""
    setup_ablog_directives(app)
    app.connect("postblog-front-matter", on_front_matter)
