"""The guest book: a walk-in visitor signs in at the kiosk and gets one queue ticket per service.

The page is public (no sign-in: a visitor may fill it on their own phone from a QR code at the
door), so it is guarded without any third party: a limit of entries per client address, a
honeypot field people never see, and a signed time the form was opened at (a form sent back
within seconds was not filled in by hand; one open for hours is sent again).

The name and email are kept as the visitor declared them: typing an address proves nothing,
so a visit is joined to no account here (`library.frontoffice.identity` says how it is later).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from library.accounts.ratelimit import Taken
from library.clock import office_today
from library.errors import InvalidField, NotFound
from library.frontoffice.guest_book_answers import (
    FASTEST_BY_HAND,
    FORM_STARTED,
    LANGUAGES,
    MAX_PHONE_LENGTH,
    MAX_PURPOSE_LENGTH,
    PHONE_FOR_MESSAGES,
    REPEAT_MINUTES,
    SAME_NAME_RECENTLY,
    CleanEntry,
    EntryInvalid,
    FormRefused,
    GuestBookEntry,
    GuestBookGuard,
    RepeatedName,
    ServiceChoice,
    check_entry,
    check_form_started,
    clean_optional_email,
    clean_phone,
    clean_purpose,
    start_form,
)
from library.frontoffice.queue.numbering import issue_ticket
from library.i18n import N_
from library.models import Booking, Office, QueueService, Visit, VisitChannel
from library.uow import UnitOfWork


def _signed_just_now(uow: UnitOfWork, office: Office, name: str, now: dt.datetime) -> bool:
    """Tell whether the same name (any case or spacing) signed this office's guest book just now."""
    since = now - dt.timedelta(minutes=REPEAT_MINUTES)
    names = uow.session.scalars(
        select(Visit.name).where(
            Visit.office_id == office.id, Visit.arrived_at >= since, Visit.arrived_at <= now
        )
    )
    wanted = " ".join(name.split()).casefold()
    return any(" ".join(other.split()).casefold() == wanted for other in names)


def _office(uow: UnitOfWork, office_code: str) -> Office:
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(N_("The office %(code)s is not known here."), code=office_code)
    return office


def _queues(uow: UnitOfWork, office: Office) -> list[QueueService]:
    return list(
        uow.session.scalars(
            select(QueueService)
            .where(QueueService.office_id == office.id, QueueService.active.is_(True))
            .order_by(QueueService.position, QueueService.id)
        )
    )


@dataclass(frozen=True)
class GuestBookOffer:
    """What the office's guest book form shows: the office and the services one can queue for."""

    office_name: str
    office_name_en: str
    services: tuple[ServiceChoice, ...]
    priority_groups: tuple[str, ...] = ()  # the groups the visitor may declare, in order (none: not asked)


def _choices(queues: Sequence[QueueService]) -> tuple[ServiceChoice, ...]:
    return tuple(ServiceChoice(q.code, q.letter, q.name, q.name_en) for q in queues)


def guest_book_offer(uow: UnitOfWork, office_code: str, groups: Sequence[str] = ()) -> GuestBookOffer:
    """Return the office's guest book: its name, the services it offers in order, its priority groups."""
    office = _office(uow, office_code)
    return GuestBookOffer(office.name, office.name_en, _choices(_queues(uow, office)), tuple(groups))


def _priority(entry: GuestBookEntry, groups: Sequence[str]) -> str:
    """Return the priority group declared, or "" for none; refuse a group the office does not offer."""
    code = entry.priority.strip()
    if code and code not in groups:
        raise EntryInvalid([InvalidField("priority", N_("Choose a priority group from the list."))])
    return code


