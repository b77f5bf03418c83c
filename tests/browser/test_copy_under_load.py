"""A reader's copy is ready while a librarian's large scan is still being OCR'd: it never waits behind it.

Unlike the softcopy journey (queue in immediate mode), here a real consumer takes the jobs, as
inside `pustaka serve`: both lanes, the settings' default workers, the app's own queue. A
40-page scan is taken in first (its ingest runs in a niced child process on the batch lane);
once it is processing, a reader signs in, finds an open publication, asks for three pages and
waits until the copy is ready (the request's row says so; the page then shows it). The scan must
still be processing then: the copy went down the interactive lane and did not wait for the batch
lane. No wall-clock assertion: the waits are generous, and only the order of the two events is
checked.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from library.intake.submit import check_submit
from library.models import AccessLevel, IngestChannel, IngestJob, IngestStatus, RequestStatus, SoftcopyRequest
from library.permissions import SYSTEM
from library.settings import Settings
from runtime.consumer import Consuming, start_embedded
from runtime.root import Runtime
from tests.browser.pictures import shoot
from tests.browser.softcopy_helpers import (
    LiveServer,
    download,
    find_request_form,
    make_person,
    publication,
    send_request,
    sign_in,
)
from tests.demo_fixtures import clone_instance
from tests.integration.library.pdf_helpers import scanned_pdf
from tests.serving import serve
from tests.waiting import wait_until
from webapp import create_app

SCAN_PAGES = 40
WAIT_SECONDS = 600  # generous: the machine may be busy; only the order of events is asserted
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[LiveServer]:
    """Serve an indexed demo instance whose jobs wait in its queue for a consumer, for this module."""
    instance = clone_instance(indexed_instance, tmp_path_factory.mktemp("under-load") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    with serve(app) as url:
        yield LiveServer(url, app)
    app.extensions["pustaka"].jobs.rt.close()


@pytest.fixture
def consuming(busy_server: LiveServer) -> Iterator[Consuming]:
    """Consume both lanes of the served app's queue with the default workers, as `pustaka serve` does.

    At the end, the batch job still running (the scan) has its child process ended, with its
    Tesseract processes, so nothing the test started keeps running; the job is then marked
    failed, or the next test's consumer would first take it over (a job whose process ended
    is resumed at once) and its own scan would wait behind this one's 40 pages.
    """
    rt: Runtime = busy_server.app.extensions["pustaka"]
    running = start_embedded(rt.jobs)
    yield running
    running.stop()  # take no further job
    end_batch_children()
    running.stop(graceful=True)  # the workers end at once: none is running a job now
    with rt.uow() as uow:
        uow.session.execute(
            update(IngestJob)
            .where(IngestJob.status == IngestStatus.PROCESSING.value)
            .values(
                status=IngestStatus.FAILED.value, error_code="stopped", error_message="Ended by the test."
            )
        )
        uow.commit()


@pytest.fixture
def scan(
    busy_server: LiveServer, consuming: Consuming, request: pytest.FixtureRequest, tmp_path: Path
) -> int:
    """Queue a large scanned PDF for ingest as the desk upload does; wait until its OCR runs."""
    rt: Runtime = busy_server.app.extensions["pustaka"]
    source = tmp_path / "sensus-pertanian-2023.pdf"
    tag = request.node.callspec.id  # a different file per run: the same file would not be taken twice
    source.write_bytes(
        scanned_pdf(
            [
                [f"Sensus Pertanian 2023 ({tag})", f"Halaman {n}: jumlah rumah tangga usaha pertanian"]
                for n in range(1, SCAN_PAGES + 1)
            ]
        )
    )
    with rt.uow() as uow:
        job_id = check_submit(
            uow,
            rt.store,
            rt.jobs,
            SYSTEM,
            source,
            channel=IngestChannel.UPLOAD,
            limits=rt.ingest_limits,
            original_name=source.name,
            now=rt.now(),
        ).job_id
        uow.commit()
    wait_until(
        lambda: ocr_running(ingest_job(rt, job_id)),
        timeout=WAIT_SECONDS,
        message="the scan's OCR did not start",
    )
    return job_id


def ingest_job(rt: Runtime, job_id: int) -> IngestJob:
    """Return a fresh, detached copy of an ingest job's row."""
    with rt.uow() as uow:
        job = uow.session.get(IngestJob, job_id)
        assert job is not None
        uow.session.expunge(job)
    return job


