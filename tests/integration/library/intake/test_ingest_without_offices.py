"""A database migrated without its offices: ingest fails with what to run, not a constraint error."""

from __future__ import annotations

from library.intake.ingest_job import run_ingest
from library.models import IngestJob, IngestStatus
from tests.integration.library.ingest_fixtures import make_worker, submit
from tests.integration.library.pdf_helpers import tiny_pdf


def test_ingest_into_a_database_without_offices_says_to_run_db_upgrade(uow, store, queue, tmp_path) -> None:
    path = tmp_path / "statistik.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 1))
    job_id = submit(uow, store, queue, path).job_id
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.FAILED
    with uow:
        job = uow.session.get(IngestJob, job_id)
        assert "pustaka db upgrade" in job.error_message
        assert "NOT NULL" not in job.error_message % (job.error_params or {})
