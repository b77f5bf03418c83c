"""The queue as people see it: the waiting-room board and the staff console of one service.

The board is public: ticket codes and counters only, never a name. Its `sequence` grows with
every call and recall (and with the day), so the board chimes when it goes up. The console is
for the staff who work the queue: who is at which counter, and every waiting visitor with the
time their clock has run against the service's target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from library.frontoffice.queue.at_work import find_service, queue_day, service_rule
from library.frontoffice.queue.clocks import ClockRule, Level, QueuePlace, clock_starts, level, target_of
from library.frontoffice.queue.consultation_records import ConsultationNote, records_of
from library.frontoffice.queue.counters import open_counters, terminals_serving
from library.frontoffice.queue.late_reasons import LateStart, unexplained_late_starts
from library.i18n import N_
from library.models import (
    QueueService,
    ServiceKind,
    Terminal,
    TerminalSession,
    Ticket,
    TicketStatus,
)
from library.models.office import WalkInClock
from library.permissions import Actor, require_work_queue
from library.uow import UnitOfWork

STATUS_WORDS = {
    TicketStatus.WAITING: N_("Waiting"),
    TicketStatus.CALLED: N_("Called"),
    TicketStatus.SERVING: N_("Being served"),
    TicketStatus.DONE: N_("Done"),
    TicketStatus.NO_SHOW: N_("Did not come"),
    TicketStatus.TRANSFERRED: N_("Transferred"),
}
LEVEL_WORDS = {
    Level.OK: N_("On time"),
    Level.AMBER: N_("Nearly late"),
    Level.RED: N_("Past the target"),
    Level.NONE: N_("Clock not started"),
}


@dataclass(frozen=True)
class ConsoleTicket:
    """A ticket as the staff console shows it, with its clock."""

    id: int
    code: str
    status: TicketStatus
    visitor_name: str
    purpose: str
    counter: str
    calls: int
    issued_at: dt.datetime
    called_at: dt.datetime | None
    served_at: dt.datetime | None
    clock_started_at: dt.datetime | None  # None: the clock has not started (previous visitor not done)
    target_at: dt.datetime | None
    waited: dt.timedelta | None  # from the clock's start to the service's start, or to now
    level: Level
    breached: bool
    came_from: str  # the code of the ticket it was transferred from, or ""
    note: ConsultationNote | None = None  # what the consultant recorded so far (consultation queue)
    priority: str = ""  # the priority group (staff see it), "" for none
    terminal: str = ""  # the library terminal the visitor reads at now (its session holds the ticket)

    @property
    def waited_minutes(self) -> int | None:
        """Return the whole minutes waited so far, or None while the clock has not started."""
        # Never below zero: a ticket stamped by another machine whose clock runs a little ahead.
        return None if self.waited is None else max(0, int(self.waited.total_seconds() // 60))


@dataclass(frozen=True)
class FinishedTicket:
    """A ticket served and finished today, as the console lists it (with its topic, if recorded)."""

    id: int
    code: str
    visitor_name: str
    finished_at: dt.datetime
    topic: str


@dataclass(frozen=True)
class ConsoleView:
    """One service's queue of the day, for the staff who work it."""

    office_code: str
    service_code: str
    service_name: str
    service_name_en: str
    letter: str
    target_minutes: int | None
    clock: WalkInClock | None
    day: dt.date
    at_counters: tuple[ConsoleTicket, ...]  # called or being served, most recent call first
    waiting: tuple[ConsoleTicket, ...]  # in queue order
    served: int  # services started today
    breaches: int  # of which past their target
    transfer_to: tuple[tuple[str, str, str], ...]  # (code, name, name_en) of the office's other queues
    records: bool = False  # the consultation queue: the consultant records each consultation
    finished: tuple[FinishedTicket, ...] = ()  # served and finished today, latest first
    open_counters: tuple[str, ...] = ()  # the counters open now, by name
    terminals: int = 0  # the library's active terminals, serving this queue too
    late_starts: tuple[LateStart, ...] = ()  # started late by a terminal or a scan: the real reason wanted


def status_words(status: TicketStatus | str) -> str:
    """Return the words (not yet translated) for a ticket's status."""
    return STATUS_WORDS[TicketStatus(status)]


def level_words(value: Level | str) -> str:
    """Return the words (not yet translated) for how a wait stands against its target."""
    return LEVEL_WORDS[Level(value)]


