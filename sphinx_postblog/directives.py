"""The ``postlist`` directive: a list of posts on any page, filled when the page is written."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes as docutils_nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, is_directive_registered

from sphinx_postblog import nodes as pb
from sphinx_postblog.frontmatter import parse_date
from sphinx_postblog.render import format_date

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

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


class AblogPost(SphinxDirective):
    """ablog's ``post`` directive, so that ablog posts build unchanged.

    Its date and options are read with the front matter (``read_post_directive``) and shown
    in the post's header like any post's; the directive itself shows nothing.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        **dict.fromkeys(("tags", "category", "author", "location", "language", "redirect",
                         "title", "image", "excerpt", "external_link"), directives.unchanged),
        "exclude": directives.flag,
        "nocomments": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """Nothing in place: the post's header shows what the directive says."""
        return []


class AblogUpdate(SphinxDirective):
    """ablog's ``update`` directive: a dated note in a post, "Updated on 20 April 2014".

    The newest update's date is also the post's ``updated`` date (``read_post_directive``).
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        """An admonition titled with the date, holding the directive's content."""
        parsed = parse_date(self.arguments[0])
        if parsed is None:
            logger.warning("update: %r is not a date", self.arguments[0],
                           location=self.get_location(), type="postblog", subtype="frontmatter")
            label = self.arguments[0]
        else:
            label = format_date(parsed[0], self.config.postblog_date_format)
        node = docutils_nodes.admonition(classes=["postblog-update", "note"])
        node += docutils_nodes.title("", f"Updated on {label}")
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def setup_directives(app: Sphinx) -> None:
    """Register the directives (ablog's only where ablog itself is not loaded)."""
    app.add_directive("postlist", PostList)
    if "ablog" in app.config.extensions:
        return
    for name, directive in (("post", AblogPost), ("update", AblogUpdate)):
        if not is_directive_registered(name):
            app.add_directive(name, directive)
