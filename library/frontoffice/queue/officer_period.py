"""Each officer's work over a period: the supervisor's view beyond today (`/laporan/loket/petugas`).

Per officer, the tickets whose service they started between two office-local days (both
included): how many, how many of them priority visitors, on how many days, the median and the
longest length of a service (its start to its end, finished services only), and the median wait
of their visitors (ticket to the start of service). For the office head's monthly review; the
signed walk-in report counts the office, this page the people.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import InvalidInput, NotFound
from library.frontoffice.queue.supervision import ONLY_SUPERVISORS
from library.i18n import N_
from library.models import Office, QueueService, Ticket, TicketStatus, User
from library.permissions import Actor, may_read_reports, require
from library.uow import UnitOfWork

MAX_DAYS = 366
BAD_PERIOD = N_("Choose a period whose first day is not after its last, at most a year long.")


@dataclass(frozen=True)
class OfficerPeriod:
    """One officer's services over the period."""

    name: str
    served: int
    priority: int
    days: int  # days on which they started a service
    median_minutes: float | None
    longest_minutes: float | None
    median_wait_minutes: float | None


@dataclass(frozen=True)
class OfficersOverPeriod:
    """Every officer who served in the period, busiest first."""

    office_name: str
    first: dt.date
    last: dt.date
    officers: tuple[OfficerPeriod, ...]
    served: int


def officers_over_period(
    uow: UnitOfWork, actor: Actor | None, office_code: str, first: dt.date, last: dt.date
) -> OfficersOverPeriod:
    """Return each officer's services between two office-local days, for the office head."""
    require(uow, actor, may_read_reports, ONLY_SUPERVISORS)
    if last < first or (last - first).days >= MAX_DAYS:
        raise InvalidInput(BAD_PERIOD)
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(N_("The office %(code)s is not known here."), code=office_code)
    rows = uow.session.execute(
        select(Ticket.served_by_id, Ticket.day, Ticket.priority, Ticket.status)
        .add_columns(Ticket.issued_at, Ticket.served_at, Ticket.finished_at)
        .join(QueueService, QueueService.id == Ticket.service_id)
        .where(
            QueueService.office_id == office.id,
            Ticket.day.between(first, last),
            Ticket.served_by_id.is_not(None),
            Ticket.served_at.is_not(None),
        )
    ).all()
    ids = {row.served_by_id for row in rows}
    names = dict(uow.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    officers = [
        _officer(names.get(officer_id, "?"), [r for r in rows if r.served_by_id == officer_id])
        for officer_id in ids
    ]
    officers.sort(key=lambda o: (-o.served, o.name))
    return OfficersOverPeriod(office.name, first, last, tuple(officers), len(rows))


def _officer(name: str, rows: list) -> OfficerPeriod:
    """Sum up one officer's services."""
    lengths = [
        (r.finished_at - r.served_at).total_seconds() / 60
        for r in rows
        if r.status == TicketStatus.DONE.value and r.finished_at is not None
    ]
    waits = [max((r.served_at - r.issued_at).total_seconds() / 60, 0.0) for r in rows]
    return OfficerPeriod(
        name=name,
        served=len(rows),
        priority=sum(1 for r in rows if r.priority),
        days=len({r.day for r in rows}),
        median_minutes=round(statistics.median(lengths), 1) if lengths else None,
        longest_minutes=round(max(lengths), 1) if lengths else None,
        median_wait_minutes=round(statistics.median(waits), 1) if waits else None,
    )
