"""kramdown-only syntax in Jekyll posts, rewritten as MyST Markdown that renders alike.

Owns :func:`kramdown_to_myst`, a text pass run after Liquid and before MyST parses a post:
inline attribute lists (IALs) on images become MyST ``attrs_inline`` attributes, code
block IALs become fence languages, extension tags (``{::comment}``…) go, tab-indented
and loosely written lists are written the way CommonMark nests them as kramdown did, and
lines MyST would read as its own syntax (``%`` comments, ``+++``, ``(label)=``) are
escaped. Fenced code is never
touched. Output lines stay aligned with input lines wherever the construct allows it.

What MyST has no syntax for is left as a :data:`MARKER` comment line for the post's
doctree (:mod:`.anchors`, :mod:`.toc`): a ``{:toc}`` list becomes ``%postblog-kramdown toc
ul`` (or ``ol``) at its place, and a heading's IAL (``{: #id .no_toc}``, ``{#id}``)
becomes ``%postblog-kramdown prev #id .no_toc`` after the heading (``next`` before it).
Ids stay ids of the page, as in kramdown, rather than Sphinx labels, which are global:
two posts may both have a ``#summary``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from sphinx_postblog.jekyll.ial import IAL, IAL_PATTERN, QUOTED, Ial, myst_attrs
from sphinx_postblog.jekyll.liquid import LiquidProblem

__all__ = ["MARKER", "kramdown_to_myst"]

#: The comment the conversion leaves for what the doctree must do (see the module docs).
MARKER = "postblog-kramdown"

_IAL_LINE = re.compile(rf"(?P<prefix>[ \t>]*)(?P<ials>(?:{IAL_PATTERN}[ \t]*)+)\Z")
_ALD = re.compile(r"[\w-]+:")  # an attribute list definition: {:name: .class}
_EXT = re.compile(r"\{::(\w+)((?:[^}\"']|" + QUOTED + r")*?)(/?)\}|\{:/(\w*)\}")
_IMAGE = re.compile(
    r"!\[(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*\]"
    r"(?:\(\s*(?:<[^>\n]*>|(?:\\.|[^()\s\\]|\([^()\s]*\))*)"
    r"""(?:\s+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\([^)]*\)))?\s*\)|\[[^\]]*\])"""
    rf"(?P<ial>{IAL_PATTERN})?")
_IMAGE_OR_IAL = re.compile(f"{_IMAGE.pattern}|{IAL_PATTERN}")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)")
_ITEM = re.compile(r"(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|\Z)")
_HEADING_ID = re.compile(r"(?P<head>(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*#{1,6}[ \t].*?)"
                         r"[ \t]+\{#(?P<id>[\w:.-]+)\}[ \t]*\Z")
_MYST_LINE = re.compile(r"(?P<prefix>[ \t>]*)(?=%|\+\+\+|\([^)\s]*\)=\s*\Z)")
_COMMENT_END = re.compile(r"\{:/(?:comment)?\}")


#: Text the IAL, TOC and escaping pass (:class:`_Rewriter`) could change: attribute lists
#: and extensions, heading ids, lines MyST reads as its own syntax.
_REWRITE_TRIGGER = re.compile(r"\{[:#]|^[ \t>]*(?:%|\+\+\+|\([^)\s]*\)=[ \t]*$)", re.MULTILINE)
#: Text the list pass could change: tabs in indentation, item text CommonMark reads as code
#: (four spaces or a tab after the marker).
_LIST_TRIGGER = re.compile(r"^ *\t|^ *(?:[-*+]|\d{1,9}[.)])(?: {4,}\S| *\t)", re.MULTILINE)
_BULLET = re.compile(r"^ *([-*+])(?:[ \t]|$)", re.MULTILINE)


def _needs_lists(text: str) -> bool:
    if _LIST_TRIGGER.search(text):
        return True
    return len(set(_BULLET.findall(text))) > 1  # kramdown continues a list across bullets


@functools.cache
def _parser() -> MarkdownIt:
    # Only where blocks are matters here, so CommonMark (as MyST's base) plus tables,
    # without inline parsing (most of the parser's time, and nothing reads it).
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


@dataclass
class _Layout:
    """Where markdown-it finds blocks, by 0-based line."""

    verbatim: set[int] = field(default_factory=set)  # inside code or HTML blocks
    fence_ends: dict[int, int] = field(default_factory=dict)  # line after a fence → start
    fence_starts: set[int] = field(default_factory=set)
    code: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # end → (s, e, text)
    code_starts: dict[int, int] = field(default_factory=dict)  # start → end
    paragraph: dict[int, tuple[int, int]] = field(default_factory=dict)  # line → (s, e)
    headings: dict[int, int] = field(default_factory=dict)  # line of a heading → its start
    lists: list[tuple[int, int]] = field(default_factory=list)  # outermost lists
    items: set[int] = field(default_factory=set)  # first lines of list items


def _layout(text: str) -> _Layout:
    layout = _Layout()
    depth = 0
    for token in _parser().parse(text):
        start, end = token.map or (0, 0)
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth == 1:
                layout.lists.append((start, end))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            layout.items.add(start)
        elif token.type in ("fence", "code_block", "html_block"):
            layout.verbatim.update(range(start, end))
            if token.type == "fence":
                layout.fence_ends[end] = start
                layout.fence_starts.add(start)
            elif token.type == "code_block":
                layout.code[end] = (start, end, token.content)
                layout.code_starts[start] = end
        elif token.type == "paragraph_open":
            layout.paragraph.update(dict.fromkeys(range(start, end), (start, end)))
        elif token.type == "heading_open":
            layout.headings.update(dict.fromkeys(range(start, max(end, start + 1)), start))
    return layout


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _extensions(text: str, layout: _Layout, problems: list[LiquidProblem]) -> str:
    """Drop ``{::comment}`` bodies and extension tags; keep ``{::nomarkdown}`` content."""
    verbatim = layout.verbatim
    out: list[str] = []
    pos = 0
    for m in _EXT.finditer(text):
        if m.start() < pos or _line_of(text, m.start()) - 1 in verbatim:
            continue
        out.append(text[pos : m.start()])
        pos = m.end()
        name = m.group(1)
        if name is None or m.group(3):  # a closing tag, or a self-closing one like options
            continue
        if name not in ("comment", "nomarkdown", "options"):
            problems.append(LiquidProblem(_line_of(text, m.start()),
                                          f"unknown kramdown extension {{::{name}}}; its tags are "
                                          "left out, its content kept"))
        if name == "comment":
            end = _COMMENT_END.search(text, pos)
            if end is None:
                problems.append(LiquidProblem(_line_of(text, m.start()),
                                              "{::comment} is never closed; the tag is left out"))
                continue
            # Keep the comment's line breaks, so later lines keep their numbers.
            out.append("\n" * text.count("\n", pos, end.start()))
            pos = end.end()
    out.append(text[pos:])
    return "".join(out)


def _expand_indent(line: str) -> str:
    """Leading tabs as spaces, to CommonMark's 4-column tab stops (so nothing moves)."""
    body = line.lstrip(" \t")
    col = 0
    for ch in line[: len(line) - len(body)]:
        col += 4 - col % 4 if ch == "\t" else 1
    return " " * col + body


