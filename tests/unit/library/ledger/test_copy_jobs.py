"""The copy job's loop, with a fake kind of copy: claim, stamp, try a passing fault again, fail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from library.errors import PustakaError
from library.ledger.copy_jobs import MAX_ATTEMPTS, RETRIES, run_copy_job
from library.uow import UnitOfWork
from watermark.errors import WatermarkError

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


class FakeSession:
    """Enough of a session for a unit of work that changes nothing."""

    def __init__(self) -> None:
        self.new: list[object] = []
        self.deleted: list[object] = []
        self.dirty: list[object] = []
        self.info: dict[str, object] = {}

    def commit(self) -> None:
        """Commit nothing."""

    def rollback(self) -> None:
        """Roll nothing back."""

    def close(self) -> None:
        """Close nothing."""


@dataclass(frozen=True)
class Worker:
    """A worker with a fixed clock and no pause."""

    session_factory: Any = FakeSession
    now: Any = lambda: NOW  # noqa: E731 - a fixed clock
    retry_pause: float = 0


@dataclass
class FakeCopy:
    """A kind of copy whose stamping raises the errors given, in turn, then succeeds."""

    errors: list[Exception] = field(default_factory=list)
    attempt: int | None = 1
    worker: Worker = Worker()
    done: list[str] = field(default_factory=list)

    def describe(self, row_id: int) -> str:
        """Name the row."""
        return f"fake {row_id}"

    def claim(self, row_id: int) -> int | None:
        """Return the attempt set up."""
        return self.attempt

    def renew(self, row_id: int) -> None:
        """Note the renewal."""
        self.done.append("renew")

    def load(self, uow: UnitOfWork, row_id: int) -> int | None:
        """Return the row id itself."""
        return row_id

    def stamp(self, uow: UnitOfWork, row: int, now: dt.datetime) -> Any:
        """Raise the next error, or return a record."""
        self.done.append("stamp")
        if self.errors:
            raise self.errors.pop(0)
        return type("Record", (), {"delivery_id": "D1"})()

    def finish(self, uow: UnitOfWork, row: int, record: Any, now: dt.datetime) -> bool:
        """Note the finish."""
        self.done.append("finish")
        return True

    def fail(self, uow: UnitOfWork, row_id: int, error: Exception, now: dt.datetime) -> None:
        """Note the failure and its error."""
        self.done.append(f"fail: {error}")

    def give_up(self, uow: UnitOfWork, row_id: int, now: dt.datetime) -> None:
        """Note the giving up."""
        self.done.append("give up")


def test_a_passing_fault_is_tried_again_under_a_renewed_claim() -> None:
    job = FakeCopy(errors=[AttributeError("partially initialized module 'pymupdf'")])
    assert run_copy_job(job, 7) == "D1"
    assert job.done == ["stamp", "renew", "stamp", "finish"]


def test_a_lasting_fault_fails_the_row_after_its_retries() -> None:
    job = FakeCopy(errors=[OSError("disk full")] * (1 + RETRIES))
    assert run_copy_job(job, 7) is None
    assert job.done == ["stamp", "renew"] * RETRIES + ["stamp", "fail: disk full"]


@pytest.mark.parametrize("error", [PustakaError("broken rule"), WatermarkError("damaged", code="damaged")])
def test_a_damaged_file_or_a_broken_rule_fails_at_once(error: Exception) -> None:
    job = FakeCopy(errors=[error])
    assert run_copy_job(job, 7) is None
    assert job.done == ["stamp", f"fail: {error}"]


@pytest.mark.parametrize(("attempt", "done"), [(None, []), (MAX_ATTEMPTS + 1, ["give up"])])
def test_a_row_not_ours_or_claimed_too_often_is_not_stamped(attempt: int | None, done: list[str]) -> None:
    job = FakeCopy(attempt=attempt)
    assert run_copy_job(job, 7) is None
    assert job.done == done
