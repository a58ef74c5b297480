"""What the schedule formats share: problems, text and HTML cleaning, times, URLs, coercion.

Every value read from a schedule file passes through here on its way to the model: plain
text (titles, names, rooms, tracks) loses any markup, HTML (abstracts, biographies) is
sanitised with nh3, plain-text abstracts become paragraphs (Markdown ones, as pretalx and
frab write them, are rendered first), times become datetimes, URLs are http(s) or left
out. :class:`Fields` reads one entry of a file and records each problem as a
:class:`ScheduleProblem` naming the entry and the field.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sphinx_postblog.model import Talk, unsafe_scheme, web_url

#: The end of the message for a file that is none of the formats.
NOT_A_SCHEDULE = ("not a schedule format sphinx-postblog reads (pretalx/frab JSON, frab XML, "
                  "Sessionize JSON, sessions YAML)")

#: Control characters, and lone surrogates (which nh3 and UTF-8 cannot take).
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_TAG_NAMES = (
    r"(?:a|abbr|article|audio|b|base|blockquote|body|br|button|code|dd|del|details|div|dl|dt"
    r"|em|embed|figure|font|form|frame|h[1-6]|head|hr|html|i|iframe|img|input|ins|kbd|li|link"
    r"|math|meta|noscript|object|ol|p|pre|q|s|script|section|small|span|strong|style|sub"
    r"|summary|sup|svg|table|tbody|td|template|textarea|th|thead|title|tr|u|ul|video)")
#: An HTML tag or comment (``<T>`` or ``<every>`` in plain text are no tags).
_TAG = re.compile(rf"<!--|</?{_TAG_NAMES}(?:\s[^<>]*)?/?>", re.IGNORECASE)
#: A ``<`` that starts no tag (``x<y``): text, which an HTML parser would take for a tag.
_STRAY = re.compile(rf"<(?!!--|/?{_TAG_NAMES}(?:\s[^<>]*)?/?>)", re.IGNORECASE)
_HEADING_OPEN = re.compile(r"<h[1-6]\b[^>]*>", re.IGNORECASE)
_HEADING_CLOSE = re.compile(r"</h[1-6]\s*>", re.IGNORECASE)
_ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote",
                 "b", "i"}
_DURATION = re.compile(r"^(?:(\d{1,4}):)?(\d{1,5}):([0-5]\d)$")
_CLOCK = re.compile(r"^(\d{1,2})[:.]([0-5]\d)(?::([0-5]\d))?$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:?\d{2}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: A link written without its scheme: ``www.example.org``, ``example.org/page``.
_BARE_HOST = re.compile(r"(?i)^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24})"
                        r"(?::\d{1,5})?(?:[/?#]\S*)?$")
#: What ends a file's name, not a host's.
_FILE_SUFFIXES = frozenset({"pdf", "html", "htm", "php", "png", "jpg", "jpeg", "gif", "svg",
                            "webp", "zip", "txt", "md", "odp", "ppt", "pptx", "key", "mp3",
                            "mp4", "webm"})
_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (Mapping, "a mapping"), ((list, tuple), "a list"), (bool, "true/false"),
    ((int, float), "a number"), (str, "text"))


@dataclass(frozen=True)
class ScheduleProblem:
    """A problem of a schedule file: what is wrong and what to do, at its line when known."""

    message: str
    #: 1-based line in the file, when the format tells it.
    line: int | None = None


def scrub(text: str) -> str:
    """``text`` without control characters and lone surrogates."""
    return _UNPRINTABLE.sub("", text)


def plain(text: str) -> str:
    """Plain text: tags stripped (a ``<script>``'s content too), entities read, spaces collapsed."""
    text = scrub(text)
    if _TAG.search(text):
        text = nh3.clean(_STRAY.sub("&lt;", text), tags=set(), attributes={})
    return " ".join(html.unescape(text).split())


def clean_html(text: str) -> str:
    """Sanitised HTML: a few text tags, links with http(s)/mailto URLs, headings as bold text."""
    text = _STRAY.sub("&lt;", scrub(text))
    text = _HEADING_CLOSE.sub("</strong></p>", _HEADING_OPEN.sub("<p><strong>", text))
    return nh3.clean(text, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}).strip()


def paragraphs(text: str) -> str:
    """Plain text as HTML: a ``<p>`` per blank-line separated block, ``<br>`` for line breaks."""
    text = scrub(text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in block.split("\n")) + "</p>"
        for block in blocks)


