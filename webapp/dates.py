"""Dates and times on pages: one unambiguous way in both languages, never seconds.

Babel's own widths write "11/22/26, 4:41 PM" in English and "08.00.00 WIB" in Indonesian.
Pages say "22 Nov 2026 16.41" / "22 Nov 2026, 16:41" instead; the long widths spell the
month and name the office's zone ("22 November 2026 16.41 WIB"). The filters keep the names
templates already use (`datetimeformat`, `dateformat`, `timeformat`), so every date shown
goes through here; a template's own pattern (such as 'HH:mm') is kept as written.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale, to_user_timezone

WIDTHS = ("short", "medium", "long", "full")
DATE_PATTERNS = {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE, d MMMM y"}
CLOCK_PATTERNS = {"id": "HH.mm", "en": "HH:mm"}  # each language's own separator, 24-hour, no seconds
JOINERS = {"id": " ", "en": ", "}


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in CLOCK_PATTERNS else "id"


def _zone(moment: dt.datetime) -> str:
    """Name the office's zone as people there do (WIB, WITA, WIT), else nothing."""
    name = to_user_timezone(moment).tzname() or ""
    return name if name.isalpha() else ""  # "+07" says nothing a reader needs


def day_text(value: dt.date | dt.datetime, width: str = "long") -> str:
    """Write a date as '22 Nov 2026' (short) or '22 November 2026' (long), in the page's language."""
    return format_date(value, DATE_PATTERNS.get(width, width))


def clock_text(value: dt.datetime | dt.time, width: str = "short") -> str:
    """Write a time as '16.41' / '16:41', with the office's zone for the long widths."""
    if width not in WIDTHS:
        return format_time(value, width)
    text = format_time(value, CLOCK_PATTERNS[_language()])
    zone = _zone(value) if width in ("long", "full") and isinstance(value, dt.datetime) else ""
    return f"{text} {zone}" if zone else text


def moment_text(value: dt.datetime, width: str = "short") -> str:
    """Write a moment as '22 Nov 2026 16.41', or '22 November 2026 16.41 WIB' for the long widths."""
    if width not in WIDTHS:
        return format_datetime(value, width)
    return f"{day_text(value, width)}{JOINERS[_language()]}{clock_text(value, width)}"


def init_app(app: Flask) -> None:
    """Put the page's date filters in place of Flask-Babel's (same names, so every template uses them)."""
    app.add_template_filter(moment_text, "datetimeformat")
    app.add_template_filter(day_text, "dateformat")
    app.add_template_filter(clock_text, "timeformat")
