"""In-page anchors of Jekyll posts: the ids kramdown gave a page, and links to them.

A Jekyll post links to ``#upgrading-to-latest-kong-094``: kramdown's automatic id of a
heading, not the id Sphinx gives it. :class:`PostAnchors` (a read-time transform, Jekyll
posts only) gives each heading of the body, besides Sphinx's own ids:

- its attribute list's id (``{: #id}``, ``{#id}``), which replaces the automatic one;
- the automatic id of kramdown-parser-gfm (:func:`gfm_id`: Jekyll's default input since
  Jekyll 3 and GitHub Pages'), and kramdown's own (:func:`kramdown_id`, for sites that set
  ``input: kramdown``) where that differs and is free.

Ids written as raw HTML (``<a name="x">``, ``<a id="x">``, ``<div id="x">``) become
known targets; an ``<a name>`` gets the same ``id`` too. Then ``{:toc}`` tables are made
(:mod:`.toc`), and every ``[text](#x)`` whose ``x`` is an id of the page links to it at
once: in Jekyll a fragment is always on the same page. Links to anything else are left
to MyST, which looks for a label in the project and warns when there is none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_postblog.jekyll.convert import is_jekyll_post
from sphinx_postblog.jekyll.kramdown import MARKER
from sphinx_postblog.jekyll.toc import Heading, make_tables

__all__ = ["PostAnchors", "gfm_id", "kramdown_id"]

_DASHES = re.compile(r"-{2,3}")
_TAG = re.compile(r"<([a-zA-Z][\w-]*)(\s[^<>]*?)?/?>")
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_NOT_CORE = re.compile(r"[^a-zA-Z0-9 -]")
_LEADING_NON_LETTERS = re.compile(r"^[^a-zA-Z]+", re.MULTILINE)


def _is_word(ch: str) -> bool:
    """Ruby's word characters: letters, marks, decimal and letter numbers, connectors."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    category = unicodedata.category(ch)
    return category[0] in "LM" or category in ("Nd", "Nl", "Pc") or ch in "\u200c\u200d"


def gfm_id(text: str) -> str:
    """kramdown-parser-gfm's ``generate_gfm_header_id``, before duplicates are counted.

    Lowercased; everything but word characters, ``-``, spaces and tabs removed; each
    space and tab becomes ``-``. ``text`` is the heading's text as kramdown's typography
    left it (``--`` an en dash, so ``a -- b`` is ``a--b``).
    """
    kept = "".join(ch for ch in text.lower() if ch in "- \t" or _is_word(ch))
    return kept.replace(" ", "-").replace("\t", "-")


def kramdown_id(raw: str) -> str:
    """Kramdown's own ``basic_generate_id`` of a heading's source text, or ``section``.

    Leading characters other than ASCII letters removed, then everything but ASCII
    letters, digits, spaces and ``-``; spaces become ``-``, letters lowercase.
    """
    ident = _NOT_CORE.sub("", _LEADING_NON_LETTERS.sub("", raw)).replace(" ", "-").lower()
    return ident or "section"


def _typographic(node: nodes.Text) -> str:
    """A text node as kramdown's raw text has it: ``---`` and ``--`` made dashes."""
    text = str(node)
    if isinstance(node.parent, nodes.literal):
        return text
    return _DASHES.sub(lambda m: "\u2014" if len(m.group()) == 3 else "\u2013", text)


def heading_text(title: nodes.Element) -> str:
    """The text kramdown-parser-gfm makes a heading's id from (no markup, no image alts)."""
    return "".join(_typographic(t) for t in title.findall(nodes.Text)
                   if not isinstance(t.parent, nodes.raw | nodes.footnote_reference))


class _Counter:
    """Duplicate ids as kramdown counts them: ``x``, then ``x-1``, ``x-2`` and so on."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        if base in self.seen:
            self.seen[base] += 1
            return f"{base}-{self.seen[base]}"
        self.seen[base] = 0
        return base


@dataclass
class _Page:
    """What one walk over a post's doctree found, in document order."""

    headings: list[Heading] = field(default_factory=list)
    markers: list[tuple[nodes.comment, list[str], int]] = field(default_factory=list)
    raw: list[nodes.raw] = field(default_factory=list)
    links: list[nodes.reference] = field(default_factory=list)


