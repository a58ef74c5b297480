"""Jekyll's Liquid filters, registered on the engine beside Liquid's standard ones.

Owns :data:`FILTERS` (name → function): those on text and URLs here, with the date filters
(:mod:`.liquid_dates`) and the array filters (:mod:`.liquid_arrays`). ``escape`` is Ruby's
(``&quot;``, ``&#39;``). ``markdownify`` and ``smartify`` return their input: the post body
is Markdown that MyST renders anyway, so Markdown stays Markdown (in every builder, not
only HTML) and typography stays MyST's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from liquid.filter import with_context

from sphinx_postblog.jekyll.liquid_arrays import ARRAY_FILTERS, array, ruby_value, text
from sphinx_postblog.jekyll.liquid_dates import DATE_FILTERS, plain

if TYPE_CHECKING:
    from liquid import RenderContext

__all__ = ["FILTERS"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_CJK = "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_SLUG_MODES: dict[str, str] = {
    "raw": r"\s+", "default": r"[\W_]+", "pretty": r"[^\w.~!$&'()+,;=@]+",
    "ascii": r"[^A-Za-z0-9]+", "latin": r"[^A-Za-z0-9]+",
}


def _site(context: RenderContext, key: str) -> str:
    site = context.resolve("site", default=None)
    return text(site.get(key)) if isinstance(site, Mapping) else ""


@with_context
def relative_url(value: object, *, context: RenderContext) -> object:
    """Jekyll's ``relative_url``: absolute URLs pass, others get ``site.baseurl``."""
    if plain(value) is None:
        return ""
    url = text(value)
    if _SCHEME.match(url):
        return url
    base = _site(context, "baseurl").removesuffix("/")
    parts = [p if not p or p.startswith("/") else "/" + p for p in (base, url)]
    return quote("".join(parts), safe="/:?#[]@!$&'()*+,;=%~")


@with_context
def absolute_url(value: object, *, context: RenderContext) -> object:
    """Jekyll's ``absolute_url``: ``site.url`` before the relative URL, when set."""
    if plain(value) is None:
        return ""
    url, site_url = text(value), _site(context, "url")
    relative = relative_url(url, context=context)
    return relative if _SCHEME.match(url) or not site_url else site_url + str(relative)


def slugify(value: object, mode: object = None) -> object:
    """Jekyll's slugify: ``raw``, ``default``, ``pretty``, ``ascii``, ``latin`` or ``none``."""
    if plain(value) is None:
        return ""
    written, mode = text(value), text(mode) or "default"
    if mode not in _SLUG_MODES:
        return written.lower()
    if mode == "latin":
        written = "".join(c for c in unicodedata.normalize("NFKD", written)
                          if not unicodedata.combining(c))
    slug = re.sub(_SLUG_MODES[mode], "-", written)
    return re.sub(r"^-|-$", "", slug).lower()


def _ruby_escape(value: object, quote_char: bool = True) -> str:
    escaped = text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;")
    return escaped.replace("'", "&#39;") if quote_char else escaped


def escape_once(value: object) -> str:
    """``escape``, leaving entities that are already escaped alone."""
    return re.sub(r"&amp;(#\d+|#x[0-9A-Fa-f]+|\w+);", r"&\1;", _ruby_escape(value))


def number_of_words(value: object, mode: object = None) -> int:
    """Words in the text; ``cjk`` and ``auto`` count each CJK character as a word."""
    written = text(value)
    cjk = len(re.findall(f"[{_CJK}]", written))
    if mode == "cjk" or (mode == "auto" and cjk):
        return cjk + len(re.findall(rf"[^{_CJK}\s]+", written))
    return len(written.split())


def array_to_sentence_string(value: object, connector: object = "and") -> str:
    """``a, b, and c``."""
    items = [text(v) for v in array(value)]
    connector = text(connector)
    if len(items) < 3:
        return f" {connector} ".join(items)
    return ", ".join(items[:-1]) + f", {connector} {items[-1]}"


def jsonify(value: object) -> str:
    """The value as JSON."""
    return json.dumps(ruby_value(value), ensure_ascii=False, separators=(",", ":"))


def _inspect(value: object) -> str:
    value = ruby_value(value)
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_inspect(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_inspect(k)}=>{_inspect(v)}" for k, v in value.items()) + "}"
    return str(value)


FILTERS: dict[str, Callable[..., object]] = {
    **DATE_FILTERS, **ARRAY_FILTERS,
    "relative_url": relative_url, "absolute_url": absolute_url, "slugify": slugify,
    "escape": _ruby_escape, "escape_once": escape_once,
    "xml_escape": lambda v: _ruby_escape(v, quote_char=False),
    "cgi_escape": lambda v: quote_plus(text(v), safe="*-._~"),
    "uri_escape": lambda v: quote(text(v), safe="!#$&'()*+,/:;=?@[]~%"),
    "markdownify": text, "smartify": text,
    "normalize_whitespace": lambda v: " ".join(text(v).split()),
    "number_of_words": number_of_words, "array_to_sentence_string": array_to_sentence_string,
    "jsonify": jsonify, "inspect": lambda v: _ruby_escape(_inspect(v), quote_char=False),
}
