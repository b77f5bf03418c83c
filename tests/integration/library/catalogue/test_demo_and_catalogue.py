"""The demo load takes each PDF in through the ingest pipeline; the catalogue reads them back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

import catalog_data
from library.catalogue import read_models as catalogue
from library.catalogue.demo import DemoNotLoaded, demo_draft, load_demo
from library.errors import InvalidInput, NotFound
from library.filestore import FileStore
from library.intake.ingest_job import run_ingest
from library.models import AccessLevel, FileAsset, IngestChannel, IngestJob, PageText, Publication
from library.models.base import utcnow
from library.uow import UnitOfWork
from tests.integration.library.ingest_fixtures import RecordingQueue, load_demo_records, make_worker, submit
from tests.integration.library.pdf_helpers import tiny_pdf

TODAY = dt.date(2026, 11, 21)


def render(record: catalog_data.DemoPublication) -> bytes:
    """Stand in for the demo generator with a quick two-page PDF."""
    return tiny_pdf(record.title)


@pytest.fixture
def records() -> list[catalog_data.DemoPublication]:
    return catalog_data.load_demo_catalogue()[:6]


def load(uow: UnitOfWork, store: FileStore, records: list, queue: RecordingQueue | None = None) -> object:
    return load_demo_records(uow, store, records, render, queue)


def submit_demo(uow: UnitOfWork, store: FileStore, record, tmp_path: Path) -> int:
    """Submit a demo record's PDF the way the loader does, without running its job."""
    path = tmp_path / f"{record.key}.pdf"
    path.write_bytes(render(record))
    return submit(
        uow, store, RecordingQueue(), path, channel=IngestChannel.DEMO, draft=demo_draft(record)
    ).job_id


