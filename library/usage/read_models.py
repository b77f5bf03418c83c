"""What pages and reports show of usage: a publication's last twelve months, a period's per publication."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.models import Office, Publication
from library.permissions import Actor, may_see_usage
from library.uow import UnitOfWork
from library.usage.counting import Figures
from library.usage.figures import Clock, usage_by_day, usage_totals

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class MonthUsage:
    """One month's figures of one publication."""

    month: dt.date  # its first day
    figures: Figures


@dataclass(frozen=True)
class PublicationUsage:
    """A publication's usage by month, newest first, and over all the months shown."""

    months: tuple[MonthUsage, ...]
    total: Figures


@dataclass(frozen=True)
class UsageRow:
    """One publication's usage over a period, with what reports group it by."""

    publication_id: int
    title: str
    office_code: str
    office_name: str
    figures: Figures


def publication_usage(
    uow: UnitOfWork, actor: Actor | None, publication_id: int, clock: Clock, today: dt.date, *, public: bool
) -> PublicationUsage | None:
    """Return a publication's usage in the last twelve months, or None for someone who may not see it."""
    if not may_see_usage(actor, public):
        return None
    months = [_month_start(today, back) for back in range(MONTHS_SHOWN)]
    by_month = {month: Figures() for month in months}
    for (_pid, day), figures in usage_by_day(uow, clock, months[-1], today, (publication_id,)).items():
        by_month[day.replace(day=1)].add(figures)
    total = Figures()
    for figures in by_month.values():
        total.add(figures)
    return PublicationUsage(tuple(MonthUsage(m, by_month[m]) for m in months), total)


def usage_per_publication(uow: UnitOfWork, clock: Clock, first: dt.date, last: dt.date) -> list[UsageRow]:
    """Return each used publication's figures from first to last, most requested first.

    Each row names what a report groups by (the issuing office); a grouping by collection joins
    the publications' collections on `publication_id` the same way.
    """
    totals = usage_totals(uow, clock, first, last)
    if not totals:
        return []
    named = uow.session.execute(
        select(Publication.id, Publication.title, Office.code, Office.name)
        .join(Office, Office.id == Publication.issuing_office_id)
        .where(Publication.id.in_(totals))
    )
    rows = [UsageRow(pid, title, code, name, totals[pid]) for pid, title, code, name in named]
    return sorted(rows, key=lambda r: (-(r.figures.reads + r.figures.downloads), -r.figures.views, r.title))


def _month_start(day: dt.date, back: int) -> dt.date:
    """Return the first day of the month `back` months before the day's."""
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)
