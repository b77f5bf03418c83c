"""The close of day: everything the front office left open, listed, then closed with a reason.

At closing time the front office sees every visit still open (of today and of earlier days),
with its open tickets, terminal sessions and ID card, and the counters still open. Closing the
day does for each open visit what "Pulang" does (`lockers.close_services`: waiting and called
tickets become no-shows, tickets being served are done, terminal sessions end) and records the
reason given on the visit (`Visit.left_reason`); every counter still open is closed with the
same reason. An ID card still held stays held: the office still has it, and the closing-time
list names it until it is given back. Row 26 of docs/visit-states.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from library.db import changed_rows
from library.errors import InvalidField
from library.frontoffice.lockers.stock import cards_held, close_services, office_day, office_of
from library.frontoffice.queue.actions import tidy_reason
from library.frontoffice.queue.counters import close_every_counter, office_shifts, shift_name
from library.frontoffice.terminal.sessions import open_sessions_of_visit
from library.i18n import N_
from library.models import OPEN_TICKET_STATUSES, TicketStatus, Visit
from library.permissions import Actor, require_lend_lockers
from library.quality.walk_in import SurveyMailQueue
from library.uow import UnitOfWork

MIN_REASON = 5  # a word or two: "tutup" alone says nothing the close itself does not


@dataclass(frozen=True)
class OpenVisit:
    """A visit still open at closing time, and what of it is still open."""

    id: int
    name: str
    day: dt.date
    arrived_at: dt.datetime
    tickets: tuple[tuple[str, TicketStatus], ...]  # (code, status) of its open tickets
    terminals: tuple[str, ...]  # where it still reads
    locker: str  # the locker whose ID card is still held, or ""
    earlier_day: bool  # it arrived before the office's today: nobody closed it then


@dataclass(frozen=True)
class DayClose:
    """What the close of day would close now, for the office's front office."""

    office_name: str
    today: dt.date
    visits: tuple[OpenVisit, ...]  # oldest first
    counters: tuple[str, ...]  # "Service: Counter" of every counter still open
    cards_held: int

    @property
    def open_tickets(self) -> int:
        """Return how many tickets the close would close."""
        return sum(len(visit.tickets) for visit in self.visits)

    @property
    def nothing_open(self) -> bool:
        """Tell whether there is nothing left to close (cards held are given back by hand)."""
        return not self.visits and not self.counters


@dataclass(frozen=True)
class ClosedDay:
    """What closing the day changed."""

    visits: int
    no_show: int
    finished: int
    terminals: int
    counters: tuple[str, ...]


def day_close_view(uow: UnitOfWork, actor: Actor | None, office_code: str, now: dt.datetime) -> DayClose:
    """Return what is still open at the office now: visits, their tickets and sessions, counters."""
    require_lend_lockers(uow, actor)
    office = office_of(uow, office_code)
    held = cards_held(uow, actor, office_code, now)
    lockers = {card.visit_id: card.locker for card in held}
    today = office_day(office, now)
    visits = []
    for visit in _open_visits(uow, office.id, now):
        visits.append(
            OpenVisit(
                id=visit.id,
                name=visit.name,
                day=visit.day,
                arrived_at=visit.arrived_at,
                tickets=tuple(
                    (t.code, TicketStatus(t.status))
                    for t in visit.tickets
                    if t.status in OPEN_TICKET_STATUSES
                ),
                terminals=tuple(s.terminal.name for s in open_sessions_of_visit(uow, visit.id)),
                locker=lockers.get(visit.id, ""),
                earlier_day=visit.day < today,
            )
        )
    return DayClose(
        office_name=office.name,
        today=today,
        visits=tuple(visits),
        counters=tuple(shift_name(shift) for shift in office_shifts(uow, office.id)),
        cards_held=len(held),
    )


def check_close_day(
    uow: UnitOfWork,
    actor: Actor | None,
    office_code: str,
    now: dt.datetime,
    reason: str,
    mail: SurveyMailQueue | None = None,
) -> ClosedDay:
    """Close every visit and counter the office left open, recording the reason; the caller commits."""
    staff = require_lend_lockers(uow, actor)
    words = tidy_reason(reason, "reason")
    if len(words) < MIN_REASON:
        raise InvalidField("reason", N_("Write why these are closed, so the reports can say it."))
    office = office_of(uow, office_code)
    closed = no_show = finished = terminals = 0
    for visit in _open_visits(uow, office.id, now):
        left = uow.session.execute(
            update(Visit)
            .where(Visit.id == visit.id, Visit.left_at.is_(None))
            .values(left_at=now, left_reason=words)
        )
        if changed_rows(left) != 1:  # "Pulang" at the same moment closed it first
            continue
        uow.session.refresh(visit)
        ended, done, screens = close_services(uow, visit, now, mail)
        closed, no_show = closed + 1, no_show + len(ended)
        finished, terminals = finished + len(done), terminals + len(screens)
    counters = close_every_counter(uow, office.id, staff.id, now, words)
    return ClosedDay(closed, no_show, finished, terminals, tuple(counters))


def _open_visits(uow: UnitOfWork, office_id: int, now: dt.datetime) -> list[Visit]:
    """Return the office's visits not yet left that arrived by now, oldest first."""
    return list(
        uow.session.scalars(
            select(Visit)
            .where(Visit.office_id == office_id, Visit.left_at.is_(None), Visit.arrived_at <= now)
            .order_by(Visit.arrived_at, Visit.id)
            .options(selectinload(Visit.tickets))
        )
    )
