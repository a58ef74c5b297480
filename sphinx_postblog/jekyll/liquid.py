"""The Liquid subset that Jekyll posts use, rendered on a post body before MyST parses it.

Owns :func:`render_liquid`: ``{{ site.x }}`` / ``{{ page.x }}`` with a few filters,
whitespace control, ``raw``, ``comment``, ``highlight`` (becomes a Markdown fence),
``post_url``, ``link``, ``assign`` and ``capture``. Everything else Liquid can do is left
out with exactly one :class:`LiquidProblem` per occurrence; rendering never raises.
Like Jekyll, Liquid is processed everywhere outside ``raw``, code blocks included.
Output lines stay aligned with input lines wherever the construct allows it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sphinx_postblog.jekyll.expressions import WHITESPACE, Scope, short, to_text

__all__ = ["LiquidContext", "LiquidProblem", "render_liquid"]


@dataclass(frozen=True)
class LiquidProblem:
    """Something in a post that was not rendered as Jekyll would have rendered it."""

    line: int  #: 1-based line within the text given
    message: str

    @property
    def as_jekyll(self) -> bool:
        """Whether Jekyll renders this the same way, silently.

        An undefined variable is empty text there too: worth a note from
        ``sphinx-postblog check``, not a build warning.
        """
        head = self.message.split(" in ", 1)[0]
        return head.startswith("unknown Liquid variable") and ";" not in head


def _unknown(_: str) -> str | None:
    return None


@dataclass
class LiquidContext:
    """What Liquid in a post can see: ``site``, ``page``, and how to resolve post links."""

    site: dict[str, object] = field(default_factory=dict)
    page: dict[str, object] = field(default_factory=dict)
    #: ``'2015-12-08-name'`` → URL or path to link to, or None if there is no such post.
    post_url: Callable[[str], str | None] = _unknown
    #: ``'_posts/2015-12-08-name.md'`` → URL or path, or None if there is no such file.
    link: Callable[[str], str | None] = _unknown


_OPENER = re.compile(r"\{\{|\{%")
_TAG_OPENER = re.compile(r"\{%")
_INNER_OUTPUT = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_TAG = re.compile(r"\s*(#|[A-Za-z_]\w*)(.*)\Z", re.DOTALL)
_RAW_END = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_COMMENT_TAG = re.compile(r"\{%-?\s*(end)?comment\b[^%]*?-?%\}")
_LANG = re.compile(r"[A-Za-z0-9.+#_-]+\Z")
_MARK_LINES = re.compile(r"""mark_lines\s*=\s*["']([\d\s]+)["']""")
_ASSIGN = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=(.*)\Z", re.DOTALL)
_BLOCKS = frozenset({"if", "unless", "case", "for", "tablerow", "ifchanged"})
_BRANCHES = frozenset({"else", "elsif", "when", "break", "continue", "cycle"})


@dataclass
class _Token:
    kind: str  # "text", "output", "tag", "raw" (kept verbatim) or "drop" (a comment)
    pos: int
    text: str  # literal text, or the markup between the delimiters
    source: str = ""  # the whole construct as written, for messages
    ltrim: bool = False
    rtrim: bool = False
    end: int = 0  # where the construct ends in the input


def _tokenize(text: str, problems: list[tuple[int, str]]) -> list[_Token]:
    """Split ``text`` into tokens; ``raw`` and ``comment`` bodies are never tokenized."""
    tokens: list[_Token] = []
    pos = 0
    while (m := _OPENER.search(text, pos)) is not None:
        start = m.start()
        if start > pos:
            tokens.append(_Token("text", pos, text[pos:start]))
        is_output = m.group() == "{{"
        closer = "}}" if is_output else "%}"
        end = text.find(closer, start + 2)
        limit = end if end >= 0 else len(text)
        # ``{% link {{ page.x }} %}`` is valid; ``{{ a {{ b }}``, ``{% a {% b %}`` and
        # ``{{ a }`` are not: Liquid stops at the first '}' of an output.
        stray = (_OPENER if is_output else _TAG_OPENER).search(text, start + 2, limit)
        if end < 0 or stray or (is_output and text.find("}", start + 2) < end):
            message = f"unterminated Liquid '{m.group()}' (no matching '{closer}'); kept as text"
            problems.append((start, message))
            tokens.append(_Token("text", start, m.group()))
            pos = start + 2
            continue
        end += 2
        inner = text[start + 2 : end - 2]
        token = _Token("output" if closer == "}}" else "tag", start, inner, text[start:end],
                       inner.startswith("-"), inner.endswith("-") and len(inner) > 1, end)
        token.text = inner[1 if token.ltrim else 0 : len(inner) - (1 if token.rtrim else 0)]
        pos = end
        name = _TAG.match(token.text)
        if token.kind == "tag" and name and name.group(1) in ("raw", "comment"):
            pos = _verbatim(text, token, name.group(1), problems)
            token.end = pos
        tokens.append(token)
    if pos < len(text):
        tokens.append(_Token("text", pos, text[pos:]))
    return tokens


def _verbatim(text: str, token: _Token, name: str, problems: list[tuple[int, str]]) -> int:
    """Turn a ``raw`` or ``comment`` tag into one token holding its body; return its end."""
    body_start = token.end
    if name == "raw":
        close = _RAW_END.search(text, body_start)
    else:
        depth, close = 1, None
        for m in _COMMENT_TAG.finditer(text, body_start):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                close = m
                break
    if close is None:
        message = f"{{% {name} %}} is never closed by {{% end{name} %}}; the tag is left out"
        problems.append((token.pos, message))
        token.kind, token.text = "drop", ""
        return body_start
    body = text[body_start : close.start()]
    token.source = text[token.pos : close.end()]
    token.rtrim = close.group().rstrip("%}").endswith("-")
    # A dropped comment leaves its line breaks, so later lines keep their numbers.
    token.kind, token.text = ("raw", body) if name == "raw" else ("drop", "\n" * body.count("\n"))
    return close.end()


class _Renderer:
    def __init__(self, text: str, context: LiquidContext) -> None:
        self.text = text
        self.context = context
        self.scope = Scope(context.site, context.page)
        self.problems: list[tuple[int, str]] = []
        # Open blocks: (name, token, buffer). A buffer collects output (highlight,
        # capture); unsupported blocks have none and let their body through.
        self.blocks: list[tuple[str, _Token, list[str] | None]] = []
        self.root: list[str] = []
        self.break_line = False  # text right after a closing fence must start a new line

    # -- output -------------------------------------------------------------------------
    def out(self) -> list[str]:
        return next((buf for _, _, buf in reversed(self.blocks) if buf is not None), self.root)

    def emit(self, piece: str) -> None:
        if not piece:
            return
        if self.break_line and not piece.lstrip(" \t").startswith(("\n", "\r")):
            piece = "\n" + piece
        self.break_line = False
        self.out().append(piece)

    def problem(self, token: _Token, message: str) -> None:
        self.problems.append((token.pos, message))

    # -- tokens -------------------------------------------------------------------------
    def render(self, tokens: list[_Token]) -> str:
        for i, token in enumerate(tokens):
            if token.kind == "text":
                piece = token.text
                if i > 0 and tokens[i - 1].rtrim:
                    piece = piece.lstrip(WHITESPACE)
                if i + 1 < len(tokens) and tokens[i + 1].ltrim:
                    piece = piece.rstrip(WHITESPACE)
                self.emit(piece)
            elif token.kind in ("raw", "drop"):
                self.emit(token.text)
            elif token.kind == "output":
                issues: list[str] = []
                self.emit(to_text(self.scope.evaluate(token.text, issues)))
                if issues:
                    self.problem(token, "; ".join(issues) + f" in {short(token.source)}")
            else:
                self.tag(token)
        while self.blocks:
            name, token, buf = self.blocks.pop()
            if buf is not None:
                self.problem(token, f"{{% {name} %}} is never closed; its tags are left out")
                self.emit("".join(buf))
        return "".join(self.root)

    def tag(self, token: _Token) -> None:
        m = _TAG.match(token.text)
        name, markup = (m.group(1), m.group(2).strip()) if m else ("", "")
        handler = getattr(self, f"tag_{name}", None)
        if name == "#":
            return  # Liquid's inline comment
        if handler is not None:
            handler(token, markup)
        elif name.startswith("end"):
            self.close(token, name[3:])
        elif name in _BRANCHES and any(b[0] in _BLOCKS for b in self.blocks):
            return  # reported with its block's opening tag
        elif name in _BLOCKS:
            what = "its body is kept once" if name in ("for", "tablerow") else (
                "the content of every branch is kept")
            self.problem(token, f"unsupported Liquid tag {short(token.source)}: tags left "
                                f"out, {what}")
            self.blocks.append((name, token, None))
        else:
            self.problem(token, f"unsupported Liquid tag {short(token.source)}; left out")

    def close(self, token: _Token, name: str) -> None:
        index = next((i for i in range(len(self.blocks) - 1, -1, -1)
                      if self.blocks[i][0] == name), None)
        if index is None:
            self.problem(token, f"{short(token.source)} closes no open block; left out")
            return
        while len(self.blocks) > index + 1:
            inner, inner_token, buf = self.blocks.pop()
            if buf is not None:
                self.problem(inner_token, f"{{% {inner} %}} is never closed; its tags are "
                                          "left out")
                self.emit("".join(buf))
        _, opening, buf = self.blocks.pop()
        if name == "highlight" and buf is not None:
            self.fence(opening, token, "".join(buf))
        elif name == "capture" and buf is not None:
            self.scope.variables[opening.text.split()[1]] = "".join(buf)

    def tag_highlight(self, token: _Token, markup: str) -> None:
        self.blocks.append(("highlight", token, []))

    def line_tail(self) -> str:
        """The output written so far on the current line."""
        pieces: list[str] = []
        for piece in reversed(self.out()):
            _, newline, after = piece.rpartition("\n")
            pieces.append(after)
            if newline:
                break
        return "".join(reversed(pieces))

    def tag_capture(self, token: _Token, markup: str) -> None:
        if not re.fullmatch(r"[A-Za-z_][\w-]*", markup):
            self.problem(token, f"cannot read {short(token.source)}; tags left out")
            self.blocks.append(("capture", token, None))
        else:
            self.blocks.append(("capture", token, []))

    def tag_assign(self, token: _Token, markup: str) -> None:
        m = _ASSIGN.match(markup)
        issues: list[str] = []
        if m is None:
            issues.append("cannot read the assignment")
        else:
            self.scope.variables[m.group(1)] = self.scope.evaluate(m.group(2), issues)
        if issues:
            self.problem(token, "; ".join(issues) + f" in {short(token.source)}")

    def tag_post_url(self, token: _Token, markup: str) -> None:
        self.resolve(token, markup, self.context.post_url, "no post named")

    def tag_link(self, token: _Token, markup: str) -> None:
        self.resolve(token, markup, self.context.link, "no file")

    def resolve(self, token: _Token, markup: str, resolver: Callable[[str], str | None],
                missing: str) -> None:
        issues: list[str] = []
        # Jekyll 4 lets ``link`` take a variable: {% link {{ page.x }} %}
        markup = _INNER_OUTPUT.sub(
            lambda m: to_text(self.scope.evaluate(m.group(1), issues)), markup
        ).strip()
        target = resolver(markup) if markup else None
        if target is None:
            issues.append(f"{missing} '{markup}'; linked to '#'")
        if issues:
            self.problem(token, f"{short(token.source)}: " + "; ".join(issues))
        self.emit(target if target is not None else "#")

    def fence(self, opening: _Token, closing: _Token, body: str) -> None:
        """Write a highlight block as a Markdown fence, keeping the lines aligned."""
        lang, *options = opening.text.split()[1:] or [""]
        if not _LANG.match(lang):  # Jekyll refuses a highlight without a language
            self.problem(opening, f"cannot read the language of {short(opening.source)}; "
                                  "the code is shown without highlighting")
            lang = ""
        tail = self.line_tail()
        at_line_start = not tail.strip(" \t")
        indent = tail if at_line_start else ""
        leading = len(body) - len(body.lstrip("\r\n"))
        code = body.strip("\r\n").rstrip()
        marks = _MARK_LINES.search(" ".join(options))
        linenos = any(o.startswith("linenos") for o in options)
        header = [f"{{code-block}} {lang}".rstrip()] if linenos or marks else [lang]
        if linenos:
            header.append(":linenos:")
        if marks:
            header.append(":emphasize-lines: " + ",".join(marks.group(1).split()))
        ticks = max([3, *(len(run) + 1 for run in re.findall(r"`+", code))])
        fence = "`" * ticks
        lines = [fence + header[0], *(indent + h for h in header[1:])]
        if code:
            lines.append(code)
        lines.append(indent + fence)
        produced = (0 if at_line_start else 1) + "\n".join(lines).count("\n")
        spare = self.text.count("\n", opening.pos, closing.end) - produced
        before = min(max(body[:leading].count("\n") - 1, 0), max(spare, 0))
        after = max(spare - before, 0)
        piece = ("" if at_line_start else "\n") + ("\n" + indent) * before
        self.emit(piece + "\n".join(lines) + "\n" * after)
        self.break_line = True


def render_liquid(text: str, context: LiquidContext) -> tuple[str, list[LiquidProblem]]:
    """Render Jekyll's Liquid subset in a post body; return the text and what was left out.

    Never raises: whatever cannot be rendered is dropped (or kept as text when it is not
    Liquid at all, like a lone ``{{``) and reported once, with its 1-based line.
    """
    if context.page.get("render_with_liquid") is False:
        return text, []
    renderer = _Renderer(text, context)
    tokens = _tokenize(text, renderer.problems)
    output = renderer.render(tokens)
    newlines = [m.start() for m in re.finditer("\n", text)]
    problems = [LiquidProblem(bisect.bisect_left(newlines, pos) + 1, message)
                for pos, message in renderer.problems]
    problems.sort(key=lambda p: p.line)
    return output, problems
