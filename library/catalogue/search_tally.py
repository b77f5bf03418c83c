"""Searches counted in memory and written in one transaction every few seconds, not per request.

The batching writer of `library.batch_writer` (why a page never writes its count itself is said
there), which the usage events share.

A search the process has already taken today (the same client, term and day) is not kept again:
a client asking for the same words page after page costs the writer nothing. The database still
decides what counts (another process may have taken the same search); the memory of the day's
searches is only a filter, forgotten when the day changes or when it holds `remembered` of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from library.batch_writer import BatchWriter
from library.catalogue.search_terms import CountedSearch, do_count_searches
from library.uow import UnitOfWork

__all__ = ["CountedSearch", "SearchTally"]


class SearchTally(BatchWriter[CountedSearch]):
    """Counted searches waiting to be written (`library.batch_writer`), each kept once a day."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        interval: float = 5.0,
        limit: int = 500,
        remembered: int = 100_000,
    ) -> None:
        super().__init__(uow, do_count_searches, name="search-tally", interval=interval, limit=limit)
        self.remembered = remembered
        self._taken: set[tuple[str, dt.date, str, str]] = set()  # the keys of today's searches kept
        self._day: dt.date | None = None

    def _admit(self, search: CountedSearch) -> bool:
        """Keep a search unless it cannot count or was kept today already."""
        key = search.key()
        if key is None:
            return False
        if search.day != self._day or len(self._taken) >= self.remembered:
            self._taken.clear()
            self._day = search.day
        elif key in self._taken:
            return False
        self._taken.add(key)
        return True

    def _lost(self, batch: list[CountedSearch]) -> None:
        """Forget a lost batch's searches: each may be taken again when asked again."""
        self._taken.difference_update(s.key() for s in batch)
