"""The COUNTER rules: double clicks within 30 seconds once, per session and item; reads per session-hour."""

from __future__ import annotations

import datetime as dt

from library.usage.counting import Event, Figures, Kind, count_events, without_double_clicks

NOON = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)  # 12:00 in Jakarta
DAY = dt.date(2026, 11, 23)


def at(seconds: float) -> dt.datetime:
    return NOON + dt.timedelta(seconds=seconds)


def day_of(moment: dt.datetime) -> dt.date:
    return (moment + dt.timedelta(hours=7)).date()


def counted(*events: Event) -> Figures:
    return count_events(events, day_of, DAY, DAY).get((1, DAY), Figures())


def test_a_second_click_29_seconds_after_counts_once_and_31_seconds_after_twice() -> None:
    assert counted(Event(at(0), 1, Kind.VIEW, "s"), Event(at(29), 1, Kind.VIEW, "s")).views == 1
    assert counted(Event(at(0), 1, Kind.VIEW, "s"), Event(at(30), 1, Kind.VIEW, "s")).views == 1
    assert counted(Event(at(0), 1, Kind.VIEW, "s"), Event(at(31), 1, Kind.VIEW, "s")).views == 2


def test_a_run_of_double_clicks_counts_its_last_click_only() -> None:
    clicks = [Event(at(s), 1, Kind.DOWNLOAD, "s") for s in (0, 20, 40, 60)]
    assert without_double_clicks(clicks) == [clicks[-1]]
    assert counted(*clicks).downloads == 1


def test_clicks_of_different_sessions_each_count() -> None:
    figures = counted(Event(at(0), 1, Kind.VIEW, "a"), Event(at(1), 1, Kind.VIEW, "b"))
    assert figures.views == 2


def test_a_view_and_a_download_in_the_same_seconds_are_different_kinds_and_both_count() -> None:
    figures = counted(Event(at(0), 1, Kind.VIEW, "s"), Event(at(2), 1, Kind.DOWNLOAD, "s"))
    assert (figures.views, figures.downloads, figures.sessions) == (1, 1, 1)


def test_pages_turned_are_pages_shown_and_one_read_of_the_session_hour() -> None:
    pages = [Event(at(n * 5), 1, Kind.PAGE, "s", page=n) for n in range(1, 6)]
    again = Event(at(27), 1, Kind.PAGE, "s", page=5)  # page 5 asked for again 2 s later: once
    figures = counted(*pages, again)
    assert (figures.pages, figures.reads, figures.sessions) == (5, 1, 1)


def test_the_same_session_reading_in_the_next_hour_is_a_second_read() -> None:
    figures = counted(Event(at(0), 1, Kind.PAGE, "s", 1), Event(at(3600), 1, Kind.PAGE, "s", 1))
    assert (figures.reads, figures.pages) == (2, 2)


def test_a_click_counts_on_the_office_day_its_run_ended() -> None:
    late = dt.datetime(2026, 11, 23, 16, 59, 50, tzinfo=dt.UTC)  # 23:59:50 in Jakarta
    events = [Event(late, 1, Kind.VIEW, "s"), Event(late + dt.timedelta(seconds=20), 1, Kind.VIEW, "s")]
    by_day = count_events(events, day_of, DAY, DAY + dt.timedelta(days=1))
    assert (1, DAY) not in by_day and by_day[(1, DAY + dt.timedelta(days=1))].views == 1
