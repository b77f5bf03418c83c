"""Dates and times on pages: the rules of `library.clock`, in the page's language and the office's zone.

Pages say "22 Nov 2026 16.41" / "22 Nov 2026, 16:41"; the long widths spell the month and
name the office's zone ("22 November 2026 16.41 WIB"), as the emails do. The filters keep the
names templates already use (`datetimeformat`, `dateformat`, `timeformat`), so every date
shown goes through here; a template's own pattern (such as 'HH:mm') is kept as written.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale, get_timezone

from library import clock as dates


def _language() -> str:
    locale = get_locale()
    return dates.language_of(locale.language if locale is not None else None)


def day_text(value: dt.date | dt.datetime, width: str = "long") -> str:
    """Write a date as '22 Nov 2026' (short) or '22 November 2026' (long), in the page's language."""
    if width not in dates.WIDTHS:
        return format_date(value, width)
    return dates.day_text(value, _language(), get_timezone(), width)


def clock_text(value: dt.datetime | dt.time, width: str = "short") -> str:
    """Write a time as '16.41' / '16:41', with the office's zone for the long widths."""
    if width not in dates.WIDTHS:
        return format_time(value, width)
    return dates.clock_text(value, _language(), get_timezone(), width)


def moment_text(value: dt.datetime, width: str = "short") -> str:
    """Write a moment as '22 Nov 2026 16.41', or '22 November 2026 16.41 WIB' for the long widths."""
    if width not in dates.WIDTHS:
        return format_datetime(value, width)
    return dates.moment_text(value, _language(), get_timezone(), width)


def init_app(app: Flask) -> None:
    """Put the page's date filters in place of Flask-Babel's (same names, so every template uses them)."""
    app.add_template_filter(moment_text, "datetimeformat")
    app.add_template_filter(day_text, "dateformat")
    app.add_template_filter(clock_text, "timeformat")
