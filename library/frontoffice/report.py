"""The walk-in service report: per service, how many visitors were served within the target.

The clocks are those the published standards set (`clocks.py`). A ticket's wait is measured on
its own clock: from the guest book for the library, from the previous visitor's end for
consultation. What the report counts:

- visits: tickets taken in the period (a transfer counts in the service it was sent to too);
- each visit has one outcome, so visits = served + not served + transferred:
  - served: tickets whose service started and which stayed in this service;
  - not served: no-shows, and tickets still open (waiting or called) at the end of the period;
  - transferred: tickets sent to another service's queue (whether or not their service had
    started here), where a new ticket counts as a visit of that service;
- waits, within target and breaches: the served tickets (so within target never exceeds
  served); within target: served at or before the target; breaches: served after it, with the
  reason staff gave. A ticket transferred once its service had started is in none of them:
  the table counts it once, as transferred (its clock still places the tickets after it);
- softcopies (library only): stamped copies delivered to the period's visitors (asked for at
  a terminal or scanned by staff), from the ledger;
- priority: the same figures for the priority tickets alone (`ServiceReport.priority`, under the
  same targets, each wait on the same clock as the whole queue's), so the office shows the
  special treatment it gives; each of its figures is at most the service's own.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from library.errors import InvalidInput, NotFound
from library.frontoffice.queue.clocks import ClockRule, QueuePlace, clock_starts, rule_of, target_of
from library.i18n import N_
from library.models import Delivery, Office, QueueService, ServiceKind, Ticket, TicketStatus, Visit
from library.uow import UnitOfWork

LONGEST_PERIOD = dt.timedelta(days=366 * 5)


@dataclass(frozen=True)
class Breach:
    """A visitor served after the target."""

    day: dt.date
    code: str
    waited_minutes: float
    reason: str


@dataclass(frozen=True)
class ServiceFigures:
    """One service's walk-in figures over the period."""

    code: str
    name: str
    name_en: str
    target_minutes: int | None
    clock: str | None
    visits: int
    served: int
    within_target: int
    not_served: int
    transferred: int
    median_wait_minutes: float | None
    p90_wait_minutes: float | None
    breaches: tuple[Breach, ...]
    softcopies: int | None  # the library's; None for a service that gives no copies

    @property
    def within_target_percent(self) -> float | None:
        """Return the share of served visitors served within the target, in percent."""
        if self.target_minutes is None or not self.served:
            return None
        return round(100 * self.within_target / self.served, 1)


@dataclass(frozen=True)
class ServiceReport:
    """The walk-in report of one office over a period of days (both ends included)."""

    office_code: str
    office_name: str
    start: dt.date
    end: dt.date
    services: tuple[ServiceFigures, ...]
    priority: tuple[ServiceFigures, ...] = ()  # the priority tickets alone, one per service


def service_report(uow: UnitOfWork, office_code: str, start: dt.date, end: dt.date) -> ServiceReport:
    """Count each walk-in service's visits, waits and breaches between two office-local dates."""
    if end < start:
        raise InvalidInput(N_("The period ends before it starts."))
    if end - start > LONGEST_PERIOD:
        raise InvalidInput(N_("A report covers at most five years."))
    office = uow.session.scalar(
        select(Office).options(selectinload(Office.services)).where(Office.code == office_code)
    )
    if office is None:
        raise NotFound(N_("There is no office with the code %(code)s."), code=office_code)
    queues = uow.session.scalars(
        select(QueueService).where(QueueService.office_id == office.id).order_by(QueueService.position)
    ).all()
    both = [_figures(uow, queue, start, end) for queue in queues]
    return ServiceReport(
        office.code, office.name, start, end, tuple(f for f, _ in both), tuple(p for _, p in both)
    )


