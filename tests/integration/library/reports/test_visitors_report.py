"""The visitors section: guest-book entries counted on the office's own clock, every category a row.

Visitors sign the real guest book at moments near midnight and at a month's end; the section
places each on the office's local hour, day and month, whichever time zone the office is in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, update

from library.models import Office, Role, Visit
from library.reports.periods import Period, PeriodKind, period_of, range_period
from library.reports.plain import plain_table
from library.reports.report import quality_report
from library.reports.scope import ReportRules
from library.uow import UnitOfWork
from library.working_days import Calendar
from tests.integration.library import frontoffice_helpers as fo
from tests.integration.library.quality.test_quality_report import person

NOW = dt.datetime(2026, 12, 20, 3, 0, tzinfo=dt.UTC)
RULES = ReportRules(Calendar.of("Asia/Jakarta"), 3)
NOVEMBER = period_of(PeriodKind.MONTH, dt.date(2026, 11, 1))
DECEMBER = period_of(PeriodKind.MONTH, dt.date(2026, 12, 1))
LAST_EVENING = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)  # 23:30 WIB on Monday 30 November
AFTER_MIDNIGHT = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)  # 00:30 WIB on Tuesday 1 December
TULANG_BAWANG = "1805"  # consultation only; moved to Makassar time (WITA, UTC+8) where a test says
Tables = dict[str, dict[str, int]]


def visitors(uow: UnitOfWork, period: Period, office: str = fo.METRO) -> Tables:
    """Return the section's tables as {key: {row's code: visits}}."""
    with uow:
        head = person(uow, f"kepala-{office}@bps.go.id", Role.OFFICE_HEAD)
        report = quality_report(uow, head, office, period, now=NOW, rules=RULES)
    section = report.section("visitors")
    return {
        table.key: {str(row[table.columns[0].key]): int(row["visits"] or 0) for row in plain_table(table)}
        for table in section.tables
    }


def sign_at(
    engine: Engine, uow: UnitOfWork, moment: dt.datetime, office: str = fo.METRO, **answers: object
) -> None:
    """Sign the office's guest book at a moment (each visitor from their own phone)."""
    services = ("library",) if office == fo.METRO else ("consultation",)
    form = fo.entry(moment, **{"services": services, **answers})
    fo.sign(
        uow,
        fo.make_guard(engine),
        form,
        now=moment,
        office=office,
        client=f"10.0.{moment.hour}.{moment.minute}",
    )


def nonzero(table: dict[str, int]) -> dict[str, int]:
    """Return the rows of a table that counted someone."""
    return {name: visits for name, visits in table.items() if visits}


def test_a_visit_at_half_past_eleven_at_night_counts_on_its_office_hour_day_and_month(
    engine: Engine, uow: UnitOfWork
) -> None:
    fo.load_offices(uow)
    sign_at(engine, uow, LAST_EVENING)
    sign_at(engine, uow, AFTER_MIDNIGHT)  # the same UTC day, the next office day and month

    november, december = visitors(uow, NOVEMBER), visitors(uow, DECEMBER)

    assert nonzero(november["visitors_hour"]) == {"23:00": 1}
    assert nonzero(november["visitors_weekday"]) == {"monday": 1}
    assert november["visitors_month"] == {"2026-11": 1}
    assert nonzero(december["visitors_hour"]) == {"00:00": 1}
    assert nonzero(december["visitors_weekday"]) == {"tuesday": 1}
    assert december["visitors_month"] == {"2026-12": 1}


def test_an_office_in_another_time_zone_counts_the_same_moment_on_its_own_clock(
    engine: Engine, uow: UnitOfWork
) -> None:
    fo.load_offices(uow)
    with uow:
        uow.session.execute(
            update(Office).where(Office.code == TULANG_BAWANG).values(timezone="Asia/Makassar")
        )
        uow.commit()
    sign_at(engine, uow, LAST_EVENING)  # 23:30 WIB in Kota Metro
    sign_at(engine, uow, LAST_EVENING, office=TULANG_BAWANG)  # 00:30 WITA on 1 December in Tulang Bawang

    assert nonzero(visitors(uow, NOVEMBER)["visitors_hour"]) == {"23:00": 1}
    assert sum(visitors(uow, NOVEMBER, TULANG_BAWANG)["visitors_hour"].values()) == 0
    in_makassar = visitors(uow, DECEMBER, TULANG_BAWANG)
    assert nonzero(in_makassar["visitors_hour"]) == {"00:00": 1}
    assert nonzero(in_makassar["visitors_service"]) == {"consultation": 1}


def test_every_category_is_a_row_and_each_answer_table_adds_up_to_the_visits(
    engine: Engine, uow: UnitOfWork
) -> None:
    fo.load_offices(uow)
    monday = dt.datetime(2026, 11, 23, 2, 15, tzinfo=dt.UTC)  # 09:15 WIB
    sign_at(engine, uow, monday, education="master", services=("library", "consultation"))
    sign_at(engine, uow, monday + dt.timedelta(minutes=5), occupation="student")
    with uow:  # an answer stored before its category was withdrawn
        uow.session.execute(update(Visit).where(Visit.arrived_at == monday).values(occupation="retired_1990"))
        uow.commit()

    quiet, november = visitors(uow, DECEMBER), visitors(uow, NOVEMBER)

    assert {key: list(rows) for key, rows in quiet.items()} == {
        key: list(rows) for key, rows in november.items() if key != "visitors_month"
    } | {"visitors_month": ["2026-12"]}  # the same rows whether anybody came or not
    assert len(november["visitors_hour"]) == 24 and len(november["visitors_weekday"]) == 7
    assert november["visitors_education"]["doctorate"] == 0  # chosen by nobody, still a row
    assert nonzero(november["visitors_occupation"]) == {"student": 1, "not_recorded": 1}
    for key in ("visitors_hour", "visitors_weekday", "visitors_month", "visitors_education", "visitors_sex"):
        assert sum(november[key].values()) == 2, key
    assert november["visitors_service"] == {"library": 2, "consultation": 1}  # a visit per service it chose


def test_a_quarter_and_a_range_list_each_month_they_touch(engine: Engine, uow: UnitOfWork) -> None:
    fo.load_offices(uow)
    sign_at(engine, uow, LAST_EVENING)

    quarter = visitors(uow, period_of(PeriodKind.QUARTER, dt.date(2026, 11, 1)))
    days = visitors(uow, range_period(dt.date(2026, 10, 31), dt.date(2026, 12, 1)))

    assert quarter["visitors_month"] == {"2026-10": 0, "2026-11": 1, "2026-12": 0}
    assert days["visitors_month"] == {"2026-10": 0, "2026-11": 1, "2026-12": 0}