def check_sign_guest_book(
    uow: UnitOfWork,
    guard: GuestBookGuard,
    entry: GuestBookEntry,
    *,
    office_code: str,
    now: dt.datetime,
    client: str,
    groups: Sequence[str] = (),
) -> Visit:
    """Record a walk-in visit from the guest book and give it a queue ticket per service chosen.

    Entries count against the client address's limit when taken, and when refused as a
    program's; answers a person got wrong do not count. A priority group declared (one of the
    office's `groups`) marks every ticket of the visit. An entry refused for its answers keeps
    its opening time, so correcting one answer quickly is not taken for a program.
    """
    # Counted at once, before anything else: entries fired together cannot pass the limit.
    taken = guard.throttle.take(uow, *guard.actions(client), client=client, now=now)
    if entry.honeypot.strip():  # a program's: stays counted
        raise FormRefused(
            N_("Your entry could not be accepted. Please check your answers and send it again.")
        )
    office = _office(uow, office_code)
    queues = {q.code: q for q in _queues(uow, office)}
    booking = _booked(uow, guard, taken, entry, office, now)
    if booking is not None:  # the booked service is chosen with the code
        entry = replace(entry, services=(*entry.services, booking.service.code))
    # The answers first: a person who sends the form at once is told what is missing, and
    # sends it again with the same opening time (the form keeps it) once it is filled in.
    try:
        clean = check_entry(entry, _choices(list(queues.values())))
        priority = _priority(entry, groups)
    except EntryInvalid:
        guard.throttle.give_back(uow, taken)  # a person's mistake uses up no attempt
        raise
    check_form_started(guard.secret, entry.form_started, now)  # too fast: a program's, stays counted
    if not entry.same_name_confirmed and _signed_just_now(uow, office, clean.answers["name"], now):
        guard.throttle.give_back(uow, taken)  # a person asked to confirm uses up no attempt
        name = clean.answers["name"]
        raise RepeatedName([InvalidField("same_name", SAME_NAME_RECENTLY, name=name, minutes=REPEAT_MINUTES)])
    # The email is as declared: the visit joins its account only with proof (`identity`).
    visit = Visit(
        office_id=office.id,
        user_id=None,
        status_token=secrets.token_urlsafe(24),
        channel=VisitChannel.KIOSK.value,
        language=entry.language if entry.language in LANGUAGES else "",
        phone_consent=entry.phone_consent,
        **clean.answers,
        day=office_today(office.timezone, now),
        arrived_at=now,
    )
    uow.session.add(visit)
    _issue_tickets(uow, visit, [queues[code] for code in clean.services], booking, priority, now)
    return visit


def _issue_tickets(
    uow: UnitOfWork,
    visit: Visit,
    services: list[QueueService],
    booking: Booking | None,
    priority: str,
    now: dt.datetime,
) -> None:
    """Give the visit a ticket per service (of its priority group); the booked one is called first."""
    for service in services:
        ticket = issue_ticket(uow, visit, service, now, priority)
        if booking is not None and booking.service_id == service.id:
            ticket.appointment_id = booking.id
    uow.session.flush()


def _booked(
    uow: UnitOfWork,
    guard: GuestBookGuard,
    taken: Taken,
    entry: GuestBookEntry,
    office: Office,
    now: dt.datetime,
) -> Booking | None:
    """Take the booking code the visitor typed, if any; refuse it on its field (no attempt used)."""
    if not entry.appointment_code.strip():
        return None
    try:
        if guard.check_in is None:
            raise InvalidField("appointment_code", N_("This office does not take appointments."))
        return guard.check_in(uow, office, entry.appointment_code, now)
    except InvalidField as problem:
        guard.throttle.give_back(uow, taken)
        raise EntryInvalid([problem]) from None


__all__ = [
    "CleanEntry",
    "EntryInvalid",
    "FASTEST_BY_HAND",
    "FORM_STARTED",
    "FormRefused",
    "GuestBookEntry",
    "GuestBookGuard",
    "LANGUAGES",
    "MAX_PHONE_LENGTH",
    "MAX_PURPOSE_LENGTH",
    "PHONE_FOR_MESSAGES",
    "REPEAT_MINUTES",
    "RepeatedName",
    "SAME_NAME_RECENTLY",
    "ServiceChoice",
    "check_entry",
    "check_form_started",
    "clean_optional_email",
    "clean_phone",
    "clean_purpose",
    "start_form",
]
