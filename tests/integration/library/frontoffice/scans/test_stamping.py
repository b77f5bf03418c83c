"""The job that stamps a visitor's scan: the copy, the mail, retries, and what the ledger records of it."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from library.errors import InvalidInput, NotAllowed
from library.filestore import FileStore
from library.frontoffice.scans.copies import run_visitor_scan
from library.frontoffice.scans.uploads import retry_scan
from library.ledger.copy_jobs import RETRIES
from library.ledger.search import LedgerQuery, search_ledger
from library.ledger.tracing import trace_file
from library.ledger.verification import verify_copy
from library.models import Delivery, DeliveryChannel, ScanStatus, VisitorScan
from library.uow import UnitOfWork
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo
from watermark.marks.mark import sign
from watermark.trace.reading import read_marks

# The shared fixtures: a file store, a recording queue and outbox, a scanned PDF, the librarian's desk.
queue, pdf, desk = sh.queue, sh.pdf, sh.desk  # the store and the outbox: conftest

# The ledger names a walk-in with how the name was checked (the helper's visits with an
# account had their ID card seen at the front office).
CHECKED = "Dewi Lestari (diperiksa: kartu identitas)"


# -- the stamping job ---------------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    """Return the text of each page of a PDF, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_job_stamps_every_page_for_the_visitor_and_records_a_scan_in_the_ledger(
    uow, store, queue, pdf, desk, sent
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    delivery_id = run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id)
    assert delivery_id is not None
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        row = uow.session.scalar(select(Delivery).where(Delivery.delivery_id == delivery_id))
        assert (scan.status, scan.delivery_id, scan.ready_at) == ("ready", delivery_id, sh.NOW)
        assert scan.expires_at == sh.NOW + dt.timedelta(days=7)
        assert (row.channel, row.visit_id, row.publication_id, row.title) == (
            DeliveryChannel.SCAN.value,
            desk["visit_id"],
            None,
            "Kota Metro Dalam Angka 2019, hlm. 10-12",
        )
        assert (row.recipient_name, row.recipient_email, row.recipient_user_id) == (
            CHECKED,
            "dewi@example.id",
            desk["user_id"],
        )
        assert (row.request_number, row.pages, row.office_code) == (desk["code"], 3, sh.METRO)
        output = store.path_for(row.output_sha256)
    marks = read_marks(output, secret=sh.SECRET)
    hidden = {e.page for e in marks.evidence if e.kind == "hidden_text" and e.delivery_id == delivery_id}
    assert hidden == {1, 2, 3} and marks.delivery_ids == (delivery_id,)
    texts = page_texts(output)
    assert len(texts) == 3 and all(
        "Dewi Lestari" in t and "d***@e***.id" in t and desk["code"] in t for t in texts
    )


def test_the_visitor_is_emailed_in_indonesian_then_english_with_the_link(
    uow, store, queue, pdf, desk, sent
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id)
    (mail,) = sent.messages
    body = mail.get_content()
    assert mail["To"] == "dewi@example.id"
    assert body.index("Halo Dewi Lestari") < body.index("Hello Dewi Lestari")
    assert sh.MY_REQUESTS in body and "Kota Metro Dalam Angka 2019, hlm. 10-12" in body


def test_page_images_become_one_stamped_pdf_in_their_order(uow, store, queue, tmp_path, desk, sent) -> None:
    folder = tmp_path / "halaman"
    folder.mkdir()
    for number in (1, 2, 10):
        sh.page_jpeg(folder / f"{number:04d}-hal{number}.jpg", f"Halaman asli {number}")
    taken = sh.submit(uow, store, queue, desk["librarian"], folder, ticket=desk["code"])
    delivery_id = run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id)
    with uow:
        row = uow.session.scalar(select(Delivery).where(Delivery.delivery_id == delivery_id))
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert (scan.source_kind, scan.page_count, row.pages) == ("images", 3, 3)
        assert [e["name"] for e in scan.source_files] == ["0001-hal1.jpg", "0002-hal2.jpg", "0010-hal10.jpg"]
        output = store.path_for(row.output_sha256)
    hidden = {e.page for e in read_marks(output).evidence if e.kind == "hidden_text"}
    assert hidden == {1, 2, 3}
    assert all("Dewi Lestari" in t for t in page_texts(output))


