"""pretalx and frab ("c3voc") schedule JSON: ``schedule.conference.days[].rooms{room: [event]}``.

Owns the frab data model: a conference of days, of rooms, of events with persons, links and
attachments. :func:`read_conference` also reads what :mod:`.frab_xml` makes of an XML file,
which has the same shape. An event's ``date`` (with its offset) is the talk's start, its
``end`` or ``duration`` gives the end; abstracts and biographies are Markdown, as pretalx
and frab write them. The recording is the file's own (c3voc's ``recording.url``,
``video_download_url``), else a link said to be one (or on media.ccc.de), never for an
event not recorded; the slides are a resource named so, else an attached PDF. A session
held in several slots is one talk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sphinx_postblog.model import Schedule, Speaker, Talk
from sphinx_postblog.reports.schedules.common import (
    Fields,
    ScheduleProblem,
    absolute,
    as_text,
    bare_host,
    flag,
    keys_of,
    kind,
    later,
    markdown,
    parse_clock,
    parse_date,
    parse_datetime,
    parse_duration,
    plain,
    shown,
    unique,
)

#: Words and hosts that name slides, in a resource's title, type or URL.
_SLIDES = re.compile(r"(?i)\bslides?\b|folien|presentation|präsentation|\bdecks?\b"
                     r"|speakerdeck\.com|slideshare\.net|slides\.com")
_PDF = re.compile(r"(?i)\.pdf(?:$|[?#])")
#: c3voc's types of a resource that is not the slides, even as a PDF.
_NOT_SLIDES = frozenset({"paper", "article", "blog", "web", "media", "activitypub"})
#: Words in a link's title or type that say it is the talk's recording ("video" does not:
#: speakers link trailers, channels and earlier talks).
_RECORDING = re.compile(r"(?i)recording|aufzeichnung|mitschnitt")
#: The page of one video (not a channel, a user or a search) on a video host.
_VIDEO_PAGE = re.compile(
    r"(?i)^https?://(?:[\w-]+\.)*(?:youtube\.com/(?:watch\?|live/|embed/|v/|shorts/)"
    r"|youtu\.be/[\w-]|(?:player\.)?vimeo\.com/(?:video/)?\d|media\.ccc\.de/v/)")
#: A pretalx talk's page, and the talk's code in it.
_TALK_PAGE = re.compile(r"/talk/([A-Z0-9]{5,12})/?$")
#: CCC's recordings of the talks at its events.
_CCC_RECORDING = re.compile(r"(?i)^https?://media\.ccc\.de/v/")

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
    where = ("'schedule.events' (the draft c3voc schedule format 2, which is not read; use "
             "the format 1 export)" if isinstance(schedule.get("events"), list)
             else "'days' → 'rooms' → events")
    return read_conference(schedule["conference"], problems, "pretalx",
                           base if isinstance(base, str) else "", where), problems


def read_conference(conference: Mapping[str, Any], problems: list[ScheduleProblem], fmt: str,
                    base: str = "", where: str = "'days' → 'rooms' → events") -> Schedule:
    """The talks of a conference mapping: ``title`` and ``days``, each day's ``rooms``.

    A file of no talks, and no problem that says why, is a problem naming ``where`` the
    talks should be.
    """
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
                talk = event_talk(fields, plain(str(room)), parse_date(day.get("date")), base,
                                  parse_datetime(day.get("day_start") or day.get("start")))
                if talk is not None:
                    talks.append((talk, None))
    if not talks and not problems:
        problems.append(ScheduleProblem(f"the file has no talks: none in {where}"))
    return Schedule(talks=unique(talks, problems), title=title, format=fmt)


def event_talk(fields: Fields, room: str, day: dt.date | None, base: str = "",
               opens: dt.datetime | None = None) -> Talk | None:
    """The talk of one event, or None if it has no title.

    ``day`` is the conference day's date, ``opens`` when that day starts (``day_start``).
    """
    title = fields.title()
    if not title:
        return None
    keys = keys_of(fields.text("code"), fields.text("guid"), fields.text("id"),
                   fields.text("slug"), _code_in_url(fields))
    start = _start(fields, day, opens)
    end = _end(fields, start)
    links = _resources(fields, "links", base)
    attachments = _resources(fields, "attachments", base)
    slides = _slides(attachments, links)
    video = _recording(fields, base) or (
        "" if _not_recorded(fields) else _video((*links, *attachments), slides))
    return Talk(title=title, id=keys[0] if keys else "", keys=keys,
                speakers=_speakers(fields, base), abstract=_abstract(fields),
                slides=slides, video=video, start=start, end=end,
                room=fields.text("room") or room, track=fields.text("track"))


def _code_in_url(fields: Fields) -> str:
    """The pretalx code in the talk's page (``…/talk/JBNXAX/``), when ``code`` is not given."""
    for key in ("url", "origin_url"):
        found = _TALK_PAGE.search(as_text(fields.data.get(key)) or "")
        if found:
            return found.group(1)
    return ""


