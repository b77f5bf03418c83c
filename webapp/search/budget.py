"""Each client's share of a web process's search time: a few searches at once, a budget of seconds a minute.

A search is cheap (a few milliseconds) unless it is made to be dear: prefixes, misspelt words,
many clauses. `search.clauses` and `search.querying` bound what one query may cost; this bounds
how many a client may run: at most `AT_ONCE` at the same moment in a process, and
`SECONDS_PER_MINUTE` of search time over the last minute (a leaky bucket). A client past either
is answered 429 at once, with a page saying when to try again, instead of queueing for the
threads other visitors need.
Clients are network addresses (behind the proxies `PUSTAKA_PROXY_COUNT` trusts, as they report
them); the office's own kiosks and terminals (`PUSTAKA_KIOSK_ADDRESSES`) have ten times the budget,
as many visitors share them.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from library.accounts.ratelimit import TooManyAttempts
from library.errors import PustakaError
from library.i18n import N_

AT_ONCE = 4  # searches one client may run at the same moment in one web process
SECONDS_PER_MINUTE = 10.0  # search time one client may use over a minute in one web process
SHARED_FACTOR = 10  # the office's own devices: many visitors behind one address
FORGET_AFTER = 600.0  # seconds: a quiet client's entry is dropped


SEARCH_BUSY = N_(
    "Too many searches from your address at once. Please wait %(seconds)s seconds, then search again."
)


class SearchBusy(TooManyAttempts):
    """A client ran more searches, or more search time, than its share."""

    def __init__(self, retry_after_seconds: float) -> None:  # noqa: D107 - not TooManyAttempts' message
        self.retry_after_seconds = max(1, math.ceil(retry_after_seconds))
        PustakaError.__init__(self, SEARCH_BUSY, seconds=self.retry_after_seconds)


@dataclass
class _Share:
    running: int = 0
    spent: float = 0.0  # seconds of search time, leaking away at the share's budget a minute
    at: float = 0.0  # when `spent` was last brought up to date
    factor: int = 1  # SHARED_FACTOR for a device many visitors share


@dataclass
class SearchBudget:
    """The search shares of one web process's clients (thread-safe)."""

    clock: Callable[[], float] = time.monotonic
    _shares: dict[str, _Share] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def spend(self, client: str, *, shared: bool = False) -> Iterator[None]:
        """Run one search of the client within its share, or refuse it with `SearchBusy`."""
        factor = SHARED_FACTOR if shared else 1
        self._take(client, factor)
        started = self.clock()
        try:
            yield
        finally:
            self._give(client, self.clock() - started)

    def _take(self, client: str, factor: int) -> None:
        with self._lock:
            now = self.clock()
            share = self._shares.setdefault(client, _Share(at=now))
            share.factor = factor
            self._leak(share, now)
            budget = SECONDS_PER_MINUTE * factor
            if share.spent >= budget:
                raise SearchBusy((share.spent - budget) / budget * 60 + 1)
            if share.running >= AT_ONCE * factor:
                raise SearchBusy(1)
            share.running += 1
            if len(self._shares) > 10_000:
                self._forget(now)

    def _give(self, client: str, seconds: float) -> None:
        with self._lock:
            share = self._shares.get(client)
            if share is not None:
                self._leak(share, self.clock())
                share.running -= 1
                share.spent += seconds

    @staticmethod
    def _leak(share: _Share, now: float) -> None:
        share.spent = max(0.0, share.spent - (now - share.at) * SECONDS_PER_MINUTE * share.factor / 60)
        share.at = now

    def _forget(self, now: float) -> None:
        for client in [c for c, s in self._shares.items() if not s.running and now - s.at > FORGET_AFTER]:
            del self._shares[client]