def _lists(text: str, layout: _Layout) -> str:
    """Expand leading tabs and write list markers so CommonMark nests lists as kramdown."""
    lines = text.split("\n")
    bullets: dict[int, str] = {}  # indent → the bullet of the list open at that indent
    after_blank = False
    for i, raw in enumerate(lines):
        if i in layout.verbatim:
            m = _ITEM.match(raw)
            code = layout.code.get(layout.code_starts.get(i, -1))
            # kramdown reads "-      text" as an item's text; CommonMark as indented code
            # (its code then lacks the marker that a real indented code block would have).
            if m and code and m.group("gap") and not code[2].lstrip().startswith(
                    m.group("marker")):
                lines[i] = raw[: m.start("gap")] + " " + raw[m.end() :].lstrip(" \t")
            continue
        line = _expand_indent(raw) if raw[:1] in (" ", "\t") else raw
        m = _ITEM.match(line)
        if m and i in layout.items:
            indent, marker = len(m.group("indent")), m.group("marker")
            for deeper in [k for k in bullets if k > indent]:
                del bullets[deeper]
            if marker in "-*+":
                # kramdown continues a list when the bullet changes; CommonMark starts anew.
                marker = bullets.setdefault(indent, marker)
                line = line[:indent] + marker + line[indent + 1 :]
            else:
                bullets.pop(indent, None)
        elif line.strip() and after_blank:
            indent = len(line) - len(line.lstrip(" "))
            for deeper in [k for k in bullets if k >= indent]:
                del bullets[deeper]
        after_blank = not line.strip()
        lines[i] = line
    return "\n".join(lines)


