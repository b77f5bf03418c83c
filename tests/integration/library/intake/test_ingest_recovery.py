"""A job whose holder on this machine has ended is queued again at once, not after its lease, and once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from library.intake.ingest_job import run_ingest
from library.intake.recovery import Orphan, requeue_orphaned, requeue_stalled
from library.lease_holders import this_process
from library.models import IngestJob, IngestStatus
from library.models.base import utcnow
from tests.integration.library.ingest_fixtures import load_offices, make_worker, submit
from tests.integration.library.pdf_helpers import tiny_pdf

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")


def ended_holder() -> str:
    """Return the holder name of a process of this machine that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "from library.lease_holders import this_process; print(this_process())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def held_job(uow, store, queue, tmp_path: Path, holder: str) -> int:
    """Submit a job and leave it processing under `holder`, its lease just renewed."""
    load_offices(uow)
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    job_id = submit(uow, store, queue, path).job_id
    with uow:
        uow.session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id)
            .values(status="processing", claimed_by=holder, heartbeat_at=utcnow(), attempts=1)
        )
        uow.commit()
    return job_id


def test_a_job_whose_holder_on_this_machine_ended_is_queued_again_at_once(
    uow, store, queue, tmp_path
) -> None:
    holder = ended_holder()
    job_id = held_job(uow, store, queue, tmp_path, holder)
    worker = make_worker(uow, store, queue, name=str(this_process()))
    assert requeue_stalled(worker) == []  # its lease has not run out
    assert requeue_orphaned(worker) == [Orphan(job_id, holder)]
    assert requeue_orphaned(worker) == []  # once
    assert run_ingest(worker, job_id) is IngestStatus.READY
    with uow:
        job = uow.session.get(IngestJob, job_id)
        assert (job.status, job.attempts, job.claimed_by) == ("ready", 2, str(this_process()))


def test_a_job_whose_holder_is_alive_is_left_to_it(uow, store, queue, tmp_path) -> None:
    job_id = held_job(uow, store, queue, tmp_path, str(this_process()))
    assert requeue_orphaned(make_worker(uow, store, queue)) == []
    with uow:
        assert uow.session.scalar(select(IngestJob.status).where(IngestJob.id == job_id)) == "processing"


@pytest.mark.parametrize("holder", ["scanner-2:4242:777:0badcafe", "scanner-2:4242"])
def test_a_job_held_on_another_machine_waits_for_its_lease(uow, store, queue, tmp_path, holder) -> None:
    job_id = held_job(uow, store, queue, tmp_path, holder)
    assert requeue_orphaned(make_worker(uow, store, queue)) == []
    with uow:
        assert uow.session.scalar(select(IngestJob.claimed_by).where(IngestJob.id == job_id)) == holder
