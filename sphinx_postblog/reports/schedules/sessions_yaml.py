"""Sessions YAML: a list of talks, as conference sites keep them in ``_data/<event>-sessions.yaml``.

Owns reading YAML with line numbers (each talk's problems are at its own lines) and the
list's loose shape, as Jekyll conference sites write it: ``title``, ``slug``/``id``, an
HTML ``abstract`` (or ``description``, ``summary``, ``extract``), ``slides``, a recording
as a URL or a bare YouTube/Vimeo id, ``speakers`` as names, mappings (``twitter`` and
``github`` handles, a ``website``, a ``photo``, ``links``…) or keys of the site's
speakers file (``_data/speakers.yml`` next to the sessions file), and a time that is a
date and time, a clock time on the talk's ``date`` (with an ``end`` or a ``duration``),
or free text kept as written (``date: 2nd Oct``, ``time: 12:00``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from sphinx_postblog.model import Schedule, Speaker, Talk, slugify, web_url
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reports.schedules.common import (
    Fields,
    ScheduleProblem,
    as_text,
    bare_host,
    keys_of,
    kind,
    later,
    parse_clock,
    parse_date,
    parse_datetime,
    parse_duration,
    plain,
    shown,
    unique,
)

if TYPE_CHECKING:
    from pathlib import Path

#: Per item of the top list: its line, and the line of each of its keys.
Lines = list[tuple[int, dict[str, int]]]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")
_RANGE = re.compile(r"^(\d{1,2}[:.]\d{2})\s*(?:[-–—]|to)\s*(\d{1,2}[:.]\d{2})$")
_HANDLES = {
    "twitter": (re.compile(r"^@?([A-Za-z0-9_]{1,15})$"), "https://twitter.com/{}"),
    "github": (re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$"), "https://github.com/{}"),
    "linkedin": (re.compile(r"^([A-Za-z0-9-]{3,100})$"), "https://www.linkedin.com/in/{}"),
}
#: A date that was meant as YYYY-MM-DD: a problem when it is none, not a day's name.
_ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_MINUTES = re.compile(r"(?i)^(\d{1,4})\s*(?:m|min|mins|minutes)?$")
#: What separates the names in one ``speaker: Ada Lovelace, Alan Turing``.
_NAMES = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
#: The keys a talk names its speakers under, and a speaker's other names for its fields.
_SPEAKER_KEYS = ("speakers", "speaker", "speaker_ids", "speaker_id")
#: What makes an entry without a title more than an empty slot: worth a problem.
_CONTENT_KEYS = (*_SPEAKER_KEYS, "abstract", "description", "slug", "id", "slides")
_START_KEYS = ("start", "time", "startTime", "start_time")
_END_KEYS = ("end", "endTime", "end_time")
_ABSTRACT_KEYS = ("abstract", "description", "summary", "extract")
_AVATAR_KEYS = ("avatar", "photo", "image", "picture", "thumbnailUrl", "photoUrl")
_BIO_KEYS = ("bio", "biography", "description", "about", "profile")
_WEBSITE_KEYS = ("website", "url", "homepage", "blog")
_PERSON_IDS = ("id", "slug", "key", "username", "handle")
#: Networks a speaker's bare link is labelled with, by host.
_NETWORKS = ("twitter", "github", "gitlab", "linkedin", "mastodon", "youtube", "instagram",
             "facebook", "bsky", "codeberg")


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


def read(data: list[Any], lines: Lines | None = None,
         path: Path | None = None) -> tuple[Schedule, list[ScheduleProblem]]:
    """The schedule of a sessions list (``is_sessions(data)`` holds).

    Speakers named by key are looked up in the speakers file next to ``path``.
    """
    problems: list[ScheduleProblem] = []
    talks: list[tuple[Talk, int | None]] = []
    people = _People(path, problems)
    for number, item in enumerate(data, 1):
        line, keys = lines[number - 1] if lines and number <= len(lines) else (None, {})
        if not isinstance(item, Mapping):
            problems.append(ScheduleProblem(f"item {number} of the list is {kind(item)}, not a "
                                            "mapping with a 'title'; skipped", line))
            continue
        talk = _talk(Fields(item, f"item {number} of the list", problems, line, keys), people)
        if talk is not None:
            talks.append((talk, line))
    schedule = Schedule(talks=unique(talks, problems), format="yaml")
    return schedule, sorted(problems, key=lambda problem: problem.line or 0)


def _talk(fields: Fields, people: _People) -> Talk | None:
    if not fields.has("title") and not any(map(fields.has, _CONTENT_KEYS)):
        return None  # a slot still to be filled: only a time, a room, a type
    title = fields.title()
    if not title:
        return None
    keys = keys_of(fields.text("slug"), fields.text("id"))
    start, end, time = _times(fields)
    abstract = next((html for key in _ABSTRACT_KEYS if fields.has(key)
                     and (html := fields.html(key))), "")
    return Talk(title=title, id=keys[0] if keys else "", keys=keys,
                speakers=_speakers(fields, people), abstract=abstract,
                slides=fields.url("slides"), video=_video(fields), start=start, end=end,
                time=time, room=fields.text("room"), track=fields.text("track"))


def _times(fields: Fields) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    """Start, end, and the time as written when it is no date and time.

    A ``date`` that is no YYYY-MM-DD (``2nd Oct``, ``Day 2``) is part of that text.
    """
    day, label = _day(fields)
    start = None
    free = ""
    for key in _START_KEYS:
        if start is not None or free or not fields.has(key):
            continue
        text = " ".join(fields.raw(key).split())
        found = _RANGE.match(text)
        clock = parse_clock(found.group(1) if found else text)
        start = parse_datetime(fields.data.get(key)) or (
            dt.datetime.combine(day, clock) if day and clock else None)
        if found and start and (until := parse_clock(found.group(2))):
            return start, _on_or_after(start, until), ""
        if start is None and clock is None and key != "time" and text:
            fields.problem(f"{key!r} {shown(text)} is neither a date and time nor HH:MM; "
                           "no start time", key)
        elif start is None:
            free = text
    if start is None and not free:
        start = parse_datetime(fields.data.get("date"))  # ``date: 2025-06-12 10:00``
    end, free = _end(fields, day, start, free)
    return start, end, ", ".join(part for part in (label, free) if part)


def _day(fields: Fields) -> tuple[dt.date | None, str]:
    """The talk's ``date`` as a day, or as text when it names the day otherwise."""
    written = fields.data.get("date")
    day = parse_date(written)
    if day is not None or not fields.has("date"):
        return day, ""
    text = " ".join((as_text(written) or "").split())
    if text and not _ISO_LIKE.match(text):
        return None, plain(text)
    fields.problem(f"'date' {shown(written)} is not a date (YYYY-MM-DD)", "date")
    return None, ""


