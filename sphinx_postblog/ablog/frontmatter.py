"""ablog's ``post`` and ``update`` directives read as front matter.

A document with ``.. post:: Apr 15, 2014`` (or MyST's ``{post}``) is a post; the
directive's argument is its date and its options are its tags, category, author and so
on. The newest ``update`` directive's date is the post's updated date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx_postblog.reading.fields import parse_date
from sphinx_postblog.reading.frontmatter import RawFrontMatter

if TYPE_CHECKING:
    from collections.abc import Iterator


def _opening(name: str) -> re.Pattern[str]:
    """The opening line of an ablog directive, in reST or in MyST; group 1 is its argument."""
    return re.compile(rf"^(?:\.\. {name}::|(?:`{{3,}}|~{{3,}}|:{{3,}})\{{{name}\}})[ \t]*(.*?)[ \t]*$")


_POST_DIRECTIVE = _opening("post")
_UPDATE_DIRECTIVE = _opening("update")
_DIRECTIVE_OPTION = re.compile(r"^[ \t]*:([\w-]+):(?:[ \t]+(.*?))?[ \t]*$")


def read_post_directive(source: str) -> RawFrontMatter | None:
    """The fields of ablog's ``post`` directive (``.. post:: Apr 15, 2014`` and its options).

    The document is a post; the argument is its date, the options its tags, category,
    author and so on, as front matter would give them. ``image`` and ``excerpt`` are
    counts in ablog (the n-th image, the first n paragraphs), and read as such.
    """
    if "post::" not in source and "{post}" not in source:
        return None
    lines = source.lstrip("\ufeff").split("\n")
    found = next(_directive_lines(lines, _POST_DIRECTIVE), None)
    if found is None:
        return None
    number, opening = found
    raw = RawFrontMatter(data={"blogpost": True}, lines={"blogpost": number})
    if opening.group(1):
        raw.data["date"], raw.lines["date"] = opening.group(1), number
    for offset, line in enumerate(lines[number:], start=number + 1):
        option = _DIRECTIVE_OPTION.match(line)
        if option is None:
            break
        key, value = option.group(1), option.group(2) or ""
        raw.data[key], raw.lines[key] = value, offset
    updates = [(parsed[0], at, update.group(1))
               for at, update in _directive_lines(lines, _UPDATE_DIRECTIVE)
               if (parsed := parse_date(update.group(1))) is not None]
    if updates:
        _, at, when = max(updates)
        raw.data["updated"], raw.lines["updated"] = when, at
    return raw


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _directive_lines(lines: list[str], pattern: re.Pattern[str]
                     ) -> Iterator[tuple[int, re.Match[str]]]:
    """Line numbers and matches of a directive's opening lines, outside Markdown code fences."""
    fence = ""
    for number, line in enumerate(lines, start=1):
        marker = _FENCE_LINE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence) \
                    and not line[marker.end():].strip():
                fence = ""
            continue
        opening = pattern.match(line)
        if opening:
            yield number, opening
        elif marker:
            fence = marker.group(1)


def with_post_directive(raw: RawFrontMatter | None, source: str) -> RawFrontMatter | None:
    """Front matter completed by the fields of a ``post`` directive, if the page has one."""
    directive = read_post_directive(source)
    if directive is None:
        return raw
    if raw is None:
        return directive
    for key, value in directive.data.items():
        if key not in raw.data:
            raw.data[key], raw.lines[key] = value, directive.lines[key]
    return raw


#: Front matter keys a default fills, and the keys that already give what it would.
_DEFAULTED = {"author": ("author", "authors"), "location": ("location",),
              "language": ("language", "lang")}


def with_defaults(raw: RawFrontMatter | None,
                  defaults: dict[str, str | list[str]]) -> RawFrontMatter | None:
    """Front matter with the site's default author, location and language where it has none.

    ``defaults`` maps ``author``, ``location`` and ``language`` to a value (empty: no
    default). Documents that are not posts drop what this adds with the rest of their
    front matter.
    """
    wanted = {key: value for key, value in defaults.items() if value}
    if not wanted:
        return raw
    raw = raw if raw is not None else RawFrontMatter()
    for key, value in wanted.items():
        if not any(raw.data.get(given) not in (None, "", []) for given in _DEFAULTED[key]):
            raw.data[key] = value
    return raw


def directive_fields(arguments: list[str], options: dict[str, object], line: int
                     ) -> RawFrontMatter:
    """One ``post`` directive's fields as parsed, as front matter (a section's own post).

    Each option is placed on its own line after the directive's, as written in reST.
    """
    raw = RawFrontMatter(data={"blogpost": True}, lines={"blogpost": line})
    if arguments:
        raw.data["date"], raw.lines["date"] = arguments[0], line
    for offset, (key, value) in enumerate(options.items(), start=line + 1):
        raw.data[key], raw.lines[key] = "" if value is None else str(value), offset
    return raw
