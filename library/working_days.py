"""Working days of an Indonesian government office, for service-level clocks.

A working day is Monday to Friday, not a national holiday and not a *cuti bersama* day
(the `holidays` package lists both with categories public and government), and not one of
the office's extra closures. "3 working days" counts from the moment a request is complete:
a request made on Friday afternoon is due on Wednesday afternoon; one made on a Saturday
counts from the opening of the next working day (due on Thursday at 08:00).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from library.clock import office_zone

OPENING = dt.time(8, 0)


@lru_cache(maxsize=32)
def _national(year: int) -> frozenset[dt.date]:
    """Return Indonesia's holidays and cuti bersama days of one year."""
    days = holidays.country_holidays("ID", categories=("public", "government"), years=year)
    return frozenset(days.keys())


def knows_cuti_bersama(year: int) -> bool:
    """Tell whether the installed `holidays` release lists the year's cuti bersama days.

    They are set each year by a joint decree (SKB) of three ministers, usually in September
    or October for the next year; a release made before lists the year's holidays only.
    """
    return bool(holidays.country_holidays("ID", categories=("government",), years=year))


@dataclass(frozen=True)
class Calendar:
    """Which days an office is open."""

    timezone: str = "Asia/Jakarta"
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, timezone: str, closures: Iterable[dt.date] = ()) -> Calendar:
        """Return the calendar of an office in a time zone with extra closed days."""
        return cls(timezone=timezone, closures=frozenset(closures))

    def is_working_day(self, day: dt.date) -> bool:
        """Tell whether the office is open on this day."""
        return day.weekday() < 5 and day not in _national(day.year) and day not in self.closures

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day after this one."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Return the moment `days` working days after `start` (an aware datetime)."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        zone = office_zone(self.timezone)
        local = start.astimezone(zone)
        day, time = local.date(), local.timetz().replace(tzinfo=None)
        if not self.is_working_day(day):
            day, time = self.next_working_day(day), OPENING
        for _ in range(days):
            day = self.next_working_day(day)
        return dt.datetime.combine(day, time, zone).astimezone(dt.UTC)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