class PostAnchors(SphinxTransform):
    """Give a Jekyll post's headings kramdown's ids, and link ``#id`` to the page's ids.

    Runs after docutils and Sphinx have given every parsed node its ids (260-262) and
    before the post's structure (350) wraps the body, so that every section is a heading
    of the body; and long before MyST resolves ``#id`` links (879).
    """

    default_priority = 349

    def apply(self, **kwargs: Any) -> None:
        """Add the ids, fill the tables of contents, resolve the in-page links."""
        if not is_jekyll_post(self.env):
            return
        page = self._walk()
        self._apply_markers(page)
        self._heading_ids(page.headings)
        for raw in page.raw:
            self._raw_anchors(raw)
        tables = [(comment, words) for comment, words, _ in page.markers if words[:1] == ["toc"]]
        make_tables(self.document, page.headings, tables)
        for comment in {id(c): c for c, _, _ in page.markers}.values():
            if comment.parent is not None and comment in comment.parent.children:
                comment.parent.remove(comment)
        for link in page.links:
            self._resolve(link)

    def _walk(self) -> _Page:
        page = _Page()
        for node in self.document.findall(nodes.Element):
            if isinstance(node, nodes.section | nodes.rubric):
                depth = len(_ancestors(node, nodes.section)) + isinstance(node, nodes.rubric)
                page.headings.append(Heading(node, depth))
            elif isinstance(node, nodes.comment):
                for line in node.astext().split("\n"):
                    words = line.split()
                    if words[:1] == [MARKER]:
                        page.markers.append((node, words[1:], len(page.headings)))
            elif isinstance(node, nodes.raw):
                if "html" in node.get("format", "").split() and "<" in node.astext():
                    page.raw.append(node)
            elif isinstance(node, nodes.reference) and node.get("id_link"):
                page.links.append(node)
        return page

    def _apply_markers(self, page: _Page) -> None:
        """Attribute lists onto their headings: ``prev`` the one before, ``next`` after."""
        for _, words, seen in page.markers:
            where = words[0] if words else ""
            index = seen - 1 if where == "prev" else seen if where == "next" else -1
            if not 0 <= index < len(page.headings):
                continue
            heading = page.headings[index]
            for word in words[1:]:
                if word.startswith("#") and len(word) > 1:
                    heading.explicit = word[1:]
                elif word.startswith(".") and len(word) > 1:
                    heading.title["classes"].append(word[1:])

    def _heading_ids(self, headings: list[Heading]) -> None:
        gfm, core = _Counter(), _Counter()
        for heading in headings:
            if heading.explicit:
                heading.anchor = self._add_id(heading.node, heading.explicit)
                continue
            title = heading.title
            primary = gfm(gfm_id(heading_text(title)))
            raw = title.rawsource or title.astext()
            for ident in (primary, core(kramdown_id(raw))):
                added = self._add_id(heading.node, ident)
                heading.anchor = heading.anchor or added

    def _add_id(self, node: nodes.Element, ident: str) -> str:
        """Give ``node`` the id if it is free (or already its own); ``''`` if not."""
        if not ident or re.search(r"\s", ident):
            return ""
        owner = self.document.ids.get(ident)
        if owner is node:
            return ident
        if owner is not None:
            return ""
        node["ids"].append(ident)
        self.document.ids[ident] = node
        return ident

    def _raw_anchors(self, raw: nodes.raw) -> None:
        """Register the ids of raw HTML; an ``<a name="x">`` without an id gets ``id="x"``."""
        text = raw.astext()
        changed = False
        out: list[str] = []
        pos = 0
        for tag in _TAG.finditer(text):
            attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag.group(2) or "")}
            ident = attrs.get("id")
            if ident is None and tag.group(1).lower() == "a" and attrs.get("name"):
                ident = attrs["name"]
                if ident in self.document.ids or re.search(r"[\s\"'<>&]", ident):
                    continue
                out.append(text[pos : tag.start(2)] + f' id="{ident}"')
                pos, changed = tag.start(2), True
            if ident and not re.search(r"\s", ident):
                self.document.ids.setdefault(ident, raw)
        if changed:
            out.append(text[pos:])
            raw[0] = nodes.Text("".join(out))

    def _resolve(self, link: nodes.reference) -> None:
        """``[text](#x)`` to an id of this page links to it; anything else is MyST's."""
        target = str(link.get("refuri", ""))[1:]
        node = self.document.ids.get(target)
        if node is None or self.document.nametypes.get(target):
            return  # unknown here, or an explicit label, which MyST resolves
        del link["refuri"]
        del link["id_link"]
        link["refid"] = target
        link["internal"] = True
        if not link.children:
            title = next(iter(node.findall(nodes.title)), None) if isinstance(
                node, nodes.section) else None
            text = title.astext() if title is not None else f"#{target}"
            link += nodes.inline(text, text, classes=["std", "std-ref"])


def _ancestors(node: nodes.Node, kind: type[nodes.Element]) -> list[nodes.Element]:
    found = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            found.append(parent)
        parent = parent.parent
    return found