def rich(text: str) -> str:
    """An abstract or biography as HTML: sanitised if it has tags, else made of paragraphs."""
    return clean_html(text) if _TAG.search(text) else paragraphs(text)


@functools.cache
def _markdown_parser() -> MarkdownIt:
    # pretalx and frab render Markdown with inline HTML, a line break for each newline.
    return MarkdownIt("commonmark", {"html": True, "breaks": True})


def markdown(text: str) -> str:
    """Markdown (pretalx's and frab's abstracts and biographies) as sanitised HTML.

    What looks like a tag but is none HTML knows stays text (``a <every> page``), as in
    :func:`rich`; code spans and blocks keep their ``<`` as written.
    """
    text = scrub(text)
    if not text.strip():
        return ""
    parser = _markdown_parser()
    tokens = parser.parse(text)
    for token in tokens:
        _escape_unknown_tags(token)
    rendered = parser.renderer.render(tokens, parser.options, {})
    return clean_html(re.sub(r">\n+", ">", rendered))


def _escape_unknown_tags(token: Token) -> None:
    if token.type in {"html_block", "html_inline"} and not _TAG.search(token.content):
        token.content = html.escape(token.content, quote=False)
    for child in token.children or ():
        _escape_unknown_tags(child)


def kind(value: object) -> str:
    """What a value is, in a problem's words."""
    for types, name in _KINDS:
        if isinstance(value, types):
            return name
    return "empty" if value is None else f"a {type(value).__name__}"


def flag(value: object) -> bool:
    """Whether a true/false field is true (``true``, ``"true"``, ``1``)."""
    return value is True or (isinstance(value, (str, int)) and not isinstance(value, bool)
                             and str(value).strip().lower() in {"true", "yes", "1"})


def shown(value: object, limit: int = 40) -> str:
    """A value quoted for a message, cut to ``limit`` characters."""
    text = scrub(value if isinstance(value, str) else as_text(value) or kind(value))
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def as_text(value: object) -> str | None:
    """A scalar as text (numbers and dates too); None for a list, a mapping, true/false."""
    if value is None or isinstance(value, str):
        return scrub(value or "")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):  # an int too long to print
            return str(value)
    return None


def parse_datetime(value: object) -> dt.datetime | None:
    """A date and time: a ``datetime``, or ISO 8601 text (an offset kept; ``Z`` is UTC)."""
    if isinstance(value, dt.datetime):
        return value
    text = (as_text(value) or "").strip()
    if not _DATE_TIME.match(text):
        return None
    text = text[:-1] + "+00:00" if text[-1:] in {"Z", "z"} else text
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A day: a ``date`` (a ``datetime``'s day), or ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = (as_text(value) or "").strip()[:10]
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(text) if _DATE_ONLY.match(text) else None
    return None


def parse_clock(value: object) -> dt.time | None:
    """A time of day: ``HH:MM``, ``H.MM`` or ``HH:MM:SS``."""
    if isinstance(value, dt.time):
        return value
    found = _CLOCK.match((as_text(value) or "").strip())
    if found is None or int(found.group(1)) > 23:
        return None
    return dt.time(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))


def parse_duration(value: object) -> dt.timedelta | None:
    """A length of time: ``HH:MM``, ``H:MM`` or ``DD:HH:MM``."""
    found = _DURATION.match(value.strip()) if isinstance(value, str) else None
    if found is None:
        return None
    days, hours, minutes = (int(part or 0) for part in found.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes)


def later(start: dt.datetime | None, length: dt.timedelta | None) -> dt.datetime | None:
    """``start + length``, or None when either is missing or the sum is past year 9999."""
    with contextlib.suppress(OverflowError):
        return start + length if start is not None and length is not None else None
    return None


def bare_host(written: str) -> str:
    """A link written without its scheme (``www.example.org``) as an https URL, else ''."""
    found = _BARE_HOST.match(written.strip())
    if found is None or found.group(1).lower() in _FILE_SUFFIXES:
        return ""
    return web_url(f"https://{written.strip()}")


def image_source(text: str, base: str = "") -> str | None:
    """An avatar: an http(s) URL, or a relative path (on ``base`` if given); else None."""
    text = text.strip()
    if not text:
        return ""
    if web_url(text):
        return web_url(text)
    if unsafe_scheme(text) or _SCHEME.match(text) or text.startswith(("//", "\\")):
        return None
    return web_url(urljoin(base, text)) if base else text


