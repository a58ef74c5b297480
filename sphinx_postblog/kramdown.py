"""kramdown-only syntax in Jekyll posts, rewritten as MyST Markdown that renders alike.

Owns :func:`kramdown_to_myst`, a text pass run after Liquid and before MyST parses a post:
inline attribute lists (IALs) on images become MyST ``attrs_inline`` attributes, code
block IALs become fence languages, ``{:toc}`` lists become a ``contents`` directive,
extension tags (``{::comment}``…) go, tab-indented and loosely written lists are
written the way CommonMark nests them as kramdown did, and lines MyST would read as
its own syntax (``%`` comments, ``+++``, ``(label)=``) are escaped. Fenced code is never
touched. Output lines stay aligned with input lines wherever the construct allows it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from sphinx_postblog.jekyll import LiquidProblem

__all__ = ["kramdown_to_myst"]

_Q = r"""(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')"""
_IAL_BODY = rf"""\{{:(?![:/])(?:[^}}"']|{_Q})*\}}"""
_IAL = re.compile(_IAL_BODY)
_IAL_LINE = re.compile(rf"(?P<prefix>[ \t>]*)(?P<ials>(?:{_IAL_BODY}[ \t]*)+)\Z")
_ALD = re.compile(r"[\w-]+:")
_IAL_ITEM = re.compile(
    rf"""\s*(?:\.(?P<cls>[^\s.#}}"'=]+)|\#(?P<id>[^\s.#}}"'=]+)"""
    rf"""|(?P<key>[\w:-]+)=(?P<val>{_Q}|[^\s}}]*)|(?P<ref>[\w-]+))""")
_EXT = re.compile(r"\{::(\w+)((?:[^}\"']|" + _Q + r")*?)(/?)\}|\{:/(\w*)\}")
_IMAGE = re.compile(
    r"!\[(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*\]"
    r"(?:\(\s*(?:<[^>\n]*>|(?:\\.|[^()\s\\]|\([^()\s]*\))*)"
    r"""(?:\s+(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\([^)]*\)))?\s*\)|\[[^\]]*\])"""
    rf"(?P<ial>{_IAL_BODY})?")
_CODE_SPAN = re.compile(r"(`+)(?:.*?[^`])?\1(?!`)")
_ITEM = re.compile(r"(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|\Z)")
_HR = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")
_HEADING_ID = re.compile(r"(?P<head> {0,3}#{1,6}[ \t].*?)[ \t]+\{#(?P<id>[\w:.-]+)\}[ \t]*\Z")
_MYST_LINE = re.compile(r"(?P<prefix>[ \t>]*)(?=%|\+\+\+|\([^)\s]*\)=\s*\Z)")
_LENGTH = re.compile(r"\d+(?:\.\d+)?(?:%|px|em|ex|rem|pt|pc|cm|mm|in|vw|vh)?\Z")
_ALIGN_CLASSES = {
    **dict.fromkeys(("center", "centered", "centre", "align-center", "text-center",
                     "center-image", "image-center", "mx-auto"), "center"),
    **dict.fromkeys(("left", "align-left", "float-left", "pull-left", "image-left"), "left"),
    **dict.fromkeys(("right", "align-right", "float-right", "pull-right", "image-right"),
                    "right"),
}


@functools.cache
def _parser() -> MarkdownIt:
    # Only where blocks are matters here, so CommonMark (as MyST's base) plus tables.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


@dataclass
class _Layout:
    """Where markdown-it finds blocks, by 0-based line."""

    verbatim: set[int] = field(default_factory=set)  # inside code or HTML blocks
    fences: dict[int, tuple[int, int]] = field(default_factory=dict)  # end → (start, end)
    fence_starts: dict[int, int] = field(default_factory=dict)  # start → end
    code: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # end → (s, e, text)
    code_starts: dict[int, int] = field(default_factory=dict)
    paragraph: dict[int, tuple[int, int]] = field(default_factory=dict)  # line → (s, e)
    headings: set[int] = field(default_factory=set)
    lists: list[tuple[int, int]] = field(default_factory=list)  # outermost lists


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
        elif token.type in ("fence", "code_block", "html_block"):
            layout.verbatim.update(range(start, end))
            if token.type == "fence":
                layout.fences[end] = (start, end)
                layout.fence_starts[start] = end
            elif token.type == "code_block":
                layout.code[end] = (start, end, token.content)
                layout.code_starts[start] = end
        elif token.type == "paragraph_open":
            layout.paragraph.update(dict.fromkeys(range(start, end), (start, end)))
        elif token.type == "heading_open":
            layout.headings.add(start)
    return layout


@dataclass
class _Ial:
    classes: list[str] = field(default_factory=list)
    ident: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> _Ial:
        ial = cls()
        for body in _IAL.findall(text):
            for m in _IAL_ITEM.finditer(body[2:-1]):
                if m.group("cls"):
                    ial.classes.append(m.group("cls"))
                elif m.group("id"):
                    ial.ident = m.group("id")
                elif m.group("key"):
                    value = m.group("val")
                    if value[:1] in "'\"" and len(value) > 1:
                        value = value[1:-1]
                    ial.attrs[m.group("key").lower()] = value
                elif m.group("ref"):
                    ial.refs.append(m.group("ref"))
        ial.classes += ial.attrs.pop("class", "").split()
        ial.ident = ial.attrs.pop("id", ial.ident)
        return ial

    def image_attrs(self, *, align_only: bool = False) -> dict[str, str]:
        """The MyST image attributes this IAL means: id, classes, align, width, height."""
        found: dict[str, str] = {}
        styles = dict(
            (k.strip().lower(), v.strip().lower())
            for k, _, v in (d.partition(":") for d in self.attrs.get("style", "").split(";"))
        )
        margin = styles.get("margin", "").split()
        if (margin[1:2] == ["auto"] or margin == ["auto"]
                or styles.get("margin-left") == styles.get("margin-right") == "auto"):
            found["align"] = "center"
        if styles.get("float") in ("left", "right"):
            found["align"] = styles["float"]
        if styles.get("text-align") == "center":
            found["align"] = "center"
        for cls in self.classes:
            if cls in _ALIGN_CLASSES:
                found["align"] = _ALIGN_CLASSES[cls]
            elif not align_only:
                found["class"] = (found.get("class", "") + " " + cls).strip()
        if self.attrs.get("align") in ("left", "center", "right"):
            found["align"] = self.attrs["align"]
        if align_only:
            return found
        if self.ident:
            found["id"] = self.ident
        for key in ("width", "height"):
            value = self.attrs.get(key) or styles.get(key, "")
            if value.isdigit():
                value += "px"
            if _LENGTH.match(value) and not (key == "height" and value.endswith("%")):
                found[key] = value
        if self.attrs.get("title"):
            found["title"] = self.attrs["title"]
        return found


def _myst_attrs(attrs: dict[str, str]) -> str:
    parts = [f"#{attrs['id']}"] if "id" in attrs else []
    parts += [f".{c}" for c in attrs.get("class", "").split()]
    parts += [f'{k}="{v}"' for k, v in attrs.items() if k not in ("id", "class") and '"' not in v]
    return "{" + " ".join(parts) + "}" if parts else ""


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _extensions(text: str, problems: list[LiquidProblem]) -> str:
    """Drop ``{::comment}`` bodies and extension tags; keep ``{::nomarkdown}`` content."""
    verbatim = _layout(text).verbatim
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
                                          f"unknown kramdown extension {{::{name}}}; left out"))
        if name == "comment":
            end = re.compile(r"\{:/(?:comment)?\}").search(text, pos)
            if end is None:
                problems.append(LiquidProblem(_line_of(text, m.start()),
                                              "{::comment} is never closed; the tag is left out"))
                continue
            # Keep the comment's line breaks, so later lines keep their numbers.
            out.append("\n" * text.count("\n", pos, end.start()))
            pos = end.end()
    out.append(text[pos:])
    return "".join(out)


