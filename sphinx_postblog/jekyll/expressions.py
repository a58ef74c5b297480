"""Liquid expressions: literals, variable lookup and the few filters worth doing well.

Owns :class:`Scope`, which evaluates the markup of ``{{ … }}`` and of tag arguments the
way Jekyll's Liquid does, reporting what it cannot evaluate instead of raising. The
tags themselves (and where output goes) belong to :mod:`sphinx_postblog.jekyll.liquid`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from urllib.parse import quote

#: What a lookup of an undefined variable yields; renders as empty text, like ``nil``.
MISSING = object()

_PATH = re.compile(r"([A-Za-z_][\w-]*\??)((?:\.[\w-]+\??|\[[^\]]*\])*)\Z")
_SEGMENT = re.compile(r"\.([\w-]+\??)|\[([^\]]*)\]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LITERALS: dict[str, object] = {
    "true": True, "false": False, "nil": None, "null": None, "empty": "", "blank": "",
}
# Ruby's whitespace, not Python's wider Unicode notion: stripping must not eat NBSPs.
WHITESPACE = " \t\n\r\f\v"
# Jekyll always defines these, as nil when unset: reading them is never a problem.
_SITE_DEFAULTS: dict[str, object] = {"baseurl": "", "url": ""}


def short(source: str, limit: int = 60) -> str:
    """Shorten Liquid source for a message: one line, at most ``limit`` characters."""
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def to_text(value: object) -> str:
    """Render a value as Liquid prints it."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "".join(to_text(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %z").rstrip()
    return str(value)


def _inspect(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inspect(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "nil" if value is None else to_text(value)


def split_outside_quotes(markup: str, sep: str) -> list[str]:
    """Split on ``sep`` where it is not inside a quoted string."""
    parts: list[str] = []
    current: list[str] = []
    quote_char = ""
    for ch in markup:
        if quote_char:
            quote_char = "" if ch == quote_char else quote_char
        elif ch in "'\"":
            quote_char = ch
        elif ch == sep:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _escape(text: str) -> str:
    # Ruby's CGI.escapeHTML, which Liquid's ``escape`` uses: ' becomes &#39;.
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _is_empty(value: object) -> bool:
    return value is None or value is MISSING or value is False or value == "" or (
        isinstance(value, (list, tuple, dict)) and not value)


def _lookup(current: object, key: object) -> object:
    if current is None or current is MISSING:
        return current  # Liquid reads through nil quietly
    if isinstance(current, dict):
        try:
            if key in current:
                return current[key]
        except TypeError:  # an unhashable key, such as a list
            return MISSING
        return len(current) if key == "size" else MISSING
    if isinstance(current, (list, tuple, str)):
        if key == "size":
            return len(current)
        if isinstance(current, (list, tuple)) and key in ("first", "last"):
            return current[0 if key == "first" else -1] if current else None
        if isinstance(key, int) and not isinstance(key, bool) and (
                -len(current) <= key < len(current)):
            return current[key]
    return MISSING


class Scope:
    """The variables a post's Liquid sees: ``site``, ``page`` and its own assignments."""

    def __init__(self, site: dict[str, object], page: dict[str, object]) -> None:
        self.site = {**_SITE_DEFAULTS, **site}
        self.page = page
        self.variables: dict[str, object] = {}

    def value(self, expr: str, issues: list[str]) -> object:
        """Evaluate a literal or a variable path like ``site.data["x"].first``."""
        expr = expr.strip()
        if len(expr) >= 2 and expr[0] == expr[-1] and expr[0] in "'\"":
            return expr[1:-1]
        if expr in _LITERALS:
            return _LITERALS[expr]
        if _NUMBER.match(expr):
            return float(expr) if "." in expr else int(expr)
        m = _PATH.match(expr)
        if m is None:
            issues.append(f"cannot read the Liquid expression '{short(expr, 40)}'")
            return MISSING
        roots = {"site": self.site, "page": self.page}
        current: object = self.variables.get(m.group(1), roots.get(m.group(1), MISSING))
        for seg in _SEGMENT.finditer(m.group(2)):
            key: object = seg.group(1)
            if key is None:
                key = self.value(seg.group(2), issues)
            current = _lookup(current, key)
        if current is MISSING:
            issues.append(f"unknown Liquid variable '{expr}' (rendered as empty text)")
        return current

    def evaluate(self, markup: str, issues: list[str]) -> object:
        """Evaluate ``value | filter: arg, arg | …``; an unsupported filter is skipped."""
        head, *filters = split_outside_quotes(markup, "|")
        value = self.value(head, issues) if head.strip() else ""
        for spec in filters:
            name, _, raw_args = spec.partition(":")
            name = name.strip()
            args = ([self.value(a, issues) for a in split_outside_quotes(raw_args, ",")]
                    if raw_args.strip() else [])
            filtered = self._filter(name, value, args)
            if filtered is MISSING:
                issues.append(f"unsupported Liquid filter '{short(spec.strip(), 40)}' "
                              "(value left unfiltered)")
            else:
                value = filtered
        return value

    def _filter(self, name: str, value: object, args: list[object]) -> object:
        # A filter sees an array as Ruby's Array#to_s writes it, not joined as output is.
        text = _inspect(value) if isinstance(value, (list, tuple)) else to_text(value)
        one_arg: dict[str, Callable[[object], object]] = {
            "default": lambda a: a if _is_empty(value) else value,
            "append": lambda a: text + to_text(a),
            "prepend": lambda a: to_text(a) + text,
        }
        no_arg: dict[str, Callable[[], object]] = {
            "relative_url": lambda: "" if value is None else self.relative_url(text),
            "absolute_url": lambda: "" if value is None else self.absolute_url(text),
            "escape": lambda: _escape(text),
            "downcase": text.lower,
            "upcase": text.upper,
            "capitalize": text.capitalize,
            "strip": lambda: text.strip(WHITESPACE),
            "lstrip": lambda: text.lstrip(WHITESPACE),
            "rstrip": lambda: text.rstrip(WHITESPACE),
        }
        if name in no_arg and not args:
            return no_arg[name]()
        if name in one_arg and len(args) == 1:
            return one_arg[name](args[0])
        return MISSING

    def relative_url(self, url: str) -> str:
        """Jekyll's ``relative_url``: absolute URLs pass, others get ``site.baseurl``."""
        if _SCHEME.match(url):
            return url
        base = to_text(self.site.get("baseurl")).removesuffix("/")
        parts = [p if not p or p.startswith("/") else "/" + p for p in (base, url)]
        return quote("".join(parts), safe="/:?#[]@!$&'()*+,;=%~")

    def absolute_url(self, url: str) -> str:
        """Jekyll's ``absolute_url``: ``site.url`` before the relative URL, when set."""
        site_url = to_text(self.site.get("url"))
        if _SCHEME.match(url) or not site_url:
            return self.relative_url(url)
        return site_url + self.relative_url(url)
