"""Killing `pustaka worker` during an ingest and starting it again ends with the publication ready once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from library import migrate
from library.db import make_engine, make_session_factory
from library.filestore import FileStore
from library.intake.submit import check_submit, ingest_limits
from library.models import IngestChannel, IngestJob, PageText, Publication
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork
from tests.conftest import require_service
from tests.integration.library.ingest_fixtures import load_offices
from tests.integration.library.pdf_helpers import scanned_pdf
from webapp.runtime import Runtime

PAGES = 6


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a worker in its own process group (so its Tesseract children die with it)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_killed_worker_restarted_finishes_the_job_exactly_once(tmp_path: Path) -> None:
    require_service("Tesseract", shutil.which("tesseract") is not None)
    instance = tmp_path / "instance"
    settings = Settings.from_env({}, instance_dir=instance, job_lease_seconds=3, ocr_processes=1)
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
        ).job_id
        uow.commit()

    class Job:
        def __init__(self, row: IngestJob) -> None:
            self.status, self.pages_done, self.attempts = row.status, row.pages_done, row.attempts

    def job() -> Job:
        with uow:
            return Job(uow.session.get(IngestJob, job_id))

    env = {
        **os.environ,
        "PUSTAKA_INSTANCE_DIR": str(instance),
        "PUSTAKA_JOB_LEASE_SECONDS": "3",
        "PUSTAKA_OCR_PROCESSES": "1",
    }
    env.pop("PUSTAKA_DATABASE_URL", None)
    env.pop("PUSTAKA_REDIS_URL", None)
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        wait_for(lambda: job().pages_done >= 2 and job().status == "processing", 120, "two pages OCR'd")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    assert job().status == "processing" and job().pages_done < PAGES

    second = start_worker(env, log)
    try:
        wait_for(lambda: job().status in ("ready", "failed"), 180, "the job to end")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
    finished = job()
    assert finished.status == "ready", log.read_text(errors="replace")[-3000:]
    assert finished.attempts == 2
    with uow:
        assert uow.session.scalar(select(func.count(Publication.id))) == 1
        texts = uow.session.scalars(select(PageText.text).order_by(PageText.page_number)).all()
    assert len(texts) == PAGES
    assert all("lumbung" in text.lower() for text in texts)
    engine.dispose()
    jobs.runtime.close()
