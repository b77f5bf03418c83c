"""Rate limits: when the next attempt is allowed, what keys hold, and how a throttle counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import pytest

from library.accounts.ratelimit import Limit, Throttle, TooManyAttempts, limit_key, retry_after

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LIMIT = Limit(attempts=3, window=dt.timedelta(minutes=15))


class MemoryRateLimiter:
    """A hand-written fake of the limiter interface, in a dict."""

    def __init__(self) -> None:
        self.hits: dict[str, list[dt.datetime]] = defaultdict(list)

    def take(self, keys: Sequence[str], limit: Limit, now: dt.datetime) -> tuple[object, ...]:
        for key in keys:
            wait = retry_after([t for t in self.hits[key] if t > now - limit.window], limit, now)
            if wait is not None:
                raise TooManyAttempts(wait)
        for key in keys:
            self.hits[key].append(now)
        return tuple((key, now) for key in keys)

    def give_back(self, taken: tuple[object, ...]) -> None:
        for key, at in taken:  # type: ignore[misc]
            self.hits[key].remove(at)

    def forget(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.hits.pop(key, None)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        ([], None),
        ([1, 2], None),
        ([14, 10, 5], minutes(1)),  # the oldest leaves the window in one minute
        ([14, 10, 5, 1], minutes(5)),  # two must leave: the second oldest goes in five
        ([3, 2, 1], minutes(12)),
    ],
)
def test_retry_after_waits_until_enough_hits_leave_the_window(ago, expected) -> None:
    times = [NOW - minutes(m) for m in ago]
    assert retry_after(times, LIMIT, NOW) == expected


def test_keys_hold_digests_not_addresses_or_emails() -> None:
    key = limit_key("sign-in", "email", "Siti@Example.ID")
    assert key.startswith("sign-in:email:")
    assert "siti" not in key.lower() and "example" not in key
    assert key == limit_key("sign-in", "email", " siti@example.id ")
    assert len(key) <= 100


def test_the_message_says_how_many_minutes_to_wait_rounding_up() -> None:
    error = TooManyAttempts(dt.timedelta(seconds=61))
    assert error.retry_after_seconds == 61
    assert str(error) == "Too many attempts. Please wait 2 minutes, then try again."
    assert TooManyAttempts(dt.timedelta(seconds=0)).params == {"minutes": 1}


def test_a_throttle_refuses_once_the_client_used_its_attempts() -> None:
    throttle = Throttle(MemoryRateLimiter(), LIMIT)
    for i in range(3):
        throttle.take(None, "register", client="10.0.0.1", email=f"p{i}@example.id", now=NOW)
    with pytest.raises(TooManyAttempts):
        throttle.take(None, "register", client="10.0.0.1", email="new@example.id", now=NOW)


def test_a_throttle_refuses_once_the_email_used_its_attempts_from_any_client() -> None:
    throttle = Throttle(MemoryRateLimiter(), LIMIT)
    for i in range(3):
        throttle.take(None, "sign-in", client=f"10.0.0.{i}", email="siti@example.id", now=NOW)
    with pytest.raises(TooManyAttempts):
        throttle.take(None, "sign-in", client="10.0.0.99", email="SITI@example.id", now=NOW)
    throttle.take(None, "sign-in", client="10.0.0.99", email="other@example.id", now=NOW)


def test_actions_are_counted_apart() -> None:
    throttle = Throttle(MemoryRateLimiter(), LIMIT)
    for _ in range(3):
        throttle.take(None, "sign-in", client="10.0.0.1", now=NOW)
    throttle.take(None, "reset", client="10.0.0.1", now=NOW)


def test_attempts_are_allowed_again_after_the_window() -> None:
    throttle = Throttle(MemoryRateLimiter(), LIMIT)
    for _ in range(3):
        throttle.take(None, "sign-in", client="10.0.0.1", now=NOW)
    throttle.take(None, "sign-in", client="10.0.0.1", now=NOW + minutes(15))


def test_an_attempt_refused_by_one_action_counts_under_none() -> None:
    limiter = MemoryRateLimiter()
    throttle = Throttle(limiter, LIMIT, {"day": Limit(1, dt.timedelta(days=1))})
    throttle.take(None, "ten-minutes", "day", client="10.0.0.1", now=NOW)
    with pytest.raises(TooManyAttempts):
        throttle.take(None, "ten-minutes", "day", client="10.0.0.1", now=NOW)
    assert sum(len(times) for times in limiter.hits.values()) == 2  # the first attempt's two counts
