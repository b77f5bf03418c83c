"""The office right now: walk-in waits against their targets, copies, consultations and complaints.

One read model for the live operations page, the metrics and the alerts, so the three always
show the same figures. Nothing here is kept: each call reads the database as it is.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from library.clock import office_today, office_zone
from library.frontoffice.queue.at_work import queue_day, service_rule
from library.frontoffice.queue.clocks import ClockRule, Level, QueuePlace, clock_starts, level
from library.models import (
    Complaint,
    ComplaintStatus,
    Consultation,
    ConsultationStatus,
    Office,
    QueueService,
    RequestEvent,
    RequestStatus,
    SoftcopyRequest,
    Ticket,
    TicketStatus,
    VisitorScan,
)
from library.models.visitor_scan import ScanStatus
from library.quality.complaints.records import ANSWER_WORKING_DAYS
from library.uow import UnitOfWork
from library.working_days import Calendar

OPEN_CONSULTATIONS = (ConsultationStatus.NEW, ConsultationStatus.CLARIFICATION, ConsultationStatus.CLEAR)
OPEN_COMPLAINTS = (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS)
NOT_STARTED = (TicketStatus.WAITING, TicketStatus.CALLED)


@dataclass(frozen=True)
class Waiting:
    """One visitor whose service has not started: how long their clock has run, against the target."""

    code: str
    waited_seconds: float | None  # None: the clock has not started (the previous visitor is still served)
    level: Level


@dataclass(frozen=True)
class QueueNow:
    """One walk-in queue of today."""

    office_code: str
    service_code: str
    name: str
    name_en: str
    target_minutes: int | None
    waiting: tuple[Waiting, ...]  # in queue order
    served: int  # services started today
    served_late: int  # of them, started past the target

    @property
    def past_target(self) -> int:
        """Return how many visitors wait past the target now."""
        return sum(1 for w in self.waiting if w.level is Level.RED)

    @property
    def longest_wait_seconds(self) -> float | None:
        """Return the longest clock running now, or None."""
        waits = [w.waited_seconds for w in self.waiting if w.waited_seconds is not None]
        return max(waits) if waits else None


@dataclass(frozen=True)
class CopiesNow:
    """Stamped copies (online requests and visitors' scans): made today, waiting, failing."""

    ready_today: int
    ready_seconds: tuple[float, ...]  # each of today's copies: from approval (or the scan) to ready
    waiting: int  # approved or scanned, not ready yet
    oldest_waiting_seconds: float | None
    failed_last_hour: int

    @property
    def median_ready_seconds(self) -> float | None:
        """Return the median time to ready of today's copies."""
        return statistics.median(self.ready_seconds) if self.ready_seconds else None


@dataclass(frozen=True)
class CasesNow:
    """Open consultations or complaints against their due times."""

    open: int
    due_within_a_day: int  # due within one working day from now, not yet overdue
    overdue: int


@dataclass(frozen=True)
class OfficeNow:
    """Everything the live page, the metrics and the alerts read."""

    at: dt.datetime
    queues: tuple[QueueNow, ...]
    copies: CopiesNow
    consultations: CasesNow
    complaints: CasesNow

    @property
    def walk_ins_waiting(self) -> int:
        """Return how many walk-in visitors wait now, in every queue."""
        return sum(len(q.waiting) for q in self.queues)

    @property
    def walk_ins_past_target(self) -> int:
        """Return how many walk-in visitors wait past their target now."""
        return sum(q.past_target for q in self.queues)


def office_now(
    uow: UnitOfWork, now: dt.datetime, calendar: Calendar, office_code: str | None = None
) -> OfficeNow:
    """Read the queues (of one office, or of every office), copies and cases as they stand at `now`."""
    return OfficeNow(
        at=now,
        queues=tuple(_queue_now(uow, service, now) for service in _services(uow, office_code)),
        copies=_copies_now(uow, now, calendar.timezone),
        consultations=_consultations_now(uow, now, calendar),
        complaints=_complaints_now(uow, now, calendar),
    )


def _services(uow: UnitOfWork, office_code: str | None) -> list[QueueService]:
    query = (
        select(QueueService)
        .where(QueueService.active)
        .options(selectinload(QueueService.office))
        .order_by(QueueService.office_id, QueueService.position, QueueService.id)
    )
    if office_code:
        query = query.join(Office).where(Office.code == office_code)
    return list(uow.session.scalars(query))


def _queue_now(uow: UnitOfWork, service: QueueService, now: dt.datetime) -> QueueNow:
    day = queue_day(service, now)
    tickets = list(
        uow.session.scalars(
            select(Ticket).where(Ticket.service_id == service.id, Ticket.day == day).order_by(Ticket.number)
        )
    )
    rule = service_rule(service)
    return QueueNow(
        office_code=service.office.code,
        service_code=service.code,
        name=service.name,
        name_en=service.name_en,
        target_minutes=None if rule is None else rule.minutes,
        waiting=tuple(_waiting(tickets, rule, now)),
        served=sum(1 for t in tickets if t.served_at is not None),
        served_late=sum(1 for t in tickets if t.breached),
    )


def _waiting(tickets: list[Ticket], rule: ClockRule | None, now: dt.datetime) -> list[Waiting]:
    """Return the visitors not yet served, with their clocks (as the counter console shows them)."""
    if rule is None:
        starts: list[dt.datetime | None] = [None] * len(tickets)
    else:
        starts = clock_starts(rule, [QueuePlace(t.issued_at, t.served_at, t.finished_at) for t in tickets])
    return [
        Waiting(t.code, None if began is None else (now - began).total_seconds(), level(rule, began, now))
        for t, began in zip(tickets, starts, strict=True)
        if t.status in NOT_STARTED and t.served_at is None
    ]


def _copies_now(uow: UnitOfWork, now: dt.datetime, timezone: str) -> CopiesNow:
    midnight = dt.datetime.combine(office_today(timezone, now), dt.time(), office_zone(timezone))
    ready = _ready_seconds(uow, midnight.astimezone(dt.UTC))
    s = uow.session
    waiting_since = [
        *s.scalars(
            select(func.coalesce(SoftcopyRequest.decided_at, SoftcopyRequest.submitted_at)).where(
                SoftcopyRequest.status == RequestStatus.APPROVED
            )
        ),
        *s.scalars(select(VisitorScan.created_at).where(VisitorScan.status == ScanStatus.QUEUED)),
    ]
    hour_ago = now - dt.timedelta(hours=1)
    failed_requests = select(func.count()).where(
        RequestEvent.status == RequestStatus.FAILED, RequestEvent.at >= hour_ago
    )
    failed_scans = select(func.count()).where(
        VisitorScan.status == ScanStatus.FAILED, VisitorScan.claimed_at >= hour_ago
    )
    oldest = min((_aware(moment) for moment in waiting_since), default=None)
    return CopiesNow(
        ready_today=len(ready),
        ready_seconds=tuple(ready),
        waiting=len(waiting_since),
        oldest_waiting_seconds=None if oldest is None else (now - oldest).total_seconds(),
        failed_last_hour=(s.scalar(failed_requests) or 0) + (s.scalar(failed_scans) or 0),
    )


def _ready_seconds(uow: UnitOfWork, since: dt.datetime) -> list[float]:
    """Return each copy made since then: seconds from its approval (or its scan) to ready."""
    requests = uow.session.execute(
        select(SoftcopyRequest.ready_at, SoftcopyRequest.decided_at, SoftcopyRequest.submitted_at).where(
            SoftcopyRequest.ready_at >= since
        )
    ).all()
    scans = uow.session.execute(
        select(VisitorScan.ready_at, VisitorScan.created_at).where(VisitorScan.ready_at >= since)
    ).all()
    pairs = [(ready, decided or submitted) for ready, decided, submitted in requests]
    pairs += [(ready, created) for ready, created in scans]
    return [max(0.0, (_aware(ready) - _aware(began)).total_seconds()) for ready, began in pairs if ready]


def copy_ready_seconds(uow: UnitOfWork, kind: str, copy_id: int) -> float | None:
    """Return how long one copy took from its approval (or its scan) to ready, or None if not ready."""
    if kind == "scan":
        scan = uow.session.get(VisitorScan, copy_id)
        pair = None if scan is None else (scan.ready_at, scan.created_at)
    else:
        request = uow.session.get(SoftcopyRequest, copy_id)
        pair = None if request is None else (request.ready_at, request.decided_at or request.submitted_at)
    if pair is None or pair[0] is None:
        return None
    return max(0.0, (_aware(pair[0]) - _aware(pair[1])).total_seconds())


def _consultations_now(uow: UnitOfWork, now: dt.datetime, calendar: Calendar) -> CasesNow:
    query = select(Consultation.due_at).where(Consultation.status.in_(OPEN_CONSULTATIONS))
    return _cases([None if d is None else _aware(d) for d in uow.session.scalars(query)], now, calendar)


def _complaints_now(uow: UnitOfWork, now: dt.datetime, calendar: Calendar) -> CasesNow:
    query = select(Complaint.received_at).where(Complaint.status.in_(OPEN_COMPLAINTS))
    due = [calendar.add_working_days(_aware(r), ANSWER_WORKING_DAYS) for r in uow.session.scalars(query)]
    return _cases(list(due), now, calendar)


def _cases(due: list[dt.datetime | None], now: dt.datetime, calendar: Calendar) -> CasesNow:
    """Count open cases, those due within a working day, and those overdue (None: no due time yet)."""
    soon = calendar.add_working_days(now, 1)
    dated = [d for d in due if d is not None]
    return CasesNow(
        open=len(due),
        due_within_a_day=sum(1 for d in dated if now <= d <= soon),
        overdue=sum(1 for d in dated if d < now),
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """Return a stored moment as an aware UTC datetime (SQLite hands some back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
