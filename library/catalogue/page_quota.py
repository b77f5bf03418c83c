"""How fast one person may take page pictures: a burst, then a steady rate (a token bucket).

A person reading turns a page every few seconds; a script taking a whole publication as
pictures asks for hundreds a minute, and each costs a render and an encode the other readers
wait behind. The quota lets a reader flick through (`burst` pages at once) and read on at
`per_minute`, and tells a faster client how long to wait. It is kept in each web process:
the capacity it protects (that process's render workers and threads) is per process too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

KEEP = 10_000  # people remembered per process; the least recently seen are forgotten first
READER_BURST = 40  # pages taken at once before the steady rate applies: a quick flick through


class PageQuota:
    """Page pictures per person: up to `burst` at once, then `per_minute` a minute."""

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic, keep: int = KEEP
    ) -> None:
        if per_minute <= 0 or burst <= 0:
            raise ValueError("a page quota allows at least one page a minute and a burst of one")
        self.rate = per_minute / 60.0  # pages a second
        self.burst = float(burst)
        self.clock = clock
        self.keep = keep
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one page for `key`: return 0.0 if allowed, else the seconds until one is."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.keep:
                self._buckets.popitem(last=False)
            return wait
