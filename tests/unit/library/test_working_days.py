"""Working days: weekends, national holidays, cuti bersama and office closures do not count."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from library.working_days import Calendar

WIB = ZoneInfo("Asia/Jakarta")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=WIB)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at("2026-11-16"), at("2026-11-19")),  # Monday -> Thursday, same time
        (at("2026-11-20", "15:30"), at("2026-11-25", "15:30")),  # Friday -> Wednesday
        (at("2026-11-21", "09:00"), at("2026-11-26", "08:00")),  # Saturday: from Monday's opening
    ],
)
def test_three_working_days_skip_the_weekend(start: dt.datetime, due: dt.datetime) -> None:
    assert Calendar().add_working_days(start, 3) == due.astimezone(dt.UTC)


def test_national_holidays_and_cuti_bersama_do_not_count() -> None:
    # 2025-12-25 is Christmas, 2025-12-26 cuti bersama: Wednesday 24th + 3 = Mon, Tue, Wed 31st.
    assert Calendar().add_working_days(at("2025-12-24"), 3) == at("2025-12-31").astimezone(dt.UTC)


def test_an_office_closure_does_not_count() -> None:
    calendar = Calendar.of("Asia/Jakarta", [dt.date(2026, 11, 18)])
    assert calendar.add_working_days(at("2026-11-16"), 3) == at("2026-11-20").astimezone(dt.UTC)


def test_the_clock_counts_in_the_office_time_zone() -> None:
    # Friday 23:30 UTC is already Saturday 06:30 in WITA (Asia/Makassar).
    start = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)
    due = Calendar(timezone="Asia/Makassar").add_working_days(start, 1)
    assert due.astimezone(ZoneInfo("Asia/Makassar")) == dt.datetime(
        2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Makassar")
    )


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        Calendar().add_working_days(dt.datetime(2026, 11, 16, 10, 0), 3)


def test_working_days_between_counts_only_open_days() -> None:
    assert Calendar().working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == 5


# The 2026 joint decree (SKB) of three ministers: cuti bersama, beside the holidays themselves
# (Idul Fitri 1447 H on 21-22 March).
CUTI_BERSAMA_2026 = ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"]


@pytest.mark.parametrize("day", CUTI_BERSAMA_2026)
def test_the_cuti_bersama_of_2026_are_not_working_days(day: str) -> None:
    assert dt.date.fromisoformat(f"2026-{day}").weekday() < 5  # each would be a working day otherwise
    assert not Calendar().is_working_day(dt.date.fromisoformat(f"2026-{day}"))


def test_a_request_of_friday_13_march_2026_is_due_after_idul_fitri_and_its_cuti_bersama() -> None:
    # Mon 16 and Tue 17 March count; 18-24 March are Nyepi, Idul Fitri and their cuti bersama.
    assert Calendar().add_working_days(at("2026-03-13"), 3) == at("2026-03-25").astimezone(dt.UTC)
