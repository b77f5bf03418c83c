"""The iCalendar file of a follow-up appointment: RFC 5545 lines, UTC times, escaped and folded text."""

from __future__ import annotations

import datetime as dt

import pytest

from library.mail import Attachment, Message
from library.mail.calendar_files import CalendarEvent, escape, event_ics, fold, utc

WIB = dt.timezone(dt.timedelta(hours=7))
EVENT = CalendarEvent(
    uid="abc123@pustaka",
    stamp=dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC),
    starts_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=WIB),
    ends_at=dt.datetime(2026, 11, 25, 11, 0, tzinfo=WIB),
    summary="Konsultasi BPS KS-20261123-00001",
    location="Ruang PST, Jl. AR Prawiranegara; Metro",
    description="Data kemiskinan\nhttps://pst.example.id/konsultasi/KS-20261123-00001",
)


def test_every_line_ends_in_crlf_and_the_event_has_its_uid_stamp_and_utc_times() -> None:
    text = event_ics(EVENT)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "METHOD:PUBLISH" in lines
    assert "UID:abc123@pustaka" in lines
    assert "DTSTAMP:20261123T030000Z" in lines
    assert "DTSTART:20261125T030000Z" in lines and "DTEND:20261125T040000Z" in lines


def test_text_values_are_escaped() -> None:
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert "LOCATION:Ruang PST\\, Jl. AR Prawiranegara\\; Metro" in event_ics(EVENT)


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        utc(dt.datetime(2026, 11, 25, 10, 0))


def test_the_file_travels_as_a_text_calendar_attachment_with_its_crlf_kept() -> None:
    message = Message(
        "ani@example.id", "Janji", "Halo", (Attachment("konsultasi.ics", "calendar", event_ics(EVENT)),)
    )
    mail = message.to_email("pst@example.id", dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    parts = list(mail.iter_attachments())
    assert [p.get_content_type() for p in parts] == ["text/calendar"]
    assert parts[0].get_filename() == "konsultasi.ics"
    assert parts[0].get_payload(decode=True) == event_ics(EVENT).encode("utf-8")
