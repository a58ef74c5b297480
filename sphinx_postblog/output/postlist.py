"""The ``postlist`` directive: a list of posts on any page, filled when the page is written.

The directive leaves a placeholder with its options; the collector records them, so that
the page is written again whenever the posts it lists change, and ``doctree-resolved``
(:mod:`~sphinx_postblog.output.resolve`) fills it from the current posts.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_postblog import nodes as pb
from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Blog

logger = logging.getLogger(__name__)

#: Filters: each takes comma-separated values.
FILTERS = ("category", "tag", "author", "year", "event", "location", "language")
#: The fields ablog's ``:format:`` knows.
FORMAT_FIELDS = frozenset({"title", "date", "author", "location", "language", "category", "tags"})
#: ablog's default ``:format:``, used when only ``:list-style:`` asks for lines.
DEFAULT_FORMAT = "{date} - {title}"
_LIST_STYLE = re.compile(r"^[a-z][a-z-]*$")


def format_fields(text: str) -> list[tuple[str, str | None]] | None:
    """A ``:format:`` as (literal text, field name or None) pairs; None if it cannot be read."""
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        return None
    return [(literal, name) for literal, name, _, _ in parsed]


class PostList(SphinxDirective):
    """``{postlist} [N]``: the N newest listed posts, optionally filtered.

    Filters take comma-separated values: ``:category:``, ``:tag:``, ``:author:`` (keys or
    names), ``:year:``, ``:event:``, ``:location:``, ``:language:``. ``:excerpts:`` shows
    each post's excerpt, ``:expand:`` a link to read on after it, ``:date:`` sets the date
    format (strftime). ablog's ``:tags:`` is ``:tag:``; its ``:format:`` and
    ``:list-style:`` write each post as one line of a bullet list, and ``:sort:`` shows the
    posts oldest first.
    """

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar = {
        **dict.fromkeys(FILTERS, directives.unchanged),
        "excerpts": directives.flag,
        "date": directives.unchanged,
        "expand": directives.unchanged,
        "format": directives.unchanged,
        "list-style": directives.unchanged,
        "sort": directives.flag,
        # ablog's name of :tag:, so its pages build unchanged.
        "tags": directives.unchanged,
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
        options = dict(self.options)
        if "tags" in options:
            options.setdefault("tag", options.pop("tags"))
        options.pop("excerpts", None)
        if "sort" in options:
            options["sort"] = True
        if "expand" in options:
            options["expand"] = options["expand"].strip() or _("Read more")
        self._check_format(options)
        self._check_list_style(options)
        node = pb.postlist(count=count, excerpts="excerpts" in self.options, options=options)
        self.set_source_info(node)
        return [node]

    def _check_format(self, options: dict[str, Any]) -> None:
        if "format" not in options:
            return
        fields = format_fields(options["format"])
        unknown = sorted({name for _, name in fields or () if name is not None}
                         - FORMAT_FIELDS)
        if fields is None or unknown or not options["format"].strip():
            what = (f"unknown fields {', '.join('{' + n + '}' for n in unknown)}" if unknown
                    else "it cannot be read")
            logger.warning("postlist: :format: %r is not used, %s (known: %s)",
                           options.pop("format"), what,
                           ", ".join("{" + n + "}" for n in sorted(FORMAT_FIELDS)),
                           location=self.get_location(), type="postblog", subtype="postlist")

    def _check_list_style(self, options: dict[str, Any]) -> None:
        style = options.get("list-style")
        if style is None:
            return
        style = options["list-style"] = style.strip().lower() or "none"
        if not _LIST_STYLE.match(style):
            logger.warning("postlist: :list-style: %r is not a CSS list style (circle, disc, "
                           "square, none …); ignored", options.pop("list-style"),
                           location=self.get_location(), type="postblog", subtype="postlist")


def postlist_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Normalise ``postlist`` options into filter lists (shared by directive and fingerprints)."""
    split = re.compile(r"\s*,\s*")
    return {key: [v for v in split.split(str(raw.get(key, "")).strip()) if v] for key in FILTERS}


def list_posts(blog: Blog, count: int, options: dict[str, Any]) -> list[Post]:
    """The posts a ``postlist`` with these options shows: the newest N, oldest first if sorted."""
    posts = blog.query(**postlist_options(options))
    posts = posts[:count] if count else posts
    return posts[::-1] if options.get("sort") else posts


def lines(options: dict[str, Any]) -> list[tuple[str, str | None]] | None:
    """The ``:format:`` a list writes its posts by, when it writes them as lines."""
    if "format" not in options and "list-style" not in options:
        return None
    return format_fields(options.get("format") or DEFAULT_FORMAT) or []


def plain_line(blog: Blog, post: Post, fields: list[tuple[str, str | None]],
               date_format: str, language: str | None = None) -> str:
    """A post as a ``:format:`` line in plain text, for builders other than HTML."""
    parts = []
    for literal, name in fields:
        parts.append(literal)
        if name == "title":
            parts.append(post.title)
        elif name == "date":
            parts.append(format_date(post.date, date_format, language))
        elif name == "author":
            parts.append(", ".join(a.display_name for a in blog.authors_of(post)))
        elif name is not None:
            kind = "tag" if name == "tags" else name
            parts.append(", ".join(t.name for t in blog.taxa_of(kind, post)))
    return "".join(parts)


def setup_postlist(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("postlist", PostList)
