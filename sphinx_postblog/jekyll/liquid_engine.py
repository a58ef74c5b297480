"""python-liquid set up as Jekyll's Liquid: the environment, its limits, parsing and rendering.

Owns :func:`environment` (one per process: it holds only tags, filters and limits, never
a site's data), :func:`compile_text` (a text parsed once per distinct text, with what could
not be parsed; recovery is :mod:`.liquid_parse`'s) and :class:`Run` (one rendering of one
post: its problems at their lines, the includes under way, what it may still spend).
A node that fails is left out, the rest renders. Hostile input meets the engine's limits
(nested loop iterations, context depth, output size, local variables' size) and two of
ours (iterations over the whole post, includes rendered).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from liquid import BoundTemplate, Environment, Mode, RenderContext, TokenStream, Undefined
from liquid.builtin.expressions import LoopExpression
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.for_tag import ForNode, ForTag
from liquid.exceptions import (
    LiquidError,
    LiquidInterrupt,
    LoopIterationLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
    StopRender,
)
from liquid.output import LimitedStringIO
from liquid.parser import get_parser
from liquid.stringify import to_liquid_string
from liquid.token import Token

from sphinx_postblog.jekyll import liquid_filters, liquid_tags
from sphinx_postblog.jekyll.liquid_parse import (
    Problem,
    TagProblemError,
    balance,
    construct,
    describe,
    lex,
    line_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from io import StringIO
    from pathlib import Path
    from typing import TextIO

    from liquid.ast import Node

    from sphinx_postblog.jekyll.liquid import SourceFolder

#: Iterations of nested loops (the engine's limit), and of all loops of one post (ours).
LOOP_LIMIT = 100_000
POST_LOOP_LIMIT = 250_000
#: Includes one post may render, nested or not (an include loop ends at the depth limit).
INCLUDE_LIMIT = 1_000
OUTPUT_LIMIT = 10_000_000  # bytes of output, and of a post's local variables

#: Errors the parser meets, collected for the text being parsed (see ``_Environment.error``).
_PARSE_ERRORS: ContextVar[list[LiquidError] | None] = ContextVar("postblog_liquid_parse",
                                                                 default=None)


class _OutputNode(OutputNode):
    """``{{ … }}``, noting what prints an undefined variable (empty, as in Jekyll)."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.expression.evaluate(context)
        if isinstance(value, Undefined):
            name = getattr(self.expression, "left", self.expression)
            run_of(context).problem(self.token, f"unknown Liquid variable '{name}' (rendered as "
                                              f"empty text) in {construct(self.token)}")
        elif isinstance(value, Mapping):
            value = liquid_filters.FILTERS["inspect"](value)
        return buffer.write(to_liquid_string(value, context.autoescape))


class _Output(Output):
    node_class = _OutputNode


class _BoundedLoop(LoopExpression):
    """A loop whose ``reversed`` never copies a range longer than the loop limit."""

    __slots__ = ()

    def _slice(self, it: Iterator[object], length: int, context: RenderContext, *,
               limit: int | None, offset: int | str | None) -> tuple[Iterator[object], int]:
        if self.reversed and length > LOOP_LIMIT:
            raise LoopIterationLimitError("loop iteration limit reached", token=self.token)
        return super()._slice(it, length, context, limit=limit, offset=offset)


class _ForTag(ForTag):
    def parse(self, stream: TokenStream) -> Node:
        node = super().parse(stream)
        if isinstance(node, ForNode):
            node.expression.__class__ = _BoundedLoop
        return node


def _range_length(value: object) -> int:
    return max(value.stop - value.start, 0) if isinstance(value, range) else 0


class _Context(RenderContext):
    """A render context that knows its :class:`Run`, reads through nil, notes unknown filters."""

    __slots__ = ("run",)

    def __init__(self, template: BoundTemplate, *, run: Run | None = None, **kwargs: Any) -> None:
        super().__init__(template, **kwargs)
        self.run = run

    def copy(self, *args: Any, **kwargs: Any) -> RenderContext:
        copied = super().copy(*args, **kwargs)
        if isinstance(copied, _Context):
            copied.run = self.run
        return copied

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        # The engine's buffers translate "\r" to "\n": a post's line endings stay its own.
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return LimitedStringIO(limit=OUTPUT_LIMIT - carry, newline="\n")

    def get_item(self, obj: Any, key: Any) -> Any:
        return None if obj is None else super().get_item(obj, key)

    def filter(self, name: str, token: Token | None) -> Callable[..., object]:
        if name not in self.env.filters:
            run_of(self).problem(token, f"unsupported Liquid filter '{name}' (value left "
                                      f"unfiltered) in {construct(token)}")
            return lambda value, *_, **__: value
        func = super().filter(name, token)

        def guarded(value: object, *args: Any, **kwargs: Any) -> object:
            if max(map(_range_length, (value, *args))) > LOOP_LIMIT:
                raise LoopIterationLimitError(f"{name}: range too long", token=token)
            return func(value, *args, **kwargs)

        return guarded

    def raise_for_loop_limit(self, length: int = 1) -> None:
        super().raise_for_loop_limit(length)
        run = run_of(self)
        run.iterations += length
        if run.iterations > POST_LOOP_LIMIT:
            raise LoopIterationLimitError("loop iteration limit of the post reached", token=None)


def run_of(context: RenderContext) -> Run:
    """The rendering a context belongs to."""
    run = getattr(context, "run", None)
    if run is None:  # pragma: no cover - every context is made by Run.render
        raise LiquidError("rendered outside a post", token=None)
    return run