def ocr_running(job: IngestJob) -> bool:
    """Tell whether an ingest job is processing and has reached its OCR (its page count is known)."""
    return job.status == "processing" and job.pages_total == SCAN_PAGES


def request_status(rt: Runtime, number: str) -> str | None:
    """Return where a softcopy request stands now, as its row says."""
    with rt.uow() as uow:
        return uow.session.scalar(select(SoftcopyRequest.status).where(SoftcopyRequest.number == number))


def end_batch_children() -> None:
    """Kill the batch child processes this process started, and the Tesseract processes they run."""
    for child in multiprocessing.active_children():
        if child.name.startswith("pustaka-") and child.pid is not None:
            os.kill(child.pid, signal.SIGSTOP)  # it starts no new Tesseract while its own are found
            for pid in descendants(child.pid):
                os.kill(pid, signal.SIGKILL)
            child.kill()
            child.join()


def descendants(pid: int) -> list[int]:
    """Return the ids of a process's children, grandchildren and so on (from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


@pytest.fixture(params=list(VIEWPORTS))
def reader_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Open a fresh browser context at a desktop or a 360 px phone width."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    yield context.new_page()
    context.close()


def test_a_readers_copy_is_ready_while_a_large_scan_is_still_being_ingested(
    busy_server: LiveServer,
    scan: int,
    reader_page: Page,
    screenshots: Path,
) -> None:
    page, base, rt = reader_page, busy_server.url, busy_server.app.extensions["pustaka"]
    width = page.viewport_size["width"] if page.viewport_size else 0
    address, name = f"sekar.{width}@example.id", "Sekar Ayu Lestari"
    make_person(busy_server.app, address, name)
    sign_in(page, base, address)

    pub_id, title = publication(busy_server.app, AccessLevel.OPEN)
    find_request_form(page, base, pub_id, title)
    page.get_by_label("Sebagian halaman saja").check()
    page.get_by_label("Halaman", exact=True).fill("1-3")
    page.get_by_label("Tujuan", exact=True).select_option("research")
    page.get_by_label("Untuk apa data ini akan Anda gunakan?").fill("Tabel luas panen padi untuk skripsi.")
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()
    number = send_request(page)
    assert ingest_job(rt, scan).status == "processing", "the scan ended before the reader asked"

    # The copy's row, not the page: the page asks for news less and less often (up to once a
    # minute), and the scan's state is to be read the moment the copy is ready.
    wait_until(
        lambda: request_status(rt, number) == RequestStatus.READY,
        timeout=WAIT_SECONDS,
        message=f"the copy of {number} was not ready",
    )
    scan_then = ingest_job(rt, scan)

    page.reload()
    ready = page.get_by_role("main").get_by_text("Siap diunduh", exact=True)  # the status, not the history
    expect(ready).to_be_visible()
    shoot(page, screenshots / f"under-load-ready-{width}.png", full_page=True)
    assert scan_then.status == "processing", (
        f"the copy of {number} was ready only once the scan had ended ({scan_then.status},"
        f" {scan_then.pages_done}/{SCAN_PAGES} pages): it waited behind batch work"
    )
    with pymupdf.open(stream=io.BytesIO(download(page)), filetype="pdf") as pdf:
        assert pdf.page_count == 3
        unnamed = [p.number + 1 for p in pdf if name not in p.get_text()]
    assert unnamed == [], f"pages without the reader's name: {unnamed}"
