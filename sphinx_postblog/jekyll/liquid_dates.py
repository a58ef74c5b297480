"""Dates in Jekyll's Liquid: times printed and formatted as Ruby does, and the date filters.

Owns :class:`RubyTime` (a datetime printed as Ruby prints a ``Time``), :func:`to_datetime`
(what Liquid accepts as a date), :func:`ruby_strftime` (Ruby's ``strftime``: ``%-d``,
``%e``, ``%L``, ``%:z``, ``%^b``… on every platform) and :data:`DATE_FILTERS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from liquid import is_undefined
from liquid.exceptions import FilterArgumentError

from sphinx_postblog.dates import UNZONED
from sphinx_postblog.reading.fields import parse_date

__all__ = ["DATE_FILTERS", "RubyTime", "plain", "ruby_strftime", "to_datetime"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_STRFTIME = re.compile(r"%([-_0^#]*)(\d*)(:{0,2}z|[A-Za-z%+])")
_COMPOSITE = {"c": "%a %b %e %H:%M:%S %Y", "D": "%m/%d/%y", "x": "%m/%d/%y", "F": "%Y-%m-%d",
              "r": "%I:%M:%S %p", "R": "%H:%M", "T": "%H:%M:%S", "X": "%H:%M:%S",
              "+": "%a %b %e %H:%M:%S %Z %Y", "n": "\n", "t": "\t", "%": "%"}


class RubyTime(dt.datetime):
    """A datetime that prints as Ruby's ``Time#to_s``: ``2015-12-08 10:00:00 +0100``."""

    def __str__(self) -> str:
        return ruby_strftime(self, "%Y-%m-%d %H:%M:%S %z")

    @classmethod
    def of(cls, moment: dt.datetime) -> RubyTime:
        """The same moment as a :class:`RubyTime`."""
        return cls(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                   moment.second, moment.microsecond, tzinfo=moment.tzinfo)


def plain(value: object) -> object:
    """``value``, or None when it is undefined."""
    return None if is_undefined(value) else value


