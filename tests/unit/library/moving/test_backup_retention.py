"""The retention policy over a simulated year: which backups it keeps, and what it never removes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from library.errors import SettingsError
from library.moving.retention import Found, decide
from library.settings.checks import keep_policy

NOW = dt.datetime(2026, 11, 28, 18, 30, tzinfo=dt.UTC)
POLICY = {"daily": 7, "weekly": 4, "monthly": 12}


def nightly(days: int, *, every: int = 1) -> list[Found]:
    """Return a finished backup every `every` nights for `days` days back from NOW, newest first."""
    return [Found(Path(f"b{n}"), NOW - dt.timedelta(days=n), True) for n in range(0, days, every)]


def test_a_year_of_nightly_backups_keeps_seven_days_four_weeks_and_twelve_months() -> None:
    year = nightly(400)
    decision = decide(year, POLICY, NOW)
    kept = sorted((b.made_at for b in year if b.path in decision.kept), reverse=True)
    assert kept[:7] == [NOW - dt.timedelta(days=n) for n in range(7)]
    assert len({(t.year, t.month) for t in kept}) == 12
    assert len({t.isocalendar()[:2] for t in kept}) >= 4
    assert len(kept) == len(decision.kept) <= 7 + 4 + 12
    assert len(decision.removed) == len(year) - len(kept)
    monthly = [p for p, rules in decision.kept.items() if rules == ["monthly"]]
    assert monthly and all(int(p.name[1:]) > 7 for p in monthly)


def test_the_last_n_days_are_days_with_a_backup_so_a_machine_off_for_weeks_keeps_its_newest() -> None:
    gap = [Found(Path(f"old{n}"), NOW - dt.timedelta(days=30 + n), True) for n in range(10)]
    decision = decide(gap, {"daily": 7}, NOW)
    assert {p.name for p in decision.kept} == {f"old{n}" for n in range(7)}


def test_the_newest_good_backup_is_kept_even_by_a_policy_of_nothing() -> None:
    decision = decide(nightly(5), {}, NOW)
    assert list(decision.kept) == [Path("b0")] and decision.kept[Path("b0")] == ["newest"]


def test_an_unfinished_backup_is_left_for_a_day_then_removed() -> None:
    running = Found(Path("running"), NOW - dt.timedelta(hours=2), False)
    dead = Found(Path("dead"), NOW - dt.timedelta(days=2), False)
    decision = decide([running, *nightly(3), dead], {"daily": 1}, NOW)
    assert decision.kept[Path("running")] == ["being written"]
    assert Path("dead") in decision.removed and Path("b0") in decision.kept


@pytest.mark.parametrize("text", ["daily=seven", "hourly=3", "daily"])
def test_a_policy_that_cannot_be_read_is_refused(text: str) -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_BACKUP_KEEP"):
        keep_policy(text)
