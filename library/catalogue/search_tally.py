"""Searches counted in memory and written in one transaction every few seconds, not per request.

A search page that wrote its count at once took SQLite's write lock on every first page: under
load most of a thread's wait, and twice the 99th percentile. The tally keeps each counted
search in a list and a thread of its own writes the list in one transaction every `interval`
seconds (sooner when `limit` are waiting); a report read in the same process asks for a flush
first. What a process had not written when it was killed (a few seconds of searches) is not
counted: these are statistics, not records.

A search the process has already taken today (the same client, term and day) is not kept again:
a client asking for the same words page after page costs the writer nothing. The database still
decides what counts (another process may have taken the same search); the memory of the day's
searches is only a filter, forgotten when the day changes or when it holds `remembered` of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from library.catalogue.search_terms import CountedSearch, do_count_searches
from library.uow import UnitOfWork

__all__ = ["CountedSearch", "SearchTally"]

log = logging.getLogger(__name__)


class SearchTally:
    """Counted searches waiting to be written, and the thread that writes them."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        interval: float = 5.0,
        limit: int = 500,
        remembered: int = 100_000,
    ) -> None:
        self._uow = uow
        self.interval = interval
        self.limit = limit
        self.remembered = remembered
        self._pending: list[CountedSearch] = []
        self._taken: set[tuple[str, dt.date, str, str]] = set()  # the keys of today's searches kept
        self._day: dt.date | None = None
        self._lock = threading.Lock()  # the list
        self._writing = threading.Lock()  # one flush at a time, so counts keep their order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, search: CountedSearch) -> None:
        """Keep a search to count unless it cannot count or was kept today already.

        The writer starts with the first search kept (after a fork, in the child).
        """
        key = search.key()
        if key is None:
            return
        with self._lock:
            if self._closed:
                return
            if search.day != self._day or len(self._taken) >= self.remembered:
                self._taken.clear()
                self._day = search.day
            elif key in self._taken:
                return
            self._taken.add(key)
            self._pending.append(search)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-tally", daemon=True)
                self._thread.start()
            if len(self._pending) >= self.limit:
                self._wake.set()

    @property
    def waiting(self) -> int:
        """Return how many searches wait to be written."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every waiting search in one transaction; return how many were written.

        A busy database keeps them for the next flush (at most `limit` * 4: past that, the oldest
        are dropped and logged, so a database that stays locked cannot grow the process).
        """
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                with self._uow() as uow:
                    do_count_searches(uow, batch)
                    uow.commit()
            except OperationalError:
                with self._lock:
                    kept = (batch + self._pending)[-self.limit * 4 :]
                    dropped = len(batch) + len(self._pending) - len(kept)
                    self._pending = kept
                log.warning(
                    "Searches not counted yet (the database was busy); %s dropped.", dropped, exc_info=True
                )
                return 0
            except BaseException:  # the batch is lost: its searches may be taken again when asked again
                with self._lock:
                    self._taken.difference_update(s.key() for s in batch)
                raise
            return len(batch)

    def close(self) -> None:
        """Stop the writer and write what waits."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(timeout=30)
        self.flush()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            with self._lock:
                closed = self._closed
            if closed:
                return
            try:
                self.flush()
            except Exception:  # the writer must outlive any one bad batch
                log.exception("Counting searches failed.")