def _end(fields: Fields, day: dt.date | None, start: dt.datetime | None,
         free: str) -> tuple[dt.datetime | None, str]:
    """The end (an ``end`` time, or the ``duration``), and the free text it extends.

    Without a day, an end clock time extends a start clock time: ``9:30–10:15``.
    """
    key = next((key for key in _END_KEYS if fields.has(key)), "")
    if key:
        value = fields.data.get(key)
        clock = parse_clock(value)
        end = parse_datetime(value)
        if end is None and clock is not None and start is not None:
            end = _on_or_after(start, clock)
        elif end is None and clock is not None and day is not None:
            end = dt.datetime.combine(day, clock)
        if end is not None or (clock is not None and start is None):
            return end, _until(free, clock) if end is None and clock else free
        fields.problem(f"{key!r} {shown(value)} is neither a date and time nor HH:MM on the "
                       "talk's day; no end time", key)
        return None, free
    if not fields.has("duration"):
        return None, free
    length = _length(fields.data.get("duration"))
    if length is None:
        fields.problem(f"'duration' {shown(fields.data.get('duration'))} is neither minutes "
                       "nor HH:MM; no end time", "duration")
        return None, free
    clock = parse_clock(free)
    if start is None and clock is not None:
        ends = later(dt.datetime.combine(dt.date(2000, 1, 1), clock), length)
        return None, _until(free, ends.time() if ends else None)
    return later(start, length), free


