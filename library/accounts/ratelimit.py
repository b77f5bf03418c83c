"""Rate limits on sign-in, registration, reset requests and the guest book, shared by every web process.

One interface, two stores: a table through the unit of work (the default), or Redis when
PUSTAKA_REDIS_URL is set. Keys hold digests of client addresses and emails, never the values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from library.errors import PustakaError
from library.i18n import N_
from library.models import RateLimitHit
from library.uow import UnitOfWork

if TYPE_CHECKING:
    import redis

# Hits older than this are of no use to any limit; the SQL store drops them as it goes.
LONGEST_WINDOW = dt.timedelta(days=1)


class TooManyAttempts(PustakaError):
    """Too many attempts under one key within the window."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))
        minutes = max(1, math.ceil(self.retry_after_seconds / 60))
        super().__init__(
            N_("Too many attempts. Please wait %(minutes)s minutes, then try again."),
            minutes=minutes,
        )


@dataclass(frozen=True)
class Limit:
    """At most `attempts` counted attempts within `window`, per key."""

    attempts: int
    window: dt.timedelta


def limit_key(action: str, kind: str, value: str) -> str:
    """Return the key of one action for one client address or email (stored as a digest)."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{action}:{kind}:{digest}"


def retry_after(times: Sequence[dt.datetime], limit: Limit, now: dt.datetime) -> dt.timedelta | None:
    """Return how long until one more attempt is allowed, given the hits in the window; None: now."""
    if len(times) < limit.attempts:
        return None
    ordered = sorted(times)
    # The attempt becomes possible when enough of the oldest hits leave the window.
    freeing = ordered[len(ordered) - limit.attempts]
    return freeing + limit.window - now


class RateLimiter(Protocol):
    """Counts attempts per key and refuses once a limit is reached."""

    def take(self, keys: Sequence[str], limit: Limit, now: dt.datetime) -> Taken:
        """Count one attempt under every key at once, or refuse it (uncounted) when any key is over.

        The attempt is counted first and the count read after: of attempts fired at once,
        at most `limit.attempts` see a count within the limit, however they interleave.
        """

    def give_back(self, taken: Taken) -> None:
        """Uncount an attempt taken (one that succeeded: only failures use up attempts)."""

    def forget(self, keys: Sequence[str]) -> None:
        """Uncount every attempt under these keys (an administrator unlocking an account)."""


Taken = tuple[object, ...]  # what a limiter needs to uncount one attempt


class SqlRateLimiter:
    """Counts attempts in the rate_limit_hit table, each call in its own committed unit of work.

    Its own transaction is the point: a refused sign-in rolls the caller's work back, but the
    failed attempt must still count.
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def take(self, keys: Sequence[str], limit: Limit, now: dt.datetime) -> Taken:
        """Count one attempt under every key at once, or refuse it (uncounted) when any key is over.

        A key already at its limit refuses at once, reading only: a burst's refusals do not
        queue for the database's write lock. The rest are counted, then the count is read.
        """
        refusal = self._refusal(keys, limit, now, ())
        if refusal is not None:
            raise refusal
        with UnitOfWork(self._session_factory) as uow:
            uow.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - LONGEST_WINDOW))
            rows = [RateLimitHit(key=key, at=now) for key in keys]
            uow.session.add_all(rows)
            uow.session.flush()
            taken: Taken = tuple(row.id for row in rows)
            uow.commit()  # visible to every other attempt before this one reads the count
        refusal = self._refusal(keys, limit, now, taken)
        if refusal is not None:
            self.give_back(taken)
            raise refusal
        return taken

    def _refusal(
        self, keys: Sequence[str], limit: Limit, now: dt.datetime, taken: Taken
    ) -> TooManyAttempts | None:
        """Return the refusal when any key holds the limit's attempts in the window besides `taken`."""
        with UnitOfWork(self._session_factory) as uow:
            for key in keys:
                times = uow.session.execute(
                    select(RateLimitHit.id, RateLimitHit.at).where(
                        RateLimitHit.key == key, RateLimitHit.at > now - limit.window
                    )
                ).all()
                wait = retry_after([at for hit_id, at in times if hit_id not in taken], limit, now)
                if wait is not None:
                    return TooManyAttempts(wait)
        return None

    def give_back(self, taken: Taken) -> None:
        """Uncount an attempt taken."""
        with UnitOfWork(self._session_factory) as uow:
            uow.session.execute(delete(RateLimitHit).where(RateLimitHit.id.in_(taken)))
            uow.commit()

    def forget(self, keys: Sequence[str]) -> None:
        """Uncount every attempt under these keys."""
        with UnitOfWork(self._session_factory) as uow:
            uow.session.execute(delete(RateLimitHit).where(RateLimitHit.key.in_(list(keys))))
            uow.commit()


