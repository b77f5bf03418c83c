"""Appointments: a slot booked online for a service, a code the kiosk turns into a ticket called first.

Slots start every PUSTAKA_APPOINTMENT_SLOT_MINUTES within the office's appointment hours, on its
working days only (national holidays, cuti bersama and the office's own closures have none), from
today to PUSTAKA_APPOINTMENT_DAYS_AHEAD days on; a slot that has started can no longer be booked.
Each holds PUSTAKA_APPOINTMENT_CAPACITY seats. A booking takes the lowest free seat with one
insert under the unique (service, day, start, seat): two visitors taking the last seat at once
never both get it. A cancelled booking gives its seat up (its seat becomes minus its id).

At the kiosk the visitor types the code (`check_in`) from half an hour before the slot until
PUSTAKA_APPOINTMENT_GRACE_MINUTES after its start; the ticket it gets is called before the walk-ins
of its service (`library.frontoffice.queue.next_up`). A booking not taken by then is a no-show,
and its seat is free for no one: the slot has begun.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from library.accounts.ratelimit import APPOINTMENT, Throttle
from library.accounts.users import clean_name
from library.clock import office_today
from library.errors import InvalidField, InvalidFields, NotFound, PustakaError
from library.frontoffice.guest_book import clean_optional_email, clean_phone
from library.i18n import N_
from library.models import Booking, BookingStatus, Office, QueueService
from library.uow import UnitOfWork
from library.working_days import Calendar

CODE_ALPHABET = "ACEFHJKLMNPRTUVWXY3479"  # no 0/O, 1/I, 2/Z, 5/S, 6/G, 8/B: read aloud, typed on a tablet
Hours = dict[int, tuple[tuple[dt.time, dt.time], ...]]  # weekday (0: Monday): when slots may start
EARLY = dt.timedelta(minutes=30)  # how long before its slot a code is taken at the kiosk

SLOT_TAKEN = N_("That time is fully booked now. Please choose another time.")
SLOT_GONE = N_(
    "That time cannot be booked (it has passed, or the office is closed then). Choose a time from the list."
)
NO_SUCH_CODE = N_("There is no appointment with the code %(code)s. Check the code in your confirmation.")
NOT_TODAY = N_("Appointment %(code)s is for %(day)s, not today.")
TOO_EARLY = N_("Appointment %(code)s starts at %(time)s: please come back from %(early)s.")
TOO_LATE = N_(
    "Appointment %(code)s started at %(time)s and was kept until %(until)s. Take a queue number without "
    "the code: you are welcome all the same."
)
NOT_BOOKED = N_("Appointment %(code)s was cancelled or has been used already.")


@dataclass(frozen=True)
class SlotRules:
    """The office's appointment settings, read once (PUSTAKA_APPOINTMENT_*)."""

    services: tuple[str, ...]
    hours: Hours
    slot_minutes: int
    capacity: int
    days_ahead: int
    grace: dt.timedelta


@dataclass(frozen=True)
class Slot:
    """One slot of a service: its day, its start (office time) and the seats left."""

    day: dt.date
    starts: dt.time
    left: int


@dataclass(frozen=True)
class BookingEntry:
    """What a visitor fills in to book."""

    service: str
    slot: str  # "2026-12-01T09:30", as the form offers it
    name: str
    email: str = ""
    phone: str = ""
    language: str = "id"


def bookable_services(uow: UnitOfWork, rules: SlotRules, office_code: str) -> list[QueueService]:
    """Return the office's active services that take appointments, in the office's order."""
    if not rules.services:
        return []
    return list(
        uow.session.scalars(
            select(QueueService)
            .join(Office, Office.id == QueueService.office_id)
            .where(
                Office.code == office_code,
                QueueService.active.is_(True),
                QueueService.code.in_(rules.services),
            )
            .order_by(QueueService.position, QueueService.id)
        )
    )


def starts_of(rules: SlotRules, day: dt.date) -> list[dt.time]:
    """Return the starts of a day's slots, by the office's hours for its weekday."""
    starts = []
    step = dt.timedelta(minutes=rules.slot_minutes)
    for begins, ends in rules.hours.get(day.weekday(), ()):
        moment = dt.datetime.combine(day, begins)
        while moment + step <= dt.datetime.combine(day, ends):
            starts.append(moment.time())
            moment += step
    return starts


def open_slots(
    uow: UnitOfWork, rules: SlotRules, calendar: Calendar, service: QueueService, now: dt.datetime
) -> list[Slot]:
    """Return every slot from now to the horizon, each with the seats left (0: fully booked)."""
    zone = ZoneInfo(service.office.timezone)
    local = now.astimezone(zone).replace(tzinfo=None)
    today = local.date()
    last = today + dt.timedelta(days=rules.days_ahead - 1)
    taken = dict(
        ((day, starts), count)
        for day, starts, count in uow.session.execute(
            select(Booking.day, Booking.starts, func.count(Booking.id))
            .where(
                Booking.service_id == service.id,
                Booking.day.between(today, last),
                Booking.status != BookingStatus.CANCELLED.value,
            )
            .group_by(Booking.day, Booking.starts)
        ).all()
    )
    slots = []
    day = today
    while day <= last:
        if calendar.is_working_day(day):
            for starts in starts_of(rules, day):
                if dt.datetime.combine(day, starts) > local:
                    slots.append(Slot(day, starts, max(rules.capacity - taken.get((day, starts), 0), 0)))
        day += dt.timedelta(days=1)
    return slots


