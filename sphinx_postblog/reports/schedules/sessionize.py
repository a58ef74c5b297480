"""Sessionize JSON: the "All data" export, and the export as a list of session groups.

Owns Sessionize's shapes. "All data" is ``{sessions, speakers, rooms, categories,
questions}``, sessions naming speakers, rooms and category items by id; the grouped export
is ``[{groupId, groupName, sessions}]``, sessions naming speakers as ``{id, name}`` and
carrying their categories. Service sessions (breaks, lunch) are no talks. Times are local
times without an offset, read as they are. The track is the item of the category whose
title says "track" ("Track", "Which track does your session fit?"); slides and a recording
may be answers to the organisers' own questions ("Slides", "YouTube video").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sphinx_postblog.model import Schedule, Speaker, Talk
from sphinx_postblog.reports.schedules.common import (
    Fields,
    ScheduleProblem,
    absolute,
    as_text,
    flag,
    keys_of,
    kind,
    parse_datetime,
    plain,
    shown,
    unique,
)


def is_sessionize(data: object) -> bool:
    """Whether parsed JSON is a Sessionize export ("All data", or a list of groups)."""
    if isinstance(data, Mapping):
        return "sessions" in data and "speakers" in data
    return isinstance(data, list) and any(
        isinstance(group, Mapping) and "sessions" in group
        and ("groupId" in group or "groupName" in group) for group in data)


def read(data: Any) -> tuple[Schedule, list[ScheduleProblem]]:
    """The schedule of a Sessionize export (``is_sessionize(data)`` holds)."""
    problems: list[ScheduleProblem] = []
    people: dict[str, Speaker] | None = None
    rooms: dict[str, str] = {}
    tracks: dict[str, str] = {}
    questions: dict[str, str] = {}
    sessions: list[Any] = []
    if isinstance(data, Mapping):
        top = Fields(data, "the Sessionize file", problems)
        sessions = top.items("sessions")
        people = _people(top.items("speakers"), problems)
        rooms = _names(top.items("rooms"), "name")
        questions = _names(top.items("questions"), "question")
        for category in top.items("categories"):
            if isinstance(category, Mapping) and _is_track(category.get("title")):
                tracks.update(_names(_list(category.get("items")), "name"))
    else:
        for number, group in enumerate(data, 1):
            if not isinstance(group, Mapping):
                problems.append(ScheduleProblem(f"group {number} is {kind(group)}, not a "
                                                "mapping; skipped"))
                continue
            sessions.extend(Fields(group, f"group {number}", problems).items("sessions"))
    talks: list[tuple[Talk, int | None]] = []
    for number, session in enumerate(sessions, 1):
        if not isinstance(session, Mapping):
            problems.append(ScheduleProblem(f"session {number} is {kind(session)}, not a "
                                            "mapping; skipped"))
            continue
        fields = Fields(session, f"session {number}", problems)
        if flag(session.get("isServiceSession")):
            continue
        talk = _talk(fields, people, rooms, tracks, questions)
        if talk is not None:
            talks.append((talk, None))
    return Schedule(talks=unique(talks, problems), format="sessionize"), problems


_TRACK = re.compile(r"(?i)\btracks?\b")
#: Questions whose answer is the slides, or the recording (not the live stream).
_SLIDES_QUESTION = re.compile(r"(?i)slide|folien|deck")
_VIDEO_QUESTION = re.compile(r"(?i)video|recording|youtube|vimeo")
_LIVE_QUESTION = re.compile(r"(?i)live|stream")


def _is_track(title: object) -> bool:
    return isinstance(title, str) and _TRACK.search(title) is not None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _id(value: object) -> str:
    """An id as text (ids are numbers or text); nothing for anything else."""
    return (as_text(value) or "").strip() if not isinstance(value, float) else ""


def _names(items: list[Any], key: str) -> dict[str, str]:
    """``{id: name}`` of the mappings among ``items`` that have both."""
    return {_id(item.get("id")): plain(as_text(item.get(key)) or "")
            for item in items if isinstance(item, Mapping) and _id(item.get("id"))}


def _people(items: list[Any], problems: list[ScheduleProblem]) -> dict[str, Speaker]:
    """The file's speakers by id."""
    people: dict[str, Speaker] = {}
    for number, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            problems.append(ScheduleProblem(f"speaker {number} is {kind(item)}, not a mapping; "
                                            "skipped"))
            continue
        about = Fields(item, f"speaker {number}", problems)
        name = about.text("fullName") or plain(f"{about.raw('firstName')} "
                                               f"{about.raw('lastName')}")
        if not name:
            about.problem("has no 'fullName' (nor 'firstName' and 'lastName'); skipped")
            continue
        about.label = f"speaker {shown(name)}"
        links: list[tuple[str, str]] = []
        for link in about.items("links"):
            if not isinstance(link, Mapping):
                continue
            entry = Fields(link, f"{about.label}, link", problems)
            url = entry.url("url")
            if url:
                links.append((entry.text("title") or entry.text("linkType") or "link", url))
        people[_id(item.get("id"))] = Speaker(name=name, avatar=about.image("profilePicture"),
                                              bio=about.html("bio"), links=tuple(links))
    return people


