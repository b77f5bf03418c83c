"""Items kept in memory and written to the database in one transaction every few seconds.

Statistics counted where they happen (the searches' tally, usage events) must not cost a page a
write: a page that wrote its count at once took SQLite's write lock on every first page, under
load most of a thread's wait and twice the 99th percentile. A page adds its item to a list and
goes on; a thread of the process writes the list in one transaction every `interval` seconds
(sooner when `limit` wait), and a report read in the same process asks for a flush first.

A busy database keeps the items for the next flush, up to `limit` * 4: past that the oldest are
dropped, counted (`dropped`) and logged, so a database that stays locked cannot grow the process.
What a killed process had not written (a few seconds of them) is lost: these are statistics, not
records. Writing never fails a page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.exc import OperationalError

from library.uow import UnitOfWork

log = logging.getLogger(__name__)

T = TypeVar("T")


class BatchWriter(Generic[T]):
    """Items waiting to be written, and the thread of the process that writes them.

    `write(uow, batch)` adds a batch to the unit of work (the writer commits). A subclass may
    refuse an item (`_admit`, called under the list's lock) and hear of a batch lost to an error
    other than a busy database (`_lost`).
    """

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        write: Callable[[UnitOfWork, Sequence[T]], object],
        *,
        name: str,
        interval: float = 5.0,
        limit: int = 500,
    ) -> None:
        self._uow = uow
        self._write = write
        self.name = name  # the thread's name, and what the log lines say was not written
        self.interval = interval
        self.limit = limit
        self.dropped = 0  # items lost to a database that stayed busy
        self._pending: list[T] = []
        self._lock = threading.Lock()  # the list
        self._writing = threading.Lock()  # one flush at a time, so batches keep their order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, item: T) -> None:
        """Keep an item to write (the writer starts with the first one: after a fork, in the child)."""
        with self._lock:
            if self._closed or not self._admit(item):
                return
            self._pending.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            if len(self._pending) >= self.limit:
                self._wake.set()

    @property
    def waiting(self) -> int:
        """Return how many items wait to be written."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every waiting item in one transaction; return how many were written."""
        with self._writing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                with self._uow() as uow:
                    self._write(uow, batch)
                    uow.commit()
            except OperationalError:
                with self._lock:
                    kept = (batch + self._pending)[-self.limit * 4 :]
                    dropped = len(batch) + len(self._pending) - len(kept)
                    self._pending = kept
                    self.dropped += dropped
                busy = "%s: not written yet (the database was busy); %s dropped."
                log.warning(busy, self.name, dropped, exc_info=True)
                return 0
            except BaseException:
                with self._lock:
                    self._lost(batch)
                raise
            log.debug("%s: %s written.", self.name, len(batch))
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

    def _admit(self, item: T) -> bool:
        """Tell whether to keep the item (called under the list's lock)."""
        return True

    def _lost(self, batch: list[T]) -> None:
        """Hear of a batch lost to an error other than a busy database (under the list's lock)."""

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            with self._lock:
                if self._closed:
                    return
            try:
                self.flush()
            except Exception:  # the writer must outlive any one bad batch
                log.exception("%s: writing a batch failed.", self.name)