def test_each_demo_publication_gets_its_master_and_thumbnail(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    store = FileStore(tmp_path / "files")
    with uow:
        report = load(uow, store, records)
        roles = uow.session.execute(select(FileAsset.role, func.count()).group_by(FileAsset.role)).all()
    assert report.created == len(records)
    assert dict(roles) == {"master": len(records), "thumbnail": len(records)}
    assert len(list(store.digests())) == 2 * len(records)


def test_loading_again_adds_nothing(uow: UnitOfWork, tmp_path: Path, records) -> None:
    store = FileStore(tmp_path / "files")
    with uow:
        load(uow, store, records)
    with uow:
        report = load(uow, store, records)
        assert uow.session.scalar(select(func.count(Publication.id))) == len(records)
    assert (report.created, report.skipped) == (0, len(records))


def test_an_interrupted_load_keeps_what_was_done_and_resumes(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    store = FileStore(tmp_path / "files")
    calls = 0

    def failing(record: catalog_data.DemoPublication) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("power cut")
        return render(record)

    with uow, pytest.raises(RuntimeError):
        load_demo(make_worker(uow, store, RecordingQueue()), catalog_data.load_offices(), records, failing)
    with uow:
        assert uow.session.scalar(select(func.count(Publication.id))) == 2
        report = load(uow, store, records)
    assert (report.created, report.skipped) == (len(records) - 2, 2)


def test_each_demo_publication_comes_from_a_demo_ingest_job_with_its_record_as_draft(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    with uow:
        load(uow, FileStore(tmp_path / "files"), records)
        jobs = uow.session.scalars(select(IngestJob).order_by(IngestJob.id)).all()
        keys = [uow.session.get(Publication, job.publication_id).key for job in jobs]
        assert {(job.channel, job.status) for job in jobs} == {("demo", "ready")}
        assert (jobs[0].draft["title"], jobs[0].draft["office"]) == (records[0].title, records[0].office)
    assert keys == [r.key for r in records]


def test_each_demo_publication_has_its_page_texts_and_is_indexed_once_complete(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    queue = RecordingQueue()
    with uow:
        load(uow, FileStore(tmp_path / "files"), records, queue)
        texts = uow.session.scalar(select(func.count()).select_from(PageText))
        ids = list(uow.session.scalars(select(Publication.id).order_by(Publication.id)))
    assert texts == 2 * len(records)
    assert queue.indexed == ids and queue.ingested == []


def test_a_load_that_stopped_after_submitting_runs_the_waiting_job(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    store = FileStore(tmp_path / "files")
    with uow:
        load(uow, store, [])  # the offices
    job_id = submit_demo(uow, store, records[0], tmp_path)
    report = load(uow, store, records[:1])
    with uow:
        job = uow.session.get(IngestJob, job_id)
        assert uow.session.scalar(select(func.count()).select_from(IngestJob)) == 1
        assert uow.session.get(Publication, job.publication_id).key == records[0].key
    assert report.created == 1


def test_a_load_that_stopped_after_publishing_completes_that_publication(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    record = next(r for r in catalog_data.load_demo_catalogue() if len(r.holdings) > 1)
    store = FileStore(tmp_path / "files")
    with uow:
        load(uow, store, [])
    job_id = submit_demo(uow, store, record, tmp_path)
    run_ingest(make_worker(uow, store, RecordingQueue()), job_id)
    report = load(uow, store, [record])
    with uow:
        (publication,) = uow.session.scalars(select(Publication)).all()
        assert publication.key == record.key
        assert publication.scheduled_release == record.scheduled_release
        assert sorted(h.location for h in publication.holdings) == sorted(h.location for h in record.holdings)
    assert report.created == 1


def test_a_demo_pdf_another_worker_is_taking_in_stops_the_load_with_its_key(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    store = FileStore(tmp_path / "files")
    with uow:
        load(uow, store, [])
    job_id = submit_demo(uow, store, records[0], tmp_path)
    with uow:
        job = uow.session.get(IngestJob, job_id)
        job.status, job.claimed_by, job.heartbeat_at = "processing", "elsewhere:1", utcnow()
        uow.commit()
    with pytest.raises(DemoNotLoaded, match=f"{records[0].key} is being taken in by another worker"):
        load(uow, store, records[:1])


def test_a_record_naming_an_unknown_office_is_refused_with_its_key(
    uow: UnitOfWork, tmp_path: Path, records
) -> None:
    bad = dataclasses.replace(records[0], office="9999")
    with uow, pytest.raises(InvalidInput, match=f"{bad.key} names an unknown office 9999"):
        load(uow, FileStore(tmp_path / "files"), [bad])


def test_the_catalogue_lists_newest_first_and_pages(uow: UnitOfWork, tmp_path: Path, records) -> None:
    with uow:
        load(uow, FileStore(tmp_path / "files"), records)
        first = catalogue.list_publications(uow, today=TODAY, per_page=4)
        second = catalogue.list_publications(uow, today=TODAY, page=2, per_page=4)
    assert first.total == len(records) and first.pages == 2
    dates = [
        next(r for r in records if r.title == i.title).actual_release or dt.date.min for i in first.items
    ]
    assert dates == sorted(dates, reverse=True)
    assert {i.id for i in first.items}.isdisjoint({i.id for i in second.items})


def test_the_catalogue_filters_by_office(uow: UnitOfWork, tmp_path: Path) -> None:
    records = catalog_data.load_demo_catalogue()
    sample = [r for r in records if r.office == "1600"][:2] + [r for r in records if r.office == "1872"][:2]
    with uow:
        load(uow, FileStore(tmp_path / "files"), sample)
        listing = catalogue.list_publications(uow, today=TODAY, office_code="1600")
    assert {i.office_code for i in listing.items} == {"1600"}
    assert listing.total == 2


def test_a_publication_detail_carries_files_and_holdings(uow: UnitOfWork, tmp_path: Path) -> None:
    record = next(r for r in catalog_data.load_demo_catalogue() if len(r.holdings) > 1)
    with uow:
        load(uow, FileStore(tmp_path / "files"), [record])
        pid = uow.session.scalar(select(Publication.id))
        detail = catalogue.get_publication(uow, pid, today=TODAY)
    assert detail.summary.katalog_bps == record.katalog_bps
    assert detail.page_count == 2 and detail.origin == "born_digital"
    assert [(h.location, h.copies, h.reading_room_only) for h in detail.holdings] == [
        (h.location, h.copies, h.reading_room_only) for h in record.holdings
    ]
    assert detail.summary.thumbnail_sha256 is not None


def test_an_embargo_is_lifted_on_its_date(uow: UnitOfWork, tmp_path: Path) -> None:
    record = next(r for r in catalog_data.load_demo_catalogue() if r.access_level == "embargoed")
    assert record.embargo_until is not None
    with uow:
        load(uow, FileStore(tmp_path / "files"), [record])
        pid = uow.session.scalar(select(Publication.id))
        before = catalogue.get_publication(uow, pid, today=record.embargo_until - dt.timedelta(days=1))
        after = catalogue.get_publication(uow, pid, today=record.embargo_until)
    assert before.summary.access_level is AccessLevel.EMBARGOED
    assert after.summary.access_level is AccessLevel.OPEN


@pytest.mark.parametrize(("page", "per_page"), [(0, 10), (1, 0), (1, 101)])
def test_impossible_paging_is_refused(uow: UnitOfWork, page: int, per_page: int) -> None:
    with uow, pytest.raises(InvalidInput):
        catalogue.list_publications(uow, today=TODAY, page=page, per_page=per_page)


def test_a_missing_publication_is_not_found(uow: UnitOfWork) -> None:
    with uow, pytest.raises(NotFound, match="There is no publication number 42"):
        catalogue.get_publication(uow, 42, today=TODAY)


def test_the_database_refuses_an_embargo_without_a_date(uow: UnitOfWork, tmp_path: Path, records) -> None:
    from sqlalchemy.exc import IntegrityError

    with uow:
        load(uow, FileStore(tmp_path / "files"), records[:1])
        publication = uow.session.scalar(select(Publication))
        publication.access_level = "embargoed"
        with pytest.raises(IntegrityError):
            uow.session.flush()
