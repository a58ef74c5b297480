"""Docutils nodes for blog elements: placeholders made while reading, filled when writing.

Blog elements are nodes in the doctree, not theme templates, so alabaster, furo,
pydata-sphinx-theme and the others all show them; themes only style them. The classes are
here, below reading and output, because reading makes them and doctrees pickle their class
paths; how each builder writes them is :mod:`sphinx_postblog.output.visitors`.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes


class postblog_header(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a post's header, filled when the page is written."""


class postblog_footer(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a post's footer (previous and next post)."""


class postblog_body(nodes.General, nodes.Element):  # noqa: N801
    """Marks where a post's body starts (``start=True``) or ends.

    Two markers around the body, rather than a wrapper, keep the body's sections direct
    children of the post's section, so Sphinx's table of contents still sees them.
    """


class postlist(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder for a list of posts, filled when the page is written."""


class postblog_talk(nodes.General, nodes.Element):  # noqa: N801
    """A talk of a conference report: ``talk`` holds the :class:`~sphinx_postblog.model.Talk`.

    The children are the author's notes; the card around them (title, speakers, time,
    slides, recording) is made when the page is written, with links to speaker pages.
    """


class postblog_post_marker(nodes.General, nodes.Element):  # noqa: N801
    """Where a dialect's post directive stands (ablog's ``post``); gone before writing.

    ``fields`` holds the directive's fields as raw front matter, ``exclude`` whether its
    content is left out of the page. The children are the directive's content (ablog's
    excerpt). The
    directive notes each marker in ``env.temp_data[POST_MARKERS]``, in document order, so
    that the post structure transform finds them without walking the document.
    """


#: The ``env.temp_data`` key of the post markers of the document being read.
POST_MARKERS = "postblog_post_markers"


class postblog_element(nodes.General, nodes.Element):  # noqa: N801
    """An HTML element of a given tag and attributes (``<time>``, ``<nav>``, ``<article>`` …)."""

    def __init__(self, tag: str, *children: nodes.Node, attrs: dict[str, str] | None = None,
                 **attributes: Any) -> None:
        super().__init__("", *children, tag=tag, attrs=attrs or {}, **attributes)


def element(tag: str, *children: nodes.Node, classes: list[str] | None = None,
            **attrs: str) -> postblog_element:
    """Make a :class:`postblog_element`."""
    return postblog_element(tag, *children, classes=classes or [], attrs=attrs)
