"""Leases: one worker at a time holds a row, until its lease runs out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from library.leases import Lease
from library.models import IngestJob, IngestStatus
from library.uow import UnitOfWork

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
LEASE = Lease(IngestJob.id, IngestJob.heartbeat_at, IngestJob.attempts, dt.timedelta(minutes=2))


@pytest.fixture
def job_id(uow: UnitOfWork) -> int:
    """Store one queued ingest job nobody holds."""
    with uow:
        job = IngestJob(
            source_sha256="a" * 64,
            source_kind="pdf",
            media_type="application/pdf",
            source_files=[],
            original_name="a.pdf",
            channel="upload",
        )
        uow.session.add(job)
        uow.commit()
        return job.id


def claim(uow: UnitOfWork, job_id: int, now: dt.datetime, holder: str) -> int | None:
    """Try to take the job for a holder in its own transaction."""
    with uow:
        free = LEASE.expired(now) & (IngestJob.status == IngestStatus.QUEUED.value)
        attempt = LEASE.claim(uow, job_id, free=free, now=now, claimed_by=holder)
        uow.commit()
        return attempt


def renew(uow: UnitOfWork, job_id: int, now: dt.datetime, holder: str) -> bool:
    """Try to renew the holder's lease in its own transaction."""
    with uow:
        ours = LEASE.renew(uow, job_id, held=IngestJob.claimed_by == holder, now=now)
        uow.commit()
        return ours


def test_a_free_row_is_taken_once_and_counts_the_attempt(uow: UnitOfWork, job_id: int) -> None:
    assert claim(uow, job_id, NOON, "one") == 1
    assert claim(uow, job_id, NOON + dt.timedelta(seconds=30), "two") is None


def test_a_row_whose_lease_ran_out_is_taken_over(uow: UnitOfWork, job_id: int) -> None:
    claim(uow, job_id, NOON, "one")
    assert claim(uow, job_id, NOON + dt.timedelta(minutes=3), "two") == 2
    assert not renew(uow, job_id, NOON + dt.timedelta(minutes=4), "one")


def test_renewing_keeps_the_row_from_being_taken(uow: UnitOfWork, job_id: int) -> None:
    claim(uow, job_id, NOON, "one")
    assert renew(uow, job_id, NOON + dt.timedelta(minutes=1, seconds=30), "one")
    assert claim(uow, job_id, NOON + dt.timedelta(minutes=3), "two") is None


def test_the_free_condition_is_part_of_the_claim(uow: UnitOfWork, job_id: int) -> None:
    with uow:
        uow.session.execute(update(IngestJob).values(status=IngestStatus.READY.value))
        uow.commit()
    assert claim(uow, job_id, NOON, "one") is None