def _talk(fields: Fields, people: dict[str, Speaker] | None, rooms: dict[str, str],
          tracks: dict[str, str], questions: dict[str, str]) -> Talk | None:
    """The talk of one session, or None if it has no title."""
    title = fields.title()
    if not title:
        return None
    times = []
    for key in ("startsAt", "endsAt"):
        value = fields.data.get(key)
        when = parse_datetime(value)
        if when is None and fields.has(key):
            fields.problem(f"{key!r} {shown(value)} is not an ISO date and time; left out", key)
        times.append(when)
    room = rooms.get(_id(fields.data.get("roomId")), "") or fields.text("room")
    key = fields.text("id")
    return Talk(title=title, id=key, keys=keys_of(key),
                speakers=_speakers(fields, people), abstract=fields.html("description"),
                slides=_answer(fields, questions, _SLIDES_QUESTION),
                video=fields.url("recordingUrl") or _answer(
                    fields, questions, _VIDEO_QUESTION, _LIVE_QUESTION),
                start=times[0], end=times[1], room=room, track=_track(fields, tracks))


def _speakers(fields: Fields, people: dict[str, Speaker] | None) -> tuple[Speaker, ...]:
    found: list[Speaker] = []
    for item in fields.items("speakers"):
        key = _id(item.get("id") if isinstance(item, Mapping) else item)
        name = plain(as_text(item.get("name")) or "") if isinstance(item, Mapping) else ""
        speaker = (people or {}).get(key) or (Speaker(name=name) if name else None)
        if speaker is None:
            where = "not among the file's 'speakers'" if people is not None else "nameless"
            fields.problem(f"speaker {shown(key or item)} is {where}; left out", "speakers")
            continue
        found.append(speaker)
    return tuple(found)


def _track(fields: Fields, tracks: dict[str, str]) -> str:
    """The name of the session's item of the "Track" category, if it has one."""
    for item in _list(fields.data.get("categoryItems")):
        key = _id(item.get("id") if isinstance(item, Mapping) else item)
        if key in tracks:
            return tracks[key]
    for category in _list(fields.data.get("categories")):
        if isinstance(category, Mapping) and _is_track(category.get("name")):
            items = category.get("categoryItems")
            names = [plain(as_text(item.get("name")) or "") for item in _list(items)
                     if isinstance(item, Mapping)]
            return next((name for name in names if name), "")
    return ""


def _answer(fields: Fields, questions: dict[str, str], about: re.Pattern[str],
            unless: re.Pattern[str] | None = None) -> str:
    """The answer to a question ``about`` something (and not ``unless``), if it is a URL."""
    for answer in _list(fields.data.get("questionAnswers")):
        if not isinstance(answer, Mapping):
            continue
        question = questions.get(_id(answer.get("questionId")), "") or plain(
            as_text(answer.get("question")) or "")
        value = as_text(answer.get("answerValue") or answer.get("answer")) or ""
        if (about.search(question) and not (unless and unless.search(question))
                and absolute(value)):
            return absolute(value)
    return ""