def console_view(
    uow: UnitOfWork, actor: Actor | None, office_code: str, service_code: str, now: dt.datetime
) -> ConsoleView:
    """Return one service's queue of today for the staff console: counters, waiting, counts."""
    service = find_service(uow, office_code, service_code)
    require_work_queue(uow, actor, service.code)
    day = queue_day(service, now)
    tickets = _day_tickets(uow, [service.id], day)
    rule = service_rule(service)
    records = ServiceKind.CONSULTATION.value in (service.standard_kind, service.code)
    notes = records_of(uow, [t.id for t in tickets]) if records else {}
    rows = _console_rows(uow, tickets, rule, now, notes)
    done = sorted(
        (t for t in tickets if t.status == TicketStatus.DONE and t.finished_at is not None),
        key=lambda t: (t.finished_at, t.id),
        reverse=True,
    )
    at_counters = sorted(
        (r for r in rows if r.status in (TicketStatus.CALLED, TicketStatus.SERVING)),
        key=lambda r: (r.called_at or r.served_at or r.issued_at, r.id),
        reverse=True,
    )
    return ConsoleView(
        office_code=office_code,
        service_code=service.code,
        service_name=service.name,
        service_name_en=service.name_en,
        letter=service.letter,
        target_minutes=None if rule is None else rule.minutes,
        clock=None if rule is None else rule.starts,
        day=day,
        at_counters=tuple(at_counters),
        waiting=tuple(r for r in rows if r.status == TicketStatus.WAITING),
        served=sum(1 for t in tickets if t.served_at is not None),
        # Served late, and still waiting past the target (the red rows): one count, as the rows show it.
        breaches=sum(1 for t in tickets if t.breached)
        + sum(1 for r in rows if r.served_at is None and r.level is Level.RED),
        transfer_to=tuple(
            (s.code, s.name, s.name_en) for s in _services(uow, service.office_id) if s.id != service.id
        ),
        records=records,
        open_counters=tuple(open_counters(uow, service, now)),
        terminals=terminals_serving(uow, service),
        late_starts=tuple(unexplained_late_starts(uow, service, now)),
        finished=tuple(
            FinishedTicket(t.id, t.code, t.visit.name, t.finished_at, _topic(notes, t.id))
            for t in done
            if t.finished_at is not None
        ),
    )


def _services(uow: UnitOfWork, office_id: int) -> list[QueueService]:
    """Return an office's active queues in their published order."""
    return list(
        uow.session.scalars(
            select(QueueService)
            .where(QueueService.office_id == office_id, QueueService.active)
            .order_by(QueueService.position, QueueService.id)
        )
    )


def _day_tickets(
    uow: UnitOfWork, service_ids: Sequence[int], day: dt.date, *, with_visits: bool = True
) -> list[Ticket]:
    """Return the tickets of some queues' day, in queue order (with their visits, for staff)."""
    if not service_ids:
        return []
    query = select(Ticket).where(Ticket.service_id.in_(service_ids), Ticket.day == day)
    if with_visits:
        query = query.options(selectinload(Ticket.visit))
    return list(uow.session.scalars(query.order_by(Ticket.service_id, Ticket.number)))


def _topic(notes: dict[int, ConsultationNote], ticket_id: int) -> str:
    """Return the topic recorded on a ticket, or ""."""
    note = notes.get(ticket_id)
    return note.topic if note else ""


def _console_rows(
    uow: UnitOfWork,
    tickets: list[Ticket],
    rule: ClockRule | None,
    now: dt.datetime,
    notes: dict[int, ConsultationNote],
) -> list[ConsoleTicket]:
    """Return the open tickets of one queue's day with their clocks, in queue order."""
    if rule is None:
        starts: list[dt.datetime | None] = [None] * len(tickets)
    else:
        starts = clock_starts(rule, [QueuePlace(t.issued_at, t.served_at, t.finished_at) for t in tickets])
    came_from = _transferred_from(uow, [t.id for t in tickets])
    reading = _reading_at(uow, [t.id for t in tickets if t.status == TicketStatus.SERVING])
    rows = []
    for ticket, computed in zip(tickets, starts, strict=True):
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING):
            continue
        served = ticket.served_at is not None
        started = ticket.clock_started_at if served else computed
        rows.append(
            ConsoleTicket(
                id=ticket.id,
                code=ticket.code,
                status=TicketStatus(ticket.status),
                visitor_name=ticket.visit.name,
                purpose=ticket.visit.purpose,
                counter=ticket.counter,
                calls=ticket.calls,
                issued_at=ticket.issued_at,
                called_at=ticket.called_at,
                served_at=ticket.served_at,
                clock_started_at=started,
                target_at=ticket.target_at
                if served
                else (None if rule is None else target_of(rule, started)),
                waited=None if started is None else (ticket.served_at or now) - started,
                level=Level.NONE if served else level(rule, started, now),
                breached=ticket.breached,
                came_from=came_from.get(ticket.id, ""),
                note=notes.get(ticket.id),
                terminal=reading.get(ticket.id, ""),
                priority=ticket.priority,
            )
        )
    return rows


def _reading_at(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, str]:
    """Return, for tickets an open terminal session holds, the name of that terminal."""
    if not ticket_ids:
        return {}
    rows = uow.session.execute(
        select(TerminalSession.ticket_id, Terminal.name)
        .join(Terminal, Terminal.id == TerminalSession.terminal_id)
        .where(TerminalSession.ticket_id.in_(ticket_ids), TerminalSession.ended_at.is_(None))
    ).all()
    return {ticket_id: name for ticket_id, name in rows if ticket_id is not None}


def _transferred_from(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, str]:
    """Return, for tickets that came from another queue, the code of the ticket they came from."""
    if not ticket_ids:
        return {}
    rows = uow.session.execute(
        select(Ticket.transferred_to_id, Ticket.code).where(Ticket.transferred_to_id.in_(ticket_ids))
    )
    return {int(to_id): code for to_id, code in rows if to_id is not None}