class RedisRateLimiter:
    """Counts attempts in one Redis sorted set per key, scored by time; sets expire on their own."""

    PREFIX = "pustaka:ratelimit:"

    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def take(self, keys: Sequence[str], limit: Limit, now: dt.datetime) -> Taken:
        """Count one attempt under every key at once, or refuse it (uncounted) when any key is over."""
        member = f"{now.timestamp()}:{secrets.token_hex(8)}"
        names = [self.PREFIX + key for key in keys]
        taken: Taken = tuple((name, member) for name in names)
        pipe = self._redis.pipeline()  # MULTI ... EXEC: each key's count includes this attempt
        for name in names:
            pipe.zremrangebyscore(name, "-inf", (now - limit.window).timestamp())
            pipe.zadd(name, {member: now.timestamp()})
            pipe.expire(name, math.ceil(limit.window.total_seconds()) + 1)
            pipe.zrange(name, 0, -1, withscores=True)
        replies = pipe.execute()
        for members in replies[3::4]:
            if len(members) > limit.attempts:
                self.give_back(taken)
                others = [
                    dt.datetime.fromtimestamp(score, dt.UTC)
                    for name, score in members
                    if name.decode() != member
                ]
                raise TooManyAttempts(retry_after(others, limit, now) or limit.window)
        return taken

    def forget(self, keys: Sequence[str]) -> None:
        """Uncount every attempt under these keys."""
        self._redis.delete(*(self.PREFIX + key for key in keys))

    def give_back(self, taken: Taken) -> None:
        """Uncount an attempt taken."""
        pipe = self._redis.pipeline()
        for name, member in cast("tuple[tuple[str, str], ...]", taken):
            pipe.zrem(name, member)
        pipe.execute()


def make_rate_limiter(redis_url: str, session_factory: sessionmaker[Session]) -> RateLimiter:
    """Return the Redis limiter when a Redis URL is given, else the SQL one."""
    if redis_url:
        import redis

        return RedisRateLimiter(redis.Redis.from_url(redis_url))
    return SqlRateLimiter(session_factory)


GUEST_BOOK = "guest-book"
GUEST_BOOK_DAY = "guest-book-day"
GUEST_BOOK_KIOSK = "guest-book-kiosk"  # the front office's own tablets
GUEST_BOOK_KIOSK_DAY = "guest-book-kiosk-day"
COMPLAINT = "complaint"
CONSULTATION = "consultation"  # consultations opened online, per address and per account
APPOINTMENT = "appointment"  # slots booked online, per address: a flood cannot fill a day's slots
# A walk-in's emailed code (library.frontoffice.identity): beside the deployment's limit per visit
# and per address, whatever the number of visits made for one address: a day's wrong tries per
# address (20: one chance in 50,000 a day), a terminal's per hour (all its visitors'), and a day's
# code emails per address (each one lands in a mailbox).
SEND_CODE_DAY = "visit-code-send-day"
TRY_CODE_DAY = "visit-code-try-day"
TRY_CODE_TERMINAL = "visit-code-try-terminal"
# Actions with a limit of their own; every other action has the deployment's (the settings').
# The guest book is signed by everyone who walks in, often from the one kiosk, so it allows
# more than a sign-in does, over a shorter window: a busy hour passes, a flood does not.
# A complaint is filed rarely: a few an hour from one address is plenty for people, not for a flood.
ACTION_LIMITS: Mapping[str, Limit] = {
    GUEST_BOOK: Limit(20, dt.timedelta(minutes=10)),
    GUEST_BOOK_DAY: Limit(40, dt.timedelta(days=1)),
    # A tablet takes one person after another: a form takes a person a minute or more.
    GUEST_BOOK_KIOSK: Limit(60, dt.timedelta(hours=1)),
    GUEST_BOOK_KIOSK_DAY: Limit(400, dt.timedelta(days=1)),
    COMPLAINT: Limit(5, dt.timedelta(hours=1)),
    CONSULTATION: Limit(5, dt.timedelta(hours=1)),
    APPOINTMENT: Limit(5, dt.timedelta(hours=1)),
    SEND_CODE_DAY: Limit(5, dt.timedelta(days=1)),
    TRY_CODE_DAY: Limit(20, dt.timedelta(days=1)),
    TRY_CODE_TERMINAL: Limit(30, dt.timedelta(hours=1)),
}


@dataclass(frozen=True)
class Throttle:
    """The limiter with the deployment's limit: what account use cases count attempts with."""

    limiter: RateLimiter
    limit: Limit
    actions: Mapping[str, Limit] = field(default_factory=lambda: dict(ACTION_LIMITS))

    def limit_of(self, action: str) -> Limit:
        """Return the limit an action counts against: its own, else the deployment's."""
        return self.actions.get(action, self.limit)

    def take(
        self, uow: UnitOfWork | None, *actions: str, client: str, email: str = "", now: dt.datetime
    ) -> Taken:
        """Count an attempt of each action now, or refuse it: attempts fired at once cannot pass a limit.

        The caller's unit of work gives its connection back first (it must not have written):
        the SQL limiter counts on a connection of its own, and a request holds one at a time.
        Refused by any action's limit, the attempt counts under none.
        """
        if uow is not None:
            uow.release()
        taken: list[object] = []
        try:
            for action in actions:
                taken.extend(self.limiter.take(self._keys(action, client, email), self.limit_of(action), now))
        except TooManyAttempts:
            if taken:
                self.limiter.give_back(tuple(taken))
            raise
        return tuple(taken)

    def give_back(self, uow: UnitOfWork | None, taken: Taken) -> None:
        """Uncount an attempt taken that succeeded (or that a person, not a program, got wrong)."""
        if uow is not None:
            uow.release()
        if taken:
            self.limiter.give_back(taken)

    def unlock(self, email: str) -> None:
        """Forget the failed sign-ins and resets counted against an address (an administrator's unlock)."""
        self.limiter.forget([limit_key(action, "email", email) for action in ("sign-in", "reset")])

    @staticmethod
    def _keys(action: str, client: str, email: str) -> list[str]:
        """Return the keys an attempt counts under."""
        keys = [limit_key(action, "client", client or "unknown")]
        if email.strip():
            keys.append(limit_key(action, "email", email))
        return keys
