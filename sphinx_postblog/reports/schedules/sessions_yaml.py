"""Sessions YAML: a list of talks, as conference sites keep them in ``_data/<event>-sessions.yaml``.

Owns reading YAML with line numbers (each talk's problems are at its own lines) and the
list's loose shape: ``title``, ``slug``/``id``, an HTML ``abstract``, ``slides``, a
recording as a URL or a bare YouTube/Vimeo id, ``speakers`` as names or mappings (with
``twitter``/``github`` handles and a ``website``), and a time that is a date and time, a
clock time on the talk's ``date``, or free text kept as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from sphinx_postblog.model import Schedule, Speaker, Talk, web_url
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reports.schedules.common import (
    Fields,
    ScheduleProblem,
    keys_of,
    kind,
    parse_clock,
    parse_date,
    parse_datetime,
    plain,
    shown,
    unique,
)

#: Per item of the top list: its line, and the line of each of its keys.
Lines = list[tuple[int, dict[str, int]]]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")
_RANGE = re.compile(r"^(\d{1,2}[:.]\d{2})\s*(?:[-–—]|to)\s*(\d{1,2}[:.]\d{2})$")
_HANDLES = {
    "twitter": (re.compile(r"^@?([A-Za-z0-9_]{1,15})$"), "https://twitter.com/{}"),
    "github": (re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$"), "https://github.com/{}"),
}


class _Loader(yamlsafe.Loader):
    """The project's safe loader, reading ``10:30`` as text, not as YAML 1.1's 630."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yamlsafe.Loader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"))


def load(text: str) -> tuple[Any, Lines] | ScheduleProblem:
    """The data of a YAML document and its lines, or the problem that stops it being read."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yamlsafe.ERRORS as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        what = " ".join(str(getattr(error, "problem", None) or error).split())[:200]
        return ScheduleProblem(f"not valid YAML ({what}); fix the file",
                               mark.line + 1 if mark is not None else None)
    finally:
        loader.dispose()
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return data, [(item.start_mark.line + 1, _key_lines(item)) for item in items]


def _key_lines(item: yaml.Node) -> dict[str, int]:
    """The line of each key of a mapping, and of each item of a list as ``key.index``."""
    lines: dict[str, int] = {}
    for key, value in item.value if isinstance(item, yaml.MappingNode) else ():
        if isinstance(key, yaml.ScalarNode):
            lines[str(key.value)] = key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                lines.update({f"{key.value}.{index}": entry.start_mark.line + 1
                              for index, entry in enumerate(value.value)})
    return lines


def is_sessions(data: object) -> bool:
    """Whether parsed YAML (or JSON) is a list of talks: some item a mapping with a title."""
    return isinstance(data, list) and any(
        isinstance(item, Mapping) and "title" in item for item in data)


def read(data: list[Any], lines: Lines | None = None) -> tuple[Schedule, list[ScheduleProblem]]:
    """The schedule of a sessions list (``is_sessions(data)`` holds)."""
    problems: list[ScheduleProblem] = []
    talks: list[tuple[Talk, int | None]] = []
    for number, item in enumerate(data, 1):
        line, keys = lines[number - 1] if lines and number <= len(lines) else (None, {})
        if not isinstance(item, Mapping):
            problems.append(ScheduleProblem(f"item {number} of the list is {kind(item)}, not a "
                                            "mapping with a 'title'; skipped", line))
            continue
        talk = _talk(Fields(item, f"item {number} of the list", problems, line, keys))
        if talk is not None:
            talks.append((talk, line))
    schedule = Schedule(talks=unique(talks, problems), format="yaml")
    return schedule, sorted(problems, key=lambda problem: problem.line or 0)


def _talk(fields: Fields) -> Talk | None:
    title = fields.title()
    if not title:
        return None
    keys = keys_of(fields.text("slug"), fields.text("id"))
    start, end, time = _times(fields)
    return Talk(title=title, id=keys[0] if keys else "", keys=keys, speakers=_speakers(fields),
                abstract=fields.html("abstract") or fields.html("description"),
                slides=fields.url("slides"), video=_video(fields), start=start, end=end,
                time=time, room=fields.text("room"), track=fields.text("track"))


def _times(fields: Fields) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    """Start, end, and the time as written when it is no date and time."""
    written = fields.data.get("date")
    day = parse_date(written)
    if fields.has("date") and day is None:
        fields.problem(f"'date' {shown(written)} is not a date (YYYY-MM-DD)", "date")
    start = end = None
    free = ""
    for key in ("start", "time"):
        if start is not None or not fields.has(key):
            continue
        text = " ".join(fields.raw(key).split())
        found = _RANGE.match(text)
        clock = parse_clock(found.group(1) if found else text)
        start = parse_datetime(fields.data.get(key)) or (
            dt.datetime.combine(day, clock) if day and clock else None)
        if found and start and (until := parse_clock(found.group(2))):
            end = dt.datetime.combine(start.date(), until, start.tzinfo)
        if start is None and clock is None and key == "start" and text:
            fields.problem(f"'start' {shown(text)} is neither a date and time nor HH:MM; "
                           "no start time", key)
        elif start is None:
            free = free or text
    if start is None and not free:
        start = parse_datetime(written)  # ``date: 2025-06-12 10:00``
    if fields.has("end"):
        value = fields.data.get("end")
        clock = parse_clock(value)
        on = day or (start.date() if start else None)
        end = parse_datetime(value) or (dt.datetime.combine(on, clock, start.tzinfo if start
                                                            else None) if on and clock else None)
        if end is None:
            fields.problem(f"'end' {shown(value)} is neither a date and time nor HH:MM on the "
                           "talk's day; no end time", "end")
    return start, end, free


def _video(fields: Fields) -> str:
    """The recording: an http(s) URL, or a bare YouTube or Vimeo id's page."""
    for key in ("youtubeId", "youtube", "vimeo", "video"):
        if not fields.has(key):
            continue
        value = fields.raw(key).strip()
        url = web_url(value)
        if not url and key != "vimeo" and _YOUTUBE_ID.match(value):
            url = f"https://www.youtube.com/watch?v={value}"
        elif not url and key in {"vimeo", "video"} and _VIMEO_ID.match(value):
            url = f"https://vimeo.com/{value}"
        if url:
            return url
        if value:
            fields.problem(f"{key!r} {shown(value)} is neither an http(s) URL nor a "
                           f"{'Vimeo' if key == 'vimeo' else 'YouTube'} id; left out", key)
    return ""