def _on_or_after(start: dt.datetime, clock: dt.time) -> dt.datetime:
    """The first time at ``clock`` from ``start`` on: the next day's, past midnight."""
    end = dt.datetime.combine(start.date(), clock, start.tzinfo)
    if end >= start:
        return end
    return later(end, dt.timedelta(days=1)) or end


def _until(free: str, clock: dt.time | None) -> str:
    """A start clock time as written, and an end written alike: ``9:30–10:15``."""
    if clock is None or parse_clock(free) is None:
        return free
    hour = f"{clock.hour:02d}" if re.match(r"\d\d", free) else str(clock.hour)
    return f"{free}–{hour}:{clock.minute:02d}"


def _length(value: object) -> dt.timedelta | None:
    """A duration: minutes (``45``, ``"45 min"``), or ``HH:MM``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.timedelta(minutes=value) if 0 <= value < 100_000 else None
    found = _MINUTES.match(value.strip()) if isinstance(value, str) else None
    return dt.timedelta(minutes=int(found.group(1))) if found else parse_duration(value)


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


def _speakers(fields: Fields, people: _People) -> tuple[Speaker, ...]:
    """The talk's speakers: names, mappings, or keys of the speakers file."""
    key = next((key for key in _SPEAKER_KEYS if fields.has(key)), "speakers")
    value = fields.data.get(key)
    items = [value] if isinstance(value, (str, int, Mapping)) and not isinstance(
        value, bool) else fields.items(key)
    line = fields.lines.get(key, fields.line)
    speakers: list[Speaker] = []
    for number, item in enumerate(items, 1):
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            speakers.extend(_named(fields, key, item, people))
            continue
        if not isinstance(item, Mapping):
            fields.problem(f"speaker {number} is {kind(item)}, not a name or a mapping; "
                           "skipped", key)
            continue
        about = Fields(item, f"{fields.label}, speaker {number}", fields.problems,
                       fields.lines.get(f"{key}.{number - 1}", line))
        speaker = _speaker(about)
        if speaker is not None:
            speakers.append(speaker)
    return tuple(dict.fromkeys(speakers))


def _named(fields: Fields, key: str, item: str | int, people: _People) -> list[Speaker]:
    """The speakers a name or a key names: the speakers file's, or new ones by name."""
    text = " ".join(str(item).split())
    found = people.find(text)
    if found is not None:
        return [found]
    if isinstance(item, int) or (key.endswith(("_id", "_ids")) and text):
        where = (f"not among the speakers of {people.name}" if people.name
                 else "a key, and no speakers file (speakers.yml) is next to this file")
        fields.problem(f"speaker {shown(text)} is {where}; skipped", key)
        return []
    names = [plain(name) for name in _NAMES.split(text)] if text else []
    return [people.find(name) or Speaker(name=name) for name in names if name]


def _speaker(about: Fields) -> Speaker | None:
    """A speaker from a mapping: of the talk, or of the speakers file."""
    name = _name(about)
    if not name:
        about.problem("has no 'name'; skipped")
        return None
    about.label = f"{about.label.rsplit(', speaker', 1)[0]}, speaker {shown(name)}"
    avatar = next((about.image(key) for key in _AVATAR_KEYS if about.has(key)), "")
    bio = next((bio for key in _BIO_KEYS if about.has(key) and (bio := about.html(key))), "")
    return Speaker(name=name, avatar=avatar, bio=bio, links=_links(about))


def _name(about: Fields) -> str:
    """``name`` (and a ``surname``), ``full_name``, or first and last names."""
    for first, last in (("name", "surname"), ("name", "last_name"), ("full_name", ""),
                        ("fullName", ""), ("first_name", "last_name"),
                        ("firstName", "lastName")):
        if about.has(first):
            return plain(f"{about.raw(first)} {about.raw(last) if last else ''}")
    return ""


def _links(about: Fields) -> tuple[tuple[str, str], ...]:
    """A speaker's website, handles (or URLs) and ``links``/``social`` lists."""
    links: list[tuple[str, str]] = []
    website = next((url for key in _WEBSITE_KEYS if about.has(key) and (url := about.url(key))),
                   "")
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
    for key in ("links", "social"):
        for item in about.items(key):
            links.extend(_link(about, key, item))
    return _unique_urls(links)


