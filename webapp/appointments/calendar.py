"""A booking as an iCalendar file (the consultation's follow-up appointments' writer)."""

from __future__ import annotations

import datetime as dt

from library.consultation import CalendarEvent, event_ics
from library.frontoffice.appointments import starts_at
from library.models import Booking


def booking_ics(row: Booking, timezone: str, slot_minutes: int, url: str) -> str:
    """Return the booking's calendar entry: the service, the office, the code to type at the kiosk."""
    office = row.service.office
    begins = starts_at(row, timezone)
    return event_ics(
        CalendarEvent(
            uid=f"booking-{row.token[:16]}@pustaka",
            stamp=row.booked_at,
            starts_at=begins,
            ends_at=begins + dt.timedelta(minutes=slot_minutes),
            summary=f"PST {office.name}: {row.service.name} ({row.code})",
            location=f"PST {office.name}",
            description=f"Kode janji temu / appointment code: {row.code}. Ketik di kios buku tamu / type it "
            f"at the guest-book kiosk.",
            url=url,
            confirmed=True,
        )
    )
