"""Who "Call next" tries first: today's waiting tickets of a queue, ordered by the priority rule.

The rule itself is pure (`priority.call_order`); this module reads what it needs: each waiting
ticket's number, priority and target (its clock as the service's standard runs it over the whole
day's queue), and whether this counter's calls of the day were priority tickets, latest first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from library.frontoffice.queue.clocks import ClockRule, QueuePlace, clock_starts, target_of
from library.frontoffice.queue.priority import PriorityPolicy, Waiting, call_order, next_ticket
from library.models import Ticket, TicketStatus
from library.uow import UnitOfWork


def waiting_order(
    uow: UnitOfWork,
    service_id: int,
    day: dt.date,
    counter: str,
    rule: ClockRule | None,
    policy: PriorityPolicy,
    now: dt.datetime,
) -> list[int]:
    """Return the ids of the queue's waiting tickets of the day, in the order they are to be called.

    Tickets of a booked slot (their code taken at the kiosk) come first, by number: the visitor
    booked to be served at that time. The others follow by the priority rule.
    """
    booked, waiting = _waiting(uow, service_id, day, rule)
    return booked + call_order(waiting, _recent_calls(uow, service_id, day, counter), policy, now)


def projected_order(
    uow: UnitOfWork,
    service_id: int,
    day: dt.date,
    rule: ClockRule | None,
    policy: PriorityPolicy,
    now: dt.datetime,
) -> list[int]:
    """Return the queue's waiting tickets in the order the next calls would take them, as far as it can tell.

    The booked tickets first, then the priority rule applied call after call as if one counter
    made them all (each pick counted among the "recent" calls of the next): what "two ahead of
    you" tells a visitor. Counters that call at once may swap two neighbours; never more.
    """
    booked, waiting = _waiting(uow, service_id, day, rule)
    recent: list[bool] = []
    order: list[int] = []
    left = sorted(waiting, key=lambda w: w.number)
    while left:
        pick = next_ticket(left, recent, policy, now)
        if pick is None:
            break
        order.append(pick.id)
        recent.insert(0, pick.priority)
        left = [w for w in left if w.id != pick.id]
    return booked + order


def _waiting(
    uow: UnitOfWork, service_id: int, day: dt.date, rule: ClockRule | None
) -> tuple[list[int], list[Waiting]]:
    """Return the queue's waiting tickets of the day: those of a booked slot (ids, by number), the others."""
    rows = uow.session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.status,
            Ticket.priority,
            Ticket.issued_at,
            Ticket.served_at,
            Ticket.finished_at,
            Ticket.appointment_id,
        )
        .where(Ticket.service_id == service_id, Ticket.day == day)
        .order_by(Ticket.number)
    ).all()
    if rule is None:
        starts: list[dt.datetime | None] = [None] * len(rows)
    else:
        starts = clock_starts(rule, [QueuePlace(r.issued_at, r.served_at, r.finished_at) for r in rows])
    booked = [r.id for r in rows if r.status == TicketStatus.WAITING.value and r.appointment_id is not None]
    waiting = [
        Waiting(r.id, r.number, bool(r.priority), None if rule is None else target_of(rule, started))
        for r, started in zip(rows, starts, strict=True)
        if r.status == TicketStatus.WAITING.value and r.appointment_id is None
    ]
    return booked, waiting


def _recent_calls(uow: UnitOfWork, service_id: int, day: dt.date, counter: str) -> list[bool]:
    """Return whether each of the counter's calls of the day was a priority ticket, latest first."""
    rows = uow.session.scalars(
        select(Ticket.priority)
        .where(
            Ticket.service_id == service_id,
            Ticket.day == day,
            Ticket.counter == counter,
            Ticket.called_at.is_not(None),
        )
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(20)
    )
    return [bool(priority) for priority in rows]
