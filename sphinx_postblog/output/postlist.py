"""The ``postlist`` directive: a list of posts on any page, filled when the page is written.

The directive leaves a placeholder with its options; the collector records them, so that
the page is written again whenever the posts it lists change, and ``doctree-resolved``
(:mod:`~sphinx_postblog.output.resolve`) fills it from the current posts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_postblog import nodes as pb

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Blog

logger = logging.getLogger(__name__)


#: ablog's ``postlist`` options that have no equivalent here: accepted with a warning.
_ABLOG_ONLY = {
    **dict.fromkeys(("format", "list-style", "expand", "location", "language"),
                    directives.unchanged),
    "sort": directives.flag,
}


class PostList(SphinxDirective):
    """``{postlist} [N]``: the N newest listed posts, optionally filtered.

    Filters take comma-separated values: ``:category:``, ``:tag:``, ``:author:`` (keys or
    names), ``:year:``, ``:event:``. ``:excerpts:`` shows each post's excerpt,
    ``:date:`` sets the date format (strftime). ablog's ``:tags:`` is ``:tag:``; its
    other options are accepted with a warning.
    """

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar = {
        "category": directives.unchanged,
        "tag": directives.unchanged,
        "author": directives.unchanged,
        "year": directives.unchanged,
        "event": directives.unchanged,
        "excerpts": directives.flag,
        "date": directives.unchanged,
        # ablog's names and options, so its pages build unchanged.
        "tags": directives.unchanged,
        **_ABLOG_ONLY,
    }

    def run(self) -> list[nodes.Node]:
        """Leave a placeholder; the collector records its options."""
        count = 0
        if self.arguments:
            try:
                count = directives.nonnegative_int(self.arguments[0])
            except ValueError:
                return [self.state.document.reporter.warning(
                    f"postlist: the argument must be a number of posts, not {self.arguments[0]!r}",
                    line=self.lineno)]
        if "tags" in self.options:
            self.options.setdefault("tag", self.options.pop("tags"))
        for name in _ABLOG_ONLY:
            if name in self.options:
                del self.options[name]
                logger.warning("postlist: ablog's option :%s: is not supported; ignored", name,
                               location=self.get_location(), type="postblog", subtype="postlist")
        options = {key: value for key, value in self.options.items() if key != "excerpts"}
        node = pb.postlist(count=count, excerpts="excerpts" in self.options,
                           options=options)
        self.set_source_info(node)
        return [node]


def postlist_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Normalise ``postlist`` options into filter lists (shared by directive and fingerprints)."""
    split = re.compile(r"\s*,\s*")
    return {
        key: [v for v in split.split(str(raw.get(key, ""))) if v]
        for key in ("category", "tag", "author", "year", "event")
    }


def list_posts(blog: Blog, count: int, options: dict[str, str]) -> list[Post]:
    """The posts a ``postlist`` with these options shows."""
    posts = blog.query(**postlist_options(options))
    return posts[:count] if count else posts


def setup_postlist(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("postlist", PostList)
