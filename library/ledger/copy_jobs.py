"""The job that makes one stamped copy under a claim on its row, for every kind of copy.

`run_copy_job` claims the row for a lease, so a slow copy is not started twice, and gives the
row up (failed) after `MAX_ATTEMPTS` claims: a worker that keeps dying mid-copy. It stamps the
copy and finishes the row in one transaction. An unexpected error while stamping (not the
file, not a rule: a passing fault of this process, such as a module still loading in another
thread) is tried again `RETRIES` times under the same claim, renewed before each try; a
damaged file or a broken rule fails the row at once, with the reason for a librarian to read.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from library.errors import PustakaError
from library.ledger.deliveries import DeliveryRecord
from library.uow import UnitOfWork
from watermark.errors import WatermarkError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # claims of one row (a worker dying mid-copy) before it fails
RETRIES = 2  # further tries within one claim after an unexpected error

Row = TypeVar("Row")


class CopyJobWorker(Protocol):
    """What every copy job's worker has: its transactions, its clock and its pause before a retry."""

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """Open the job's transactions."""

    @property
    def now(self) -> Callable[[], dt.datetime]:
        """Return the clock the job reads the time from."""

    @property
    def retry_pause(self) -> float:
        """Return the seconds to wait before trying a copy again after an unexpected error."""


class CopyJob(Protocol[Row]):
    """One kind of copy made under a claim on its row: how to claim, stamp, finish and fail it."""

    @property
    def worker(self) -> CopyJobWorker:
        """Return what the job runs with."""

    def describe(self, row_id: int) -> str:
        """Name the row in the log ("request 12", "visitor scan 3")."""

    def claim(self, row_id: int) -> int | None:
        """Take the row for one lease; return the attempt number, or None if it is not ours."""

    def renew(self, row_id: int) -> None:
        """Start the claim's lease again, so no other worker takes the row while this one tries."""

    def load(self, uow: UnitOfWork, row_id: int) -> Row | None:
        """Return what stamping the row's copy needs, or None when there is nothing to make."""

    def stamp(self, uow: UnitOfWork, row: Row, now: dt.datetime) -> DeliveryRecord:
        """Stamp the copy and add it to the ledger (the caller commits)."""

    def finish(self, uow: UnitOfWork, row: Row, record: DeliveryRecord, now: dt.datetime) -> bool:
        """Mark the row ready and offer the copy; tell whether this worker did (else it rolls back)."""

    def fail(self, uow: UnitOfWork, row_id: int, error: Exception, now: dt.datetime) -> None:
        """Record why the copy could not be made, for a librarian to read and retry."""

    def give_up(self, uow: UnitOfWork, row_id: int, now: dt.datetime) -> None:
        """Record that the copy failed after `MAX_ATTEMPTS` claims."""


def run_copy_job(job: CopyJob[Row], row_id: int) -> str | None:
    """Claim the row, make its copy (trying a passing fault again) and return the delivery id.

    None: made already, not to be made, taken by another worker, or failed (recorded on the row).
    """
    attempt = job.claim(row_id)
    if attempt is None:
        return None  # made, refused, never asked for, or another worker holds the claim
    if attempt > MAX_ATTEMPTS:
        with UnitOfWork(job.worker.session_factory) as uow:
            job.give_up(uow, row_id, job.worker.now())
            uow.commit()
        return None
    for tries_left in range(RETRIES, -1, -1):
        made = _make(job, row_id, last_try=tries_left == 0)
        if made is not _TRY_AGAIN:
            return made
        time.sleep(job.worker.retry_pause)
        job.renew(row_id)  # the tries so far must not run another worker's lease out
    return None


_TRY_AGAIN = "try again"


def _make(job: CopyJob[Row], row_id: int, *, last_try: bool) -> str | None:
    """Make the copy of a claimed row; return its delivery id, None, or `_TRY_AGAIN`."""
    now = job.worker.now()
    with UnitOfWork(job.worker.session_factory) as uow:
        row = job.load(uow, row_id)
        if row is None:
            return None
        try:
            record = job.stamp(uow, row, now)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, a librarian must see it
            uow.rollback()  # the work the failed copy left waiting (its mail, index, jobs) goes too
            if not last_try and is_passing(exc):
                log.warning("The copy of %s failed (%r); trying again.", job.describe(row_id), exc)
                return _TRY_AGAIN
            log.exception("The copy of %s could not be made.", job.describe(row_id))
            job.fail(uow, row_id, exc, now)
            uow.commit()
            return None
        if not job.finish(uow, row, record, now):
            return None  # another worker finished first, or the row changed: this copy rolls back
        uow.commit()
        return record.delivery_id


def is_passing(error: Exception) -> bool:
    """Tell whether an error may pass when tried again: not the file's fault, not a broken rule."""
    return not isinstance(error, PustakaError | WatermarkError)
