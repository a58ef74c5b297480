"""Docutils nodes for blog elements, with HTML visitors that work in every theme.

Blog elements are nodes in the doctree, not theme templates, so alabaster, furo,
pydata-sphinx-theme and the others all show them; themes only style them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


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


class postblog_element(nodes.General, nodes.Element):  # noqa: N801
    """An HTML element of a given tag and attributes (``<time>``, ``<nav>``, ``<article>`` …)."""

    def __init__(self, tag: str, *children: nodes.Node, attrs: dict[str, str] | None = None,
                 **attributes: Any) -> None:
        super().__init__("", *children, tag=tag, attrs=attrs or {}, **attributes)


def element(tag: str, *children: nodes.Node, classes: list[str] | None = None,
            **attrs: str) -> postblog_element:
    """Make a :class:`postblog_element`."""
    return postblog_element(tag, *children, classes=classes or [], attrs=attrs)


def _visit_element(self: HTML5Translator, node: postblog_element) -> None:
    self.body.append(self.starttag(node, node["tag"], "", **node["attrs"]))


def _depart_element(self: HTML5Translator, node: postblog_element) -> None:
    self.body.append(f"</{node['tag']}>")


def _visit_body(self: HTML5Translator, node: postblog_body) -> None:
    if node.get("start"):
        self.body.append('<div class="e-content postblog-body">\n')
    else:
        self.body.append("</div>\n")
    raise nodes.SkipNode


def _visit_passthrough(self: Any, node: nodes.Element) -> None:
    """Other builders render the children only."""


def _depart_passthrough(self: Any, node: nodes.Element) -> None:
    pass


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    """Register the nodes and their visitors for each builder family."""
    others = ("latex", "text", "man", "texinfo")
    passthrough: dict[str, Any] = dict.fromkeys(others, (_visit_passthrough, _depart_passthrough))
    skip: dict[str, Any] = dict.fromkeys(others, (_skip, None))
    app.add_node(postblog_element, html=(_visit_element, _depart_element), **passthrough)
    app.add_node(postblog_body, html=(_visit_body, None), **skip)
    for placeholder in (postblog_header, postblog_footer, postlist):
        app.add_node(placeholder, html=(_skip, None), **skip)
