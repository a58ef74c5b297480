"""Conference schedule importers: a conference's own programme file read into a Schedule.

Owns recognising the format from the content, never from the file name: pretalx/frab JSON
(:mod:`.frab_json`), frab XML (:mod:`.frab_xml`), Sessionize JSON (:mod:`.sessionize`) and
sessions YAML (:mod:`.sessions_yaml`), with what they share in :mod:`.common`. Reading
never raises for what a file holds: it returns what it could read, and one
:class:`ScheduleProblem` per thing it could not; the caller warns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sphinx_postblog.model import Schedule
from sphinx_postblog.reports.schedules import frab_json, frab_xml, sessionize, sessions_yaml
from sphinx_postblog.reports.schedules.common import NOT_A_SCHEDULE, ScheduleProblem, kind

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["ScheduleProblem", "read_schedule"]

#: Larger files are not read: no conference programme comes near this.
MAX_BYTES = 64 * 1024 * 1024

_Result = tuple[Schedule | None, list[ScheduleProblem]]


def read_schedule(path: Path) -> tuple[Schedule | None, list[ScheduleProblem]]:
    """Read a schedule file; the format is recognised from the content, never from the name.

    Returns the schedule (None when nothing could be read) and the file's problems.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        return None, [ScheduleProblem(f"the schedule file cannot be read "
                                      f"({error.strerror or error})")]
    if len(data) > MAX_BYTES:
        return None, [ScheduleProblem(f"the schedule file is larger than {MAX_BYTES >> 20} MiB; "
                                      "it is not read")]
    return _read(data, path)


def _read(data: bytes, path: Path) -> _Result:
    body = data.removeprefix(b"\xef\xbb\xbf").strip()
    if not body:
        return None, [ScheduleProblem(f"the schedule file is empty; {NOT_A_SCHEDULE}")]
    if body.startswith(b"<"):
        return _xml(body)
    if b"\x00" in body:
        return None, [ScheduleProblem("the schedule file has NUL bytes: it is binary, or text "
                                      f"not in UTF-8; {NOT_A_SCHEDULE}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [ScheduleProblem(f"the schedule file is not UTF-8 text (byte {error.start} "
                                      "is not UTF-8); save it as UTF-8",
                                      data.count(b"\n", 0, error.start) + 1)]
    return _text(text, path)


def _xml(body: bytes) -> _Result:
    root = frab_xml.parse(body)
    if isinstance(root, ScheduleProblem):
        return None, [root]
    if frab_xml.tag(root) != "schedule":
        return None, [ScheduleProblem(f"the file is XML whose root is <{frab_xml.tag(root)}>, "
                                      f"not <schedule>; {NOT_A_SCHEDULE}")]
    return frab_xml.read(root)


def _text(text: str, path: Path) -> _Result:
    """JSON, or YAML: a file that is not JSON may still be YAML (which is almost a superset)."""
    json_problem = None
    if text.lstrip("\ufeff \t\r\n")[:1] in {"{", "["}:
        try:
            return _dispatch(json.loads(text), None, path)
        except json.JSONDecodeError as error:
            json_problem = ScheduleProblem(f"not valid JSON ({error.msg}, line {error.lineno} "
                                           f"column {error.colno}); fix the file", error.lineno)
        except (ValueError, RecursionError) as error:
            json_problem = ScheduleProblem(f"the JSON cannot be read ({error}); fix the file")
    loaded = sessions_yaml.load(text)
    if isinstance(loaded, ScheduleProblem):
        return None, [json_problem or loaded]
    data, lines = loaded
    if json_problem is not None and not _known(data):
        return None, [json_problem]
    return _dispatch(data, lines, path)


def _known(data: object) -> bool:
    return (frab_json.is_pretalx(data) or sessionize.is_sessionize(data)
            or sessions_yaml.is_sessions(data))


def _dispatch(data: Any, lines: sessions_yaml.Lines | None, path: Path) -> _Result:
    if frab_json.is_pretalx(data):
        return frab_json.read(data)
    if sessionize.is_sessionize(data):
        return sessionize.read(data)
    if sessions_yaml.is_sessions(data):
        return sessions_yaml.read(data, lines, path)
    return None, [_unknown(data, lines)]


def _unknown(data: object, lines: sessions_yaml.Lines | None) -> ScheduleProblem:
    """The problem of a file that parses but is none of the formats."""
    if isinstance(data, list) and data:
        return ScheduleProblem(
            f"the file is a list whose items are not mappings with a 'title' (item 1 is "
            f"{kind(data[0])}); {NOT_A_SCHEDULE}", lines[0][0] if lines else None)
    if isinstance(data, Mapping) and data:
        keys = ", ".join(repr(str(key))[:40] for key in list(data)[:4])
        return ScheduleProblem(f"the file is a mapping with keys {keys}; {NOT_A_SCHEDULE}")
    what = "an empty list" if isinstance(data, list) else (
        "an empty mapping" if isinstance(data, Mapping) else kind(data))
    return ScheduleProblem(f"the file is {what}; {NOT_A_SCHEDULE}")
