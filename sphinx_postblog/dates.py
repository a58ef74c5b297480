"""Dates as the blog shows them: the build's day and moment, zones, dates for readers.

Dates for readers follow the project's ``language`` (Babel, with CLDR's forms and names).

Nothing here reads the build machine's clock zone (``TZ``) or a file's modification time:
``SOURCE_DATE_EPOCH`` stands for "now" when it is set, and dates written without an
offset are read in ``postblog_timezone``, so two builds of the same sources agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import zoneinfo
from typing import Literal

import babel
import babel.dates

#: The zone reading gives a date written without an offset: equal to UTC (dates compare
#: and sort as before), told apart from a written ``Z`` or ``+00:00`` by its name, which
#: survives the environment's pickling; :func:`in_zone` reads such dates in
#: ``postblog_timezone``.
UNZONED = dt.timezone(dt.timedelta(0), "unzoned")
#: What "now" is in a reproducible build without ``SOURCE_DATE_EPOCH`` when no post gives a
#: date (an empty feed's ``updated``): a constant, never the build's clock.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as an aware moment, or ``None`` when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return None


def today(where: dt.tzinfo = dt.timezone.utc) -> dt.date:
    """Today in ``where`` (``postblog_timezone``), or the day of ``SOURCE_DATE_EPOCH`` there.

    A post dated tomorrow in the blog's zone is future until midnight there, wherever the
    build runs (Jekyll compares a post's date with the time in the site's zone).
    """
    moment = source_date() or dt.datetime.now(tz=dt.timezone.utc)
    return moment.astimezone(where).date()


def zone(name: str) -> dt.tzinfo:
    """The time zone ``postblog_timezone`` names (validated by the configuration)."""
    if name in {"", "UTC", "Etc/UTC"}:
        return dt.timezone.utc
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def in_zone(moment: dt.datetime, where: dt.tzinfo) -> dt.datetime:
    """A post's date with its zone: one written without an offset is read in ``where``.

    Reading gives such dates :data:`UNZONED` (the wall-clock time as written); a date
    with a written offset, ``Z`` included, keeps it.
    """
    if moment.tzinfo is None or moment.tzinfo.tzname(None) == UNZONED.tzname(None):
        return moment.replace(tzinfo=where)
    return moment


#: The date formats shown in the project's language as that language writes them (CLDR,
#: through Babel): the default ``postblog_date_format`` and ablog's, with and without the
#: year. ``None`` is the language's long date ("2. Juni 2025"), else a Babel skeleton.
_LOCALE_FORMS: dict[str, str | None] = {
    "%-d %B %Y": None, "%d %B %Y": None, "%B %-d, %Y": None, "%B %d, %Y": None,
    "%-d %B": "MMMMd", "%d %B": "MMMMd", "%B %-d": "MMMMd", "%B %d": "MMMMd",
    "%-d %b %Y": "yMMMd", "%d %b %Y": "yMMMd", "%b %-d, %Y": "yMMMd", "%b %d, %Y": "yMMMd",
    "%B %Y": "yMMMM", "%b %Y": "yMMM",
}
#: strftime's names of months and days, and Babel's (width, context) of them.
_NAMES: dict[str, tuple[str, Literal["wide", "abbreviated"]]] = {
    "B": ("month", "wide"), "b": ("month", "abbreviated"),
    "A": ("day", "wide"), "a": ("day", "abbreviated")}
_DIRECTIVE = re.compile(r"%-?[A-Za-z%]")


@functools.lru_cache(maxsize=32)
def babel_locale(language: str | None) -> babel.Locale | None:
    """The Babel locale of a Sphinx ``language``, or None for English and unknown ones."""
    if not language:
        return None
    try:
        found = babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return None
    return None if found.language == "en" else found


def format_date(value: dt.date, fmt: str, language: str | None = None) -> str:
    """A date as readers of ``language`` read it, in the ``strftime`` format ``fmt``.

    ``%-d`` and ``%-m`` drop the zero padding on every platform. In English the format is
    used as it is. In another language the usual formats (``"%-d %B %Y"``, ablog's
    ``"%d %B"`` …) become that language's own form of them ("2. Juni 2025", "2 juin
    2025"); any other format keeps its order, with the language's month and day names.
    """
    where = babel_locale(language)
    if where is not None and fmt in _LOCALE_FORMS:
        skeleton = _LOCALE_FORMS[fmt]
        if skeleton is None:
            return babel.dates.format_date(value, "long", locale=where)
        return babel.dates.format_skeleton(skeleton, value, locale=where)

    def directive(found: re.Match[str]) -> str:
        code = found.group()
        if code == "%-d":
            return str(value.day)
        if code == "%-m":
            return str(value.month)
        if where is not None and code[-1] in _NAMES:
            kind, width = _NAMES[code[-1]]
            if kind == "month":
                name = babel.dates.get_month_names(width, locale=where)[value.month]
            else:
                name = babel.dates.get_day_names(width, locale=where)[value.weekday()]
            return name.replace("%", "%%")
        return code

    return value.strftime(_DIRECTIVE.sub(directive, fmt))
