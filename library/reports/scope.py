"""What every section of a report is computed over: the office, the period, the clock, the rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from library.clock import office_zone
from library.errors import NotFound
from library.i18n import N_
from library.models import Office, QueueService
from library.reports.periods import Period
from library.reports.tables import Label
from library.uow import UnitOfWork
from library.working_days import Calendar


@dataclass(frozen=True)
class ReportRules:
    """The settings a report needs: the office's working days and the online requests' target."""

    calendar: Calendar
    online_working_days: int  # an online softcopy request is answered within this many


@dataclass(frozen=True)
class Scope:
    """One office over one period, seen at one moment."""

    office_id: int
    office_code: str
    office_name: str
    timezone: str
    period: Period
    starts_at: dt.datetime  # UTC: the first office day's midnight
    ends_before: dt.datetime  # UTC: the midnight after the last office day
    now: dt.datetime
    rules: ReportRules
    services: tuple[Label, ...]  # the services the office publishes a standard for, by kind

    def local_day(self, moment: dt.datetime) -> dt.date:
        """Return the office day a moment fell on."""
        return moment.astimezone(office_zone(self.timezone)).date()

    def service(self, kind: str) -> Label:
        """Return the name of a service by its kind (library, consultation)."""
        return next((s for s in self.services if s.code == kind), Label(kind, indonesian=kind, english=kind))


def scope_of(
    uow: UnitOfWork, office_code: str, period: Period, now: dt.datetime, rules: ReportRules
) -> Scope:
    """Return the scope of a report on an office; refuse an office that does not exist."""
    office = uow.session.scalar(
        select(Office).options(selectinload(Office.services)).where(Office.code == office_code)
    )
    if office is None:
        raise NotFound(N_("There is no office with the code %(code)s."), code=office_code)
    queues = {
        queue.standard_kind: queue
        for queue in uow.session.scalars(select(QueueService).where(QueueService.office_id == office.id))
        if queue.standard_kind
    }
    services = []
    for standard in office.services:
        named = queues.get(standard.kind) or standard  # the queue's short name when it has one
        services.append(Label(standard.kind, indonesian=named.name, english=named.name_en or named.name))
    starts_at, ends_before = period.bounds(office.timezone)
    return Scope(
        office_id=office.id,
        office_code=office.code,
        office_name=office.name,
        timezone=office.timezone,
        period=period,
        starts_at=starts_at,
        ends_before=ends_before,
        now=now,
        rules=rules,
        services=tuple(services),
    )