class _Rewriter:
    """The IAL, TOC and MyST-escaping pass, over lines that keep their numbers."""

    def __init__(self, text: str, layout: _Layout, attrs_inline: bool) -> None:
        self.layout = layout
        self.lines = text.split("\n")
        self.attrs_inline = attrs_inline
        self.image_extra: dict[int, tuple[Ial, bool]] = {}  # line → (block IAL, align only)
        # Lines that cannot be had without adding one: written before / after line i.
        self.before: dict[int, str] = {}
        self.after: dict[int, str] = {}
        self.written: set[int] = set()  # lines this pass wrote: not to be rewritten again
        self.toc_done = False

    def write(self, i: int, line: str) -> None:
        self.lines[i] = line
        self.written.add(i)

    def blank(self, i: int) -> bool:
        """Whether line ``i`` is blank; the document's edges count as blank lines."""
        return not 0 <= i < len(self.lines) or not self.lines[i].strip(" \t>")

    def spare(self, i: int) -> bool:
        """Whether line ``i`` is a blank line this pass may write a line of its own on."""
        return 0 <= i < len(self.lines) and self.blank(i) and not (
            i in self.layout.verbatim or i in self.written)

    def run(self) -> str:
        for i, line in enumerate(self.lines):
            m = _IAL_LINE.match(line)
            if m and i not in self.layout.verbatim:
                self.lines[i] = m.group("prefix").rstrip(" \t")
                if not _ALD.match(m.group("ials")[2:].lstrip()):
                    self.block_ial(i, Ial.parse(m.group("ials")), m.group("prefix"))
        for i, line in enumerate(self.lines):
            if i not in self.layout.verbatim and i not in self.written:
                self.lines[i] = self.inline(i, line)
        for i, extra in self.before.items():
            self.lines[i] = extra + "\n" + self.lines[i]
        for i, extra in self.after.items():
            self.lines[i] += "\n" + extra
        return "\n".join(self.lines)

    def block_ial(self, i: int, ial: Ial, prefix: str) -> None:
        """Apply a block IAL on line ``i`` to the block right before it, else right after."""
        layout, prev, nxt = self.layout, i - 1, i + 1
        if "toc" in ial.refs:
            self.toc(i)
        elif not self.blank(prev):
            if i in layout.fence_ends:
                self.fence_language(layout.fence_ends[i], ial)
            elif i in layout.code:
                self.indented_code(*layout.code[i], ial, after=True)
            elif prev in layout.paragraph:
                start = layout.paragraph[prev][0]
                self.image_extra.setdefault(start, (ial, start != prev))
            elif prev in layout.headings:
                self.marker(i, "prev", ial, prefix)
        elif not self.blank(nxt):
            if nxt in layout.fence_starts:
                self.fence_language(nxt, ial)
            elif nxt in layout.code_starts:
                end = layout.code_starts[nxt]
                self.indented_code(*layout.code[end], ial, after=False)
            elif nxt in layout.paragraph:
                end = layout.paragraph[nxt][1]
                self.image_extra.setdefault(nxt, (ial, end - 1 > nxt))
            elif nxt in layout.headings:
                self.marker(i, "next", ial, prefix)

    def toc(self, i: int) -> None:
        """Replace a kramdown TOC list (a list, then ``{:toc}``) by a TOC marker line."""
        start = next((s for s, e in self.layout.lists if s < i <= e), None)
        if start is None or self.toc_done:
            return  # kramdown makes only the first such list a table; later ones stay lists
        self.toc_done = True
        item = _ITEM.match(self.lines[start])
        kind = "ol" if item and item.group("marker")[0].isdigit() else "ul"
        self.write(start, f"%{MARKER} toc {kind}")
        for k in range(start + 1, i + 1):
            self.write(k, "")

    def fence_language(self, start: int, ial: Ial) -> None:
        lang = ial.language()
        line = self.lines[start]
        fence = re.match(r"[ \t>]*(`{3,}|~{3,})", line)
        if lang and fence and not line[fence.end() :].strip():
            self.write(start, line[: fence.end()] + lang)

    def indented_code(self, start: int, end: int, content: str, ial: Ial, *, after: bool) -> None:
        """Turn an indented code block into a fence, so it can carry its language."""
        lang = ial.language()
        first = self.lines[start]
        body = content.rstrip("\n").split("\n")
        if not lang or first.lstrip().startswith(">") or len(body) != end - start:
            return
        width = len(first.expandtabs(4)) - len(first.expandtabs(4).lstrip())
        prefix = " " * max(width - 4, 0)
        ticks = "`" * max([3, *(len(r) + 1 for r in re.findall(r"`+", content))])
        for k, line in enumerate(body):
            self.write(start + k, prefix + line if line.strip() else "")
        opening, closing = prefix + ticks + lang, prefix + ticks
        if after:  # the IAL's own line, right after the block, takes the closing fence
            self.write(end, closing)
            if self.spare(start - 1):
                self.write(start - 1, opening)
            else:
                self.before[start] = opening
        else:
            self.write(start - 1, opening)
            if self.spare(end):
                self.write(end, closing)
            else:
                self.after[end - 1] = closing

    def marker(self, i: int, where: str, ial: Ial, prefix: str) -> None:
        """Leave a heading's IAL (its id and classes) on line ``i`` for the doctree."""
        words = [f"#{ial.ident}"] if ial.ident else []
        words += [f".{c}" for c in ial.classes]
        if not words:
            return
        if not prefix.strip() and not any(s <= i < e for s, e in self.layout.lists):
            prefix = ""  # four spaces outside a list would make the marker code
        self.write(i, f"{prefix}%{MARKER} {where} {' '.join(words)}")

    def heading_id(self, heading: int, ident: str) -> None:
        """``## Title {#id}``: the id is left on a line of its own beside the heading."""
        ial = Ial(ident=ident)
        line = self.lines[heading]
        indent = line[: len(line) - len(line.lstrip(" \t>"))]
        if self.spare(heading - 1):
            self.marker(heading - 1, "next", ial, indent)
        elif self.spare(heading + 1):
            self.marker(heading + 1, "prev", ial, indent)
        else:
            self.before[heading] = f"{indent.rstrip()}%{MARKER} next #{ident}"

    def inline(self, i: int, line: str) -> str:
        """Rewrite span IALs on one line: onto images as MyST attributes, else away."""
        m = _HEADING_ID.match(line)
        if m and i in self.layout.headings:
            line = m.group("head")
            self.heading_id(i, m.group("id"))
        masked = _CODE_SPAN.sub(lambda c: "\0" * len(c.group()), line)
        extra = self.image_extra.pop(i, None)
        out: list[str] = []
        pos = 0
        for hit in _IMAGE_OR_IAL.finditer(masked):
            out.append(line[pos : hit.start()])
            pos = hit.end()
            if not hit.group().startswith("!"):
                continue  # a span IAL on something other than an image: only styling
            ial_text = hit.group("ial") or ""
            image = line[hit.start() : hit.end() - len(ial_text)]
            attrs: dict[str, str] = {}
            if extra is not None and not masked[: hit.start()].strip(" \t>"):
                # A block IAL on a paragraph that starts with this image: an image alone
                # takes all of it, an image with a caption after it only the alignment.
                ial, align_only = extra
                rest = IAL.sub("", masked[hit.end() :]).strip()
                attrs.update(ial.image_attrs(align_only=align_only or bool(rest)))
            extra = None
            attrs.update(Ial.parse(ial_text).image_attrs())
            out.append(image + (myst_attrs(attrs) if self.attrs_inline else ""))
        out.append(line[pos:])
        line = "".join(out)
        escape = _MYST_LINE.match(line)
        if escape:
            line = line[: escape.end()] + "\\" + line[escape.end() :]
        return line


