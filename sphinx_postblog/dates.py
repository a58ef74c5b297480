"""Dates as the blog shows them: the build's day, and dates formatted for readers."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.datetime.now(tz=dt.timezone.utc).date()


def format_date(value: dt.date, fmt: str) -> str:
    """``strftime`` with ``%-d`` and ``%-m`` (no zero padding) on every platform."""
    fmt = fmt.replace("%-d", str(value.day)).replace("%-m", str(value.month))
    return value.strftime(fmt)