def _lists(text: str) -> str:
    """Expand leading tabs and write list markers so CommonMark nests lists as kramdown."""
    layout = _layout(text)
    lines = text.split("\n")
    bullets: dict[int, str] = {}  # indent → bullet of the list open at that indent
    after_blank = False
    for i, line in enumerate(lines):
        if i in layout.verbatim and i not in layout.code_starts:
            continue
        if line[:1] in " \t" and "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            # A leading tab is one level (4 columns) to kramdown and to CommonMark alike;
            # spaces make the indentation explicit for what follows here and for MyST.
            ws = line[: len(line) - len(line.lstrip(" \t"))]
            col = 0
            for ch in ws:
                col += 4 - col % 4 if ch == "\t" else 1
            line = " " * col + line[len(ws) :]
        m = _ITEM.match(line)
        if i in layout.verbatim:  # a list item CommonMark reads as starting with code
            if m and len(m.group("gap").expandtabs(4)) >= 5 and line.strip(" \t-*+.)0123456789"):
                line = line[: m.end("marker")] + " " + line[m.end():]
            lines[i] = line
            continue
        if m and not _HR.match(line):
            indent, marker = len(m.group("indent")), m.group("marker")
            for deeper in [k for k in bullets if k > indent]:
                del bullets[deeper]
            if marker in "-*+":
                # kramdown continues a list when the bullet changes; CommonMark starts anew.
                marker = bullets.setdefault(indent, marker)
                line = line[:indent] + marker + line[indent + 1 :]
            else:
                bullets.pop(indent, None)
            gap = m.group("gap")
            if len(gap.expandtabs(4)) >= 5 and line[m.end() :].strip():
                # kramdown reads "-      text" as text; CommonMark as indented code.
                line = line[: m.start("gap")] + " " + line[m.end() :]
        elif line.strip() and after_blank:
            indent = len(line) - len(line.lstrip(" "))
            for deeper in [k for k in bullets if k >= indent]:
                del bullets[deeper]
        after_blank = not line.strip()
        lines[i] = line
    return "\n".join(lines)


