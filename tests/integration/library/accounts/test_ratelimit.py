"""The rate limiter's two stores count across processes: the database (SQLite, PostgreSQL) and Redis."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, delete, func, select

from library.accounts.ratelimit import (
    Limit,
    RateLimiter,
    RedisRateLimiter,
    SqlRateLimiter,
    TooManyAttempts,
    make_rate_limiter,
)
from library.db import make_engine, make_session_factory
from library.models import RateLimitHit
from tests.conftest import redis_reachable, require_service

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LIMIT = Limit(attempts=3, window=dt.timedelta(minutes=15))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "redis"])
def two_processes(request: pytest.FixtureRequest, tmp_path) -> Iterator[tuple[RateLimiter, RateLimiter]]:
    """Return two limiters on one store, as two web processes would have."""
    if request.param in ("sqlite", "postgresql"):
        if request.param == "sqlite":
            target = tmp_path / "limits.sqlite3"
            target.write_bytes(request.getfixturevalue("sqlite_template").read_bytes())
            url = f"sqlite:///{target}"
        else:
            url = request.getfixturevalue("postgres_schema_url")
        engines = [make_engine(url), make_engine(url)]
        yield (
            SqlRateLimiter(make_session_factory(engines[0])),
            SqlRateLimiter(make_session_factory(engines[1])),
        )
        with engines[0].begin() as conn:
            conn.execute(delete(RateLimitHit))
        for engine in engines:
            engine.dispose()
        return
    require_service("Redis", redis_reachable())
    import redis

    prefix = f"pustaka-test-{uuid.uuid4().hex[:8]}:"
    clients = [redis.Redis.from_url("redis://127.0.0.1:6379/15") for _ in range(2)]
    limiters = []
    for client in clients:
        limiter = RedisRateLimiter(client)
        limiter.PREFIX = prefix  # type: ignore[misc]  # keep tests apart from each other
        limiters.append(limiter)
    yield limiters[0], limiters[1]
    for key in clients[0].scan_iter(prefix + "*"):
        clients[0].delete(key)
    for client in clients:
        client.close()


def test_attempts_in_one_process_count_in_the_other(two_processes) -> None:
    first, second = two_processes
    first.take(["sign-in:client:a"], LIMIT, NOW)
    second.take(["sign-in:client:a"], LIMIT, NOW + dt.timedelta(minutes=1))
    first.take(["sign-in:client:a"], LIMIT, NOW + dt.timedelta(minutes=2))
    with pytest.raises(TooManyAttempts) as caught:
        second.take(["sign-in:client:a"], LIMIT, NOW + dt.timedelta(minutes=3))
    assert caught.value.retry_after_seconds == 12 * 60


def test_any_one_key_at_its_limit_refuses_and_counts_under_none(two_processes) -> None:
    first, _ = two_processes
    for _ in range(3):
        first.take(["reset:email:x"], LIMIT, NOW)
    with pytest.raises(TooManyAttempts):
        first.take(["reset:client:y", "reset:email:x"], LIMIT, NOW)
    for _ in range(3):  # the refused attempt left nothing under the other key
        first.take(["reset:client:y"], LIMIT, NOW)


def test_attempts_leave_the_window_as_time_passes(two_processes) -> None:
    first, second = two_processes
    for minute in range(3):
        first.take(["register:client:a"], LIMIT, NOW + dt.timedelta(minutes=minute))
    second.take(["register:client:a"], LIMIT, NOW + dt.timedelta(minutes=15, seconds=1))


def test_the_sql_store_drops_attempts_older_than_a_day(engine: Engine) -> None:
    limiter = SqlRateLimiter(make_session_factory(engine))
    limiter.take(["a", "b"], LIMIT, NOW)
    limiter.take(["c"], LIMIT, NOW + dt.timedelta(days=1, minutes=1))
    with make_session_factory(engine)() as session:
        assert session.scalars(select(RateLimitHit.key)).all() == ["c"]
        assert session.scalar(select(func.count(RateLimitHit.id))) == 1


def test_redis_is_used_when_a_redis_url_is_set(engine: Engine) -> None:
    assert isinstance(make_rate_limiter("", make_session_factory(engine)), SqlRateLimiter)
    assert isinstance(
        make_rate_limiter("redis://127.0.0.1:6379/15", make_session_factory(engine)), RedisRateLimiter
    )


def test_attempts_fired_at_once_never_pass_the_limit(two_processes) -> None:
    first, second = two_processes
    together = threading.Barrier(24)
    passed: list[object] = []
    refused: list[TooManyAttempts] = []

    def attempt(index: int) -> None:
        limiter = (first, second)[index % 2]
        together.wait()
        try:
            passed.append(limiter.take(["sign-in:email:z"], LIMIT, NOW))
        except TooManyAttempts as exc:
            refused.append(exc)

    with ThreadPoolExecutor(24) as pool:
        list(pool.map(attempt, range(24)))
    assert len(passed) <= LIMIT.attempts  # a burst may even refuse them all: each saw the others
    assert len(passed) + len(refused) == 24
    later = NOW + dt.timedelta(seconds=1)
    for _ in range(LIMIT.attempts - len(passed)):  # a burst may refuse more than it must, never fewer
        first.take(["sign-in:email:z"], LIMIT, later)
    with pytest.raises(TooManyAttempts):  # those that passed stay counted (they failed), refused ones not
        first.take(["sign-in:email:z"], LIMIT, later)


def test_an_attempt_given_back_leaves_room_for_another(two_processes) -> None:
    first, second = two_processes
    taken = [first.take(["sign-in:client:b"], LIMIT, NOW) for _ in range(3)]
    with pytest.raises(TooManyAttempts):
        second.take(["sign-in:client:b"], LIMIT, NOW)
    second.give_back(taken[0])  # it succeeded
    first.take(["sign-in:client:b"], LIMIT, NOW)
