"""kramdown's ``{:toc}``: a table of contents of the post's own headings, at its place.

The conversion leaves a ``%postblog-kramdown toc ul`` (or ``ol``) comment where the list
with ``{:toc}`` was; :func:`make_tables` (called by :mod:`.anchors`, once every heading
has its kramdown id) puts there what kramdown put: every heading of the post but those
with the class ``no_toc``, in document order, nested by level, each linking to its
kramdown id; the list is ``#markdown-toc`` and each link ``#markdown-toc-<id>``, as in
kramdown. It is a ``contents`` topic, so excerpts and word counts leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Heading", "make_tables"]

_LEFT_OUT = (nodes.footnote_reference, nodes.target, nodes.system_message, nodes.comment,
             nodes.substitution_definition)


@dataclass
class Heading:
    """A heading of the post (a section or a rubric), with the ids kramdown gives it."""

    node: nodes.Element
    #: Nesting depth among the post's headings; kramdown nests its table by level.
    depth: int
    explicit: str = ""  # the id of its attribute list
    anchor: str = ""  # the id kramdown's table links to

    @property
    def title(self) -> nodes.Element:
        """The element holding the heading's text (and kramdown's classes)."""
        node = self.node
        if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
            return node[0]
        return node


def make_tables(document: nodes.document, headings: list[Heading],
                markers: Iterable[tuple[nodes.comment, list[str]]]) -> None:
    """Replace each TOC marker comment by the table of ``headings``."""
    entries = [h for h in headings if "no_toc" not in h.title["classes"]]
    first, done = True, set()
    for comment, words in markers:
        if id(comment) in done:
            continue  # one comment with two TOC markers: the first one made the table
        done.add(id(comment))
        if not entries:
            comment.parent.remove(comment)
            continue
        table = _table(document, entries, ordered=words[1:2] == ["ol"], first=first)
        comment.replace_self(nodes.topic("", table, classes=["contents", "kramdown-toc"]))
        first = False


def _new_list(ordered: bool) -> nodes.Element:
    if ordered:
        return nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    return nodes.bullet_list()


def _table(document: nodes.document, entries: list[Heading], *, ordered: bool,
           first: bool) -> nodes.Element:
    root = _new_list(ordered)
    prefix = _free_id(document, root, "markdown-toc") if first else ""
    stack: list[tuple[int, nodes.list_item]] = []
    for heading in entries:
        anchor = heading.anchor or (heading.node["ids"] or [""])[0]
        reference = nodes.reference("", "", *_entry_text(heading.title), refid=anchor,
                                    internal=True)
        if prefix:
            _free_id(document, reference, f"{prefix}-{anchor}")
        item = nodes.list_item("", nodes.paragraph("", "", reference))
        while stack and stack[-1][0] >= heading.depth:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            sublist = parent[-1]
            if not isinstance(sublist, nodes.bullet_list | nodes.enumerated_list):
                sublist = _new_list(ordered)
                parent += sublist
            sublist += item
        else:
            root += item
        stack.append((heading.depth, item))
    return root


def _free_id(document: nodes.document, node: nodes.Element, ident: str) -> str:
    if ident in document.ids:
        return ""
    node["ids"].append(ident)
    document.ids[ident] = node
    return ident


def _entry_text(title: nodes.Element) -> list[nodes.Node]:
    """The heading's text and inline markup, without links, footnotes or ids (as kramdown)."""
    found: list[nodes.Node] = []
    for child in title.children:
        if isinstance(child, _LEFT_OUT):
            continue
        if isinstance(child, nodes.reference | addnodes.pending_xref):
            found += _entry_text(child)
            continue
        copy = child.deepcopy()
        for element in copy.findall(nodes.Element):
            for key in ("ids", "names", "dupnames", "backrefs"):
                element[key] = []
        found.append(copy)
    return found
