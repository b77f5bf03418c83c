"""The walk-in clocks: from the guest book (library) or from the previous visitor (consultation)."""

from __future__ import annotations

import datetime as dt

import pytest

from library.frontoffice.queue.clocks import (
    ClockRule,
    Level,
    QueuePlace,
    clock_starts,
    is_breach,
    level,
    rule_of,
    target_of,
)
from library.models.office import WalkInClock

NINE = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB
LIBRARY = ClockRule(5, WalkInClock.GUEST_BOOK)
CONSULTATION = ClockRule(10, WalkInClock.PREVIOUS_FINISHED)


def at(minutes: float) -> dt.datetime:
    """Return the time this many minutes after nine."""
    return NINE + dt.timedelta(minutes=minutes)


def test_the_library_clock_starts_at_the_guest_book_for_everyone() -> None:
    places = [QueuePlace(at(0)), QueuePlace(at(1), served_at=at(3)), QueuePlace(at(2))]
    assert clock_starts(LIBRARY, places) == [at(0), at(1), at(2)]
    assert target_of(LIBRARY, at(1)) == at(6)


def test_the_consultation_clock_starts_when_the_previous_visitor_is_done() -> None:
    places = [
        QueuePlace(at(0), served_at=at(1), ended_at=at(25)),  # first in an empty queue: its ticket
        QueuePlace(at(2), served_at=at(30), ended_at=at(40)),  # waits from 25
        QueuePlace(at(45)),  # came after the one before finished: from its own ticket
        QueuePlace(at(46)),  # the one before is still waiting: no clock yet
    ]
    assert clock_starts(CONSULTATION, places) == [at(0), at(25), at(45), None]


CONSULTATION_DAYS = [
    pytest.param([QueuePlace(at(3))], [at(3)], id="first-in-an-empty-queue-from-its-ticket"),
    pytest.param(
        [QueuePlace(at(0), at(1), at(20)), QueuePlace(at(2), at(25))],
        [at(0), at(20)],
        id="from-the-previous-end-when-it-came-later-than-the-ticket",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1), at(5)), QueuePlace(at(9))],
        [at(0), at(9)],
        id="from-the-ticket-when-the-previous-had-ended-already",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1)), QueuePlace(at(2))],
        [at(0), None],
        id="not-started-while-the-previous-is-being-served",
    ),
    pytest.param(
        [QueuePlace(at(0)), QueuePlace(at(2))],
        [at(0), None],
        id="not-started-while-the-previous-still-waits",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1)), QueuePlace(at(2), at(17))],
        [at(0), at(17)],
        id="second-counter-while-the-previous-is-served-waited-none-of-the-promise",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1), at(30)), QueuePlace(at(2), at(17), at(40))],
        [at(0), at(17)],
        id="second-counter-before-the-previous-ended-stays-zero-once-it-ends",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1), at(20)), QueuePlace(at(2), at(17)), QueuePlace(at(4))],
        [at(0), at(17), None],
        id="the-previous-is-the-one-ahead-in-the-queue-not-the-one-that-ended-first",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1), at(30)), QueuePlace(at(2), at(17), at(25)), QueuePlace(at(4))],
        [at(0), at(17), at(25)],
        id="the-next-clock-runs-from-the-end-of-the-one-just-ahead",
    ),
    pytest.param(
        [QueuePlace(at(0), at(1), at(10)), QueuePlace(at(2), at(10))],
        [at(0), at(10)],
        id="served-the-moment-the-previous-ended-waited-zero",
    ),
]


@pytest.mark.parametrize(("places", "expected"), CONSULTATION_DAYS)
def test_the_consultation_clock_starts_at_the_later_of_the_ticket_and_the_previous_end(
    places: list[QueuePlace], expected: list[dt.datetime | None]
) -> None:
    assert clock_starts(CONSULTATION, places) == expected


def test_a_visitor_served_before_the_previous_ended_is_within_the_target() -> None:
    places = [QueuePlace(at(0), at(1)), QueuePlace(at(2), at(17))]
    started = clock_starts(CONSULTATION, places)[1]
    assert not is_breach(target_of(CONSULTATION, started), at(17))


def test_a_no_show_ahead_starts_the_next_clock_when_it_was_skipped() -> None:
    places = [QueuePlace(at(0), ended_at=at(4)), QueuePlace(at(1))]
    assert clock_starts(CONSULTATION, places) == [at(0), at(4)]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, Level.OK), (3.9, Level.OK), (4, Level.AMBER), (5, Level.AMBER), (5.01, Level.RED)],
)
def test_a_waiting_visitor_turns_amber_at_80_percent_and_red_past_the_target(
    minutes: float, expected: Level
) -> None:
    assert level(LIBRARY, at(0), at(minutes)) is expected


def test_no_target_or_no_clock_shows_no_level() -> None:
    assert level(None, at(0), at(30)) is Level.NONE
    assert level(CONSULTATION, None, at(30)) is Level.NONE


def test_a_breach_is_a_service_started_after_its_target() -> None:
    assert is_breach(at(5.5), at(6))
    assert not is_breach(at(5), at(5))
    assert not is_breach(None, at(60))
    assert not is_breach(at(5), None)


def test_a_standard_without_a_walk_in_target_has_no_rule() -> None:
    assert rule_of(None, "guest_book") is None
    assert rule_of(10, None) is None
    assert rule_of(10, "previous_finished") == CONSULTATION
