"""ablog's ``post`` and ``update`` directives, so that ablog posts build unchanged.

Registered only where ablog itself is not loaded, and where no other extension has taken
the names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, is_directive_registered

from sphinx_postblog import nodes as pb
from sphinx_postblog.ablog.frontmatter import directive_fields, with_defaults
from sphinx_postblog.config import settings
from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _
from sphinx_postblog.reading.fields import parse_date

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


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
                         "title", "image", "excerpt", "external_link", "canonical_link"),
                        directives.unchanged),
        "exclude": directives.flag,
        "nocomments": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """A marker of the post, holding the directive's content (ablog's excerpt).

        The post structure transform makes the marker's section a post when the document
        has several (ablog's posting sections), and puts the content in its place.
        """
        config = settings(self.config)
        fields = with_defaults(directive_fields(self.arguments, self.options, self.lineno), {
            "author": config.default_author, "location": config.default_location,
            "language": config.default_language})
        marker = pb.postblog_post_marker(fields=fields, exclude="exclude" in self.options)
        self.set_source_info(marker)
        self.state.nested_parse(self.content, self.content_offset, marker)
        markers = self.env.temp_data.get(pb.POST_MARKERS)
        if markers is None:
            markers = self.env.temp_data[pb.POST_MARKERS] = []
        markers.append(marker)
        return [marker]


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
            label = format_date(parsed[0], settings(self.config).date_format,
                                self.config.language)
        node = nodes.admonition(classes=["postblog-update", "note"])
        if parsed is not None:  # a section's post is updated by the notes in it
            node["postblog_updated"] = parsed[0].isoformat()
        node += nodes.title("", _("Updated on {date}").format(date=label))
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def setup_ablog_directives(app: Sphinx) -> None:
    """Register the directives (only where ablog itself is not loaded)."""
    if "ablog" in app.config.extensions:
        return
    for name, directive in (("post", AblogPost), ("update", AblogUpdate)):
        if not is_directive_registered(name):
            app.add_directive(name, directive)
