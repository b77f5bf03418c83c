"""An ingest job turns a queued file into a publication with files and page texts, exactly once."""

from __future__ import annotations

import datetime as dt
import shutil

import pymupdf
from sqlalchemy import func, select, update

from library.intake.ingest_job import run_ingest
from library.intake.recovery import requeue_stalled
from library.models import (
    FileAsset,
    IngestChannel,
    IngestJob,
    IngestPage,
    IngestStatus,
    PageText,
    Publication,
)
from library.models.base import utcnow
from tests.conftest import require_service
from tests.integration.library.ingest_fixtures import load_offices, make_worker, submit
from tests.integration.library.pdf_helpers import scanned_pdf, tiny_pdf


def needs_tesseract() -> None:
    require_service("Tesseract", shutil.which("tesseract") is not None)


def count(uow, model) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def test_a_born_digital_pdf_becomes_a_publication_with_its_page_texts(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    path = tmp_path / "statistik-daerah.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah Kota Metro", 3))
    job_id = submit(
        uow,
        store,
        queue,
        path,
        draft={"title": "Statistik Daerah Kota Metro 2023", "access_level": "registered"},
    ).job_id
    seen = []
    status = run_ingest(
        make_worker(uow, store, queue), job_id, lambda done, total: seen.append((done, total))
    )
    assert status is IngestStatus.READY
    with uow:
        job = uow.session.get(IngestJob, job_id)
        publication = uow.session.get(Publication, job.publication_id)
        assert publication.title == "Statistik Daerah Kota Metro 2023"
        assert publication.access_level == "registered"
        assert publication.issuing_office.code == "1872"
        texts = uow.session.scalars(select(PageText).order_by(PageText.page_number)).all()
        assert [t.page_number for t in texts] == [1, 2, 3]
        assert all(t.source == "layer" for t in texts) and "halaman 2" in texts[1].text
        roles = sorted(uow.session.scalars(select(FileAsset.role)))
        assert roles == ["master", "thumbnail"]  # born-digital: the master is the access copy
        assert job.pages_done == job.pages_total == 3
        publication_id = job.publication_id
    assert queue.indexed == [publication_id]
    assert seen[-1] == (3, 3)


def test_a_scan_is_ocred_into_a_searchable_access_copy(uow, store, queue, tmp_path) -> None:
    needs_tesseract()
    load_offices(uow)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf([["Jumlah penduduk menurut kecamatan"], ["Produksi padi sawah"]]))
    job_id = submit(uow, store, queue, path).job_id
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.READY
    with uow:
        texts = uow.session.scalars(select(PageText).order_by(PageText.page_number)).all()
        assert [t.source for t in texts] == ["ocr", "ocr"]
        assert "penduduk" in texts[0].text.lower() and "padi" in texts[1].text.lower()
        access = uow.session.scalar(select(FileAsset).where(FileAsset.role == "access"))
        assert access is not None and access.origin == "scanned"
        access_sha = access.sha256
        assert uow.session.scalar(select(func.count(IngestPage.job_id))) == 0  # staging emptied
    with pymupdf.open(store.path_for(access_sha)) as doc:
        assert doc[0].search_for("kecamatan")


def test_a_restarted_job_keeps_the_pages_it_had_finished(uow, store, queue, tmp_path) -> None:
    needs_tesseract()
    load_offices(uow)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf([["Jumlah penduduk"], ["Produksi padi"]]))
    job_id = submit(uow, store, queue, path).job_id
    with uow:  # a first worker finished page 1, then died: its lease has run out
        uow.session.add(
            IngestPage(
                job_id=job_id,
                page_number=1,
                text="kept from the first worker",
                words=[["kept", 10, 10, 40, 20]],
            )
        )
        uow.session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id)
            .values(status="processing", claimed_by="dead:1", heartbeat_at=utcnow() - dt.timedelta(minutes=5))
        )
        uow.commit()
    worker = make_worker(uow, store, queue)
    assert requeue_stalled(worker) == [job_id]
    assert requeue_stalled(worker) == []  # once
    assert run_ingest(worker, job_id) is IngestStatus.READY
    with uow:
        texts = uow.session.scalars(select(PageText.text).order_by(PageText.page_number)).all()
        assert texts[0] == "kept from the first worker" and "padi" in texts[1].lower()
        assert uow.session.get(IngestJob, job_id).attempts == 1


def test_a_job_held_by_a_live_worker_is_not_taken(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 1))
    job_id = submit(uow, store, queue, path).job_id
    with uow:
        uow.session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id)
            .values(status="processing", claimed_by="alive:1", heartbeat_at=utcnow())
        )
        uow.commit()
    worker = make_worker(uow, store, queue)
    assert requeue_stalled(worker) == []
    assert run_ingest(worker, job_id) is None
    assert count(uow, Publication) == 0


def test_a_finished_job_run_again_makes_nothing_more(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 2))
    job_id = submit(uow, store, queue, path).job_id
    assert run_ingest(make_worker(uow, store, queue, "w:1"), job_id) is IngestStatus.READY
    assert run_ingest(make_worker(uow, store, queue, "w:2"), job_id) is None
    assert count(uow, Publication) == 1 and count(uow, PageText) == 2


def test_a_worker_that_lost_its_claim_publishes_nothing(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 2))
    job_id = submit(uow, store, queue, path).job_id

    def taken_over(done: int, total: int) -> None:
        with uow:
            uow.session.execute(update(IngestJob).values(claimed_by="other:9"))
            uow.commit()

    assert run_ingest(make_worker(uow, store, queue), job_id, taken_over) is None
    assert count(uow, Publication) == 0 and count(uow, PageText) == 0
    with uow:
        assert uow.session.get(IngestJob, job_id).status == "processing"


def test_a_job_whose_file_breaks_in_the_worker_fails_with_its_reason(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    path = tmp_path / "a.pdf"
    path.write_bytes(tiny_pdf("A", 2))
    job_id = submit(uow, store, queue, path).job_id
    with uow:  # the stored master vanished (a disk replaced without its files, say)
        sha = uow.session.get(IngestJob, job_id).source_sha256
    stored = store.path_for(sha)
    stored.chmod(0o644)
    stored.unlink()
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.FAILED
    with uow:
        job = uow.session.get(IngestJob, job_id)
        assert job.status == "failed" and job.error_code and job.error_params["name"] == "a.pdf"
    assert count(uow, Publication) == 0


def test_an_ingest_into_a_matched_record_keeps_its_curated_metadata(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    from library.models import Office

    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        uow.session.add(
            Publication(
                key="sd",
                title="Statistik Daerah (curated)",
                issuing_office_id=office_id,
                katalog_bps="1101002.1872",
                access_level="restricted",
            )
        )
        uow.commit()
    path = tmp_path / "1101002.1872.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    job_id = submit(uow, store, queue, path, channel=IngestChannel.HOT_FOLDER).job_id
    assert run_ingest(make_worker(uow, store, queue), job_id) is IngestStatus.READY
    with uow:
        publications = uow.session.scalars(select(Publication)).all()
        assert len(publications) == 1
        assert publications[0].title == "Statistik Daerah (curated)"
        assert publications[0].access_level == "restricted"
        assert uow.session.scalar(select(func.count(PageText.page_number))) == 2