def absolute(url: str, base: str = "") -> str:
    """An http(s) URL: ``url`` itself, or ``url`` relative to ``base``; else nothing."""
    url = url.strip()
    if web_url(url) or not base or _SCHEME.match(url) or url.startswith(("//", "\\")):
        return web_url(url)
    return web_url(urljoin(base, url))


class Fields:
    """One entry of a schedule file, read field by field; problems name the entry and field."""

    def __init__(self, data: Mapping[Any, Any], label: str, problems: list[ScheduleProblem],
                 line: int | None = None, lines: Mapping[str, int] | None = None) -> None:
        self.data = data
        #: How problems name the entry: ``talk 'Title'``, ``day 1, room 'A', entry 3``.
        self.label = label
        self.problems = problems
        self.line = line
        self.lines = lines or {}

    def problem(self, message: str, key: str | None = None) -> None:
        """Record a problem of the entry (at the field's line when known)."""
        line = self.lines.get(key, self.line) if key else self.line
        self.problems.append(ScheduleProblem(f"{self.label}: {message}", line))

    def has(self, key: str) -> bool:
        """Whether the entry gives the field a value."""
        return self.data.get(key) not in (None, "", [], {})

    def raw(self, key: str, then: str = "left out") -> str:
        """The field as text, unchanged; a list or mapping is a problem (and nothing)."""
        value = self.data.get(key)
        text = as_text(value)
        if text is None:
            self.problem(f"{key!r} is {kind(value)}, not text; {then}", key)
        return text or ""

    def text(self, key: str) -> str:
        """The field as plain text (see :func:`plain`)."""
        return plain(self.raw(key))

    def html(self, key: str) -> str:
        """The field as sanitised HTML (see :func:`rich`)."""
        return rich(self.raw(key))

    def markdown(self, key: str) -> str:
        """The field, Markdown, as sanitised HTML (see :func:`markdown`)."""
        return markdown(self.raw(key))

    def title(self, key: str = "title") -> str:
        """The entry's title, which names the entry from now on; nothing (a problem) if none."""
        title = plain(self.raw(key, "the entry is skipped"))
        if not title:
            if as_text(self.data.get(key)) is not None:
                self.problem(f"has no {key!r}; the entry is skipped", key)
            return ""
        self.label = f"talk {shown(title, 60)}"
        return title

    def url(self, key: str, base: str = "") -> str:
        """The field as an http(s) URL; anything else is a problem (and nothing)."""
        text = self.raw(key).strip()
        url = absolute(text, base) if text else ""
        if text and not url:
            self.problem(f"{key!r} {shown(text)} is not an http(s) URL; left out", key)
        return url

    def image(self, key: str, base: str = "") -> str:
        """The field as an avatar (see :func:`image_source`)."""
        text = self.raw(key)
        found = image_source(text, base)
        if found is None:
            self.problem(f"{key!r} {shown(text)} is neither an http(s) URL nor a relative path; "
                         "left out", key)
        return found or ""

    def items(self, key: str) -> list[Any]:
        """The field as a list; anything else is a problem (and an empty list)."""
        value = self.data.get(key)
        if value is not None and not isinstance(value, list):
            self.problem(f"{key!r} is {kind(value)}, not a list; left out", key)
        return value if isinstance(value, list) else []


def keys_of(*values: str) -> tuple[str, ...]:
    """The non-empty values, each once, in order."""
    return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))


def unique(talks: Iterable[tuple[Talk, int | None]],
           problems: list[ScheduleProblem]) -> tuple[Talk, ...]:
    """The talks, the first of each id kept; each later one is a problem (at its line).

    A later one of the same title is the talk held again (pretalx's sessions of several
    slots): no problem; its own keys (each slot's ``guid``) find the first.
    """
    seen: dict[str, int] = {}
    kept: list[Talk] = []
    for talk, line in talks:
        index = seen.get(talk.id) if talk.id else None
        if index is None:
            if talk.id:
                seen[talk.id] = len(kept)
            kept.append(talk)
            continue
        first = kept[index]
        if first.title.casefold() == talk.title.casefold():
            kept[index] = dataclasses.replace(first, keys=keys_of(*first.keys, *talk.keys))
            continue
        problems.append(ScheduleProblem(
            f"talk {shown(talk.title, 60)}: id {shown(talk.id)} is also the id of talk "
            f"{shown(first.title, 60)}, earlier in the file; only the first is kept", line))
    return tuple(kept)