def _speakers(fields: Fields) -> tuple[Speaker, ...]:
    key = "speakers" if "speakers" in fields.data else "speaker"
    value = fields.data.get(key)
    items = [value] if isinstance(value, (str, Mapping)) else fields.items(key)
    line = fields.lines.get(key, fields.line)
    speakers: list[Speaker] = []
    for number, item in enumerate(items, 1):
        if isinstance(item, str):
            if plain(item):
                speakers.append(Speaker(name=plain(item)))
            continue
        if not isinstance(item, Mapping):
            fields.problem(f"speaker {number} is {kind(item)}, not a name or a mapping; "
                           "skipped", key)
            continue
        about = Fields(item, f"{fields.label}, speaker {number}", fields.problems,
                       fields.lines.get(f"{key}.{number - 1}", line))
        name = about.text("name")
        if not name:
            about.problem("has no 'name'; skipped")
            continue
        about.label = f"{fields.label}, speaker {shown(name)}"
        speakers.append(Speaker(name=name, avatar=about.image("avatar"), bio=about.html("bio"),
                                links=_links(about)))
    return tuple(speakers)


def _links(about: Fields) -> tuple[tuple[str, str], ...]:
    """A speaker's ``website`` and their ``twitter`` and ``github`` handles (or URLs)."""
    links: list[tuple[str, str]] = []
    website = about.url("website") or about.url("url")
    if website:
        links.append(("website", website))
    for key, (pattern, template) in _HANDLES.items():
        value = about.raw(key).strip()
        handle = pattern.match(value)
        url = web_url(value) or (template.format(handle.group(1)) if handle else "")
        if url:
            links.append((key, url))
        elif value:
            about.problem(f"{key!r} {shown(value)} is neither a handle nor an http(s) URL; "
                          "left out", key)
    return tuple(links)
