"""Scans get a straight, light access copy; copies and the reader use it; the master stays as it came."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from sqlalchemy import func, select

from ingest.access import is_access_copy
from ingest.deskew import estimate_skew
from ingest.textlayer import add_text_layer
from ingest.words import Word
from library.catalogue.reading import check_read
from library.filestore import FileStore
from library.intake.access_copies import do_build_access_copies, scanned_publications
from library.intake.ingest_job import run_ingest
from library.ledger.deliveries import deliverable_file
from library.models import FileAsset, FileVersion, IngestJob, IngestStatus
from library.uow import UnitOfWork
from tests.conftest import require_service
from tests.integration.ingest.scan_pages import grey_scan
from tests.integration.library.ingest_fixtures import RecordingQueue, load_offices, make_worker, submit
from tests.integration.library.ledger_helpers import deliver
from tests.integration.library.pdf_helpers import tiny_pdf

SKEWS = (1.8,)  # one page of a few lines: OCR is the cost, and each test ingests
# The pictures and their words are the same on either database: a test of them runs on SQLite
# alone; what the database holds of access copies (which scans lack one, built once) runs on both.
PICTURES_ALONE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    """A grey 300-dpi scan, its page turned."""
    require_service("Tesseract", shutil.which("tesseract") is not None)
    path = tmp_path / "scan.pdf"
    grey_scan(path, SKEWS, lines=6)
    return path


def ingest(uow: UnitOfWork, store: FileStore, queue: RecordingQueue, path: Path) -> int:
    """Take the file in through an ingest job; return its publication id."""
    load_offices(uow)
    job_id = submit(uow, store, queue, path, draft={"publish": "1"}).job_id  # public at once: read below
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.READY
    with uow:
        publication_id = uow.session.get(IngestJob, job_id).publication_id
    assert publication_id is not None
    return publication_id


def assets(uow: UnitOfWork, publication_id: int, role: str) -> list[FileAsset]:
    with uow:
        rows = uow.session.scalars(
            select(FileAsset)
            .where(FileAsset.publication_id == publication_id, FileAsset.role == role)
            .order_by(FileAsset.id)
        ).all()
        uow.session.expunge_all()
        return list(rows)


@PICTURES_ALONE
def test_an_ingested_scan_gets_an_access_copy_of_at_most_300_kb_a_page(uow, store, queue, scan) -> None:
    publication_id = ingest(uow, store, queue, scan)
    (access,) = assets(uow, publication_id, "access")
    assert is_access_copy(store.path_for(access.sha256))
    assert access.size_bytes / len(SKEWS) <= 300_000 < scan.stat().st_size / len(SKEWS)


@PICTURES_ALONE
def test_the_access_copy_of_an_ingested_scan_shows_its_pages_straight(uow, store, queue, scan) -> None:
    publication_id = ingest(uow, store, queue, scan)
    (access,) = assets(uow, publication_id, "access")
    with pymupdf.open(store.path_for(access.sha256)) as doc:
        for page in doc:
            pixmap = page.get_pixmap(dpi=100, colorspace=pymupdf.csGRAY, alpha=False)
            assert abs(estimate_skew(_gray(pixmap))) <= 0.15


@PICTURES_ALONE
def test_ingesting_a_scan_leaves_its_master_byte_for_byte(uow, store, queue, scan) -> None:
    uploaded = hashlib.sha256(scan.read_bytes()).hexdigest()
    publication_id = ingest(uow, store, queue, scan)
    (master,) = assets(uow, publication_id, "master")
    assert master.sha256 == uploaded
    assert hashlib.sha256(store.path_for(master.sha256).read_bytes()).hexdigest() == uploaded


@PICTURES_ALONE
def test_a_copy_of_a_scan_is_stamped_from_its_access_copy(uow, store, queue, scan) -> None:
    publication_id = ingest(uow, store, queue, scan)
    (access,) = assets(uow, publication_id, "access")
    record = deliver(uow, store, publication_id)
    assert record.source_sha256 == access.sha256
    assert store.path_for(record.output_sha256).stat().st_size / len(SKEWS) <= 400_000


@PICTURES_ALONE
def test_the_reader_draws_a_scan_from_its_access_copy(uow, store, queue, scan) -> None:
    publication_id = ingest(uow, store, queue, scan)
    (access,) = assets(uow, publication_id, "access")
    with uow:
        copy = check_read(uow, None, publication_id, dt.date(2026, 1, 5), at_terminal=True)
    assert copy.sha256 == access.sha256


def make_it_old(uow: UnitOfWork, store: FileStore, publication_id: int, scan: Path, tmp_path: Path) -> str:
    """Give the publication the access copy ingest made before: the master with invisible words."""
    layered = tmp_path / "layered.pdf"
    add_text_layer(scan, layered, {1: [Word("KECAMATAN", 120, 250, 220, 262)]})
    old = store.put_file(layered)
    with uow:
        for row in uow.session.scalars(select(FileAsset).where(FileAsset.role == "access")):
            uow.session.delete(row)
        uow.session.add(
            FileAsset(
                publication_id=publication_id,
                sha256=old.sha256,
                role="access",
                media_type="application/pdf",
                size_bytes=old.size,
                page_count=len(SKEWS),
                origin="scanned",
                original_name="scan.pdf",
            )
        )
        uow.commit()
    return old.sha256


def test_a_scan_taken_in_before_gets_its_access_copy_and_only_once(uow, store, queue, scan, tmp_path) -> None:
    publication_id = ingest(uow, store, queue, scan)
    old = make_it_old(uow, store, publication_id, scan, tmp_path)
    factory = uow._session_factory
    (first,) = do_build_access_copies(factory, store)
    (second,) = do_build_access_copies(factory, store)
    assert (first.outcome, second.outcome) == ("built", "current")
    assert first.bytes_after < first.bytes_before
    with uow:
        newest = deliverable_file(uow, publication_id)
        assert newest.sha256 != old and is_access_copy(store.path_for(newest.sha256))
        assert (
            uow.session.scalar(select(func.count()).select_from(FileAsset).where(FileAsset.role == "access"))
            == 2
        )


@PICTURES_ALONE
def test_the_rebuilt_access_copy_keeps_the_words_of_the_old_text_layer(
    uow, store, queue, scan, tmp_path
) -> None:
    publication_id = ingest(uow, store, queue, scan)
    make_it_old(uow, store, publication_id, scan, tmp_path)
    list(do_build_access_copies(uow._session_factory, store))
    with uow:
        newest = deliverable_file(uow, publication_id).sha256
    with pymupdf.open(store.path_for(newest)) as doc:
        assert doc[0].search_for("KECAMATAN")


def test_born_digital_publications_are_not_counted_as_scans(uow, store, queue, tmp_path) -> None:
    path = tmp_path / "digital.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    ingest(uow, store, queue, path)
    with uow:
        assert scanned_publications(uow) == []


def _gray(pixmap: pymupdf.Pixmap) -> np.ndarray:
    rows = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
    return rows[:, : pixmap.width]


def test_the_rebuilt_access_copy_serves_the_same_version(uow, store, queue, scan, tmp_path) -> None:
    publication_id = ingest(uow, store, queue, scan)
    old = make_it_old(uow, store, publication_id, scan, tmp_path)
    with uow:  # as migration 0046 recorded a publication taken in before access copies
        version = uow.session.scalar(select(FileVersion).where(FileVersion.publication_id == publication_id))
        version.copy_sha256 = old
        uow.commit()
    (built,) = do_build_access_copies(uow._session_factory, store)
    assert built.outcome == "built"
    with uow:
        newest = deliverable_file(uow, publication_id).sha256
        of_it = FileVersion.publication_id == publication_id
        versions = uow.session.execute(select(FileVersion.number, FileVersion.copy_sha256).where(of_it)).all()
    assert [tuple(v) for v in versions] == [(1, newest)]  # drawn again, not a new edition