class _Rewriter:
    """The IAL, TOC and MyST-escaping pass, over lines that keep their numbers."""

    def __init__(self, text: str, attrs_inline: bool) -> None:
        self.layout = _layout(text)
        self.lines = text.split("\n")
        self.attrs_inline = attrs_inline
        self.image_extra: dict[int, tuple[_Ial, bool]] = {}  # line → (block IAL, align only)

    def blank(self, i: int) -> bool:
        return 0 <= i < len(self.lines) and not self.lines[i].strip(" \t>")

    def run(self) -> str:
        for i, line in enumerate(self.lines):
            m = _IAL_LINE.match(line)
            if m and i not in self.layout.verbatim:
                self.lines[i] = m.group("prefix").rstrip(" \t")
                if not _ALD.match(m.group("ials")[2:].lstrip()):
                    self.block_ial(i, _Ial.parse(m.group("ials")))
        for i, line in enumerate(self.lines):
            if i not in self.layout.verbatim:
                self.lines[i] = self.inline(i, line)
        return "\n".join(self.lines)

    def block_ial(self, i: int, ial: _Ial) -> None:
        """Apply a block IAL on line ``i`` to the block right before it, else right after."""
        layout, prev, nxt = self.layout, i - 1, i + 1
        if "toc" in ial.refs:
            self.toc(i)
        elif not self.blank(prev):
            if i in layout.fences:
                self.fence_language(layout.fences[i][0], ial)
            elif i in layout.code:
                self.indented_code(*layout.code[i], ial, after=True)
            elif prev in layout.paragraph:
                start = layout.paragraph[prev][0]
                self.image_extra.setdefault(start, (ial, start != prev))
            elif prev in layout.headings:
                self.heading_id(prev, ial.ident)
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
                self.heading_id(nxt, ial.ident)

    def toc(self, i: int) -> None:
        """Replace a kramdown TOC list (a list, then ``{:toc}``) by a contents directive."""
        start = next((s for s, e in self.layout.lists if s < i <= e), None)
        if start is None:
            return
        block = ["```{contents}", ":local:", "```"]
        if i - start + 1 < len(block) and start > 0 and self.blank(start - 1):
            start -= 1  # use the blank line before the list: later lines keep their numbers
        span = i - start + 1
        block += [""] * (span - len(block))
        self.lines[start : i + 1] = [*block[: span - 1], "\n".join(block[span - 1 :])]

    def fence_language(self, start: int, ial: _Ial) -> None:
        lang = next((c[9:] for c in ial.classes if c.startswith("language-")), "")
        line = self.lines[start]
        fence = re.match(r"[ \t>]*(`{3,}|~{3,})", line)
        if lang and fence and not line[fence.end() :].strip():
            self.lines[start] = line[: fence.end()] + lang

    def indented_code(self, start: int, end: int, content: str, ial: _Ial, *, after: bool) -> None:
        """Turn an indented code block into a fence, so it can carry its language."""
        lang = next((c[9:] for c in ial.classes if c.startswith("language-")), "")
        first = self.lines[start]
        if not lang or first.lstrip().startswith(">"):
            return
        width = len(first.expandtabs(4)) - len(first.expandtabs(4).lstrip())
        prefix = " " * max(width - 4, 0)
        body = content.rstrip("\n").split("\n")
        ticks = "`" * max([3, *(len(r) + 1 for r in re.findall(r"`+", content))])
        self.lines[start:end] = [prefix + b if b.strip() else "" for b in body]
        opening, closing = prefix + ticks + lang, prefix + ticks
        if after:  # the IAL's own line, right after the block, takes the closing fence
            self.lines[end] = closing
            if self.blank(start - 1) and start - 1 not in self.layout.verbatim:
                self.lines[start - 1] = opening
            else:
                self.lines[start] = opening + "\n" + self.lines[start]
        else:
            self.lines[start - 1] = opening
            if self.blank(end) and end not in self.layout.verbatim:
                self.lines[end] = closing
            else:
                self.lines[end - 1] += "\n" + closing

    def heading_id(self, heading: int, ident: str) -> None:
        if ident:  # a MyST target before the heading gives it the id kramdown would
            if self.blank(heading - 1):
                self.lines[heading - 1] = f"({ident})="
            else:
                self.lines[heading] = f"({ident})=\n" + self.lines[heading]

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
        for hit in re.finditer(f"{_IMAGE.pattern}|{_IAL_BODY}", masked):
            out.append(line[pos : hit.start()])
            pos = hit.end()
            if not hit.group().startswith("!"):
                continue  # a span IAL on something other than an image: only styling
            ial_text = hit.group("ial") or ""
            image = line[hit.start() : hit.end() - len(ial_text)]
            attrs: dict[str, str] = {}
            if extra is not None:
                ial, align_only = extra
                rest = (masked[:hit.start()] + masked[hit.end():]).strip(" \t>")
                attrs.update(ial.image_attrs(align_only=align_only or bool(rest)))
                extra = None
            attrs.update(_Ial.parse(ial_text).image_attrs())
            out.append(image + (_myst_attrs(attrs) if self.attrs_inline else ""))
        out.append(line[pos:])
        line = "".join(out)
        escape = _MYST_LINE.match(line)
        if escape and (line[escape.end() :].startswith("%") or i not in self.layout.verbatim):
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
    if "{::" in text or "{:/" in text:
        text = _extensions(text, problems)
    if "\t" in text or re.search(r"^ *[-*+]|[-*+] {5}", text, re.MULTILINE):
        text = _lists(text)
    if "{" in text or re.search(r"^[ \t>]*(%|\+\+\+|\()", text, re.MULTILINE):
        text = _Rewriter(text, attrs_inline).run()
    return text, problems