def _start(fields: Fields, day: dt.date | None,
           opens: dt.datetime | None) -> dt.datetime | None:
    """``date`` (or ``start``) as a datetime; or ``start``, a clock time, on a date.

    The date is ``date``'s, else the conference day's: a clock time before the day
    ``opens`` is after midnight, on the next date (frab's days run into the night).
    """
    written = fields.data.get("date")
    start = parse_datetime(written) or parse_datetime(fields.data.get("start"))
    if start is not None:
        return start
    clock = parse_clock(fields.data.get("start")) if fields.has("start") else None
    if clock is not None and (own := parse_date(written)) is not None:
        return dt.datetime.combine(own, clock)
    if day is not None and clock is not None:
        if opens is None:
            return dt.datetime.combine(day, clock)
        after_midnight = opens.date() == day < dt.date.max and clock < opens.time()
        return dt.datetime.combine(day + dt.timedelta(days=after_midnight), clock, opens.tzinfo)
    if fields.has("date"):
        fields.problem(f"'date' {shown(written)} is not an ISO date and time; no start time",
                       "date")
    elif fields.has("start") and clock is None:
        fields.problem(f"'start' {shown(fields.data.get('start'))} is not HH:MM; no start "
                       "time", "start")
    return None


def _end(fields: Fields, start: dt.datetime | None) -> dt.datetime | None:
    """``end`` (c3voc's date and time), else ``start`` and the ``duration``."""
    written = fields.data.get("end")
    end = parse_datetime(written)
    if end is not None:
        return end
    if fields.has("duration"):
        length = parse_duration(fields.data.get("duration"))
        if length is None:
            fields.problem(f"'duration' {shown(fields.data.get('duration'))} is not HH:MM; "
                           "no end time", "duration")
        return later(start, length)
    if fields.has("end"):
        fields.problem(f"'end' {shown(written)} is not an ISO date and time; no end time", "end")
    return None


def _abstract(fields: Fields) -> str:
    """``abstract`` then ``description`` (when it says something else), as HTML."""
    abstract, description = fields.raw("abstract").strip(), fields.raw("description").strip()
    parts = [abstract, description] if description != abstract else [abstract]
    return "".join(markdown(part) for part in parts if part)


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
                                bio=about.markdown("biography"),
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
        url = (key == "links" and bare_host(written)) or absolute(written, base)
        if not url:
            fields.problem(f"{key[:-1]} {number} {shown(written)} is not an http(s) URL; left out",
                           key)
            continue
        found.append((url, about.text("title"), about.text("type")))
    return found


def _slides(attachments: list[Resource], links: list[Resource]) -> str:
    """A resource whose type, title or URL says slides (not a video); else an attached PDF."""
    named = next((url for url, title, kind_ in (*attachments, *links) if not _VIDEO_PAGE.match(url)
                  and (kind_.casefold() == "slides" or _SLIDES.search(f"{title} {url}"))), "")
    return named or next((url for url, _, kind_ in attachments
                          if _PDF.search(url) and kind_.casefold() not in _NOT_SLIDES), "")


def _recording(fields: Fields, base: str) -> str:
    """The recording the file gives: ``recording.url``, ``video_download_url`` (c3voc)."""
    recording = fields.data.get("recording")
    if isinstance(recording, Mapping) and recording.get("url"):
        url = Fields(recording, f"{fields.label}, recording", fields.problems,
                     fields.line).url("url", base)
        if url:
            return url
    return fields.url("video_download_url", base)


def _not_recorded(fields: Fields) -> bool:
    """Whether the event was not recorded (``do_not_record``, ``recording.optout``)."""
    recording = fields.data.get("recording")
    return flag(fields.data.get("do_not_record")) or (
        isinstance(recording, Mapping) and flag(recording.get("optout")))


def _video(resources: tuple[Resource, ...], slides: str) -> str:
    """The link to the recording: said so by its title or type, or on media.ccc.de.

    A link to a video's page is the recording only when no title says what else it is.
    """
    return next((url for url, title, kind_ in resources if url != slides and (
        _RECORDING.search(f"{title} {kind_}") or _CCC_RECORDING.match(url)
        or (not title and _VIDEO_PAGE.match(url)))), "")
