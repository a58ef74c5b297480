"""Liquid source read as Jekyll's authors meant it, before python-liquid parses it.

Owns :func:`lex` (the lexer's tokens of a text; a ``{{`` or ``{%`` that never closes, or a
``raw``/``comment`` that never ends, kept as text or left out), :func:`balance` (a block
that is never closed loses its tags, its content stays), :func:`describe` (a parse error
in our words) and :class:`TagProblemError`, with the helpers that locate Liquid and quote
it in messages. Every problem is ``(line, message, subtype)``, the line in the text given.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

if TYPE_CHECKING:
    from liquid import Environment

__all__ = ["Problem", "TagProblemError", "balance", "construct", "describe", "lex", "line_of",
           "short"]

Problem = tuple[int, str, str]  #: (line, message, warning subtype)

_OPENERS = re.compile(r"\{%-?\s*(raw)\s*-?%\}|\{%-?\s*(comment)\b[^%]*?-?%\}|\{\{|\{%")
_RAW_END = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_TAG_START = re.compile(r"\{%-?\s*(#|\w)")
_COMMENT_TAG = re.compile(r"\{%-?\s*(end)?comment\b[^%]*?-?%\}")
_BRANCHES = frozenset({"else", "elsif", "when"})

class TagProblemError(LiquidError):
    """A problem worded by our own tags, with its warning subtype."""

    def __init__(self, message: str, *, token: Token | None, subtype: str = "jekyll") -> None:
        super().__init__(message, token=token)
        self.subtype = subtype


def short(source: str, limit: int = 60) -> str:
    """Shorten Liquid source for a message: one line, at most ``limit`` characters."""
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def construct(token: Token | None) -> str:
    """The ``{{ … }}`` or ``{% … %}`` a token is part of, as written (shortened)."""
    if token is None or token.start_index < 0 or not token.source:
        return "Liquid"
    source, index = token.source, token.start_index
    start = max(source.rfind("{{", 0, index + 2), source.rfind("{%", 0, index + 2))
    if start < 0:
        return short(token.value) or "Liquid"
    end = source.find("}}" if source.startswith("{{", start) else "%}", index)
    return short(source[start : end + 2 if end >= 0 else index + len(token.value)])


def line_of(source: str, index: int) -> int:
    """The 1-based line of ``index`` in ``source``."""
    return source.count("\n", 0, max(index, 0)) + 1


def _sanitize(text: str, problems: list[Problem]) -> str:
    """Keep stray ``{{``/``{%`` as text and drop never-closed ``raw``/``comment`` tags."""
    pieces, pos, copied = [], 0, 0
    while (m := _OPENERS.search(text, pos)) is not None:
        start, name = m.start(), m.group(1) or m.group(2)
        if name:
            close = (_RAW_END.search(text, m.end()) if name == "raw"
                     else _comment_end(text, m.end()))
            if close is not None:
                pos = close.end()
                continue
            message = f"{{% {name} %}} is never closed by {{% end{name} %}}; the tag is left out"
            problems.append((line_of(text, start), message, "jekyll"))
            pieces += [text[copied:start], "\n" * m.group().count("\n")]
            pos = copied = m.end()
            continue
        output = m.group() == "{{"
        closer = "}}" if output else "%}"
        end = text.find(closer, start + 2)
        limit = end if end >= 0 else len(text)
        stray = re.compile(r"\{\{|\{%" if output else r"\{%").search(text, start + 2, limit)
        named = output or _TAG_START.match(text, start)
        if named and end >= 0 and not stray and not (output and text.find("}", start + 2) < end):
            pos = end + 2
            continue
        message = (f"unterminated Liquid '{m.group()}' (no matching '{closer}'); kept as text"
                   if named else "Liquid '{%' without a tag name; kept as text")
        problems.append((line_of(text, start), message, "jekyll"))
        pieces += [text[copied:start], _escaped(m.group())]
        pos = copied = start + 2
    return "".join([*pieces, text[copied:]]) if pieces else text


def _escaped(opener: str) -> str:
    """``{{`` or ``{%`` written so that Liquid prints it (and the scan above passes it by)."""
    brace = "{{ '{' }}"
    return brace + (brace if opener == "{{" else "%")


def _comment_end(text: str, pos: int) -> re.Match[str] | None:
    depth = 1
    for m in _COMMENT_TAG.finditer(text, pos):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m
    return None


def lex(env: Environment, source: str, problems: list[Problem]) -> tuple[str, list[Token]]:
    """The lexer's tokens; what it cannot read is kept as text (and the lexing repeated)."""
    for _ in range(100):
        source = _sanitize(source, problems)
        try:
            return source, list(env.tokenizer()(source))
        except LiquidSyntaxError as err:
            index = err.token.start_index if err.token else -1
            if index < 0 or source[index : index + 2] not in ("{{", "{%"):
                break
            message = f"cannot read {construct(err.token)}: {err.message}; kept as text"
            problems.append((line_of(source, index), message, "jekyll"))
            source = source[:index] + _escaped(source[index : index + 2]) + source[index + 2 :]
    return source, []


def balance(env: Environment, tokens: list[Token], problems: list[Problem]) -> list[Token]:
    """Leave out the tags of blocks that are never closed (with their ``else``/``when``)."""
    ends = {tag.end: name for name, tag in env.tags.items() if tag.block and tag.end}
    stack: list[tuple[str, int, list[int]]] = []
    dropped: set[int] = set()
    for index, token in enumerate(tokens):
        if token.kind != TOKEN_TAG:
            continue
        if token.value in ends.values():
            stack.append((token.value, index, []))
        elif token.value in _BRANCHES and stack:
            stack[-1][2].append(index)
        elif token.value in ends and any(b[0] == ends[token.value] for b in stack):
            while stack[-1][0] != ends[token.value]:
                dropped |= _unclosed(tokens, stack.pop(), problems)
            stack.pop()
    while stack:
        dropped |= _unclosed(tokens, stack.pop(), problems)
    return [t for i, t in enumerate(tokens) if i not in dropped] if dropped else tokens


def _unclosed(tokens: list[Token], block: tuple[str, int, list[int]],
              problems: list[Problem]) -> set[int]:
    _, index, branches = block
    token = tokens[index]
    message = f"{construct(token)} is never closed; its tags are left out"
    problems.append((line_of(token.source, token.start_index), message, "jekyll"))
    indices = {index, *branches}
    return indices | {i + 1 for i in indices
                      if i + 1 < len(tokens) and tokens[i + 1].kind == TOKEN_EXPRESSION}


def describe(err: LiquidError) -> Problem:
    """A parse error as a problem: its line and our wording."""
    token = err.token
    line = line_of(token.source, token.start_index) if token and token.source else 1
    if isinstance(err, TagProblemError):
        return line, str(err.message), err.subtype
    found = re.match(r"unexpected tag '(.*)'", str(err.message))
    where = construct(token)
    if found and found.group(1).startswith("end"):
        return line, f"{where} closes no open block; left out", "jekyll"
    if found and found.group(1) in _BRANCHES:
        return line, f"{where} is outside the block it belongs to; left out", "jekyll"
    if found:
        return line, f"unsupported Liquid tag {where}; left out", "jekyll"
    return line, f"cannot read {where}: {err.message}; left out", "jekyll"
