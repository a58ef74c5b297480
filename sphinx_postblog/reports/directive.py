"""The ``talk`` directive: one talk of a conference report, the author's notes as its body.

``:id:`` (or the exact title) looks the talk up in the event's schedule file, which fills in
what the directive leaves out; what the directive says wins. The result is a
:class:`~sphinx_postblog.model.Talk` on a :class:`~sphinx_postblog.nodes.postblog_talk`
node, whose card is made when the page is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinx_postblog.i18n import _
from sphinx_postblog.model import Speaker, Talk, slugify, web_url
from sphinx_postblog.nodes import postblog_talk
from sphinx_postblog.reports.programme import programme

if TYPE_CHECKING:
    from sphinx_postblog.model import Event, Schedule

logger = logging.getLogger(__name__)

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{5,12}$")
_CLOCK = r"(\d{1,2}[:.]\d{2})"
_TIME = re.compile(rf"^(?:(\d{{4}}-\d{{2}}-\d{{2}})[ T])?{_CLOCK}(?:\s*[-–]\s*{_CLOCK})?$")


def recording_url(value: str) -> str:
    """A recording's URL: an http(s) URL as written, or a bare YouTube or Vimeo id's page."""
    value = value.strip()
    if _VIMEO_ID.match(value):
        return f"https://vimeo.com/{value}"
    if _YOUTUBE_ID.match(value):
        return f"https://www.youtube.com/watch?v={value}"
    return web_url(value)


def _clock(text: str) -> dt.time:
    hours, minutes = re.split(r"[:.]", text)
    return dt.time(int(hours), int(minutes))


def read_time(text: str, day: dt.date | None
              ) -> tuple[dt.datetime | None, dt.datetime | None] | None:
    """Start and end of ``10:30``, ``10:30-11:15``, ``2025-04-11 10:30`` or an ISO datetime.

    A clock time without a date takes ``day``'s date, and is None without one (the text
    is then shown as written). Not a time at all: None.
    """
    found = _TIME.match(text.strip())
    if found is None:
        try:
            return dt.datetime.fromisoformat(text.strip()), None
        except ValueError:
            return None
    date_text, start_text, end_text = found.groups()
    try:
        date = dt.date.fromisoformat(date_text) if date_text else day
        start, end = _clock(start_text), _clock(end_text) if end_text else None
    except ValueError:
        return None
    if date is None:
        return None
    return (dt.datetime.combine(date, start),
            dt.datetime.combine(date, end, start.tzinfo) if end else None)


class TalkDirective(SphinxDirective):
    """``.. talk:: Title`` / ``:::{talk} Title``: a talk of the report, with the author's notes."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        **dict.fromkeys(("id", "speakers", "slides", "video", "time", "room", "track"),
                        directives.unchanged),
    }

    def warn(self, message: str, *args: object, subtype: str = "talk") -> None:
        """A warning at the directive's line."""
        logger.warning(message, *args, location=self.get_location(), type="postblog",
                       subtype=subtype)

    def run(self) -> list[nodes.Node]:
        """The talk's node, its notes parsed inside it."""
        title = self.arguments[0].strip() if self.arguments else ""
        key = self.options.get("id", "").strip()
        event, schedule = programme(self.env, self.env.docname, self.lineno)
        talk = self._from_schedule(schedule, key, title)
        if talk is None:
            if not title and not key:
                self.warn("talk has neither a title nor an :id: found in the event's schedule; "
                          "give it a title")
            talk = Talk(title=title or key or _("Untitled talk"), id=key)
        talk = self._with_options(talk, title, event, schedule)
        node = postblog_talk(talk=talk)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        notes = " ".join(node.astext().split())
        anchor = self._anchor(talk)
        node["ids"].append(anchor)
        self.state.document.ids[anchor] = node
        node["talk"] = replace(talk, notes=notes, anchor=anchor)
        return [node]

    def _from_schedule(self, schedule: Schedule | None, key: str, title: str) -> Talk | None:
        if schedule is None:
            if key and not title:
                self.warn("talk :id: %r needs the event's schedule file (event.schedule in "
                          "front matter), or a title", key)
            return None
        found = schedule.find(key) if key else schedule.find(title) if title else None
        # A talk with speakers of its own and no id is one the programme did not have.
        by_hand = not key and bool(self.options.get("speakers", "").strip())
        if found is None and (key or title) and not by_hand:
            what = f":id: {key!r}" if key else f"title {title!r}"
            self.warn("talk %s matches no talk of the event's schedule (%d talks); written "
                      "as given", what, len(schedule.talks), subtype="schedule")
        return found

    def _with_options(self, talk: Talk, title: str, event: Event | None,
                      schedule: Schedule | None) -> Talk:
        """The talk with what the directive says written over it."""
        changes: dict[str, object] = {}
        if title:
            changes["title"] = title
        for name in ("room", "track"):
            if self.options.get(name, "").strip():
                changes[name] = " ".join(self.options[name].split())
        for name, read in (("slides", web_url), ("video", recording_url)):
            value = self.options.get(name, "").strip()
            if not value:
                continue
            url = read(value)
            if url:
                changes[name] = url
            else:
                self.warn("talk :%s: %r is not an http(s) URL%s; left out", name, value,
                          " or a YouTube or Vimeo id" if name == "video" else "")
        if self.options.get("time", "").strip():
            changes.update(self._time(self.options["time"], talk, event, schedule))
        names = [n.strip() for n in re.split(r"[,;]", self.options.get("speakers", ""))
                 if n.strip()]
        if names:
            changes["speakers"] = tuple(self._speaker(n, talk, schedule) for n in names)
        return replace(talk, **changes)  # type: ignore[arg-type]

    def _time(self, text: str, talk: Talk, event: Event | None,
              schedule: Schedule | None) -> dict[str, object]:
        day = talk.start.date() if talk.start else (
            event.start if event and event.start and event.end in {None, event.start} else None)
        parsed = read_time(text, day)
        if parsed is None:
            return {"time": " ".join(text.split()), "start": None, "end": None}
        start, end = parsed
        # A clock time is the conference's local time: the programme's offset, where known.
        known = talk.start or next((t.start for t in (schedule.talks if schedule else ())
                                    if t.start is not None), None)
        zone = known.tzinfo if known is not None else None
        if zone is not None:
            start = start.replace(tzinfo=zone) if start and start.tzinfo is None else start
            end = end.replace(tzinfo=zone) if end and end.tzinfo is None else end
        if talk.start and start and end is None and talk.end:
            end = start + (talk.end - talk.start)  # a moved talk keeps its length
        return {"start": start, "end": end, "time": ""}

    @staticmethod
    def _speaker(name: str, talk: Talk, schedule: Schedule | None) -> Speaker:
        """A speaker by name, with what the schedule knows of them."""
        slug = Speaker(name=name).slug
        known = [*talk.speakers, *(s for t in (schedule.talks if schedule else ()) for s in t.speakers)]
        return next((s for s in known if s.slug == slug), Speaker(name=name))

    def _anchor(self, talk: Talk) -> str:
        base = "talk-" + (slugify(talk.id) or slugify(talk.title) or "untitled")[:60].strip("-")
        anchor, number = base, 2
        while anchor in self.state.document.ids:
            anchor, number = f"{base}-{number}", number + 1
        return anchor
