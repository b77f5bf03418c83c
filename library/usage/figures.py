"""Usage figures per publication and office day: counted into `usage_day`, read back for pages and reports.

`do_count_usage` (the hourly housekeeping, and `pustaka usage count`) applies the COUNTER rules
to the raw events of every whole office day not counted yet and stores each publication's
figures per day. Reads take the stored days and count the days since from the raw events as
they are (today, and any day the housekeeping has not reached), so a page or report is right
whenever it is read. `do_prune_events` drops raw events of counted days past the retention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import delete, func, insert, select

from library.clock import office_zone
from library.models import UsageDay, UsageEvent
from library.uow import UnitOfWork
from library.usage.counting import DOUBLE_CLICK, Event, Figures, count_events

DayFigures = dict[tuple[int, dt.date], Figures]


class Clock(NamedTuple):
    """The office's time zone, to tell the office day of a moment."""

    timezone: str

    def day_of(self, moment: dt.datetime) -> dt.date:
        """Return the office day a UTC moment fell on."""
        return moment.astimezone(office_zone(self.timezone)).date()

    def midnight(self, day: dt.date) -> dt.datetime:
        """Return the UTC moment an office day starts."""
        return dt.datetime.combine(day, dt.time(0), office_zone(self.timezone)).astimezone(dt.UTC)


def counted_through(uow: UnitOfWork) -> dt.date | None:
    """Return the last office day whose figures are stored, or None when none is."""
    return uow.session.scalar(select(func.max(UsageDay.day)))


def do_count_usage(uow: UnitOfWork, clock: Clock, through: dt.date) -> int:
    """Store the figures of every office day up to `through` not stored yet; return how many rows."""
    last = counted_through(uow)
    earliest = uow.session.scalar(select(func.min(UsageEvent.at)))
    if earliest is None:
        return 0
    first = max(last + dt.timedelta(days=1), clock.day_of(earliest)) if last else clock.day_of(earliest)
    if first > through:
        return 0
    figures = _count_raw(uow, clock, first, through, None)
    rows = [
        {"publication_id": pid, "day": day, **dict(zip(_NAMES, f.values(), strict=True))}
        for (pid, day), f in sorted(figures.items())
    ]
    if rows:
        uow.session.execute(insert(UsageDay), rows)
    return len(rows)


def do_prune_events(uow: UnitOfWork, clock: Clock, today: dt.date, months: int) -> int:
    """Delete raw events older than `months` whose days are counted; return how many went."""
    last = counted_through(uow)
    if last is None:
        return 0
    before = min(_months_back(today, months), last + dt.timedelta(days=1))
    gone = uow.session.execute(delete(UsageEvent).where(UsageEvent.at < clock.midnight(before)))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def usage_by_day(
    uow: UnitOfWork, clock: Clock, first: dt.date, last: dt.date, publications: Collection[int] | None = None
) -> DayFigures:
    """Return the figures per (publication, office day) from first to last: stored, then raw."""
    stored_through = counted_through(uow)
    figures: DayFigures = {}
    if stored_through is not None and first <= stored_through:
        query = select(UsageDay.publication_id, UsageDay.day, *_COLUMNS).where(
            UsageDay.day >= first, UsageDay.day <= min(last, stored_through)
        )
        if publications is not None:
            query = query.where(UsageDay.publication_id.in_(publications))
        for pid, day, *values in uow.session.execute(query):
            figures[(pid, day)] = Figures(*values)
    raw_from = max(first, stored_through + dt.timedelta(days=1)) if stored_through else first
    if raw_from <= last:
        figures.update(_count_raw(uow, clock, raw_from, last, publications))
    return figures


def usage_totals(uow: UnitOfWork, clock: Clock, first: dt.date, last: dt.date) -> dict[int, Figures]:
    """Return each publication's figures from first to last: stored days summed by the database, then raw."""
    stored_through = counted_through(uow)
    totals: dict[int, Figures] = {}
    if stored_through is not None and first <= stored_through:
        summed = uow.session.execute(
            select(UsageDay.publication_id, *(func.sum(c) for c in _COLUMNS))
            .where(UsageDay.day >= first, UsageDay.day <= min(last, stored_through))
            .group_by(UsageDay.publication_id)
        )
        totals = {pid: Figures(*(int(v) for v in values)) for pid, *values in summed}
    raw_from = max(first, stored_through + dt.timedelta(days=1)) if stored_through else first
    if raw_from <= last:
        for (pid, _day), figures in _count_raw(uow, clock, raw_from, last, None).items():
            totals.setdefault(pid, Figures()).add(figures)
    return totals


def totals_by_publication(figures: DayFigures) -> dict[int, Figures]:
    """Return each publication's figures over all the days given."""
    totals: dict[int, Figures] = {}
    for (publication_id, _day), day_figures in figures.items():
        totals.setdefault(publication_id, Figures()).add(day_figures)
    return totals


def _count_raw(
    uow: UnitOfWork, clock: Clock, first: dt.date, last: dt.date, publications: Collection[int] | None
) -> DayFigures:
    """Count the raw events of the days from first to last (and the double clicks just after)."""
    columns = (UsageEvent.at, UsageEvent.publication_id, UsageEvent.kind, UsageEvent.session, UsageEvent.page)
    query = select(*columns).where(
        UsageEvent.at >= clock.midnight(first),
        UsageEvent.at < clock.midnight(last + dt.timedelta(days=1)) + DOUBLE_CLICK,
    )
    if publications is not None:
        query = query.where(UsageEvent.publication_id.in_(publications))
    events = (Event(*row) for row in uow.session.execute(query))
    return count_events(events, clock.day_of, first, last)


def raw_kept_from(today: dt.date, months: int) -> dt.date:
    """Return the first office day whose raw events are all kept under the retention."""
    return _months_back(today, months)


def _months_back(day: dt.date, months: int) -> dt.date:
    """Return the first day of the month `months` before the day's month."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


_NAMES = ("views", "reads", "pages", "downloads", "sessions")
_COLUMNS = (UsageDay.views, UsageDay.reads, UsageDay.pages, UsageDay.downloads, UsageDay.sessions)
