"""Time as an office sees it: dates and times in the office's own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Jakarta"


def office_zone(name: str | None) -> ZoneInfo:
    """Return the office's time zone, falling back to WIB for an unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def office_today(timezone: str | None, now: dt.datetime | None = None) -> dt.date:
    """Return today's date in the office's time zone."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(office_zone(timezone)).date()
