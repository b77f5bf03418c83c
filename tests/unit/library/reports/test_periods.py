"""A report's period: a day, month, quarter, year or range of office days, and its UTC bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from library.errors import InvalidField
from library.reports.periods import Period, PeriodKind, period_of, range_period

D = dt.date


@pytest.mark.parametrize(
    "kind, day, start, end",
    [
        (PeriodKind.DAY, D(2026, 11, 17), D(2026, 11, 17), D(2026, 11, 17)),
        (PeriodKind.MONTH, D(2026, 11, 17), D(2026, 11, 1), D(2026, 11, 30)),
        (PeriodKind.MONTH, D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),
        (PeriodKind.MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (PeriodKind.QUARTER, D(2026, 11, 17), D(2026, 10, 1), D(2026, 12, 31)),
        (PeriodKind.QUARTER, D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
        (PeriodKind.QUARTER, D(2026, 6, 30), D(2026, 4, 1), D(2026, 6, 30)),
        (PeriodKind.YEAR, D(2026, 7, 4), D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_a_period_holds_the_day_from_its_first_to_its_last_day(kind, day, start, end) -> None:
    assert period_of(kind, day) == Period(kind, start, end)


def test_the_quarter_is_numbered_from_its_first_month() -> None:
    assert [period_of(PeriodKind.QUARTER, D(2026, m, 5)).quarter for m in (1, 4, 8, 12)] == [1, 2, 3, 4]


def test_the_periods_around_one_are_of_the_same_kind() -> None:
    november = period_of(PeriodKind.MONTH, D(2026, 11, 17))
    assert november.previous() == Period(PeriodKind.MONTH, D(2026, 10, 1), D(2026, 10, 31))
    assert november.next() == Period(PeriodKind.MONTH, D(2026, 12, 1), D(2026, 12, 31))
    week = range_period(D(2026, 11, 2), D(2026, 11, 8))
    assert week.previous() == Period(PeriodKind.RANGE, D(2026, 10, 26), D(2026, 11, 1))
    assert week.next() == Period(PeriodKind.RANGE, D(2026, 11, 9), D(2026, 11, 15))


def test_a_period_starts_and_ends_at_the_offices_midnight() -> None:
    start, end = period_of(PeriodKind.DAY, D(2026, 11, 17)).bounds("Asia/Jayapura")  # WIT, UTC+9
    assert start == dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 11, 17, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "start, end, message",
    [
        (D(2026, 11, 30), D(2026, 11, 1), "The period ends before it starts."),
        (D(2020, 1, 1), D(2026, 1, 2), "A report covers at most five years."),
    ],
)
def test_a_range_that_ends_first_or_runs_too_long_is_refused(start, end, message) -> None:
    with pytest.raises(InvalidField) as refused:
        range_period(start, end)
    assert refused.value.message == message and refused.value.field == "sampai"
