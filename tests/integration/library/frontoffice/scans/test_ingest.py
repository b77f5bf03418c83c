"""A scan of a publication the catalogue lacks can be sent on to ingest, through intake's own submit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from library.errors import InvalidInput, NotAllowed
from library.filestore import FileStore
from library.frontoffice.scans.ingest import check_send_scan_to_ingest
from library.frontoffice.scans.read_models import scan_view
from library.intake.ingest_job import run_ingest
from library.intake.submit import AlreadyIngested
from library.job_queue import NoQueue
from library.models import IngestChannel, IngestJob, IngestStatus, Publication, Role, VisitorScan
from library.uow import UnitOfWork
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.ingest_fixtures import make_worker
from tests.integration.library.pdf_helpers import tiny_pdf

queue = sh.queue  # the scan queue that records; the store: conftest


@pytest.fixture
def desk(uow: UnitOfWork) -> dict[str, object]:
    fo.load_offices(uow)
    return {"librarian": sh.librarian(uow), "code": sh.visit(uow)[1]}


def send(uow: UnitOfWork, store: FileStore, queue, actor, scan_id: int) -> int:
    with uow:
        job_id = check_send_scan_to_ingest(uow, store, queue, actor, scan_id, limits=sh.LIMITS, now=sh.NOW)
        uow.commit()
    return job_id


def scanned_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "P-001.pdf"
    path.write_bytes(tiny_pdf("Statistik Kesejahteraan Rakyat 1998", 2))
    return path


def test_the_same_master_becomes_an_ingest_job_titled_as_the_scan(uow, store, queue, tmp_path, desk) -> None:
    path = scanned_pdf(tmp_path)
    taken = sh.submit(
        uow, store, queue, desk["librarian"], path, ticket=desk["code"], title="Statistik Kesra 1998"
    )
    job_id = send(uow, store, queue, desk["librarian"], taken.scan_id)
    assert queue.ingested == [job_id]
    with uow:
        job = uow.session.get(IngestJob, job_id)
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert (job.source_sha256, job.draft, job.channel) == (
            scan.source_sha256,
            {"title": "Statistik Kesra 1998"},
            IngestChannel.UPLOAD.value,
        )
        assert (job.original_name, job.requested_by_id) == ("P-001.pdf", desk["librarian"].id)
        assert (scan.ingest_job_id, scan.ingest_sent_at, scan.ingest_sent_by_id) == (
            job_id,
            sh.NOW,
            desk["librarian"].id,
        )
        view = scan_view(uow, desk["librarian"], taken.scan_id)
    assert not view.offered_for_ingest and view.ingest_status is IngestStatus.QUEUED
    run_ingest(make_worker(uow, store, NoQueue()), job_id)  # type: ignore[arg-type]
    with uow:
        publication_id = uow.session.get(IngestJob, job_id).publication_id
        assert uow.session.get(Publication, publication_id).title == "Statistik Kesra 1998"
        assert scan_view(uow, desk["librarian"], taken.scan_id).ingest_publication_id == publication_id


def test_page_images_go_to_ingest_as_one_folder_in_their_order(uow, store, queue, tmp_path, desk) -> None:
    folder = tmp_path / "halaman"
    folder.mkdir()
    for page in (1, 2):
        sh.page_jpeg(folder / f"{page:04d}.jpg", f"Halaman {page}")
    taken = sh.submit(uow, store, queue, desk["librarian"], folder, ticket=desk["code"])
    job_id = send(uow, store, queue, desk["librarian"], taken.scan_id)
    with uow:
        job = uow.session.get(IngestJob, job_id)
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert job.source_kind == "images" and job.pages_total == 2
        assert [e["sha256"] for e in job.source_files] == [e["sha256"] for e in scan.source_files]


def test_a_scan_is_sent_only_once(uow, store, queue, tmp_path, desk) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], scanned_pdf(tmp_path), ticket=desk["code"])
    send(uow, store, queue, desk["librarian"], taken.scan_id)
    with pytest.raises(InvalidInput, match="already been sent to ingest"):
        send(uow, store, queue, desk["librarian"], taken.scan_id)


def test_a_scan_of_a_catalogued_publication_is_not_offered(uow, store, queue, tmp_path, desk) -> None:
    publication_id = sh.catalogued(uow)
    taken = sh.submit(
        uow,
        store,
        queue,
        desk["librarian"],
        scanned_pdf(tmp_path),
        ticket=desk["code"],
        publication_id=publication_id,
    )
    with pytest.raises(InvalidInput, match="already holds"):
        send(uow, store, queue, desk["librarian"], taken.scan_id)
    with uow:
        assert not scan_view(uow, desk["librarian"], taken.scan_id).offered_for_ingest


def test_a_file_already_in_the_library_is_refused_and_the_scan_stays_offered(
    uow, store, queue, tmp_path, desk
) -> None:
    path = scanned_pdf(tmp_path)
    taken = sh.submit(uow, store, queue, desk["librarian"], path, ticket=desk["code"])
    job_id = send(uow, store, queue, desk["librarian"], taken.scan_id)
    with uow:
        uow.session.get(IngestJob, job_id).status = IngestStatus.READY.value
        uow.session.get(VisitorScan, taken.scan_id).ingest_job_id = None
        uow.commit()
    with pytest.raises(AlreadyIngested, match="already in the library"):
        send(uow, store, queue, desk["librarian"], taken.scan_id)
    with uow:
        assert uow.session.scalar(select(VisitorScan.ingest_job_id)) is None


def test_only_a_librarian_sends_a_scan_to_ingest(uow, store, queue, tmp_path, desk) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], scanned_pdf(tmp_path), ticket=desk["code"])
    front = fo.person(uow, "depan@bps.go.id", [Role.FRONT_OFFICE])
    with pytest.raises(NotAllowed):
        send(uow, store, queue, front, taken.scan_id)
    assert queue.ingested == []
