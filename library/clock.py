"""Time as an office sees it: dates and times in the office's own time zone, and as a person reads them.

Dates and times a person reads, one unambiguous way in each language, never with seconds.

Pages and emails write them alike: "22 November 2026 16.41 WIB" in Indonesian and
"22 November 2026, 16:41 WIB" in English (the long width), or "22 Nov 2026 16.41" /
"22 Nov 2026, 16:41" (short). Each language keeps its own clock separator, both count 24
hours, and a moment is shown in the office's time zone, named as people there name it
(WIB, WITA, WIT). Babel's own widths would write "11/22/26, 4:41 PM" or "08.00.00 WIB".

The web layer (`webapp.dates`) passes the page's language and zone; an email passes each
of its two languages and the office's zone. Machine-readable text (CSV, OAI) stays ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

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


LANGUAGES = ("id", "en")
WIDTHS = ("short", "medium", "long", "full")
DATE_PATTERNS = {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE, d MMMM y"}
CLOCK_PATTERNS = {"id": "%H.%M", "en": "%H:%M"}  # each language's own separator, 24-hour
JOINERS = {"id": " ", "en": ", "}


def language_of(code: str | None) -> str:
    """Return the language whose rules apply to a locale code; Indonesian unless it is English."""
    return code if code in LANGUAGES else "id"


def local(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Return a moment in the zone; a naive moment is taken as UTC, as the database stores them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone)


def zone_name(moment: dt.datetime) -> str:
    """Name a local moment's zone as people there do (WIB, WITA, WIT), else nothing ("+07" says nothing)."""
    name = moment.tzname() or ""
    return name if name.isalpha() else ""


def day_text(value: dt.date, language: str, zone: dt.tzinfo | None = None, width: str = "long") -> str:
    """Write a date as '22 Nov 2026' (short) or '22 November 2026' (long); a moment's day in the zone."""
    if isinstance(value, dt.datetime) and zone is not None:
        value = local(value, zone)
    return format_date(value, DATE_PATTERNS.get(width, width), locale=language_of(language))


def clock_text(
    value: dt.datetime | dt.time, language: str, zone: dt.tzinfo | None = None, width: str = "short"
) -> str:
    """Write a time as '16.41' / '16:41'; the long widths add the zone's name ('16.41 WIB')."""
    language = language_of(language)
    if isinstance(value, dt.datetime) and zone is not None:
        value = local(value, zone)
    text = value.strftime(CLOCK_PATTERNS[language])
    zone_text = zone_name(value) if width in ("long", "full") and isinstance(value, dt.datetime) else ""
    return f"{text} {zone_text}" if zone_text else text


def moment_text(value: dt.datetime, language: str, zone: dt.tzinfo, width: str = "long") -> str:
    """Write a moment as '22 November 2026 16.41 WIB' (long) or '22 Nov 2026 16.41' (short)."""
    language = language_of(language)
    moment = local(value, zone)
    day, clock = day_text(moment, language, width=width), clock_text(moment, language, width=width)
    return f"{day}{JOINERS[language]}{clock}"


class InBoth(NamedTuple):
    """One date written for each part of a bilingual email."""

    indonesian: str
    english: str


def moment_in_both(value: dt.datetime, zone: dt.tzinfo, width: str = "long") -> InBoth:
    """Write a moment for an email: '22 November 2026 16.41 WIB' and '22 November 2026, 16:41 WIB'."""
    return InBoth(moment_text(value, "id", zone, width), moment_text(value, "en", zone, width))


def day_in_both(value: dt.date, width: str = "long") -> InBoth:
    """Write a day for an email: '15 Januari 2027' and '15 January 2027'."""
    return InBoth(day_text(value, "id", width=width), day_text(value, "en", width=width))
