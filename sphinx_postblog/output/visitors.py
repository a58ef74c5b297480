"""How each builder writes the blog's nodes: HTML elements, or only their children.

HTML builders get real elements (``<time>``, ``<nav>``, ``<header>``…) with the
microformats classes; LaTeX, text, man and Texinfo render the children as text, and skip
the placeholders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_postblog.nodes import (
    postblog_body,
    postblog_element,
    postblog_footer,
    postblog_header,
    postblog_talk,
    postlist,
)
from sphinx_postblog.output.fulltext import keep_body

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


#: HTML's void elements: no closing tag (``</img>`` is an error a validator reports).
_VOID = frozenset({"img", "source", "track", "br", "hr", "wbr", "meta", "link", "input"})


def _visit_element(self: HTML5Translator, node: postblog_element) -> None:
    if node["tag"] in _VOID:
        self.body.append(self.emptytag(node, node["tag"], "", **node["attrs"]))
        raise nodes.SkipNode
    self.body.append(self.starttag(node, node["tag"], "", **node["attrs"]))


def _depart_element(self: HTML5Translator, node: postblog_element) -> None:
    self.body.append(f"</{node['tag']}>")


def _visit_body(self: HTML5Translator, node: postblog_body) -> None:
    if node.get("start"):
        self.body.append('<div class="e-content postblog-body">\n')
        self.postblog_body_at = len(self.body)  # type: ignore[attr-defined]
    else:
        start = getattr(self, "postblog_body_at", None)
        if start is not None and isinstance(node.parent, nodes.Element):
            # The feeds carry the body as written here, not rendered a second time.
            keep_body(self, node.parent, "".join(self.body[start:]))
            self.postblog_body_at = None  # type: ignore[attr-defined]
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
    # A talk is filled where its page is written; unfilled, its notes still show.
    app.add_node(postblog_talk, html=(_visit_passthrough, _depart_passthrough), **passthrough)
    for placeholder in (postblog_header, postblog_footer, postlist):
        app.add_node(placeholder, html=(_skip, None), **skip)