def book(
    uow: UnitOfWork,
    rules: SlotRules,
    calendar: Calendar,
    throttle: Throttle,
    entry: BookingEntry,
    *,
    office_code: str,
    client: str,
    now: dt.datetime,
) -> Booking:
    """Book a seat in a slot for the visitor; refuse every wrong answer at once, and a full slot."""
    service, day, starts, answers = _checked(uow, rules, calendar, entry, office_code, now)
    throttle.take(uow, APPOINTMENT, client=client, now=now)  # a flood cannot fill a day's slots
    for seat in range(1, rules.capacity + 1):
        row = Booking(
            service_id=service.id,
            day=day,
            starts=starts,
            seat=seat,
            code=_new_code(),
            token=secrets.token_urlsafe(24),
            booked_at=now,
            language=entry.language if entry.language in ("id", "en") else "id",
            **answers,
        )
        try:
            with uow.session.begin_nested():  # the seat taken a moment ago by another: try the next
                uow.session.add(row)
        except IntegrityError:
            continue
        return row
    raise InvalidField("slot", SLOT_TAKEN)


def _checked(
    uow: UnitOfWork,
    rules: SlotRules,
    calendar: Calendar,
    entry: BookingEntry,
    office_code: str,
    now: dt.datetime,
) -> tuple[QueueService, dt.date, dt.time, dict[str, str]]:
    """Return the service, the slot and the cleaned answers of a booking; refuse every problem at once."""
    problems: list[PustakaError] = []
    answers: dict[str, str] = {}
    for name, clean in (("name", clean_name), ("email", clean_optional_email), ("phone", clean_phone)):
        try:
            answers[name] = clean(getattr(entry, name))
        except InvalidField as problem:
            problems.append(problem)
        except PustakaError as problem:
            problems.append(InvalidField(name, problem.message, **problem.params))
    services = {service.code: service for service in bookable_services(uow, rules, office_code)}
    service = services.get(entry.service)
    slot = _slot_of(entry.slot)
    if service is None:
        problems.append(InvalidField("service", N_("Choose a service from the list.")))
    elif slot is None or slot not in {
        (s.day, s.starts) for s in open_slots(uow, rules, calendar, service, now)
    }:
        problems.append(InvalidField("slot", SLOT_GONE))
    if problems:
        raise InvalidFields(problems)
    assert service is not None and slot is not None
    return service, slot[0], slot[1], answers


def _slot_of(text: str) -> tuple[dt.date, dt.time] | None:
    """Read a slot as the form sends it ("2026-12-01T09:30"); None when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    return moment.date(), moment.time().replace(second=0, microsecond=0)


def _new_code() -> str:
    """Return a fresh code: three and three characters a person reads and types without doubt."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def normal_code(typed: str) -> str:
    """Return a typed code as stored: capitals, the dash in its place, spaces and dashes ignored."""
    chars = "".join(ch for ch in typed.upper() if ch.isalnum())
    return f"{chars[:3]}-{chars[3:]}" if len(chars) == 6 else chars


def find_booking(uow: UnitOfWork, token: str) -> Booking:
    """Return a booking by its page's secret; refuse one that does not exist."""
    row = uow.session.scalar(select(Booking).where(Booking.token == token))
    if row is None:
        raise NotFound(N_("There is no such appointment. Check the link in your confirmation."))
    return row


def cancel(uow: UnitOfWork, token: str, now: dt.datetime) -> Booking:
    """Cancel a booking not yet used; its seat is free again. Cancelling twice is no error."""
    row = find_booking(uow, token)
    if row.status == BookingStatus.ARRIVED.value:
        raise PustakaError(N_("This appointment has been used already: it cannot be cancelled."))
    if row.status == BookingStatus.BOOKED.value:
        row.status, row.cancelled_at, row.seat = BookingStatus.CANCELLED.value, now, -row.id
    return row


def check_in(uow: UnitOfWork, office: Office, typed: str, now: dt.datetime, *, rules: SlotRules) -> Booking:
    """Take a booking's code at the kiosk now: within its window, once. Return it, marked arrived."""
    code = normal_code(typed)
    row = uow.session.scalar(
        select(Booking)
        .join(QueueService, QueueService.id == Booking.service_id)
        .where(Booking.code == code, QueueService.office_id == office.id)
    )
    if row is None:
        raise InvalidField("appointment_code", NO_SUCH_CODE, code=code)
    if row.status != BookingStatus.BOOKED.value:
        raise InvalidField("appointment_code", NOT_BOOKED, code=code)
    zone = ZoneInfo(office.timezone)
    starts = dt.datetime.combine(row.day, row.starts, tzinfo=zone)
    if row.day != office_today(office.timezone, now):
        raise InvalidField("appointment_code", NOT_TODAY, code=code, day=row.day)
    if now < starts - EARLY:
        early = (starts - EARLY).strftime("%H.%M")
        raise InvalidField(
            "appointment_code", TOO_EARLY, code=code, time=starts.strftime("%H.%M"), early=early
        )
    if now > starts + rules.grace:
        until = (starts + rules.grace).strftime("%H.%M")
        raise InvalidField(
            "appointment_code", TOO_LATE, code=code, time=starts.strftime("%H.%M"), until=until
        )
    row.status, row.arrived_at = BookingStatus.ARRIVED.value, now
    return row


def starts_at(row: Booking, timezone: str) -> dt.datetime:
    """Return when a booking's slot starts, as an aware time."""
    return dt.datetime.combine(row.day, row.starts, tzinfo=ZoneInfo(timezone))


def no_show(row: Booking, rules: SlotRules, timezone: str, now: dt.datetime) -> bool:
    """Tell whether a booking was never taken and its window has closed."""
    return row.status == BookingStatus.BOOKED.value and now > starts_at(row, timezone) + rules.grace
