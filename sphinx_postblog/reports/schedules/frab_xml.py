"""frab schedule XML (frab, pretalx, c3voc): ``<schedule><day><room><event>``.

Owns parsing the XML safely, with :mod:`defusedxml` only (no entity expansion, no external
entities or DTDs fetched: such a file is a problem), and turning each ``<event>`` into the
mapping frab's JSON has, so that :mod:`.frab_json` reads both the same way.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET
from typing import TYPE_CHECKING, Any

import defusedxml
import defusedxml.ElementTree as SafeET

from sphinx_postblog.model import Schedule
from sphinx_postblog.reports.schedules.common import ScheduleProblem
from sphinx_postblog.reports.schedules.frab_json import read_conference

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_IDS = ("guid", "id", "code")


def parse(data: bytes) -> Element | ScheduleProblem:
    """The root element of an XML file, or the problem that stops it being read."""
    try:
        return SafeET.fromstring(data)
    except defusedxml.DefusedXmlException as error:
        at = data.find(b"<!ENTITY")
        line = data.count(b"\n", 0, at) + 1 if at >= 0 else None
        return ScheduleProblem(f"the XML declares entities or a DTD ({type(error).__name__}), "
                               "which are not read, for safety; remove its <!DOCTYPE>", line)
    except StdET.ParseError as error:
        line = error.position[0] if error.position else None
        message = re.sub(r":\s*line \d+, column \d+$", "", str(error))
        return ScheduleProblem(f"not well-formed XML ({message}); fix the file", line)
    except (RecursionError, ValueError) as error:
        return ScheduleProblem(f"the XML cannot be read ({type(error).__name__}); fix the file")


def tag(element: Element) -> str:
    """An element's name without its namespace."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def read(root: Element) -> tuple[Schedule, list[ScheduleProblem]]:
    """The schedule of a frab XML file whose root is ``<schedule>``."""
    problems: list[ScheduleProblem] = []
    try:
        conference = _conference(root)
    except RecursionError:
        problems.append(ScheduleProblem("the XML is nested too deeply to read; fix the file"))
        return Schedule(format="frab-xml"), problems
    schedule = read_conference(conference, problems, "frab-xml", conference["base_url"],
                               "<day> → <room> → <event>")
    return schedule, problems


def _conference(root: Element) -> dict[str, Any]:
    about = next((child for child in root if tag(child) == "conference"), None)
    fields = {tag(child): _text(child) for child in (about if about is not None else ())}
    days = []
    for day in (child for child in root if tag(child) == "day"):
        rooms: dict[str, list[dict[str, Any]]] = {}
        for room in (child for child in day if tag(child) == "room"):
            rooms.setdefault(room.get("name", ""), []).extend(
                _event(event) for event in room if tag(event) == "event")
        days.append({"date": day.get("date", ""), "day_start": day.get("start", ""),
                     "rooms": rooms})
    return {"title": fields.get("title", ""), "base_url": fields.get("base_url", ""),
            "days": days}


def _event(element: Element) -> dict[str, Any]:
    """An ``<event>`` as the mapping frab's JSON has for it."""
    event: dict[str, Any] = {key: element.get(key) for key in _IDS if element.get(key)}
    for child in element:
        name = tag(child)
        if name == "persons":
            event["persons"] = [{"name": _text(person), **{k: person.get(k) for k in _IDS}}
                                for person in child if tag(person) == "person"]
        elif name in {"links", "attachments"}:
            event[name] = [{"url": item.get("href", ""), "title": _text(item),
                            "type": item.get("type", "")} for item in child]
        elif name == "recording":  # <license>, <optout>, and c3voc's <url>
            event[name] = {tag(item): _text(item) for item in child}
        elif name and name not in event:
            event[name] = _text(child)
    return event


def _text(element: Element) -> str:
    return "".join(element.itertext())
