"""The supervisor's view (`/laporan/loket`): every counter and terminal now, and each officer's day.

For the office head (and administrators), as the other reports: which counter is open and by
whom, which ticket it calls or serves and since when (amber at 80 % of the service's walk-in
target, red past it: a hint to look, not a breach, which the wait alone makes); the library
terminals and who reads there; per officer today the tickets served and the median length of a
service; per queue who waits, the priority visitors among them. A counter left open (its
officer gone home, or open since an earlier day) is closed from here with a reason, kept on the
shift (`CounterShift.closed_reason`, `closed_by_id`); the officer's console then says who
closed it, when and why (`last_close`).
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
from dataclasses import dataclass

from sqlalchemy import or_, select

from library.errors import InvalidField, NotFound
from library.frontoffice.queue.actions import tidy_reason
from library.frontoffice.queue.at_work import QueueRef, find_service, service_rule
from library.frontoffice.queue.clocks import Level, level
from library.frontoffice.queue.counters import close_shift, day_start
from library.i18n import N_
from library.models import (
    CounterShift,
    Office,
    QueueService,
    Terminal,
    TerminalSession,
    Ticket,
    TicketStatus,
    User,
)
from library.permissions import Actor, may_read_reports, require
from library.uow import UnitOfWork

log = logging.getLogger(__name__)
ONLY_SUPERVISORS = N_("Only the office head or an administrator can see the counters or close one.")
NO_SUCH_SHIFT = N_("This counter is not open.")
REASON_NEEDED = N_("Write why you close this counter: its officer sees it on their console.")
AT_COUNTER = (TicketStatus.CALLED.value, TicketStatus.SERVING.value)


@dataclass(frozen=True)
class CounterNow:
    """One counter of a queue: open or closed today, by whom, and the ticket it works on."""

    shift_id: int
    service_name: str
    service_name_en: str
    counter: str
    open: bool
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime | None
    closed_by: str
    closed_reason: str
    ticket: str  # the code called or served there, "" none
    ticket_status: str
    since: dt.datetime | None  # when the ticket was called (or its service started)
    minutes: int | None
    level: Level
    earlier_day: bool  # open since an earlier day: left open


@dataclass(frozen=True)
class TerminalNow:
    """A library terminal: the ticket read there now, and since when."""

    name: str
    ticket: str
    since: dt.datetime | None


@dataclass(frozen=True)
class OfficerDay:
    """One officer's day: the services they started, and the median length of those finished."""

    name: str
    served: int
    median_minutes: float | None


@dataclass(frozen=True)
class QueueWaiting:
    """Who waits in one queue now, and how many of them are priority visitors."""

    name: str
    name_en: str
    waiting: int
    priority: int


@dataclass(frozen=True)
class SupervisorView:
    """The office's counters, terminals, officers and queues, now."""

    office_name: str
    day: dt.date
    counters: tuple[CounterNow, ...]
    terminals: tuple[TerminalNow, ...]
    officers: tuple[OfficerDay, ...]
    queues: tuple[QueueWaiting, ...]


@dataclass(frozen=True)
class ClosedCounter:
    """A counter closed by someone else than the officer working there, as their console says it."""

    counter: str
    closed_at: dt.datetime
    closed_by: str
    reason: str


def supervisor_view(
    uow: UnitOfWork, actor: Actor | None, office_code: str, now: dt.datetime
) -> SupervisorView:
    """Return the office's counters, terminals, officers' day and waiting queues, for its supervisor."""
    require(uow, actor, may_read_reports, ONLY_SUPERVISORS)
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(N_("The office %(code)s is not known here."), code=office_code)
    services = list(
        uow.session.scalars(
            select(QueueService).where(QueueService.office_id == office.id).order_by(QueueService.position)
        )
    )
    start = day_start(services[0], now) if services else now
    day = start.date()
    tickets = list(
        uow.session.scalars(
            select(Ticket).where(Ticket.service_id.in_([s.id for s in services]), Ticket.day == day)
        )
    )
    names = _names(uow, tickets)
    return SupervisorView(
        office_name=office.name,
        day=day,
        counters=tuple(_counters(uow, services, tickets, start, now)),
        terminals=tuple(_terminals(uow, office.id, tickets)),
        officers=tuple(_officers(tickets, names)),
        queues=tuple(
            QueueWaiting(
                s.name,
                s.name_en,
                sum(1 for t in tickets if t.service_id == s.id and t.status == TicketStatus.WAITING),
                sum(
                    1
                    for t in tickets
                    if t.service_id == s.id and t.status == TicketStatus.WAITING and t.priority
                ),
            )
            for s in services
            if s.active
        ),
    )


def check_close_counter_remotely(
    uow: UnitOfWork, actor: Actor | None, shift_id: int, reason: str, now: dt.datetime
) -> CounterShift:
    """Close an open counter from the supervisor's view, with the reason its officer will read."""
    supervisor = require(uow, actor, may_read_reports, ONLY_SUPERVISORS)
    why = tidy_reason(reason, "reason")
    if not why:
        raise InvalidField("reason", REASON_NEEDED)
    shift = uow.session.get(CounterShift, shift_id) if 0 < shift_id < 2**31 else None
    if shift is None or shift.closed_at is not None:
        raise NotFound(NO_SUCH_SHIFT)
    closer = getattr(supervisor, "id", None)  # None: the system
    if not close_shift(uow, shift, closer, now, why):
        raise NotFound(NO_SUCH_SHIFT)  # closed by another hand a moment ago
    log.info("Counter %s (shift %s) closed by the supervisor %s: %s", shift.counter, shift.id, closer, why)
    return shift


