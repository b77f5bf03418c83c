"""The wait a visitor is told: people ahead shared by the open counters, at the day's pace."""

from __future__ import annotations

import datetime as dt

import pytest

from library.frontoffice.queue.clocks import ClockRule
from library.frontoffice.queue.waits import (
    PROMISE_ACTIONS,
    USUAL_MINUTES,
    Pace,
    ServicePace,
    estimate_wait,
    service_pace,
)
from library.models.office import WalkInClock

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB
LIBRARY = ClockRule(5, WalkInClock.GUEST_BOOK)
CONSULTATION = ClockRule(10, WalkInClock.PREVIOUS_FINISHED)


@pytest.mark.parametrize(
    ("ahead", "counters", "each", "rule", "minutes"),
    [
        pytest.param(0, 1, 6.0, LIBRARY, 0, id="nobody-ahead-waits-nothing"),
        pytest.param(1, 1, 6.0, LIBRARY, 6, id="one-ahead-one-counter"),
        pytest.param(3, 1, 6.0, LIBRARY, 18, id="three-ahead-one-counter"),
        pytest.param(3, 2, 6.0, LIBRARY, 9, id="two-counters-share-the-queue"),
        pytest.param(4, 3, 2.5, LIBRARY, 4, id="rounds-up-to-a-whole-minute"),
        pytest.param(1, 2, 0.1, LIBRARY, 1, id="a-wait-behind-someone-is-never-zero"),
        pytest.param(2, 0, 4.0, LIBRARY, 8, id="no-counter-counts-as-one"),
        pytest.param(2, 1, 6.0, None, 12, id="a-service-without-a-promise-still-gets-an-estimate"),
        pytest.param(1, 1, 1.4, LIBRARY, 1, id="the-figure-is-the-shown-minutes-times-the-people"),
        pytest.param(3, 1, 2.5, LIBRARY, 9, id="half-a-minute-rounds-up"),
    ],
)
def test_the_estimate_shares_the_people_ahead_among_the_open_counters(
    ahead: int, counters: int, each: float, rule: ClockRule | None, minutes: int
) -> None:
    assert estimate_wait(ahead, counters, ServicePace(each, Pace.TODAY), rule).minutes == minutes


@pytest.mark.parametrize(
    ("ahead", "counters", "rule", "action"),
    [
        pytest.param(1, 2, LIBRARY, "", id="within-the-library-promise-says-nothing-more"),
        pytest.param(2, 2, LIBRARY, "", id="exactly-the-promise-is-within-it"),
        pytest.param(
            3, 1, LIBRARY, PROMISE_ACTIONS[WalkInClock.GUEST_BOOK], id="library-points-to-the-terminals"
        ),
        pytest.param(
            5,
            2,
            CONSULTATION,
            PROMISE_ACTIONS[WalkInClock.PREVIOUS_FINISHED],
            id="consultation-restates-its-promise",
        ),
        pytest.param(9, 1, None, "", id="no-promise-no-action"),
    ],
)
def test_an_estimate_past_the_promise_says_what_the_office_does(
    ahead: int, counters: int, rule: ClockRule | None, action: str
) -> None:
    estimate = estimate_wait(ahead, counters, ServicePace(5.0, Pace.TODAY), rule)
    assert (estimate.action, estimate.over_promise) == (action, bool(action))


def test_the_estimate_carries_its_basis_in_whole_minutes() -> None:
    estimate = estimate_wait(3, 2, ServicePace(6.4, Pace.RECENT), LIBRARY)
    assert (estimate.counters, estimate.service_minutes, estimate.pace) == (2, 6, Pace.RECENT)
    assert "last four weeks" in estimate.pace_text[1] and estimate.promise_minutes == 5


def test_library_terminals_share_the_queue_with_the_counters() -> None:
    estimate = estimate_wait(6, 1, ServicePace(4.0, Pace.TODAY), LIBRARY, terminals=2)
    assert (estimate.minutes, estimate.counters, estimate.terminals) == (8, 1, 2)
    alone = estimate_wait(2, 0, ServicePace(4.0, Pace.TODAY), LIBRARY, terminals=2)
    assert (alone.minutes, alone.counters) == (4, 0)  # terminals serve with no counter open


@pytest.mark.parametrize(
    ("today", "recent", "expected"),
    [
        pytest.param([4.0, 8.0], [20.0], ServicePace(6.0, Pace.TODAY), id="today-first"),
        pytest.param([], [3.0, 5.0, 7.0], ServicePace(5.0, Pace.RECENT), id="else-the-last-four-weeks"),
        pytest.param([], [], ServicePace(USUAL_MINUTES, Pace.USUAL), id="else-the-usual-length"),
    ],
)
def test_the_pace_is_todays_average_else_the_recent_weeks_else_the_usual(
    today: list[float], recent: list[float], expected: ServicePace
) -> None:
    assert service_pace(today, recent) == expected
