"""Dates as the blog shows them: the build's day and moment, zones, dates for readers.

Nothing here reads the build machine's clock zone (``TZ``) or a file's modification time:
``SOURCE_DATE_EPOCH`` stands for "now" when it is set, and dates written without an
offset are read in ``postblog_timezone``, so two builds of the same sources agree.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

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
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return None


def today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    moment = source_date()
    return (moment or dt.datetime.now(tz=dt.timezone.utc)).date()


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


def format_date(value: dt.date, fmt: str) -> str:
    """``strftime`` with ``%-d`` and ``%-m`` (no zero padding) on every platform."""
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)
