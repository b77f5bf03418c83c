"""Jobs run through Huey: SQLite queue by default, Redis when configured, index updated after."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import pytest
from huey import RedisHuey
from sqlalchemy import select, update

from library import migrate
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.submit import check_submit, ingest_limits
from library.models import IngestChannel, IngestJob, IngestStatus, Role, SoftcopyRequest
from library.models.base import utcnow
from library.people.users import check_create_user
from library.permissions import SYSTEM
from library.settings import Settings
from library.softcopy.requests import RequestForm, RequestRules, check_submit_request
from library.uow import UnitOfWork
from search.engine import Query
from tests.conftest import redis_reachable, require_service
from tests.integration.library.ingest_fixtures import load_offices
from tests.integration.library.pdf_helpers import tiny_pdf
from webapp.consumer import start_embedded
from webapp.jobs import Jobs
from webapp.runtime import Runtime


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    load_offices(UnitOfWork(make_session_factory(engine)))
    engine.dispose()
    return Settings.from_env(
        {}, instance_dir=tmp_path / "instance", database_url=database_url, ocr_processes=1
    )


def submit_and_wait(jobs: Jobs, settings: Settings, path: Path, timeout: float = 60) -> tuple[str, int, dict]:
    """Submit a file as the web app does, then wait for the consumer to finish it."""
    with jobs.runtime.uow() as uow:
        job_id = check_submit(
            uow,
            FileStore(settings.files_path),
            jobs,
            SYSTEM,
            path,
            channel=IngestChannel.UPLOAD,
            limits=ingest_limits(settings.max_upload_mb, settings.ingest_max_pages),
        ).job_id
        uow.commit()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with jobs.runtime.uow() as uow:
            job = uow.session.get(IngestJob, job_id)
            if job.status in (IngestStatus.READY.value, IngestStatus.FAILED.value):
                return job.status, job.publication_id, job.error_params
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def request_and_wait(jobs: Jobs, publication_id: int, timeout: float = 60) -> str:
    """Ask for a softcopy of the publication and wait for the copy job to make it."""
    with jobs.runtime.uow() as uow:
        reader = check_create_user(
            uow,
            None,
            email="ani@example.id",
            name="Ani Suryani",
            roles=[Role.READER],
            password="kopi tubruk pagi hari",
            email_verified=True,
        )
        form = RequestForm(publication_id, purpose="thesis", intended_use="Untuk skripsi saya.", agreed=True)
        number = check_submit_request(uow, reader, form, RequestRules(), jobs, utcnow())
        uow.commit()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with jobs.runtime.uow() as uow:
            status = uow.session.scalar(
                select(SoftcopyRequest.status).where(SoftcopyRequest.number == number)
            )
        if status not in ("approved",):
            return status
        time.sleep(0.2)
    raise AssertionError(f"request {number} was not made in {timeout} s")


def wait_for_index(jobs: Jobs, words: str, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = jobs.runtime.index().search(Query(words)).hits
        if hits:
            return [h.publication_id for h in hits]
        time.sleep(0.2)
    return []


def run_through(jobs: Jobs, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "neraca.pdf"
    path.write_bytes(tiny_pdf("Neraca Regional Kota Metro", 2))
    consumer = start_embedded(jobs, workers=1)
    try:
        status, publication_id, errors = submit_and_wait(jobs, settings, path)
        assert status == "ready", errors
        assert wait_for_index(jobs, "neraca regional") == [str(publication_id)]
        assert request_and_wait(jobs, publication_id) == "ready"
    finally:
        consumer.stop(graceful=True)
        jobs.runtime.close()


def test_the_sqlite_queue_runs_an_ingest_then_indexes_it_then_makes_a_requested_copy(
    settings, tmp_path
) -> None:
    jobs = Runtime(settings).jobs
    assert type(jobs.huey).__name__ == "SqliteHuey"
    run_through(jobs, settings, tmp_path)


def test_the_redis_queue_runs_an_ingest_then_indexes_it_then_makes_a_requested_copy(
    settings, tmp_path
) -> None:
    require_service("Redis", redis_reachable())
    huey = RedisHuey(f"pustaka-test-{uuid.uuid4().hex[:8]}", url="redis://127.0.0.1:6379/0")
    try:
        run_through(Runtime(settings, huey=huey).jobs, settings, tmp_path)
    finally:
        huey.storage.flush_all()


def test_redis_is_chosen_when_its_url_is_set(tmp_path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path, redis_url="redis://127.0.0.1:6379/0")
    assert type(Runtime(settings).jobs.huey).__name__ == "RedisHuey"


def test_recover_queues_again_a_job_nobody_is_working_on(settings, tmp_path) -> None:
    jobs = Runtime(settings).jobs
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 1))
    with jobs.runtime.uow() as uow:
        job_id = check_submit(
            uow,
            FileStore(settings.files_path),
            jobs,
            SYSTEM,
            path,
            channel=IngestChannel.CLI,
            limits=ingest_limits(10, 10),
        ).job_id
        uow.commit()
        uow.session.execute(update(IngestJob).values(created_at=utcnow() - dt.timedelta(hours=1)))
        uow.commit()
    pending = jobs.huey.pending_count()
    assert jobs.recover() == [job_id]
    assert jobs.huey.pending_count() == pending + 1
    jobs.runtime.close()