def test_a_visitor_without_email_gets_a_ready_copy_and_no_mail(uow, store, queue, pdf, sent) -> None:
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    _, code, _ = sh.visit(uow, "Budi Santoso", "", account=False)
    taken = sh.submit(uow, store, queue, librarian, pdf, ticket=code)
    assert run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id) is not None
    assert sent.messages == []
    with uow:
        row = uow.session.scalars(select(Delivery)).one()
        assert (row.recipient_name, row.recipient_email, row.recipient_user_id) == (
            "Budi Santoso (identitas dinyatakan, belum diperiksa)",
            "",
            None,
        )


def test_a_scan_of_a_catalogued_publication_names_it_in_the_ledger(
    uow, store, queue, pdf, desk, sent
) -> None:
    publication_id = sh.catalogued(uow)
    taken = sh.submit(
        uow, store, queue, desk["librarian"], pdf, ticket=desk["code"], publication_id=publication_id
    )
    run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id)
    with uow:
        row = uow.session.scalars(select(Delivery)).one()
        assert (row.publication_id, row.title) == (publication_id, "Kota Metro Dalam Angka 2019, hlm. 10-12")


def test_a_made_scan_is_not_made_twice(uow, store, queue, pdf, desk, sent) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    worker = sh.scan_worker(uow, store, sent)
    assert run_visitor_scan(worker, taken.scan_id) is not None
    assert run_visitor_scan(worker, taken.scan_id) is None
    with uow:
        assert uow.session.scalar(select(func.count(Delivery.id))) == 1


def break_master(store: FileStore, uow: UnitOfWork, scan_id: int) -> bytes:
    """Overwrite a scan's stored master with garbage; return what it held."""
    with uow:
        path = store.path_for(uow.session.get(VisitorScan, scan_id).source_sha256)
    good = path.read_bytes()
    path.chmod(0o644)
    path.write_bytes(b"%PDF-1.7\nrusak\n")
    return good


def test_a_copy_that_cannot_be_made_fails_with_its_reason_and_can_be_tried_again(
    uow, store, queue, pdf, desk, sent
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    good = break_master(store, uow, taken.scan_id)
    assert run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id) is None
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert scan.status == ScanStatus.FAILED.value
        assert "cannot be made into a copy" in scan.failure_reason % scan.failure_params
        assert uow.session.scalar(select(func.count(Delivery.id))) == 0
    with uow:
        retry_scan(uow, queue, desk["librarian"], taken.scan_id)
        uow.commit()
    assert queue.scans == [taken.scan_id, taken.scan_id]
    with uow:
        store.path_for(uow.session.get(VisitorScan, taken.scan_id).source_sha256).write_bytes(good)
    assert run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id) is not None


def test_a_copy_that_fails_after_queueing_work_leaves_none_of_that_work_behind(
    uow, store, queue, pdf, desk, sent, monkeypatch
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    waiting = []

    def fails_late(uow: UnitOfWork, *args, **kwargs):
        uow.after_commit(lambda: waiting.append("the failed copy's announcement"))
        raise OSError("disk full")

    monkeypatch.setattr("library.frontoffice.scans.copies.deliver_file", fails_late)
    assert run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id) is None
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert scan.status == ScanStatus.FAILED.value and scan.failure_params == {"detail": "disk full"}
    assert waiting == []  # committing the failure does not run what the failed copy queued


def test_a_passing_fault_is_tried_again_and_the_scan_copy_is_made(
    uow, store, queue, pdf, desk, sent, monkeypatch
) -> None:
    from library.frontoffice.scans import copies

    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # as a module still being imported by another thread was
            raise AttributeError("partially initialized module 'pymupdf' has no attribute 'open'")
        return deliver_file(*args, **kwargs)

    deliver_file = copies.deliver_file
    monkeypatch.setattr(copies, "deliver_file", flaky)
    worker = sh.scan_worker(uow, store, sent)  # it tries again at once
    assert run_visitor_scan(worker, taken.scan_id) is not None
    with uow:
        assert uow.session.get(VisitorScan, taken.scan_id).status == ScanStatus.READY.value
        assert uow.session.scalar(select(func.count(Delivery.id))) == 1
    assert len(calls) == 2 and len(sent.messages) == 1


