"""The priority rule: priority first, a regular ticket near its target or after a streak, nobody starved."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from library.errors import SettingsError
from library.frontoffice.queue.priority import (
    GROUP_LABELS,
    NO_PRIORITY,
    PriorityPolicy,
    Waiting,
    call_order,
    group_label,
)
from library.settings import Settings
from library.settings.checks import PRIORITY_GROUPS

NOW = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)
POLICY = PriorityPolicy(streak=2, margin=dt.timedelta(minutes=2))


def waiting(number: int, priority: bool = False, target_in: float | None = 30) -> Waiting:
    """Return a waiting ticket whose target is `target_in` minutes from NOW (None: no target)."""
    target = None if target_in is None else NOW + dt.timedelta(minutes=target_in)
    return Waiting(number, number, priority, target)


def test_the_oldest_priority_ticket_goes_before_older_regular_ones() -> None:
    queue = [waiting(1), waiting(2), waiting(3, priority=True), waiting(4, priority=True)]
    assert call_order(queue, [], POLICY, NOW) == [3, 1, 2, 4]


def test_a_regular_ticket_within_the_margin_of_its_target_goes_first() -> None:
    queue = [waiting(1, target_in=2), waiting(2, priority=True)]
    assert call_order(queue, [], POLICY, NOW)[0] == 1
    queue = [waiting(1, target_in=2.5), waiting(2, priority=True)]
    assert call_order(queue, [], POLICY, NOW)[0] == 2


def test_a_regular_ticket_whose_clock_has_not_started_is_not_due() -> None:
    queue = [waiting(1, target_in=None), waiting(2, priority=True)]
    assert call_order(queue, [], POLICY, NOW)[0] == 2


def test_after_a_streak_of_priority_calls_at_the_counter_a_regular_ticket_goes() -> None:
    queue = [waiting(1), waiting(2, priority=True)]
    assert call_order(queue, [True], POLICY, NOW)[0] == 2
    assert call_order(queue, [True, True], POLICY, NOW)[0] == 1
    assert call_order(queue, [False, True], POLICY, NOW)[0] == 2  # the latest call was regular


def test_with_one_kind_waiting_the_lowest_number_goes() -> None:
    assert call_order([waiting(5, priority=True), waiting(4, priority=True)], [True] * 9, POLICY, NOW) == [
        4,
        5,
    ]
    assert call_order([waiting(7), waiting(6)], [], POLICY, NOW) == [6, 7]
    assert call_order([], [], POLICY, NOW) == []


def test_without_priority_groups_every_ticket_goes_in_number_order() -> None:
    queue = [waiting(1), waiting(2, priority=True)]
    assert call_order(queue, [], NO_PRIORITY, NOW) == [1, 2]


@pytest.mark.parametrize("streak", [1, 2, 3])
def test_no_regular_ticket_starves_under_an_endless_stream_of_priority_visitors(streak: int) -> None:
    # One counter; two priority visitors arrive for every call; the regular ones have no target near.
    policy = PriorityPolicy(streak=streak, margin=dt.timedelta(0))
    queue = [waiting(n, target_in=None) for n in range(1, 4)]
    number, recent, passed = 100, [], {1: 0, 2: 0, 3: 0}
    for _ in range(40):
        queue += [waiting(number, priority=True), waiting(number + 1, priority=True)]
        number += 2
        first = call_order(queue, recent, policy, NOW)[0]
        called = next(w for w in queue if w.id == first)
        queue.remove(called)
        recent.insert(0, called.priority)
        for regular in [w for w in queue if not w.priority]:
            passed[regular.id] += called.priority
    assert not [w for w in queue if not w.priority]  # every regular ticket was called
    assert max(passed.values()) <= 3 * streak  # each waited behind at most `streak` per regular ahead


def test_priority_visitors_wait_less_than_regular_ones_in_a_busy_morning() -> None:
    rng = random.Random(7)
    queue: list[Waiting] = []
    waits: dict[bool, list[int]] = {True: [], False: []}
    arrived: dict[int, int] = {}
    recent: list[bool] = []
    for minute in range(200):
        if rng.random() < 0.6:
            ticket = waiting(len(arrived) + 1, priority=rng.random() < 0.2, target_in=None)
            queue.append(ticket)
            arrived[ticket.id] = minute
        if minute % 2 == 0 and queue:
            first = next(w for w in queue if w.id == call_order(queue, recent, POLICY, NOW)[0])
            queue.remove(first)
            recent.insert(0, first.priority)
            waits[first.priority].append(minute - arrived[first.id])
    assert sum(waits[True]) / len(waits[True]) < sum(waits[False]) / len(waits[False])


def test_each_group_the_settings_know_has_words_and_a_dropped_group_reads_priority() -> None:
    assert tuple(GROUP_LABELS) == PRIORITY_GROUPS
    assert group_label("elderly") == "Elderly (60 and over)"
    assert group_label("veteran") == "Priority"


def test_the_settings_refuse_an_unknown_group_and_take_an_empty_list_as_no_priority() -> None:
    with pytest.raises(SettingsError, match="PUSTAKA_PRIORITY_GROUPS"):
        Settings.from_env({}, priority_groups="elderly,veteran")
    assert Settings.from_env({}, priority_groups=" ").priority_codes == ()
    assert Settings.from_env({}, priority_groups="pregnant, elderly").priority_codes == (
        "pregnant",
        "elderly",
    )
