"""An iCalendar file (RFC 5545) for an appointment (a booked slot, a follow-up): one event, CRLF lines.

Times are written in UTC (the "Z" form): every calendar shows them in its own zone, so a
10.00 WIB appointment reads 10.00 in Jakarta and 11.00 in Makassar. The method is PUBLISH:
the file adds the appointment to a calendar; accepting or asking for another time happens on
the consultation's page, not by calendar replies. A changed appointment keeps its UID and
raises SEQUENCE, so calendars update the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//BPS PST//Pustaka//ID"
LINE_OCTETS = 75  # RFC 5545 3.1: fold lines longer than this, with CRLF and one space


@dataclass(frozen=True)
class CalendarEvent:
    """What an appointment's calendar entry says."""

    uid: str
    stamp: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    url: str = ""
    sequence: int = 0
    confirmed: bool = False


def event_ics(event: CalendarEvent) -> str:
    """Return the iCalendar text of one event, CRLF line ends and long lines folded."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{utc(event.stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CONFIRMED' if event.confirmed else 'TENTATIVE'}",
        f"SUMMARY:{escape(event.summary)}",
        f"LOCATION:{escape(event.location)}",
        f"DESCRIPTION:{escape(event.description)}",
    ]
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def utc(moment: dt.datetime) -> str:
    """Write an aware moment as an iCalendar UTC date-time: 20261125T030000Z."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1  # a continuation starts with a space
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)
