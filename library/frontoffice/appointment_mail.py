"""A booking told to its visitor: its iCalendar file (the consultation appointments' writer) and its email.

The email goes out when a visitor who gave an address books a slot: the code to type at the
kiosk, the service, the day and time, the booking's own page (to cancel), its calendar file.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_datetime

from library.frontoffice.appointments import starts_at
from library.mail import Attachment, Message, bilingual
from library.mail.calendar_files import CalendarEvent, event_ics
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


def booking_confirmation(
    row: Booking, timezone: str, slot_minutes: int, grace_minutes: int, url: str
) -> Message:
    """Return the email that confirms a booking to the visitor, its calendar file attached."""
    office = row.service.office
    begins = starts_at(row, timezone)
    when_id = format_datetime(begins, "EEEE, d MMMM y, HH.mm", tzinfo=begins.tzinfo, locale="id")
    when_en = format_datetime(begins, "EEEE, d MMMM y, HH:mm", tzinfo=begins.tzinfo, locale="en")
    service_en = row.service.name_en or row.service.name
    message = bilingual(
        row.email,
        f"Janji temu {row.code} di PST {office.name}",
        f"Appointment {row.code} at PST {office.name}",
        f"""
Halo {row.name},

Janji temu Anda untuk {row.service.name} di PST {office.name} tercatat:
{when_id} (waktu setempat).

Kode janji temu: {row.code}
Saat tiba, ketik kode ini di kios buku tamu: Anda dipanggil pada waktu itu, sebelum pengunjung
tanpa janji. Kode berlaku sampai {grace_minutes} menit setelah waktunya; setelah itu kursinya dilepas.

Lihat atau batalkan janji temu Anda: {url}
""",
        f"""
Hello {row.name},

Your appointment for {service_en} at PST {office.name} is booked:
{when_en} (local time).

Appointment code: {row.code}
When you arrive, type this code at the guest-book kiosk: you are called at that time, before
visitors without an appointment. The code is taken until {grace_minutes} minutes after that time; then
the seat is freed.

See or cancel your appointment: {url}
""",
    )
    ics = booking_ics(row, timezone, slot_minutes, url)
    return Message(
        message.to, message.subject, message.text, (Attachment("janji-temu.ics", "calendar", ics),)
    )
