"""The service quality report of an office over a period: one use case for the page, PDF and command.

It is made of sections, each computed by one function from the same scope (office,
period, clock, rules). A new area adds its section by adding its function to `SECTIONS`
(complaints do: by status and element, with the time to answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from library.i18n import N_
from library.permissions import Actor, may_read_reports, require
from library.reports.appointments import appointments_section
from library.reports.complaints import complaints_section
from library.reports.consultations import consultation_section
from library.reports.copies import copies_section
from library.reports.online import online_section
from library.reports.periods import Period
from library.reports.satisfaction import satisfaction_section
from library.reports.scope import ReportRules, Scope, scope_of
from library.reports.searches import search_section
from library.reports.tables import Section, Table
from library.reports.usage import usage_section
from library.reports.visitors import visitors_section
from library.reports.walk_in import walk_in_section
from library.uow import UnitOfWork

SectionMaker = Callable[[UnitOfWork, Scope], Section]
SECTIONS: tuple[SectionMaker, ...] = (
    walk_in_section,
    visitors_section,
    appointments_section,
    online_section,
    copies_section,
    search_section,
    usage_section,
    satisfaction_section,
    consultation_section,
    complaints_section,
)
ONLY_HEADS_READ_REPORTS = N_("Only the office head and administrators may read the service reports.")


@dataclass(frozen=True)
class QualityReport:
    """One office's service figures over a period, in sections."""

    office_code: str
    office_name: str
    timezone: str
    period: Period
    working_days: int  # the office's working days in the period
    generated_at: dt.datetime
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        """Return a section by its key."""
        return next(section for section in self.sections if section.key == key)

    def table(self, key: str) -> Table:
        """Return a table of any section by its key."""
        return next(table for section in self.sections for table in section.tables if table.key == key)


def quality_report(
    uow: UnitOfWork,
    actor: Actor | None,
    office_code: str,
    period: Period,
    *,
    now: dt.datetime,
    rules: ReportRules,
    sections: tuple[SectionMaker, ...] = SECTIONS,
) -> QualityReport:
    """Return the office's service quality report over the period: for the office head and admins."""
    require(uow, actor, may_read_reports, ONLY_HEADS_READ_REPORTS)
    scope = scope_of(uow, office_code, period, now, rules)
    working_days = rules.calendar.working_days_between(period.start - dt.timedelta(days=1), period.end)
    return QualityReport(
        office_code=scope.office_code,
        office_name=scope.office_name,
        timezone=scope.timezone,
        period=period,
        working_days=working_days,
        generated_at=now,
        sections=tuple(make(uow, scope) for make in sections),
    )
