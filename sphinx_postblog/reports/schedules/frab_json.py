"""pretalx and frab ("c3voc") schedule JSON: ``schedule.conference.days[].rooms{room: [event]}``.

Owns the frab data model: a conference of days, of rooms, of events with persons, links and
attachments. :func:`read_conference` also reads what :mod:`.frab_xml` makes of an XML file,
which has the same shape. An event's ``date`` (with its offset) is the talk's start, its
``duration`` gives the end; its slides and recording are found among its links.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sphinx_postblog.model import Schedule, Speaker, Talk
from sphinx_postblog.reports.schedules.common import (
    Fields,
    ScheduleProblem,
    absolute,
    keys_of,
    kind,
    parse_clock,
    parse_date,
    parse_datetime,
    plain,
    rich,
    shown,
    unique,
)

_DURATION = re.compile(r"^(?:(\d{1,4}):)?(\d{1,5}):([0-5]\d)$")
_SLIDES = re.compile(r"(?i)\bslides?\b|folien|speakerdeck|slideshare|\.pdf(?:$|[?#])")
_VIDEO = re.compile(r"(?i)video|recording|aufzeichnung")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "media.ccc.de")

#: A link or attachment: (http(s) URL, title, type).
Resource = tuple[str, str, str]


def is_pretalx(data: object) -> bool:
    """Whether parsed JSON is a pretalx/frab schedule (``schedule.conference.days``)."""
    schedule = data.get("schedule") if isinstance(data, Mapping) else None
    conference = schedule.get("conference") if isinstance(schedule, Mapping) else None
    return isinstance(conference, Mapping) and "days" in conference


def read(data: Mapping[str, Any]) -> tuple[Schedule, list[ScheduleProblem]]:
    """The schedule of a pretalx/frab JSON file (``is_pretalx(data)`` holds)."""
    problems: list[ScheduleProblem] = []
    schedule = data["schedule"]
    base = schedule.get("base_url")
    return read_conference(schedule["conference"], problems, "pretalx",
                           base if isinstance(base, str) else ""), problems


def read_conference(conference: Mapping[str, Any], problems: list[ScheduleProblem], fmt: str,
                    base: str = "") -> Schedule:
    """The talks of a conference mapping: ``title`` and ``days``, each day's ``rooms``."""
    title = Fields(conference, "conference", problems).text("title")
    base = absolute(base)
    days = conference.get("days")
    if not isinstance(days, list):
        problems.append(ScheduleProblem(f"'days' of the conference is {kind(days)}, not a list; "
                                        "no talks read"))
        return Schedule(title=title, format=fmt)
    talks: list[tuple[Talk, int | None]] = []
    for number, day in enumerate(days, 1):
        if not isinstance(day, Mapping):
            problems.append(ScheduleProblem(f"day {number} is {kind(day)}, not a mapping; "
                                            "skipped"))
            continue
        rooms = day.get("rooms") or {}
        if not isinstance(rooms, Mapping):
            problems.append(ScheduleProblem(f"day {number}: 'rooms' is {kind(rooms)}, not a "
                                            "mapping of room names to events; skipped"))
            continue
        for room, events in rooms.items():
            place = f"day {number}, room {shown(room)}"
            if not isinstance(events, list):
                problems.append(ScheduleProblem(f"{place}: its events are {kind(events)}, not a "
                                                "list; skipped"))
                continue
            for index, event in enumerate(events, 1):
                if not isinstance(event, Mapping):
                    problems.append(ScheduleProblem(f"{place}, entry {index} is {kind(event)}, "
                                                    "not a mapping; skipped"))
                    continue
                fields = Fields(event, f"{place}, entry {index}", problems)
                talk = event_talk(fields, plain(str(room)), parse_date(day.get("date")), base)
                if talk is not None:
                    talks.append((talk, None))
    return Schedule(talks=unique(talks, problems), title=title, format=fmt)