def last_close(
    uow: UnitOfWork, ref: QueueRef, counter: str, officer_id: int | None, now: dt.datetime
) -> ClosedCounter | None:
    """Return how the counter was closed today, if someone else than the officer closed it."""
    service = find_service(uow, ref.office_code, ref.service_code)
    shift = uow.session.scalar(
        select(CounterShift)
        .where(
            CounterShift.service_id == service.id,
            CounterShift.counter == counter,
            CounterShift.closed_at >= day_start(service, now),
        )
        .order_by(CounterShift.closed_at.desc())
        .limit(1)
    )
    if shift is None or shift.closed_at is None or shift.closed_by_id in (None, officer_id):
        return None
    closer = uow.session.get(User, shift.closed_by_id)
    return ClosedCounter(counter, shift.closed_at, closer.name if closer else "", shift.closed_reason)


def _names(uow: UnitOfWork, tickets: list[Ticket]) -> dict[int, str]:
    """Return the names of the officers who served the tickets."""
    ids = {t.served_by_id for t in tickets if t.served_by_id is not None}
    if not ids:
        return {}
    return {
        user_id: name
        for user_id, name in uow.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }


def _counters(
    uow: UnitOfWork, services: list[QueueService], tickets: list[Ticket], start: dt.datetime, now: dt.datetime
) -> list[CounterNow]:
    """Return every shift open now (of any day) or closed today, by queue and counter."""
    by_id = {s.id: s for s in services}
    shifts = list(
        uow.session.scalars(
            select(CounterShift)
            .where(
                CounterShift.service_id.in_(list(by_id)),
                or_(CounterShift.closed_at.is_(None), CounterShift.closed_at >= start),
            )
            .order_by(CounterShift.counter, CounterShift.opened_at)
        )
    )
    people: dict[int | None, str] = {
        user.id: user.name
        for user in uow.session.scalars(
            select(User).where(
                User.id.in_(({s.opened_by_id for s in shifts} | {s.closed_by_id for s in shifts}) - {None})
            )
        )
    }
    # A counter's latest shift only: one row per counter (reopened today: the open one).
    latest = {(s.service_id, s.counter): s for s in shifts}
    return [
        _counter(shift, by_id[shift.service_id], tickets, people, start, now)
        for shift in sorted(latest.values(), key=lambda s: (by_id[s.service_id].position, s.counter))
    ]


def _counter(
    shift: CounterShift,
    service: QueueService,
    tickets: list[Ticket],
    people: dict[int | None, str],
    start: dt.datetime,
    now: dt.datetime,
) -> CounterNow:
    """Return one counter as the supervisor sees it."""
    working = next(
        (
            t
            for t in tickets
            if t.service_id == service.id and t.counter == shift.counter and t.status in AT_COUNTER
        ),
        None,
    )
    since = None if working is None else (working.served_at or working.called_at)
    return CounterNow(
        shift_id=shift.id,
        service_name=service.name,
        service_name_en=service.name_en,
        counter=shift.counter,
        open=shift.closed_at is None,
        opened_at=shift.opened_at,
        opened_by=people.get(shift.opened_by_id, ""),
        closed_at=shift.closed_at,
        closed_by=people.get(shift.closed_by_id, ""),
        closed_reason=shift.closed_reason,
        ticket="" if working is None else working.code,
        ticket_status="" if working is None else working.status,
        since=since,
        minutes=None if since is None else max(0, int((now - since).total_seconds() // 60)),
        level=level(service_rule(service), since, now),  # the walk-in target: the yardstick
        earlier_day=shift.closed_at is None and shift.opened_at < start,
    )


def _terminals(uow: UnitOfWork, office_id: int, tickets: list[Ticket]) -> list[TerminalNow]:
    """Return the office's active terminals, each with the ticket read there now."""
    codes = {t.id: t.code for t in tickets}
    sessions = {
        s.terminal_id: s
        for s in uow.session.scalars(select(TerminalSession).where(TerminalSession.ended_at.is_(None)))
    }
    shown = []
    for terminal in uow.session.scalars(
        select(Terminal).where(Terminal.office_id == office_id, Terminal.active).order_by(Terminal.name)
    ):
        session = sessions.get(terminal.id)
        ticket = codes.get(session.ticket_id or 0, "") if session else ""
        shown.append(TerminalNow(terminal.name, ticket, session.started_at if session else None))
    return shown


def _officers(tickets: list[Ticket], names: dict[int, str]) -> list[OfficerDay]:
    """Return each officer who started a service today, with their count and median service length."""
    shown = []
    for officer_id, name in sorted(names.items(), key=lambda item: item[1]):
        theirs = [t for t in tickets if t.served_by_id == officer_id and t.served_at is not None]
        lengths = [
            (t.finished_at - t.served_at).total_seconds() / 60
            for t in theirs
            if t.status == TicketStatus.DONE and t.finished_at is not None and t.served_at is not None
        ]
        median = round(statistics.median(lengths), 1) if lengths else None
        shown.append(OfficerDay(name, len(theirs), median))
    return shown
