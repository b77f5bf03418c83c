"""The page quota: a burst at once, then a steady rate, per person; the idle forgotten first."""

from __future__ import annotations

import pytest

from library.catalogue.page_quota import PageQuota


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_at_once_then_the_next_waits_for_the_rate() -> None:
    clock = Clock()
    quota = PageQuota(per_minute=60, burst=3, clock=clock)
    assert [quota.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert quota.take("a") == pytest.approx(1.0)
    clock.now += 0.5
    assert quota.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert quota.take("a") == 0.0


def test_a_refused_page_is_not_counted_against_the_reader() -> None:
    clock = Clock()
    quota = PageQuota(per_minute=60, burst=1, clock=clock)
    assert quota.take("a") == 0.0
    for _ in range(10):
        assert quota.take("a") == pytest.approx(1.0)
    clock.now += 1.0
    assert quota.take("a") == 0.0


def test_a_rest_fills_the_burst_again_but_no_further() -> None:
    clock = Clock()
    quota = PageQuota(per_minute=120, burst=2, clock=clock)
    quota.take("a"), quota.take("a")
    clock.now += 3600
    assert [quota.take("a") for _ in range(3)][:2] == [0.0, 0.0]
    assert quota.take("a") > 0


def test_each_person_has_a_quota_of_their_own_and_the_idle_are_forgotten_first() -> None:
    clock = Clock()
    quota = PageQuota(per_minute=1, burst=1, clock=clock, keep=2)
    assert quota.take("a") == 0.0 and quota.take("b") == 0.0
    assert quota.take("a") > 0  # a is now the most recently seen
    assert quota.take("c") == 0.0  # b, the least recently seen, is forgotten
    assert quota.take("b") == 0.0
    assert quota.take("a") == 0.0  # forgotten too (only two are kept): a fresh burst


def test_a_quota_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        PageQuota(per_minute=0, burst=1)
