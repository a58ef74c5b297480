"""Jekyll's Liquid tags, as python-liquid tags: links, ``highlight``, includes, comments.

Owns :data:`TAGS`. ``post_url`` and ``link`` write the site path the build resolves to the
post's page (``/_posts/2015-12-08-name``), or ``#`` with a problem; both read ``{{ … }}``
in their argument. ``highlight`` becomes a Markdown fence (a ``code-block`` directive with
``linenos`` or ``mark_lines``), keeping the lines around it where they were. ``include``
reads ``_includes/`` of the source folder, ``include_relative`` the including file's
folder, parameters as ``include.x``; a name that leaves its folder (``..``, absolute, a
symlink out of the source folder) is refused as a ``postblog.security`` problem.
A ``comment`` leaves its line breaks, so later lines keep their numbers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liquid.ast import BlockNode, Node
from liquid.builtin.expressions import FilteredExpression, tokenize
from liquid.builtin.tags.comment_tag import CommentNode, CommentTag
from liquid.exceptions import LiquidSyntaxError, ResourceLimitError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.stringify import to_liquid_string
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from sphinx_postblog.jekyll.liquid_parse import TagProblemError, construct, line_of
from sphinx_postblog.jekyll.liquid_site import inside

if TYPE_CHECKING:
    from typing import TextIO

    from liquid import RenderContext

__all__ = ["TAGS"]

_VARIABLE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_LANG = re.compile(r"[A-Za-z0-9.+#_-]+\Z")
_MARK_LINES = re.compile(r"""mark_lines\s*=\s*["']([\d\s]+)["']""")
_FILE = re.compile(r"\s*((?:\{\{.*?\}\}|[^\s{])+)(.*)\Z", re.DOTALL)
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w.-]+))""")
_PARAMS = re.compile(rf"(?:\s*{_PARAM.pattern})*\s*\Z")


def _engine() -> Any:
    from sphinx_postblog.jekyll import liquid_engine  # noqa: PLC0415 - it imports this module

    return liquid_engine


def _expression(env: Any, text: str, token: Token, offset: int) -> FilteredExpression:
    inner = Token(TOKEN_EXPRESSION, text, token.start_index + offset, token.source)
    return FilteredExpression.parse(env, TokenStream(tokenize(text, inner)))  # type: ignore[return-value]


class _Markup:
    """A tag argument in which ``{{ … }}`` are rendered (``{% link {{ page.x }} %}``)."""

    def __init__(self, env: Any, token: Token | None) -> None:
        self.parts: list[str | FilteredExpression] = []
        if token is None:
            return
        text, pos = token.value, 0
        for m in _VARIABLE.finditer(text):
            self.parts += [text[pos : m.start()], _expression(env, m.group(1), token, m.start(1))]
            pos = m.end()
        self.parts.append(text[pos:])

    def render(self, context: RenderContext) -> str:
        return "".join(p if isinstance(p, str) else to_liquid_string(p.evaluate(context), False)
                       for p in self.parts).strip()


def _inline(stream: TokenStream) -> tuple[Token, Token | None]:
    """An inline tag's token and its argument's, leaving the stream on its last token."""
    token = stream.current
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return token, stream.current
    return token, None


class _LinkNode(Node):
    __slots__ = ("kind", "markup")

    def __init__(self, token: Token, markup: _Markup, kind: str) -> None:
        super().__init__(token)
        self.markup, self.kind, self.blank = markup, kind, False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _engine().run_of(context)
        target = self.markup.render(context)
        resolve = run.post_url if self.kind == "post_url" else run.link
        found = resolve(target) if target else None
        if found is None:
            missing = "no post named" if self.kind == "post_url" else "no file"
            run.problem(self.token, f"{construct(self.token)}: {missing} "
                                    f"'{target}'; linked to '#'")
        return buffer.write(found if found is not None else "#")


class _LinkTag(Tag):
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _inline(stream)
        return _LinkNode(token, _Markup(self.env, markup), self.name)


class PostUrlTag(_LinkTag):
    """``{% post_url 2015-12-08-name %}``: the post's page."""

    name = "post_url"


class LinkTag(_LinkTag):
    """``{% link _posts/2015-12-08-name.md %}``: that file's page."""

    name = "link"


class _HighlightNode(Node):
    __slots__ = ("block", "break_after", "lang", "options", "span")

    def __init__(self, token: Token, markup: str, block: BlockNode, end: Token) -> None:
        super().__init__(token)
        self.lang, *self.options = markup.split() or [""]
        self.block, self.blank = block, False
        source = token.source
        start = source.rfind("{%", 0, token.start_index)
        close = source.find("%}", end.start_index) + 2
        self.span = source.count("\n", start, close)
        rest = source[close : close + 200].lstrip(" \t")
        self.break_after = bool(rest) and not rest.startswith(("\n", "\r"))

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        return buffer.write(self.fence(inner.getvalue(), _line_tail(buffer)))

    def fence(self, body: str, tail: str) -> str:
        """The block as a Markdown fence, as many lines long as the block was if it can be."""
        at_line_start = not tail.strip(" \t")
        indent = tail if at_line_start else ""
        leading = len(body) - len(body.lstrip("\r\n"))
        code = body.strip("\r\n").rstrip()
        marks = _MARK_LINES.search(" ".join(self.options))
        linenos = any(o.startswith("linenos") for o in self.options)
        header = [f"{{code-block}} {self.lang}".rstrip()] if linenos or marks else [self.lang]
        if linenos:
            header.append(":linenos:")
        if marks:
            header.append(":emphasize-lines: " + ",".join(marks.group(1).split()))
        ticks = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", code))])
        lines = [ticks + header[0], *(indent + h for h in header[1:])]
        if code:
            lines.append(code)
        lines.append(indent + ticks)
        produced = (0 if at_line_start else 1) + "\n".join(lines).count("\n")
        spare = max(self.span - produced, 0)
        before = min(max(body[:leading].count("\n") - 1, 0), spare)
        piece = ("" if at_line_start else "\n") + ("\n" + indent) * before
        return piece + "\n".join(lines) + "\n" * (spare - before) + (
            "\n" if self.break_after else "")


