"""Ingest jobs nobody works on, put back in the queue: their worker died, or their message was lost.

A job held by a process of this machine that has ended is taken over at once (a restarted
worker does not wait out its predecessor's lease); any other job whose lease ran out, once it
has. Each job is updated by one recoverer only, so it is queued again once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update

from library.db import changed_rows
from library.intake.ingest_job import IngestWorker, ingest_lease
from library.lease_holders import is_gone, this_process
from library.models import IngestJob, IngestStatus


def requeue_stalled(worker: IngestWorker) -> list[int]:
    """Put back in the queue the jobs nobody works on; return their ids to enqueue again.

    A processing job whose lease ran out lost its worker (killed, or its machine died).
    A job queued for ten leases without being claimed lost its queue message (a Redis
    restart, say). Each is updated by one recoverer only, so it is queued again once.
    """
    now = worker.now()
    lease = ingest_lease(worker)
    with worker.uow() as uow:
        candidates = uow.session.execute(
            select(IngestJob.id, IngestJob.status).where(
                or_(
                    (IngestJob.status == IngestStatus.PROCESSING.value) & lease.expired(now),
                    (IngestJob.status == IngestStatus.QUEUED.value)
                    & (IngestJob.created_at < now - 10 * worker.lease),
                )
            )
        ).all()
        requeued = []
        for job_id, status in candidates:
            stale = (
                lease.expired(now)
                if status == IngestStatus.PROCESSING.value
                else IngestJob.created_at < now - 10 * worker.lease
            )
            result = uow.session.execute(
                update(IngestJob)
                .where(IngestJob.id == job_id, IngestJob.status == status, stale)
                .values(status=IngestStatus.QUEUED.value, claimed_by="", created_at=now)
                .execution_options(synchronize_session=False)
            )
            if changed_rows(result) == 1:
                requeued.append(job_id)
        uow.commit()
        return requeued


@dataclass(frozen=True)
class Orphan:
    """A processing job put back in the queue because its holder is known to be dead."""

    job_id: int
    holder: str


def requeue_orphaned(worker: IngestWorker) -> list[Orphan]:
    """Put back in the queue at once the jobs held by a process of this machine that has ended.

    A restarted worker need not wait out its predecessor's lease. Each job is updated by one
    recoverer only (the update names the dead holder), so it is queued again once.
    """
    me = this_process()
    now = worker.now()
    with worker.uow() as uow:
        held = uow.session.execute(
            select(IngestJob.id, IngestJob.claimed_by).where(
                IngestJob.status == IngestStatus.PROCESSING.value,
                IngestJob.claimed_by.startswith(f"{me.host}:", autoescape=True),
            )
        ).all()
        orphans = []
        for job_id, holder in held:
            if not is_gone(holder):
                continue
            result = uow.session.execute(
                update(IngestJob)
                .where(
                    IngestJob.id == job_id,
                    IngestJob.status == IngestStatus.PROCESSING.value,
                    IngestJob.claimed_by == holder,
                )
                .values(status=IngestStatus.QUEUED.value, claimed_by="", created_at=now)
                .execution_options(synchronize_session=False)
            )
            if changed_rows(result) == 1:
                orphans.append(Orphan(job_id, holder))
        uow.commit()
        return orphans