def to_datetime(value: object) -> RubyTime | None:
    """A Liquid date input (datetime, date, epoch, ``now``, date text) as a time, or None."""
    value = plain(value)
    if isinstance(value, dt.datetime):
        return value if isinstance(value, RubyTime) else RubyTime.of(value)
    if isinstance(value, dt.date):
        return RubyTime(value.year, value.month, value.day)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return RubyTime.fromtimestamp(float(value), tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip().lower() in ("now", "today"):
        return RubyTime.now().astimezone()
    parsed = parse_date(value) if isinstance(value, str) else None
    return RubyTime.of(parsed[0]) if parsed else None


def _offset(moment: dt.datetime, colons: int) -> str:
    delta = moment.utcoffset() or dt.timedelta(0)
    sign = "-" if delta < dt.timedelta(0) else "+"
    minutes, seconds = divmod(abs(int(delta.total_seconds())), 60)
    parts = [f"{minutes // 60:02d}", f"{minutes % 60:02d}"] + ([f"{seconds:02d}"] if colons > 1
                                                               else [])
    return sign + (":" if colons else "").join(parts)


def _directive(moment: dt.datetime, conv: str) -> tuple[str, str, int]:
    """The value of one conversion, its padding character and its natural width."""
    hour12 = moment.hour % 12 or 12
    iso = moment.isocalendar()
    numbers: dict[str, tuple[int, str, int]] = {
        "Y": (moment.year, "0", 4), "C": (moment.year // 100, "0", 2),
        "y": (moment.year % 100, "0", 2), "m": (moment.month, "0", 2),
        "d": (moment.day, "0", 2), "e": (moment.day, " ", 2),
        "j": (moment.timetuple().tm_yday, "0", 3), "H": (moment.hour, "0", 2),
        "k": (moment.hour, " ", 2), "I": (hour12, "0", 2), "l": (hour12, " ", 2),
        "M": (moment.minute, "0", 2), "S": (moment.second, "0", 2),
        "L": (moment.microsecond // 1000, "0", 3), "u": (moment.isoweekday(), "0", 1),
        "w": (moment.isoweekday() % 7, "0", 1), "G": (iso[0], "0", 4),
        "g": (iso[0] % 100, "0", 2), "V": (iso[1], "0", 2),
        "U": (int(moment.strftime("%U")), "0", 2), "W": (int(moment.strftime("%W")), "0", 2),
        "s": (int(moment.timestamp()), "0", 1),
    }
    if conv in numbers:
        number, pad, width = numbers[conv]
        return str(number), pad, width
    texts = {
        "B": _MONTHS[moment.month - 1], "b": _MONTHS[moment.month - 1][:3],
        "h": _MONTHS[moment.month - 1][:3], "A": _DAYS[moment.weekday()],
        "a": _DAYS[moment.weekday()][:3], "p": "AM" if moment.hour < 12 else "PM",
        "P": "am" if moment.hour < 12 else "pm", "N": f"{moment.microsecond:06d}000",
        # A date written without an offset is UTC to Liquid, as Jekyll without a timezone.
        "Z": "UTC" if moment.tzinfo == UNZONED else (moment.tzname() or ""), "z": _offset(moment, 0), ":z": _offset(moment, 1),
        "::z": _offset(moment, 2),
    }
    return texts.get(conv, "%" + conv), " ", 0


def ruby_strftime(moment: dt.datetime, fmt: str) -> str:
    """Format ``moment`` as Ruby's ``Time#strftime`` does, flags and widths included."""

    def one(match: re.Match[str]) -> str:
        flags, width, conv = match.groups()
        if conv in _COMPOSITE:
            return ruby_strftime(moment, _COMPOSITE[conv]) if len(_COMPOSITE[conv]) > 1 else (
                _COMPOSITE[conv])
        value, pad, natural = _directive(moment, conv)
        if value.startswith("%"):
            return match.group()
        if conv == "N" and width:
            return value[: int(width)]
        size = int(width) if width else natural
        pad = "" if "-" in flags else "_" if "_" in flags else "0" if "0" in flags else pad
        if "^" in flags or ("#" in flags and conv in "pP"):
            value = value.upper() if conv != "p" else value.lower()
        if pad and len(value) < size:
            sign = value[0] if value[0] in "+-" and conv[-1] == "z" else ""
            value = sign + value[len(sign):].rjust(size - len(sign), " " if pad == "_" else pad)
        return value

    return _STRFTIME.sub(one, fmt)


def _date_arg(value: object, name: str) -> RubyTime:
    moment = to_datetime(value)
    if moment is None:
        raise FilterArgumentError(f"{name}: '{value}' is not a valid date", token=None)
    return moment


def date(value: object, fmt: object = None) -> object:
    """Liquid's ``date``: Ruby's strftime; input that is not a date is returned as it is."""
    value = plain(value)
    if value in (None, "") or not plain(fmt):
        return "" if value is None else value
    moment = to_datetime(value)
    return value if moment is None else ruby_strftime(moment, str(fmt))


def _stringify(value: object, month: str, kind: object, style: object) -> object:
    if plain(value) in (None, ""):
        return ""
    moment = _date_arg(value, "date_to_string")
    if kind != "ordinal":
        return ruby_strftime(moment, f"%d {month} %Y")
    day = moment.day
    suffix = "th" if 10 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    if style == "US":
        return ruby_strftime(moment, f"{month} {day}{suffix}, %Y")
    return ruby_strftime(moment, f"{day}{suffix} {month} %Y")


def date_to_string(value: object, kind: object = None, style: object = None) -> object:
    """``07 Nov 2008``; ``ordinal`` gives ``7th Nov 2008``, with ``US`` ``Nov 7th, 2008``."""
    return _stringify(value, "%b", kind, style)


def date_to_long_string(value: object, kind: object = None, style: object = None) -> object:
    """``07 November 2008``, with the same options as ``date_to_string``."""
    return _stringify(value, "%B", kind, style)


def date_to_xmlschema(value: object) -> object:
    """``2008-11-07T13:07:54-08:00``."""
    if plain(value) in (None, ""):
        return ""
    return ruby_strftime(_date_arg(value, "date_to_xmlschema"), "%Y-%m-%dT%H:%M:%S%:z")


def date_to_rfc822(value: object) -> object:
    """``Fri, 07 Nov 2008 13:07:54 -0800``."""
    if plain(value) in (None, ""):
        return ""
    return ruby_strftime(_date_arg(value, "date_to_rfc822"), "%a, %d %b %Y %H:%M:%S %z")


DATE_FILTERS: dict[str, Callable[..., object]] = {
    "date": date, "date_to_string": date_to_string, "date_to_long_string": date_to_long_string,
    "date_to_xmlschema": date_to_xmlschema, "date_to_rfc822": date_to_rfc822,
}