def _line_tail(buffer: TextIO) -> str:
    """What is written so far on the buffer's current line."""
    written = buffer.getvalue() if hasattr(buffer, "getvalue") else ""
    return written.rpartition("\n")[2]


class HighlightTag(Tag):
    """``{% highlight ruby linenos %}…{% endhighlight %}``: a fence with the language."""

    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        markup = ""
        if stream.current.kind == TOKEN_EXPRESSION:
            markup = stream.current.value
            next(stream)
        if not _LANG.match(markup.split()[0] if markup.split() else ""):
            self.env.error(TagProblemError(
                f"cannot read the language of {construct(token)}; the code is shown "
                "without highlighting", token=token))
            markup = " ".join(["", *markup.split()[1:]])
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        end = stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, markup, block, end)


class _IncludeNode(Node):
    __slots__ = ("file", "params", "relative")

    def __init__(self, token: Token, file: _Markup, params: dict[str, Any],
                 relative: bool) -> None:
        super().__init__(token)
        self.file, self.params, self.relative, self.blank = file, params, relative, False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        engine = _engine()
        run = engine.run_of(context)
        name = self.file.render(context).strip("'\"")
        found = self._find(run, name)
        if found is None:
            return 0
        path, label = found
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            run.problem(self.token, f"{construct(self.token)}: cannot read '{label}' "
                                    f"({type(err).__name__}); left out")
            return 0
        run.included += 1
        if run.included > engine.INCLUDE_LIMIT:
            raise ResourceLimitError("include limit of the post reached", token=self.token)
        if run.folder is not None:
            run.folder.note_dependency(str(path))
        compiled = engine.compile_text(text)
        run.add_compiled(compiled, self.token, label)
        if compiled.template is None:
            return 0
        params = {key: value if isinstance(value, str) else value.evaluate(context)
                  for key, value in self.params.items()}
        line = run.includes[0][0] if run.includes else line_of(run.source,
                                                                      self.token.start_index)
        run.includes.append((line, label, compiled.source))
        run.files.append(path)
        try:
            with context.extend({"include": params}, template=compiled.template):
                run.render(compiled.template.nodes, context, buffer)
        finally:
            run.includes.pop()
            run.files.pop()
        return 1

    def _find(self, run: Any, name: str) -> tuple[Path, str] | None:
        """The file to include and how to name it, or None (a problem noted)."""
        where = construct(self.token)
        folder = run.folder
        base = (run.files[-1].parent if run.files[-1] else None) if self.relative else (
            folder.srcdir / "_includes" if folder else None)
        if not name or Path(name).is_absolute() or ".." in re.split(r"[/\\]", name):
            run.problem(self.token, f"{where}: '{name}' is outside the folder it is read from; "
                                    "it is not read", "security")
            return None
        label = name if self.relative else f"_includes/{name}"
        path = inside(folder.srcdir, base / name) if folder and base else None
        if folder and base and path is None:
            run.problem(self.token, f"{where}: '{name}' is outside the source folder; it is "
                                    "not read", "security")
            return None
        if path is None or not path.is_file():
            run.problem(self.token, f"{where}: no file '{label}' in the source folder; left out")
            return None
        return path, path.relative_to(folder.srcdir.resolve()).as_posix()


class _IncludeTag(Tag):
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token, markup = _inline(stream)
        found = _FILE.match(markup.value) if markup else None
        if markup is None or found is None or not _PARAMS.match(found.group(2)):
            raise LiquidSyntaxError(f"expected a file name and name=value parameters in "
                                    f"{{% {self.name} %}}", token=markup or token)
        file = _Markup(self.env, Token(TOKEN_EXPRESSION, found.group(1),
                                       markup.start_index + found.start(1), markup.source))
        params: dict[str, Any] = {}
        for m in _PARAM.finditer(found.group(2)):
            quoted = m.group(2) if m.group(2) is not None else m.group(3)
            params[m.group(1)] = (re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else
                                  _expression(self.env, m.group(4), markup,
                                              found.start(2) + m.start(4)))
        return _IncludeNode(token, file, params, self.relative)


class IncludeTag(_IncludeTag):
    """``{% include footer.html author=page.author %}``: a file of ``_includes/``."""

    name = "include"


class IncludeRelativeTag(_IncludeTag):
    """``{% include_relative snippets/a.md %}``: a file beside the including one."""

    name = "include_relative"
    relative = True


class _LineKeepingComment(CommentNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write("\n" * (self.text or "").count("\n"))


class LineKeepingCommentTag(CommentTag):
    """``{% comment %}``: left out, its line breaks kept."""

    node_class = _LineKeepingComment


TAGS: tuple[type[Tag], ...] = (PostUrlTag, LinkTag, HighlightTag, IncludeTag,
                               IncludeRelativeTag, LineKeepingCommentTag)
