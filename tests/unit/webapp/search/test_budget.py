"""A client's searches are held to a few at once and a budget of search seconds a minute, per process."""

from __future__ import annotations

import pytest

from webapp.search.budget import AT_ONCE, SECONDS_PER_MINUTE, SHARED_FACTOR, SearchBudget, SearchBusy

pytestmark = pytest.mark.unit


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_runs_a_few_searches_at_once_and_the_next_is_refused() -> None:
    budget = SearchBudget(Clock())
    running = [budget.spend("10.0.0.1") for _ in range(AT_ONCE)]
    for search in running:
        search.__enter__()
    with pytest.raises(SearchBusy) as refused, budget.spend("10.0.0.1"):
        pass
    assert refused.value.retry_after_seconds >= 1
    with budget.spend("10.0.0.2"):  # another client is not held up
        pass
    running[0].__exit__(None, None, None)
    with budget.spend("10.0.0.1"):  # one finished: room again
        pass


def test_a_client_that_spent_its_seconds_waits_until_they_leak_away() -> None:
    clock = Clock()
    budget = SearchBudget(clock)
    with budget.spend("10.0.0.1"):
        clock.now += SECONDS_PER_MINUTE + 1  # one very costly search
    with pytest.raises(SearchBusy) as refused, budget.spend("10.0.0.1"):
        pass
    clock.now += refused.value.retry_after_seconds
    with budget.spend("10.0.0.1"):
        pass


def test_a_device_many_visitors_share_has_ten_times_the_share() -> None:
    budget = SearchBudget(Clock())
    running = [budget.spend("10.0.5.20", shared=True) for _ in range(AT_ONCE * SHARED_FACTOR)]
    for search in running:
        search.__enter__()
    with pytest.raises(SearchBusy), budget.spend("10.0.5.20", shared=True):
        pass