def _link(about: Fields, key: str, item: object) -> list[tuple[str, str]]:
    """One item of a ``links`` or ``social`` list: a URL, or ``{name, link}``."""
    if isinstance(item, Mapping):
        entry = Fields(item, f"{about.label}, {key}", about.problems, about.line)
        url = next((entry.url(k) for k in ("url", "link", "href") if entry.has(k)), "")
        label = entry.text("name") or entry.text("title") or entry.text("label")
        return [(label or _network(url), url)] if url else []
    text = (as_text(item) or "").strip()
    url = web_url(text) or bare_host(text)
    if url:
        return [(_network(url), url)]
    if text:
        about.problem(f"{key!r} item {shown(text)} is not an http(s) URL; left out", key)
    return []


def _network(url: str) -> str:
    """A link's label from its host: ``github``, ``linkedin``…, else ``website``."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return "website"
    if host in {"x.com", "www.x.com"}:
        return "twitter"
    return next((name for name in _NETWORKS if name in host.split(".")), "website")


def _unique_urls(links: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The links, the first of each URL kept."""
    labels: dict[str, str] = {}
    for label, url in links:
        labels.setdefault(url, label)
    return tuple((label, url) for url, label in labels.items())


class _People:
    """The speakers file next to a sessions file, read once, when a talk names a key."""

    def __init__(self, path: Path | None, problems: list[ScheduleProblem]) -> None:
        self.path = path
        self.problems = problems
        #: The file's name, once it is read.
        self.name = ""
        self._index: dict[str, Speaker] | None = None

    def find(self, key: str) -> Speaker | None:
        """The speaker a key, a slug or a name names in the speakers file."""
        if not key.strip():
            return None
        index = self._read() if self._index is None else self._index
        return index.get(key.strip().casefold()) or index.get(slugify(key))

    def _read(self) -> dict[str, Speaker]:
        self._index = {}
        found = next((path for path in _speakers_files(self.path) if path.is_file()), None)
        if found is None:
            return self._index
        self.name = found.name
        try:
            loaded = load(found.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as error:
            loaded = ScheduleProblem(f"{found.name} cannot be read ({error}); its speakers "
                                     "are left out")
        if isinstance(loaded, ScheduleProblem):
            self.problems.append(ScheduleProblem(f"{found.name}: {loaded.message}"))
            return self._index
        for keys, item in _entries(loaded[0]):
            speaker = _speaker(Fields(item, f"{found.name}, speaker", self.problems))
            if speaker is not None:
                for key in (*keys, speaker.name.casefold(), speaker.slug):
                    self._index.setdefault(key, speaker)
        return self._index


def _speakers_files(path: Path | None) -> list[Path]:
    """Where a sessions file's speakers may be, in its folder.

    ``X-speakers.yml`` for ``X-sessions.yml`` (or ``X-talks.yml``…), then ``speakers.yml``.
    """
    if path is None:
        return []
    names = []
    swapped = re.sub(r"(?i)sessions|talks|schedule|programme|program|agenda", "speakers",
                     path.stem)
    if swapped != path.stem:
        names += [f"{swapped}.yml", f"{swapped}.yaml"]
    names += ["speakers.yml", "speakers.yaml"]
    return [path.with_name(name) for name in dict.fromkeys(names) if name != path.name]


def _entries(data: object) -> list[tuple[tuple[str, ...], Mapping[Any, Any]]]:
    """A speakers file's speakers, each with its keys.

    The file is a list (maybe under ``speakers`` or ``list``), or a mapping of keys to
    speakers.
    """
    if isinstance(data, Mapping):
        inner = data.get("speakers", data.get("list"))
        if isinstance(inner, list):
            data = inner
        else:
            return [((str(key).strip().casefold(),), item) for key, item in data.items()
                    if isinstance(item, Mapping)]
    if not isinstance(data, list):
        return []
    return [(tuple((as_text(item.get(key)) or "").strip().casefold() for key in _PERSON_IDS
                   if (as_text(item.get(key)) or "").strip()), item)
            for item in data if isinstance(item, Mapping)]
