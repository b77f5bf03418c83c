"""A visitor's scan is stamped on the interactive lane, ahead of ingest; the hot folder's pindai/ feeds it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, update

from library import migrate
from library.db import make_engine, make_session_factory
from library.frontoffice.scans.uploads import ScanUpload, check_submit_scan
from library.intake.hot_folder import SCANS
from library.models import ScanStatus, VisitorScan
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork
from runtime.consumer import start_embedded
from runtime.hot_folder_watcher import HotFolderWatcher
from runtime.lanes import Lane
from runtime.root import Runtime
from tests.conftest import redis_reachable, require_service
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.integration.runtime.test_jobs import GatedJobs
from tests.waiting import wait_until

NOW = fo.NOW  # Monday 09:00 at Kota Metro


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on a migrated database with the offices and a visit today (ticket P-001)."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    uow = UnitOfWork(make_session_factory(engine))
    fo.load_offices(uow)
    fo.walk_in(uow, "Dewi Lestari", email="dewi@example.id")
    engine.dispose()
    hot = tmp_path / "pemindai"
    (hot / SCANS).mkdir(parents=True)
    return Settings.from_env(
        {},
        instance_dir=tmp_path / "instance",
        database_url=database_url,
        hot_folder=str(hot),
        hot_folder_settle_seconds=0,
    )


def on_the_clock(rt: Runtime) -> Runtime:
    """Set the runtime's clock to the morning of the visit."""
    rt.now = lambda: NOW
    return rt


def submit_scan(rt: Runtime, jobs, tmp_path: Path) -> int:
    """Submit a scan for ticket P-001 as the librarian's form does; return its id."""
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(tiny_pdf("Kota Metro Dalam Angka 2019", 3))
    with rt.uow() as uow:
        taken = check_submit_scan(
            uow,
            rt.store,
            jobs,
            SYSTEM,
            ScanUpload(ticket="P-001", title="Kota Metro Dalam Angka 2019, hlm. 10-12"),
            path,
            office_code="1872",
            now=NOW,
            limits=rt.ingest_limits,
        )
        uow.commit()
    return taken.scan_id


def wait_for(rt: Runtime, scan_id: int, timeout: float = 60) -> str:
    """Wait until the scan's copy is made (or fails); return its status."""

    def made() -> str | None:
        with rt.uow() as uow:
            status = uow.session.scalar(select(VisitorScan.status).where(VisitorScan.id == scan_id))
        return None if status == ScanStatus.QUEUED.value else str(status)

    return wait_until(made, timeout=timeout, message=f"scan {scan_id} was not made")


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_visitors_scan_is_stamped_while_ingest_jobs_queued_before_it_wait(
    settings, tmp_path, backend
) -> None:
    if backend == "redis":
        require_service("Redis", redis_reachable())
        settings = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0")
    rt = on_the_clock(Runtime(settings))
    jobs = GatedJobs(rt, f"pustaka-test-{uuid.uuid4().hex[:8]}")
    for job_id in (9001, 9002, 9003):  # a librarian's long scans for the collection, queued first
        jobs.ingest(job_id)
    consuming = start_embedded(jobs, workers={Lane.BATCH: 1, Lane.INTERACTIVE: 1})
    try:
        scan_id = submit_scan(rt, jobs, tmp_path)
        # The visitor's copy is ready while the one batch worker still holds the first ingest.
        assert wait_for(rt, scan_id) == "ready"
        assert jobs.ingests_started == [9001]
        assert jobs.lanes[Lane.BATCH].pending_count() == 2
        assert jobs.lanes[Lane.INTERACTIVE].pending_count() == 0
    finally:
        jobs.gate.set()
        consuming.stop(graceful=True)  # the workers end their jobs before the runtime closes
        jobs.flush()
        jobs.close()  # lanes of the test's own, beside the runtime's: the runtime closes only its own
        rt.close()


def test_a_scan_whose_job_was_lost_is_queued_again_by_recovery(settings, tmp_path) -> None:
    rt = on_the_clock(Runtime(settings))
    jobs = rt.jobs
    scan_id = submit_scan(rt, jobs, tmp_path)
    jobs.flush()  # the message is lost
    with rt.uow() as uow:
        # Recovery runs on the real clock: make the scan older than any lease by it.
        uow.session.execute(update(VisitorScan).values(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        uow.commit()
    jobs.recover()
    assert jobs.lanes[Lane.INTERACTIVE].pending_count() == 1
    jobs.run("visitor_scan", scan_id)  # what the queued task runs
    assert wait_for(rt, scan_id) == "ready"
    jobs.flush()
    rt.close()


def test_the_watcher_takes_a_scan_named_by_ticket_and_files_it_in_done(settings) -> None:
    rt = on_the_clock(Runtime(settings))
    scans = Path(settings.hot_folder) / SCANS
    (scans / "P-001 Statistik Daerah.pdf").write_bytes(tiny_pdf("Statistik Daerah", 2))
    watcher = HotFolderWatcher(rt)
    watcher.poll_once()  # first look: the size is noted
    watcher.poll_once()  # unchanged: taken
    assert rt.jobs.lanes[Lane.INTERACTIVE].pending_count() == 1
    assert rt.jobs.lanes[Lane.BATCH].pending_count() == 0
    assert (scans / "done" / "P-001 Statistik Daerah.pdf").is_file()
    with rt.uow() as uow:
        assert uow.session.scalar(select(VisitorScan.title)) == "Statistik Daerah"
    rt.jobs.flush()
    rt.close()


def test_a_scan_of_an_unknown_ticket_gets_a_reason_in_indonesian_then_english(settings) -> None:
    rt = on_the_clock(Runtime(settings))
    scans = Path(settings.hot_folder) / SCANS
    (scans / "P-042.pdf").write_bytes(tiny_pdf("Statistik Daerah", 1))
    watcher = HotFolderWatcher(rt)
    watcher.poll_once()
    watcher.poll_once()
    reason = (scans / "failed" / "P-042.pdf.reason.txt").read_text(encoding="utf-8")
    indonesian, english = reason.strip().split("\n\n")
    assert "Tidak ada tiket P-042 hari ini" in indonesian and "No ticket P-042 was given today" in english
    assert rt.jobs.pending_count() == 0
    rt.close()