def test_a_lasting_unexpected_error_fails_the_scan_after_its_retries(
    uow, store, queue, pdf, desk, sent, monkeypatch
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr("library.frontoffice.scans.copies.deliver_file", broken)
    worker = sh.scan_worker(uow, store, sent)  # it tries again at once
    assert run_visitor_scan(worker, taken.scan_id) is None
    assert len(calls) == 1 + RETRIES
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert scan.status == ScanStatus.FAILED.value and scan.failure_params == {"detail": "disk full"}


def test_only_a_failed_scan_can_be_tried_again_and_only_by_a_librarian(uow, store, queue, pdf, desk) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    with uow, pytest.raises(InvalidInput, match="Only a scan whose copy could not be made"):
        retry_scan(uow, queue, desk["librarian"], taken.scan_id)
    reader = fo.person(uow, "pembaca@example.id")
    with uow, pytest.raises(NotAllowed):
        retry_scan(uow, queue, reader, taken.scan_id)


def test_a_job_that_keeps_dying_gives_up_with_a_reason(uow, store, queue, pdf, desk, sent) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    with uow:
        uow.session.execute(update(VisitorScan).values(attempts=3, claimed_at=sh.NOW - dt.timedelta(hours=1)))
        uow.commit()
    assert run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id) is None
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert scan.status == "failed" and "after %(attempts)s attempts" in scan.failure_reason


# -- the ledger names a scan ---------------------------------------------------------------------


@pytest.fixture
def delivered(uow, store, queue, pdf, desk, sent) -> str:
    """Scan for Dewi and make the copy; return the delivery id."""
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    delivery_id = run_visitor_scan(sh.scan_worker(uow, store, sent), taken.scan_id)
    assert delivery_id is not None
    return delivery_id


def test_tracing_a_scan_names_the_visitor_and_what_was_scanned(uow, store, delivered) -> None:
    with uow:
        output = store.path_for(uow.session.scalar(select(Delivery.output_sha256)))
        report = trace_file(uow, output, sh.SECRET)
    assert report.exact_copy is not None and report.exact_copy.delivery_id == delivered
    record = report.deliveries[0].record
    assert (record.recipient_name, record.publication_id, record.publication_title, record.channel) == (
        CHECKED,
        None,
        "Kota Metro Dalam Angka 2019, hlm. 10-12",
        "scan",
    )


@pytest.mark.parametrize(
    "query",
    [
        LedgerQuery(publication="dalam angka"),
        LedgerQuery(person="dewi"),
        LedgerQuery(channel=DeliveryChannel.SCAN),
    ],
)
def test_the_ledger_search_finds_a_scan_of_a_publication_the_catalogue_lacks(
    uow, delivered, desk, query
) -> None:
    with uow:
        page = search_ledger(uow, desk["librarian"], query)
    assert [(r.delivery_id, r.publication_title) for r in page.items] == [
        (delivered, "Kota Metro Dalam Angka 2019, hlm. 10-12")
    ]


def test_the_public_verification_names_what_was_scanned_and_masks_the_visitor(uow, delivered) -> None:
    with uow:
        verdict = verify_copy(uow, delivered, sign(delivered, sh.SECRET), sh.SECRET)
    assert (verdict.authentic, verdict.publication_title, verdict.recipient_initials) == (
        True,
        "Kota Metro Dalam Angka 2019, hlm. 10-12",
        "D*** L***",
    )


def test_the_ledger_still_refuses_to_change_or_remove_a_scan(uow, delivered) -> None:
    for statement in (
        update(Delivery).where(Delivery.delivery_id == delivered).values(recipient_name="X"),
        update(Delivery).where(Delivery.delivery_id == delivered).values(title="lain"),
        delete(Delivery).where(Delivery.delivery_id == delivered),
    ):
        with uow:
            with pytest.raises(DatabaseError, match="append-only"):
                uow.session.execute(statement)
    with uow:
        assert uow.session.scalar(select(Delivery.recipient_name)) == CHECKED


def test_the_database_refuses_a_delivery_naming_neither_a_publication_nor_a_title(uow, delivered) -> None:
    with uow:
        row = uow.session.scalars(select(Delivery)).one()
        values = {c.name: getattr(row, c.key) for c in Delivery.__table__.columns if c.name != "id"}
    values.update(delivery_id="0000000000ZZ", title="", publication_id=None)
    with uow:
        with pytest.raises(DatabaseError):
            uow.session.execute(Delivery.__table__.insert().values(**values))