def _figures(
    uow: UnitOfWork, queue: QueueService, start: dt.date, end: dt.date
) -> tuple[ServiceFigures, ServiceFigures]:
    """Return one service's figures, and those of its priority tickets alone."""
    tickets = uow.session.scalars(
        select(Ticket)
        .where(Ticket.service_id == queue.id, Ticket.day >= start, Ticket.day <= end)
        .order_by(Ticket.day, Ticket.number)
    ).all()
    standard = queue.standard
    rule = rule_of(standard.walk_in_minutes, standard.walk_in_clock) if standard else None
    starts = _clock_starts(rule, tickets)  # over the whole queue: a priority wait runs on the same clock
    softcopies = _softcopies(uow, queue, start, end) if queue.code == ServiceKind.LIBRARY else None
    priority = [(t, s) for t, s in zip(tickets, starts, strict=True) if t.priority]
    return (
        _tally(queue, rule, list(zip(tickets, starts, strict=True)), softcopies),
        _tally(queue, rule, priority, None),
    )


def _tally(
    queue: QueueService,
    rule: ClockRule | None,
    tickets: Sequence[tuple[Ticket, dt.datetime | None]],
    softcopies: int | None,
) -> ServiceFigures:
    """Count visits, outcomes, waits and breaches of some tickets of a service, each with its clock start."""
    waits: list[float] = []
    breaches: list[Breach] = []
    within = 0
    for ticket, started in tickets:
        if ticket.served_at is None or started is None or ticket.status == TicketStatus.TRANSFERRED.value:
            continue
        waited = (ticket.served_at - started).total_seconds() / 60
        waits.append(waited)
        target = ticket.target_at or (target_of(rule, started) if rule else None)
        if target is None:
            continue
        if ticket.served_at > target:
            breaches.append(Breach(ticket.day, ticket.code, round(waited, 1), ticket.breach_reason))
        else:
            within += 1
    moved = [t for t, _ in tickets if t.status == TicketStatus.TRANSFERRED.value]
    stayed = [t for t, _ in tickets if t.status != TicketStatus.TRANSFERRED.value]
    served = sum(1 for t in stayed if t.served_at is not None)
    return ServiceFigures(
        code=queue.code,
        name=queue.name,
        name_en=queue.name_en,
        target_minutes=rule.minutes if rule else None,
        clock=rule.starts.value if rule else None,
        visits=len(tickets),
        served=served,
        within_target=within,
        not_served=len(stayed) - served,
        transferred=len(moved),
        median_wait_minutes=round(statistics.median(waits), 1) if waits else None,
        p90_wait_minutes=_percentile(waits, 90),
        breaches=tuple(breaches),
        softcopies=softcopies,
    )


def _clock_starts(rule: ClockRule | None, tickets: Sequence[Ticket]) -> list[dt.datetime | None]:
    """Return each ticket's clock start: as fixed when served, else as the rule computes it by day."""
    if rule is None:
        return [t.issued_at for t in tickets]
    computed: list[dt.datetime | None] = []
    days: dict[dt.date, list[Ticket]] = {}
    for ticket in tickets:
        days.setdefault(ticket.day, []).append(ticket)
    for day_tickets in days.values():
        places = [QueuePlace(t.issued_at, t.served_at, t.finished_at) for t in day_tickets]
        computed.extend(clock_starts(rule, places))
    return [t.clock_started_at or started for t, started in zip(tickets, computed, strict=True)]


def _percentile(values: list[float], percent: int) -> float | None:
    """Return the nearest-rank percentile of the values, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))  # ceil(p * n / 100)
    return round(ordered[rank - 1], 1)


def _softcopies(uow: UnitOfWork, queue: QueueService, start: dt.date, end: dt.date) -> int:
    """Count the stamped copies delivered to the office's visitors of the period (terminal, scan)."""
    visits = select(Visit.id).where(Visit.office_id == queue.office_id, Visit.day >= start, Visit.day <= end)
    count = uow.session.scalar(select(func.count(Delivery.id)).where(Delivery.visit_id.in_(visits)))
    return int(count or 0)