def kramdown_to_myst(
    text: str, *, attrs_inline: bool = True
) -> tuple[str, list[LiquidProblem]]:
    """Rewrite kramdown-only syntax in a post body as MyST Markdown; never raises.

    ``attrs_inline`` says whether MyST's ``attrs_inline`` extension is on: without it,
    image attributes (alignment, width) are dropped instead of written as ``{…}``.
    Returns the text and problems (unknown or unclosed extensions), with 1-based lines.
    """
    problems: list[LiquidProblem] = []
    # markdown-it counts a lone CR as a line break: so must the line numbers used here.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lists = _needs_lists(text)
    if not lists and not _REWRITE_TRIGGER.search(text):
        # Most posts are plain CommonMark: no pass has work, and the block parse (the
        # pass's main cost) is saved.
        return text, problems
    # Each pass works on lines where markdown-it found blocks; a pass that changed the
    # text has the blocks found again, when a later pass needs them.
    first = _layout(text)
    layout: _Layout | None = first
    if "{:" in text:  # extension tags: {::comment}, {:/}
        changed = _extensions(text, first, problems)
        if changed != text:
            text, layout = changed, None
    if lists:
        layout = layout or _layout(text)
        changed = _lists(text, layout)
        if changed != text:
            text, layout = changed, None
    if not _REWRITE_TRIGGER.search(text):
        return text, problems
    return _Rewriter(text, layout or _layout(text), attrs_inline).run(), problems