class _Environment(Environment):
    """Liquid with Jekyll's tags and filters, lax parsing (problems collected), limits set."""

    loop_iteration_limit = LOOP_LIMIT
    output_stream_limit = OUTPUT_LIMIT
    local_namespace_limit = OUTPUT_LIMIT

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        del self.tags["render"]  # Liquid 5's, not Jekyll's: an unknown tag there
        self.add_tag(_Output)
        self.add_tag(_ForTag)
        for tag in liquid_tags.TAGS:
            self.add_tag(tag)
        self.filters.update(liquid_filters.FILTERS)

    def error(self, exc: type[LiquidError] | LiquidError, msg: str | None = None,
              token: Token | None = None) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        errors = _PARSE_ERRORS.get()
        if errors is not None:
            errors.append(exc)


@functools.cache
def environment() -> Environment:
    """The process's Liquid environment: tags, filters and limits, no site data."""
    return _Environment(tolerance=Mode.LAX)


@dataclass(frozen=True)
class Compiled:
    """A text parsed as Liquid, with what could not be (lines in this text)."""

    source: str  #: the text as parsed (stray delimiters escaped; same lines)
    template: BoundTemplate | None  #: None when nothing could be parsed
    problems: tuple[Problem, ...]  #: (line, message, subtype)


@functools.lru_cache(maxsize=64)
def compile_text(text: str) -> Compiled:
    """``text`` parsed as Liquid, once per distinct text; never raises.

    The texts met again are includes (a post body is parsed once per reading): a few
    kept are enough, and a long preview does not keep every version of a post it read.
    """
    problems: list[Problem] = []
    source, tokens = lex(environment(), text, problems)
    errors: list[LiquidError] = []
    reset = _PARSE_ERRORS.set(errors)
    try:
        balanced = balance(environment(), tokens, problems)
        nodes = get_parser(environment()).parse(TokenStream(iter(balanced)))
    except (LiquidError, RecursionError) as err:
        message = f"cannot read the Liquid of this text ({type(err).__name__}); left as written"
        problems.append((1, message, "jekyll"))
        return Compiled(text, None, tuple(problems))
    finally:
        _PARSE_ERRORS.reset(reset)
    problems += [describe(err) for err in errors]
    if not tokens and ("{{" in source or "{%" in source):
        return Compiled(text, None, tuple(problems))
    return Compiled(source, BoundTemplate(environment(), nodes), tuple(problems))


class Run:
    """One rendering of one post: problems at their lines, includes under way, budgets."""

    def __init__(self, compiled: Compiled, folder: SourceFolder | None,
                 post_url: Callable[[str], str | None], link: Callable[[str], str | None]) -> None:
        self.source = compiled.source
        self.folder = folder
        self.post_url = post_url
        self.link = link
        self.problems: dict[tuple[int, str, str], None] = dict.fromkeys(compiled.problems)
        #: Includes being rendered: (line of the post's include tag, file label, its source)
        self.includes: list[tuple[int, str, str]] = []
        #: The file whose folder ``include_relative`` starts from (the post's, then includes').
        self.files: list[Path | None] = [folder.path if folder else None]
        self.included = 0
        self.iterations = 0
        self.node_line = 1

    def problem(self, token: Token | None, message: str, subtype: str = "jekyll") -> None:
        """Note a problem at the line of ``token`` in the post (or of the include tag)."""
        known = token is not None and token.start_index >= 0
        if self.includes:
            line, label, source = self.includes[0][0], self.includes[-1][1], self.includes[-1][2]
            inner = (f", line {line_of(source, token.start_index)}"
                     if known and token and token.source is source else "")
            message = f"{message} (in {label}{inner})"
        elif known and token and token.source is self.source:
            line = line_of(self.source, token.start_index)
        else:
            line = self.node_line
        self.problems.setdefault((line, message, subtype))

    def add_compiled(self, compiled: Compiled, token: Token, label: str) -> None:
        """Note the parse problems of an included file at the include tag."""
        for line, message, subtype in compiled.problems:
            self.problem(token, f"{message} (in {label}, line {line})", subtype)

    def render(self, nodes: Sequence[Node], context: RenderContext, buffer: TextIO, *,
               top: bool = False) -> None:
        """Render nodes one by one; one that fails is left out as a problem."""
        for node in nodes:
            if top:
                self.node_line = line_of(self.source, node.token.start_index)
            try:
                node.render(context, buffer)
            except StopRender:
                break
            except LiquidInterrupt as err:
                if not top and context.loops:
                    raise
                self.problem(node.token, f"{{% {err} %}} is outside a for loop; left out")
            except ResourceLimitError as err:
                if not top or isinstance(err, OutputStreamLimitError):
                    raise
                self.problem(node.token, f"{construct(node.token)} left out: {err.message}")
            except TagProblemError as err:
                self.problem(err.token or node.token, str(err.message), err.subtype)
            except LiquidError as err:
                token = err.token or node.token
                self.problem(token, f"cannot render {construct(token)}: {err.message}; left out")
            except Exception as err:  # noqa: BLE001 - a post never stops the build
                self.problem(node.token, f"cannot render {construct(node.token)}: "
                                         f"{type(err).__name__}; left out")

    def render_post(self, template: BoundTemplate, variables: dict[str, object]) -> str | None:
        """The post rendered, or None when its output is over the limit."""
        context = _Context(template, run=self, globals=variables)
        buffer = context.get_buffer()
        try:
            self.render(template.nodes, context, buffer, top=True)
        except OutputStreamLimitError:
            self.problem(None, f"the Liquid of this post makes more than {OUTPUT_LIMIT} bytes; "
                               "left as written")
            return None
        return buffer.getvalue()


def sorted_problems(run: Run) -> Iterable[tuple[int, str, str]]:
    """The run's problems in line order."""
    return sorted(run.problems, key=lambda p: p[0])