def event_talk(fields: Fields, room: str, day: dt.date | None, base: str = "") -> Talk | None:
    """The talk of one event, or None if it has no title."""
    title = fields.title()
    if not title:
        return None
    keys = keys_of(fields.text("code"), fields.text("guid"), fields.text("id"),
                   fields.text("slug"))
    start = _start(fields, day)
    end = None
    if fields.has("duration"):
        length = parse_duration(fields.data.get("duration"))
        if length is None:
            fields.problem(f"'duration' {shown(fields.data.get('duration'))} is not HH:MM; "
                           "no end time", "duration")
        end = later(start, length)
    links = _resources(fields, "links", base)
    attachments = _resources(fields, "attachments", base)
    slides = next((r[0] for r in (*attachments, *links) if any(map(_SLIDES.search, r))), "")
    video = next((url for url, title, kind_ in (*links, *attachments) if url != slides
                  and (_on_video_host(url) or _VIDEO.search(f"{title} {kind_}"))), "")
    return Talk(title=title, id=keys[0] if keys else "", keys=keys,
                speakers=_speakers(fields, base), abstract=_abstract(fields),
                slides=slides, video=video, start=start, end=end,
                room=fields.text("room") or room, track=fields.text("track"))


def _start(fields: Fields, day: dt.date | None) -> dt.datetime | None:
    """``date`` as a datetime; or ``start`` (a clock time) on ``date``'s or the day's date."""
    written = fields.data.get("date")
    start = parse_datetime(written)
    if start is not None:
        return start
    day = parse_date(written) or day
    clock = parse_clock(fields.data.get("start")) if fields.has("start") else None
    if day is not None and clock is not None:
        return dt.datetime.combine(day, clock)
    if fields.has("date"):
        fields.problem(f"'date' {shown(written)} is not an ISO date and time; no start time",
                       "date")
    elif fields.has("start") and clock is None:
        fields.problem(f"'start' {shown(fields.data.get('start'))} is not HH:MM; no start "
                       "time", "start")
    return None


def _abstract(fields: Fields) -> str:
    """``abstract`` then ``description`` (when it says something else), as HTML."""
    abstract, description = fields.raw("abstract").strip(), fields.raw("description").strip()
    parts = [abstract, description] if description != abstract else [abstract]
    return "".join(rich(part) for part in parts if part)


def _speakers(fields: Fields, base: str) -> tuple[Speaker, ...]:
    speakers: list[Speaker] = []
    for number, person in enumerate(fields.items("persons"), 1):
        if isinstance(person, str) and plain(person):
            speakers.append(Speaker(name=plain(person)))
            continue
        if not isinstance(person, Mapping):
            fields.problem(f"person {number} is {kind(person)}, not a mapping; skipped",
                           "persons")
            continue
        about = Fields(person, f"{fields.label}, person {number}", fields.problems,
                       fields.lines.get("persons", fields.line))
        name = about.text("name") or about.text("public_name")
        if not name:
            about.problem("has no 'name'; skipped")
            continue
        about.label = f"{fields.label}, speaker {shown(name)}"
        url = about.url("url", base)
        speakers.append(Speaker(name=name, avatar=about.image("avatar", base),
                                bio=about.html("biography"),
                                links=(("profile", url),) if url else ()))
    return tuple(speakers)


def _resources(fields: Fields, key: str, base: str) -> list[Resource]:
    """The event's links or attachments with an http(s) URL (relative ones on ``base``)."""
    found: list[Resource] = []
    for number, written_item in enumerate(fields.items(key), 1):
        item = {"url": written_item} if isinstance(written_item, str) else written_item
        if not isinstance(item, Mapping):
            fields.problem(f"{key[:-1]} {number} is {kind(item)}, not a mapping; skipped", key)
            continue
        about = Fields(item, f"{fields.label}, {key[:-1]} {number}", fields.problems, fields.line)
        written = about.raw("url") or about.raw("href")
        url = absolute(written, base)
        if not url:
            fields.problem(f"{key[:-1]} {number} {shown(written)} is not an http(s) URL; left out",
                           key)
            continue
        found.append((url, about.text("title"), about.text("type")))
    return found


def _on_video_host(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == name or host.endswith("." + name) for name in _VIDEO_HOSTS)


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
