"""The period a report covers: a day, a month, a quarter, a year, or any range of days.

Periods are office-local calendar days, both ends included. Moments stored in UTC (a
delivery, a download, a request) belong to the office day they fell on in the office's time
zone: `bounds` gives the UTC instants of the first day's midnight and of the midnight after
the last.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from library.clock import office_zone
from library.errors import InvalidField
from library.i18n import N_

LONGEST = dt.timedelta(days=366 * 5)


class PeriodKind(enum.StrEnum):
    """How a report's period was chosen."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"  # any first and last day


@dataclass(frozen=True)
class Period:
    """Office-local days from `start` to `end`, both included."""

    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Return how many calendar days the period holds."""
        return (self.end - self.start).days + 1

    @property
    def quarter(self) -> int:
        """Return the quarter (1-4) the period starts in."""
        return (self.start.month - 1) // 3 + 1

    def bounds(self, timezone: str) -> tuple[dt.datetime, dt.datetime]:
        """Return the UTC instants the period starts at and ends before, in the office's time zone."""
        zone = office_zone(timezone)
        first = dt.datetime.combine(self.start, dt.time(0), zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), zone)
        return first.astimezone(dt.UTC), after.astimezone(dt.UTC)

    def previous(self) -> Period:
        """Return the period of the same kind just before this one (a range: as many days before)."""
        if self.kind is PeriodKind.RANGE:
            return range_period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))
        return period_of(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        """Return the period of the same kind just after this one (a range: as many days after)."""
        if self.kind is PeriodKind.RANGE:
            return range_period(self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=self.days))
        return period_of(self.kind, self.end + dt.timedelta(days=1))


def period_of(kind: PeriodKind, day: dt.date) -> Period:
    """Return the day, month, quarter or year that holds the day."""
    if kind is PeriodKind.DAY:
        return Period(kind, day, day)
    if kind is PeriodKind.MONTH:
        start = day.replace(day=1)
        months = 1
    elif kind is PeriodKind.QUARTER:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif kind is PeriodKind.YEAR:
        start = day.replace(month=1, day=1)
        months = 12
    else:
        raise ValueError("a range has no single day to start from: use range_period")
    year, month = divmod(start.month - 1 + months, 12)
    after = dt.date(start.year + year, month + 1, 1)
    return Period(kind, start, after - dt.timedelta(days=1))


def range_period(start: dt.date, end: dt.date) -> Period:
    """Return the days from start to end; refuse a range that ends first or spans over five years."""
    if end < start:
        raise InvalidField("sampai", N_("The period ends before it starts."))
    if end - start > LONGEST:
        raise InvalidField("sampai", N_("A report covers at most five years."))
    return Period(PeriodKind.RANGE, start, end)
