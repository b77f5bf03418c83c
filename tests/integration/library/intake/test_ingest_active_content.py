"""Taking in a PDF with active content: the access copy is clean, the master untouched, the report says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pymupdf
from sqlalchemy import select

from library.filestore import FileStore
from library.intake.ingest_job import run_ingest
from library.intake.notes import Note, read_notes
from library.ledger.deliveries import Deliverable, DeliveryOrder, deliver_file
from library.models import DeliveryChannel, FileAsset, FileRole, IngestJob, IngestStatus, Office
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import RecordingQueue, load_offices, make_worker, submit
from tests.integration.library.ledger_helpers import DEWI, SECRET, VERIFY, deliver
from tests.integration.watermark.active_pdfs import TITLE, active_names, hostile_pdf, linked_pdf


def _ingest(uow: UnitOfWork, store: FileStore, queue: RecordingQueue, path: Path) -> IngestJob:
    load_offices(uow)
    job_id = submit(uow, store, queue, path, draft={"access_level": "open"}).job_id
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.READY
    with uow:
        job = uow.session.get(IngestJob, job_id)
        uow.session.expunge(job)
    return job


def _files(uow: UnitOfWork, publication_id: int) -> dict[str, FileAsset]:
    with uow:
        rows = uow.session.scalars(select(FileAsset).where(FileAsset.publication_id == publication_id)).all()
        uow.session.expunge_all()
    return {row.role: row for row in rows}


def _copy(uow: UnitOfWork, store: FileStore, publication_id: int) -> bytes:
    return store.path_for(deliver(uow, store, publication_id).output_sha256).read_bytes()


def test_the_access_copy_of_a_hostile_pdf_is_clean_and_its_master_is_kept_as_it_came(
    uow, store, queue, tmp_path
) -> None:
    path = tmp_path / "statda.pdf"
    path.write_bytes(hostile_pdf())
    job = _ingest(uow, store, queue, path)
    files = _files(uow, job.publication_id)
    master = store.path_for(files[FileRole.MASTER.value].sha256).read_bytes()
    assert master == path.read_bytes() and "/JS" in active_names(master)
    access = store.path_for(files[FileRole.ACCESS.value].sha256).read_bytes()
    assert active_names(access) == set()
    assert files[FileRole.ACCESS.value].page_count == 2


def test_the_ingest_report_says_what_was_removed_kind_by_kind(uow, store, queue, tmp_path) -> None:
    path = tmp_path / "statda.pdf"
    path.write_bytes(hostile_pdf())
    notes = read_notes(_ingest(uow, store, queue, path).notes)
    assert notes[0].message.startswith("This PDF carried active content.")
    counted = {note.message: note.num for note in notes if note.plural}
    assert counted == {
        "JavaScript removed (%(num)s script).": 5,
        "%(num)s action that opens a program or another file removed.": 1,
        "%(num)s form action that sends or imports data removed.": 1,
        "%(num)s multimedia item (video, sound or 3D) removed.": 1,
        "%(num)s embedded file removed.": 2,
    }
    assert Note("XFA form removed.") in notes


def test_a_copy_delivered_from_the_ingested_publication_is_clean_and_stamped(
    uow, store, queue, tmp_path
) -> None:
    path = tmp_path / "statda.pdf"
    path.write_bytes(hostile_pdf())
    data = _copy(uow, store, _ingest(uow, store, queue, path).publication_id)
    assert active_names(data) == set()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            assert "Dewi Lestari" in page.get_text() and f"{TITLE} - halaman {number}" in page.get_text()


def test_a_clean_pdf_is_its_own_access_copy_and_its_report_is_silent(uow, store, queue, tmp_path) -> None:
    path = tmp_path / "tautan.pdf"
    path.write_bytes(linked_pdf())
    job = _ingest(uow, store, queue, path)
    assert read_notes(job.notes) == ()
    assert set(_files(uow, job.publication_id)) == {FileRole.MASTER.value, FileRole.THUMBNAIL.value}


def test_a_master_stored_before_cleaning_began_still_gives_a_clean_copy(uow, store) -> None:
    # An older instance: the publication's only PDF is its master, never cleaned at ingest.
    load_offices(uow)
    stored = store.put_bytes(hostile_pdf())
    with uow:
        office = uow.session.scalar(select(Office).where(Office.code == "1872"))
        record = deliver_file(
            uow,
            store,
            SYSTEM,
            Deliverable(stored.sha256, "Statistik Daerah", office),
            DeliveryOrder(DEWI, DeliveryChannel.STAFF, SECRET, VERIFY, delivered_at=dt.datetime.now(dt.UTC)),
        )
        uow.commit()
    assert active_names(store.path_for(record.output_sha256).read_bytes()) == set()
    assert "/JS" in active_names(store.path_for(stored.sha256).read_bytes())
