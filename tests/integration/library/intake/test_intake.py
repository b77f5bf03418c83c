"""Taking a file in: it is checked, its master kept, its job queued after commit, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from library.errors import InvalidInput, NotAllowed
from library.intake.submit import AlreadyIngested, IngestRefused, check_submit, retry_job
from library.models import IngestChannel, IngestJob, IngestStatus, Office, Publication, Role
from library.permissions import SYSTEM
from tests.integration.ingest import hostile_files
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.ingest_fixtures import LIMITS, load_offices, submit
from tests.integration.library.pdf_helpers import tiny_pdf

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # the time the use cases are told


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "statistik-daerah.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah Kota Metro", 3))
    return path


def test_a_submitted_pdf_is_stored_and_queued_after_commit(uow, store, queue, pdf) -> None:
    load_offices(uow)
    with uow:
        submission = check_submit(
            uow, store, queue, SYSTEM, pdf, channel=IngestChannel.CLI, limits=LIMITS, now=NOW
        )
        assert queue.ingested == []  # not before the commit
        uow.commit()
    assert queue.ingested == [submission.job_id]
    assert submission.status is IngestStatus.QUEUED and submission.page_count == 3
    with uow:
        job = uow.session.get(IngestJob, submission.job_id)
        assert job.status == "queued" and job.pages_total == 3 and job.source_kind == "pdf"
        assert store.read_bytes(job.source_sha256) == pdf.read_bytes()


def test_a_rolled_back_submission_leaves_no_job_and_queues_nothing(uow, store, queue, pdf) -> None:
    load_offices(uow)
    with uow:
        check_submit(uow, store, queue, SYSTEM, pdf, channel=IngestChannel.CLI, limits=LIMITS, now=NOW)
    assert queue.ingested == []
    with uow:
        assert uow.session.scalar(select(func.count(IngestJob.id))) == 0


def test_the_same_file_twice_is_one_job(uow, store, queue, pdf, tmp_path) -> None:
    load_offices(uow)
    first = submit(uow, store, queue, pdf)
    copy = tmp_path / "copy-with-another-name.pdf"
    copy.write_bytes(pdf.read_bytes())
    second = submit(uow, store, queue, copy)
    assert second.job_id == first.job_id and second.already_queued
    with uow:
        assert uow.session.scalar(select(func.count(IngestJob.id))) == 1


def test_a_file_already_in_the_library_is_refused_with_its_publication(uow, store, queue, pdf) -> None:
    load_offices(uow)
    first = submit(uow, store, queue, pdf)
    with uow:
        uow.session.get(IngestJob, first.job_id).status = IngestStatus.READY.value
        uow.commit()
    with pytest.raises(AlreadyIngested, match="already in the library"):
        submit(uow, store, queue, pdf)


def test_a_failed_file_submitted_again_is_retried(uow, store, queue, pdf) -> None:
    load_offices(uow)
    first = submit(uow, store, queue, pdf)
    with uow:
        job = uow.session.get(IngestJob, first.job_id)
        job.status, job.error_code = IngestStatus.FAILED.value, "ocr_failed"
        uow.commit()
    again = submit(uow, store, queue, pdf, now=NOW)
    assert again.retried and again.job_id == first.job_id
    assert queue.ingested == [first.job_id, first.job_id]
    with uow:
        job = uow.session.get(IngestJob, first.job_id)
        assert job.status == "queued" and job.error_code == ""
        assert job.created_at == NOW  # queued again at the time the caller gave


def test_only_a_failed_job_can_be_retried(uow, store, queue, pdf) -> None:
    load_offices(uow)
    first = submit(uow, store, queue, pdf)
    with uow, pytest.raises(InvalidInput, match="Only a failed job"):
        retry_job(uow, queue, SYSTEM, first.job_id, now=NOW)


def test_a_katalog_number_in_the_file_name_matches_the_existing_record(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        uow.session.add(
            Publication(
                key="sd-2023",
                title="Statistik Daerah",
                issuing_office_id=office_id,
                katalog_bps="1101002.1872",
            )
        )
        uow.commit()
        pub_id = uow.session.scalar(select(Publication.id))
    path = tmp_path / "1101002.1872_statistik-daerah.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    submission = submit(uow, store, queue, path, channel=IngestChannel.HOT_FOLDER)
    with uow:
        assert uow.session.get(IngestJob, submission.job_id).publication_id == pub_id


def test_a_katalog_number_shared_by_several_editions_needs_the_year_to_match(
    uow, store, queue, tmp_path
) -> None:
    load_offices(uow)
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        for year in (2023, 2024):
            uow.session.add(
                Publication(
                    key=f"da-{year}",
                    title=f"Kota Metro Dalam Angka {year}",
                    issuing_office_id=office_id,
                    katalog_bps="1102001.1872",
                    actual_release=dt.date(year, 2, 28),
                )
            )
        uow.commit()
        wanted = uow.session.scalar(select(Publication.id).where(Publication.key == "da-2024"))
    plain = tmp_path / "1102001.1872.pdf"
    plain.write_bytes(tiny_pdf("Dalam Angka", 2))
    dated = tmp_path / "1102001.1872 Dalam Angka 2024.pdf"
    dated.write_bytes(tiny_pdf("Dalam Angka 2024", 3))
    ambiguous = submit(uow, store, queue, plain, channel=IngestChannel.HOT_FOLDER)
    matched = submit(uow, store, queue, dated, channel=IngestChannel.HOT_FOLDER)
    with uow:
        assert uow.session.get(IngestJob, ambiguous.job_id).publication_id is None
        assert uow.session.get(IngestJob, matched.job_id).publication_id == wanted


def test_an_upload_never_attaches_itself_to_a_record_by_its_name(uow, store, queue, tmp_path) -> None:
    load_offices(uow)
    with uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        uow.session.add(
            Publication(
                key="sd", title="Statistik Daerah", issuing_office_id=office_id, katalog_bps="1101002.1872"
            )
        )
        uow.commit()
    path = tmp_path / "1101002.1872.pdf"
    path.write_bytes(tiny_pdf("Statistik Daerah", 2))
    submission = submit(uow, store, queue, path, channel=IngestChannel.UPLOAD)
    with uow:
        assert uow.session.get(IngestJob, submission.job_id).publication_id is None


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        ({"access_level": "secret"}, "Unknown access level"),
        ({"access_level": "embargoed"}, "embargo date"),
        ({"actual_release": "31/12/2023"}, "not a date"),
        ({"office": "9999"}, "no office with the code 9999"),
        ({"colour": "blue"}, "Unknown metadata field"),
    ],
)
def test_a_wrong_draft_is_refused_before_anything_is_stored(uow, store, queue, pdf, draft, message) -> None:
    load_offices(uow)
    with pytest.raises(InvalidInput, match=message):
        submit(uow, store, queue, pdf, draft=draft)
    assert list(store.digests()) == []


@pytest.mark.parametrize(("maker", "code"), hostile_files.REFUSED)
def test_a_hostile_file_is_refused_clearly_and_leaves_nothing_behind(
    uow, store, queue, tmp_path, maker, code
) -> None:
    load_offices(uow)
    folder = tmp_path / "in"
    folder.mkdir()
    path = getattr(hostile_files, maker)(folder)
    with pytest.raises(IngestRefused) as caught:
        submit(uow, store, queue, path)
    assert caught.value.code == code
    assert path.name in str(caught.value)
    assert list(store.digests()) == [] and queue.ingested == []
    with uow:
        assert uow.session.scalar(select(func.count(IngestJob.id))) == 0


@pytest.mark.parametrize("maker", ["broken_xref_pdf", "empty_password_pdf", "jpeg_renamed_pdf"])
def test_a_repairable_or_harmless_oddity_is_accepted(uow, store, queue, tmp_path, maker) -> None:
    load_offices(uow)
    path = getattr(hostile_files, maker)(tmp_path)
    submission = submit(uow, store, queue, path)
    assert submission.status is IngestStatus.QUEUED


@pytest.mark.parametrize("kind", ["nobody", "reader"])
def test_nobody_signed_in_and_readers_may_not_take_files_in(uow, store, queue, pdf, kind) -> None:
    actor = stored_person(uow, "ani@example.id") if kind == "reader" else None
    with uow, pytest.raises(NotAllowed, match="Only librarians"):
        check_submit(uow, store, queue, actor, pdf, channel=IngestChannel.UPLOAD, limits=LIMITS, now=NOW)
    with uow:
        assert uow.session.scalar(select(func.count(IngestJob.id))) == 0
    assert [path for path in store.root.rglob("*") if path.is_file()] == []  # nothing kept


def test_a_librarians_upload_records_who_asked(uow, store, queue, pdf) -> None:
    load_offices(uow)
    librarian = stored_person(uow, "rina@bps.go.id", [Role.LIBRARIAN])
    with uow:
        submission = check_submit(
            uow, store, queue, librarian, pdf, channel=IngestChannel.UPLOAD, limits=LIMITS, now=NOW
        )
        uow.commit()
    with uow:
        assert uow.session.get(IngestJob, submission.job_id).requested_by_id == librarian.id


def test_only_librarians_and_the_system_may_retry_a_job(uow, store, queue, pdf) -> None:
    load_offices(uow)
    first = submit(uow, store, queue, pdf)
    reader = stored_person(uow, "ani@example.id")
    for actor in (None, reader):
        with uow, pytest.raises(NotAllowed, match="Only librarians"):
            retry_job(uow, queue, actor, first.job_id, now=NOW)
