"""Jobs run through Huey: SQLite queue by default, Redis when configured, index updated after."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from library import migrate
from library.accounts.users import check_create_user
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.ingest_job import run_ingest
from library.intake.submit import check_submit, ingest_limits
from library.job_queue import NoQueue
from library.models import IngestChannel, IngestJob, IngestStatus, Role, SoftcopyRequest
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.settings import Settings
from library.softcopy.request_checks import RequestRules, SoftcopyRequestDetails
from library.softcopy.requests import check_submit_request
from library.uow import UnitOfWork
from runtime.consumer import start_embedded
from runtime.lanes import Jobs, Lane
from runtime.root import Runtime
from search.engine import Query
from tests.conftest import redis_reachable, require_service
from tests.integration.library.ingest_fixtures import load_offices
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.integration.runtime import child_targets
from tests.waiting import wait_until


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
    with jobs.rt.uow() as uow:
        job_id = check_submit(
            uow,
            FileStore(settings.files_path),
            jobs,
            SYSTEM,
            path,
            channel=IngestChannel.UPLOAD,
            limits=ingest_limits(settings.max_upload_mb, settings.ingest_max_pages),
            draft={"publish": "1"},  # public at once (an upload is else a draft): the copy is asked for
            now=utcnow(),
        ).job_id
        uow.commit()

    def finished() -> tuple[str, int | None, dict] | None:
        with jobs.rt.uow() as uow:
            job = uow.session.get(IngestJob, job_id)
            if job.status in (IngestStatus.READY.value, IngestStatus.FAILED.value):
                return job.status, job.publication_id, job.error_params
        return None

    return wait_until(finished, timeout=timeout, message=f"job {job_id} did not finish")


def request_and_wait(jobs: Jobs, publication_id: int, timeout: float = 60) -> str:
    """Ask for a softcopy of the publication and wait for the copy job to make it."""
    with jobs.rt.uow() as uow:
        reader = check_create_user(
            uow,
            None,
            email="ani@example.id",
            name="Ani Suryani",
            roles=[Role.READER],
            password="kopi tubruk pagi hari",
            email_verified=True,
            now=utcnow(),
        )
        form = SoftcopyRequestDetails(
            publication_id, purpose="thesis", intended_use="Untuk skripsi saya.", agreed=True
        )
        number = check_submit_request(uow, reader, form, RequestRules(), jobs, utcnow())
        uow.commit()

    def answered() -> str | None:
        with jobs.rt.uow() as uow:
            status = uow.session.scalar(
                select(SoftcopyRequest.status).where(SoftcopyRequest.number == number)
            )
        return None if status in ("approved",) else status

    return wait_until(answered, timeout=timeout, message=f"request {number} was not made")


def wait_for_index(jobs: Jobs, words: str, timeout: float = 30) -> list[str]:
    """Wait until the index finds the words; return the ids of the publications found."""
    hits = wait_until(
        lambda: jobs.rt.index().search(Query(words)).hits,
        timeout=timeout,
        message=f"the index never found {words!r}",
    )
    return [h.publication_id for h in hits]


def run_through(jobs: Jobs, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "neraca.pdf"
    path.write_bytes(tiny_pdf("Neraca Regional Kota Metro", 2))
    consumer = start_embedded(jobs)
    try:
        status, publication_id, errors = submit_and_wait(jobs, settings, path)
        assert status == "ready", errors
        assert wait_for_index(jobs, "neraca regional") == [str(publication_id)]
        assert request_and_wait(jobs, publication_id) == "ready"
    finally:
        consumer.stop(graceful=True)
        jobs.rt.close()


def test_the_sqlite_queue_runs_an_ingest_then_indexes_it_then_makes_a_requested_copy(
    settings, tmp_path
) -> None:
    jobs = Runtime(settings).jobs
    assert {type(huey).__name__ for huey in jobs.lanes.values()} == {"SqliteHuey"}
    run_through(jobs, settings, tmp_path)


def test_the_redis_queue_runs_an_ingest_then_indexes_it_then_makes_a_requested_copy(
    settings, tmp_path
) -> None:
    require_service("Redis", redis_reachable())
    settings = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    jobs = Runtime(settings, queue_name=f"pustaka-test-{uuid.uuid4().hex[:8]}").jobs
    try:
        run_through(jobs, settings, tmp_path)
    finally:
        jobs.flush()


def test_redis_is_chosen_when_its_url_is_set(tmp_path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path, redis_url="redis://127.0.0.1:6379/0")
    lanes = Runtime(settings).jobs.lanes
    assert {lane: type(huey).__name__ for lane, huey in lanes.items()} == {
        Lane.INTERACTIVE: "RedisHuey",
        Lane.BATCH: "RedisHuey",
    }


def test_the_sqlite_lanes_connections_are_closed_with_the_runtime_and_when_made_immediate(tmp_path) -> None:
    """SqliteHuey holds its queue file open from the first job on: left open, only the garbage
    collector would close it (Python 3.13 warns of it, an error in this suite)."""
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path))
    jobs = rt.jobs
    storages = [huey.storage for huey in jobs.lanes.values()]
    jobs.index(7)  # one job on each lane: each opens its connection
    jobs.deliver(8)
    assert all(storage._conn is not None for storage in storages)  # huey's own attribute
    rt.close()
    assert all(storage._conn is None for storage in storages)

    batch = jobs.lanes[Lane.BATCH].storage
    jobs.index(9)  # a runtime used again opens the lane again
    assert batch._conn is not None
    jobs.immediate = True  # Huey drops the queue's storage for one in memory: it is closed first
    assert batch._conn is None
    jobs.immediate = False
    rt.close()


def test_request_threads_asking_at_once_share_one_set_of_lanes(tmp_path) -> None:
    """Lanes made twice would be dropped with their queue connections open (a race seen on 3.13)."""
    rt = Runtime(Settings.from_env({}, instance_dir=tmp_path))
    together = threading.Barrier(8)

    def ask(_: int) -> Jobs:
        together.wait()
        return rt.jobs

    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(ask, range(8)))
    assert all(jobs is rt.jobs for jobs in made)
    rt.close()


def test_recover_queues_again_a_job_nobody_is_working_on(settings, tmp_path) -> None:
    jobs = Runtime(settings).jobs
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 1))
    with jobs.rt.uow() as uow:
        job_id = check_submit(
            uow,
            FileStore(settings.files_path),
            jobs,
            SYSTEM,
            path,
            channel=IngestChannel.CLI,
            limits=ingest_limits(10, 10),
            now=utcnow(),
        ).job_id
        uow.commit()
        uow.session.execute(update(IngestJob).values(created_at=utcnow() - dt.timedelta(hours=1)))
        uow.commit()
    pending = jobs.pending_count()
    assert jobs.recover() == [job_id]
    assert jobs.pending_count() == pending + 1
    jobs.rt.close()


class GatedJobs(Jobs):
    """Jobs whose ingest jobs wait at a gate: the batch lane is busy for as long as the test says."""

    def __init__(self, rt: Runtime, queue_name: str) -> None:
        self.gate = threading.Event()
        self.ingests_started: list[int] = []
        super().__init__(rt, queue_name)

    def run(self, name: str, *args: Any) -> None:
        if name != "ingest":
            return super().run(name, *args)
        self.ingests_started.append(args[0])
        self.gate.wait(60)


def publish_one(rt: Runtime, settings: Settings, tmp_path: Path) -> int:
    """Take in a small PDF right here (no queue) and return its publication."""
    path = tmp_path / "statistik.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah Kota Metro", 3))
    with rt.uow() as uow:
        job_id = check_submit(
            uow,
            rt.store,
            NoQueue(),
            SYSTEM,
            path,
            channel=IngestChannel.UPLOAD,
            limits=ingest_limits(10, 10),
            draft={"publish": "1"},  # public at once: a copy of it is asked for
            now=rt.now(),
        ).job_id
        uow.commit()
    run_ingest(rt.ingest_worker(queue=NoQueue()), job_id)
    with rt.uow() as uow:
        return uow.session.get(IngestJob, job_id).publication_id


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_requested_copy_is_made_while_batch_jobs_queued_before_it_wait(settings, tmp_path, backend) -> None:
    if backend == "redis":
        require_service("Redis", redis_reachable())
        settings = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    rt = Runtime(settings)
    jobs = GatedJobs(rt, f"pustaka-test-{uuid.uuid4().hex[:8]}")
    publication_id = publish_one(rt, settings, tmp_path)
    for job_id in (9001, 9002, 9003):  # a librarian's scans, queued first
        jobs.ingest(job_id)
    jobs.index(publication_id)
    consuming = start_embedded(jobs, workers={Lane.BATCH: 1, Lane.INTERACTIVE: 1})
    try:
        status = request_and_wait(jobs, publication_id, timeout=60)
        # The copy is ready while the one batch worker still holds the first scan.
        assert status == "ready"
        assert jobs.ingests_started == [9001]
        assert jobs.lanes[Lane.BATCH].pending_count() == 3  # two scans and the index update
        assert jobs.lanes[Lane.INTERACTIVE].pending_count() == 0
    finally:
        jobs.gate.set()
        # Graceful: the workers end their jobs (the copy's last query comes after it is ready) before
        # the runtime closes; one still running would open a new engine that nothing closes.
        consuming.stop(graceful=True)
        jobs.flush()
        jobs.close()  # lanes of the test's own, beside the runtime's: the runtime closes only its own
        rt.close()


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_batch_child_ends_when_the_job_process_is_killed(tmp_path: Path) -> None:
    settings = Settings.from_env({}, instance_dir=tmp_path / "instance")
    pid_file = tmp_path / "child.pid"
    parent = multiprocessing.get_context("spawn").Process(
        target=child_targets.parent_of_a_sleeper, args=(settings, str(pid_file))
    )
    parent.start()
    # the child writes its id once it runs
    child = int(wait_until(lambda: pid_file.exists() and pid_file.read_text(), timeout=30))
    assert alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.join()
    try:
        wait_until(
            lambda: not alive(child),
            timeout=10,
            message="the batch child outlived the process that started it",
        )
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)
