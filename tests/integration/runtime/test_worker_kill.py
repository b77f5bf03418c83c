"""Killing `pustaka worker` during an ingest and starting it again ends with the publication ready once.

Started on the same machine, the new worker takes the job over at once: its holder has ended.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from library import migrate
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.submit import check_submit, ingest_limits
from library.lease_holders import Holder, is_gone
from library.models import IngestChannel, IngestJob, PageText, Publication
from library.models.base import utcnow
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.root import Runtime
from tests.conftest import require_service
from tests.integration.library.ingest_fixtures import load_offices
from tests.integration.library.pdf_helpers import scanned_pdf
from tests.waiting import wait_until

PAGES = 6


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a worker in its own process group (so its Tesseract children die with it)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", "from cli import main; main()", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@dataclass
class Job:
    status: str
    pages_done: int
    attempts: int
    claimed_by: str


@dataclass
class Scene:
    """An instance with one scanned publication queued for a worker, and how to look at its job."""

    uow: UnitOfWork
    job_id: int
    env: dict[str, str]
    log: Path

    def job(self) -> Job:
        with self.uow:
            row = self.uow.session.get(IngestJob, self.job_id)
            return Job(row.status, row.pages_done, row.attempts, row.claimed_by)


@pytest.fixture
def scene(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Scene]:
    """Queue a 6-page scan on a fresh SQLite instance, with the lease length the test asks for."""
    require_service("Tesseract", shutil.which("tesseract") is not None)
    lease = request.param
    instance = tmp_path / "instance"
    settings = Settings.from_env({}, instance_dir=instance, job_lease_seconds=lease, ocr_processes=1)
    engine = make_engine(settings.sqlalchemy_url)
    migrate.upgrade(engine)
    uow = UnitOfWork(make_session_factory(engine))
    load_offices(uow)
    source = tmp_path / "potensi-desa.pdf"
    source.write_bytes(scanned_pdf([[f"Halaman {n} potensi desa lumbung padi"] for n in range(1, PAGES + 1)]))
    jobs = Runtime(settings).jobs
    with uow:
        job_id = check_submit(
            uow,
            FileStore(settings.files_path),
            jobs,
            SYSTEM,
            source,
            channel=IngestChannel.UPLOAD,
            limits=ingest_limits(50, 100),
            now=utcnow(),
        ).job_id
        uow.commit()
    env = {
        **os.environ,
        "PUSTAKA_INSTANCE_DIR": str(instance),
        "PUSTAKA_JOB_LEASE_SECONDS": str(lease),
        "PUSTAKA_OCR_PROCESSES": "1",
    }
    env.pop("PUSTAKA_DATABASE_URL", None)
    env.pop("PUSTAKA_REDIS_URL", None)
    yield Scene(uow, job_id, env, tmp_path / "worker.log")
    engine.dispose()
    jobs.rt.close()


def kill_mid_job(scene: Scene) -> Job:
    """Start a worker, SIGKILL it (and its job's process) once two pages are OCR'd; return the job then."""
    first = start_worker(scene.env, scene.log)
    try:
        wait_until(
            lambda: scene.job().pages_done >= 2 and scene.job().status == "processing",
            timeout=120,
            message="timed out waiting for two pages OCR'd",
        )
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    return scene.job()


def finish_with_a_new_worker(scene: Scene) -> Job:
    """Start a second worker and let it run until the job has ended; return the job."""
    second = start_worker(scene.env, scene.log)
    try:
        wait_until(
            lambda: scene.job().status in ("ready", "failed"),
            timeout=180,
            message="timed out waiting for the job to end",
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
    return scene.job()


def assert_made_once(scene: Scene, finished: Job) -> None:
    assert finished.status == "ready", scene.log.read_text(errors="replace")[-3000:]
    assert finished.attempts == 2
    with scene.uow:
        assert scene.uow.session.scalar(select(func.count(Publication.id))) == 1
        texts = scene.uow.session.scalars(select(PageText.text).order_by(PageText.page_number)).all()
    assert len(texts) == PAGES
    assert all("lumbung" in text.lower() for text in texts)


@pytest.mark.parametrize("scene", [3], indirect=True)
def test_a_killed_worker_restarted_finishes_the_job_exactly_once(scene: Scene) -> None:
    killed = kill_mid_job(scene)
    assert killed.status == "processing" and killed.pages_done < PAGES
    assert_made_once(scene, finish_with_a_new_worker(scene))


@pytest.mark.parametrize("scene", [600], indirect=True)
def test_a_worker_restarted_on_the_same_machine_takes_the_dead_workers_job_over_without_waiting_its_lease(
    scene: Scene,
) -> None:
    killed = kill_mid_job(scene)
    holder = Holder.parse(killed.claimed_by)
    assert killed.status == "processing" and holder is not None
    # The holder may be the worker's job process: SIGKILL reaches it at once, but a loaded
    # machine may take a moment to end it (only the worker itself was waited for).
    wait_until(
        lambda: is_gone(killed.claimed_by),
        timeout=30,
        message="timed out waiting for the killed holder to have ended",
    )
    finished = finish_with_a_new_worker(scene)
    log = scene.log.read_text(errors="replace")
    # The lease (10 minutes) has not run out: the job was taken over because its holder had ended.
    assert (
        f"Ingest job {scene.job_id}: its worker ({killed.claimed_by}) on this machine has ended; "
        "taking the job over now." in log
    ), log[-3000:]
    assert f"Ingest job {scene.job_id} has no live worker" not in log
    assert_made_once(scene, finished)
