"""The front-office console's lockers: today's visits, free lockers, cards held, a locker handed out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from library.errors import InvalidField
from library.frontoffice.lockers.stock import (
    HeldCard,
    cards_held,
    check_give_locker,
    label_order,
    office_day,
    office_of,
)
from library.frontoffice.queue.numbering import ticket_code
from library.i18n import N_
from library.models import Locker, LockerLoan, QueueService, Ticket, TicketStatus, Visit
from library.permissions import Actor, require_lend_lockers
from library.uow import UnitOfWork

TICKET_CODE = re.compile(r"\s*([A-Za-z]{1,2})\s*-?\s*(\d{1,6})\s*")


@dataclass(frozen=True)
class TicketLine:
    """One of a visit's queue tickets."""

    code: str
    status: TicketStatus
    service: str
    service_en: str


@dataclass(frozen=True)
class VisitLine:
    """One of today's visits, with its tickets and the card held for it, if any."""

    id: int
    name: str
    institution: str
    arrived_at: dt.datetime
    left_at: dt.datetime | None
    tickets: tuple[TicketLine, ...]
    card: HeldCard | None
    email: str = ""  # as declared in the guest book (or added by the front office)
    identity_check: str = "declared"  # an IdentityCheck: how the visitor's identity was checked


@dataclass(frozen=True)
class FreeLocker:
    """A locker in use nowhere: one the console can give."""

    id: int
    label: str


@dataclass(frozen=True)
class LockerDesk:
    """The front office's lockers now: today's visits, the lockers free, every card still held."""

    office_name: str
    day: dt.date
    visits: tuple[VisitLine, ...]  # newest first
    free_lockers: tuple[FreeLocker, ...]
    held: tuple[HeldCard, ...]  # oldest first, earlier days' marked overdue
    lockers: int  # lockers in use and free (not those out of use)


@dataclass(frozen=True)
class LockerHandout:
    """A locker the console gives against an ID card: to a typed ticket's visitor, else to the one picked."""

    ticket: str  # the ticket's code as typed ("" when the visitor is picked from today's list)
    visit_id: int  # the visit picked from today's list (0: none)
    locker_id: int
    card_kind: str
    card_last4: str


def front_desk(uow: UnitOfWork, actor: Actor | None, office_code: str, now: dt.datetime) -> LockerDesk:
    """Return the office's lockers and today's visits as the front-office console shows them."""
    require_lend_lockers(uow, actor)
    office = office_of(uow, office_code)
    day = office_day(office, now)
    held = cards_held(uow, actor, office_code, now)
    by_visit = {card.visit_id: card for card in held}
    visits = uow.session.scalars(
        select(Visit)
        .where(Visit.office_id == office.id, Visit.day == day)
        .order_by(Visit.arrived_at.desc(), Visit.id.desc())
        .options(selectinload(Visit.tickets).selectinload(Ticket.service))
    )
    lines = tuple(
        VisitLine(
            id=visit.id,
            name=visit.name,
            institution=visit.institution,
            arrived_at=visit.arrived_at,
            left_at=visit.left_at,
            tickets=tuple(
                TicketLine(
                    t.code, TicketStatus(t.status), t.service.name, t.service.name_en or t.service.name
                )
                for t in visit.tickets
            ),
            card=by_visit.get(visit.id),
            email=visit.email,
            identity_check=visit.identity_check,
        )
        for visit in visits
    )
    in_use = select(LockerLoan.locker_id).where(LockerLoan.returned_at.is_(None))
    active = list(uow.session.scalars(select(Locker).where(Locker.office_id == office.id, Locker.active)))
    free = sorted((x for x in active if x.id not in set(uow.session.scalars(in_use))), key=_order)
    return LockerDesk(
        office_name=office.name,
        day=day,
        visits=lines,
        free_lockers=tuple(FreeLocker(x.id, x.label) for x in free),
        held=tuple(held),
        lockers=len(active),
    )


def visit_for_ticket(
    uow: UnitOfWork, actor: Actor | None, office_code: str, code: str, now: dt.datetime
) -> int:
    """Return the visit of a ticket given today at the office, found by its code (P-007, p7)."""
    require_lend_lockers(uow, actor)
    office = office_of(uow, office_code)
    found = TICKET_CODE.fullmatch(code or "")
    if found is None:
        raise InvalidField("ticket", N_("Type the ticket's code as printed, such as P-007."))
    letter, number = found[1].upper(), int(found[2])
    visit_id = uow.session.scalar(
        select(Ticket.visit_id)
        .join(QueueService, Ticket.service_id == QueueService.id)
        .where(
            QueueService.office_id == office.id,
            QueueService.letter == letter,
            Ticket.number == number,
            Ticket.day == office_day(office, now),
        )
    )
    if visit_id is None:
        raise InvalidField(
            "ticket", N_("No ticket %(code)s was given today."), code=ticket_code(letter, number)
        )
    return visit_id


def check_hand_out_locker(
    uow: UnitOfWork, actor: Actor | None, office_code: str, handout: LockerHandout, now: dt.datetime
) -> HeldCard:
    """Give the visitor the console names a locker against their ID card (see `check_give_locker`)."""
    visit_id = _handout_visit(uow, actor, office_code, handout, now)
    return check_give_locker(
        uow, actor, visit_id, handout.locker_id, handout.card_kind, handout.card_last4, now
    )


def _handout_visit(
    uow: UnitOfWork, actor: Actor | None, office_code: str, handout: LockerHandout, now: dt.datetime
) -> int:
    """Return the visit a handout names: by its ticket's code when typed, else the one picked."""
    ticket = handout.ticket.strip()
    if ticket:
        return visit_for_ticket(uow, actor, office_code, ticket, now)
    if not handout.visit_id:
        raise InvalidField("visit", N_("Choose the visitor from today's list, or type their ticket's code."))
    return handout.visit_id


def _order(locker: Locker) -> tuple[tuple[int, int | str], ...]:
    """Sort lockers by label, A-2 before A-10."""
    return label_order(locker.label)
