"""A librarian's scan for a visitor: checked like ingest, stored, queued, then stamped into the ledger."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from library.errors import InvalidField, InvalidInput, NotAllowed
from library.filestore import FileStore
from library.frontoffice import parse_publication_ref, retry_scan, run_visitor_scan
from library.intake import IngestRefused
from library.ledger.search import LedgerQuery, search_ledger
from library.ledger.tracing import trace_file
from library.ledger.verification import verify_copy
from library.models import Delivery, DeliveryChannel, Role, ScanStatus, Ticket, VisitorScan
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.ingest import hostile_files
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo
from tests.integration.library.pdf_helpers import tiny_pdf
from watermark.mark import sign
from watermark.trace import read_marks


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files")


@pytest.fixture
def queue() -> sh.RecordingQueue:
    return sh.RecordingQueue()


@pytest.fixture
def sent() -> sh.Sent:
    return sh.Sent()


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(tiny_pdf("Kota Metro Dalam Angka 2019", 3))
    return path


@pytest.fixture
def desk(uow: UnitOfWork) -> dict[str, object]:
    """Load the offices; store a librarian and today's visit of Dewi (with an account and email)."""
    fo.load_offices(uow)
    librarian = sh.librarian(uow)
    visit_id, code, user_id = sh.visit(uow)
    return {"librarian": librarian, "visit_id": visit_id, "code": code, "user_id": user_id}


def test_a_scan_named_by_its_ticket_is_stored_and_queued_after_the_commit(
    uow, store, queue, pdf, desk
) -> None:
    with uow:
        taken = sh.check_submit_scan(
            uow,
            store,
            queue,
            desk["librarian"],
            sh.ScanUpload(ticket=desk["code"].lower().replace("-", ""), title="  Kota   Metro\tDalam Angka "),
            pdf,
            office_code=sh.METRO,
            now=sh.NOW,
            limits=sh.LIMITS,
        )
        assert queue.scans == []  # not before the commit
        uow.commit()
    assert taken.created and queue.scans == [taken.scan_id]
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert (scan.visit_id, scan.status, scan.title, scan.page_count) == (
            desk["visit_id"],
            "queued",
            "Kota Metro Dalam Angka",
            3,
        )
        assert uow.session.get(Ticket, scan.ticket_id).code == desk["code"]
        assert store.read_bytes(scan.source_sha256) == pdf.read_bytes()
        assert scan.created_by_id == desk["librarian"].id and scan.publication_id is None


def test_a_scan_for_a_visit_picked_from_the_list_takes_its_library_ticket(
    uow, store, queue, pdf, desk
) -> None:
    taken = sh.submit(uow, store, queue, desk["librarian"], pdf, visit_id=desk["visit_id"])
    with uow:
        scan = uow.session.get(VisitorScan, taken.scan_id)
        assert uow.session.get(Ticket, scan.ticket_id).code == desk["code"]


def test_a_rolled_back_scan_queues_nothing(uow, store, queue, pdf, desk) -> None:
    with uow:
        sh.check_submit_scan(
            uow,
            store,
            queue,
            desk["librarian"],
            sh.ScanUpload(visit_id=desk["visit_id"], title="Statistik Daerah"),
            pdf,
            office_code=sh.METRO,
            now=sh.NOW,
            limits=sh.LIMITS,
        )
    assert queue.scans == []
    with uow:
        assert uow.session.scalar(select(func.count(VisitorScan.id))) == 0


def test_the_same_file_twice_for_one_visit_is_one_scan(uow, store, queue, pdf, desk) -> None:
    first = sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"])
    second = sh.submit(uow, store, queue, desk["librarian"], pdf, visit_id=desk["visit_id"])
    assert (second.scan_id, second.created) == (first.scan_id, False)
    assert queue.scans == [first.scan_id]


def test_a_named_catalogue_publication_is_kept_with_the_scan(uow, store, queue, pdf, desk) -> None:
    publication_id = sh.catalogued(uow)
    taken = sh.submit(
        uow, store, queue, desk["librarian"], pdf, ticket=desk["code"], publication_id=publication_id
    )
    with uow:
        assert uow.session.get(VisitorScan, taken.scan_id).publication_id == publication_id


TICKET = object()  # stands for today's ticket of the visit


@pytest.mark.parametrize(
    ("upload", "field", "message"),
    [
        ({"ticket": "P-099"}, "ticket", "No ticket P-099 was given today"),
        ({"ticket": "bukan tiket"}, "ticket", "Type the code on your queue ticket"),
        ({"ticket": "x" * 5000}, "ticket", "Type the code on your queue ticket"),
        ({"ticket": "https://pst.example.id/kunjungan/tidak-ada-token"}, "ticket", "not of a visit today"),
        ({}, "visit", "Choose the visitor from today's list"),
        ({"visit_id": 10**9}, "visit", "Choose a visitor from today's list"),
        ({"ticket": TICKET, "title": "ab"}, "title", "Say what was scanned"),
        ({"ticket": TICKET, "title": "\x00\x01  "}, "title", "Say what was scanned"),
        ({"ticket": TICKET, "title": "x" * 501}, "title", "under 500 characters"),
        (
            {"ticket": TICKET, "publication_id": 424242},
            "publication",
            "There is no publication number 424242",
        ),
    ],
)
def test_a_wrong_scan_is_refused_on_its_field_before_anything_is_stored(
    uow, store, queue, pdf, desk, upload, field, message
) -> None:
    values = {k: desk["code"] if v is TICKET else v for k, v in upload.items()}
    with pytest.raises(InvalidField, match=message) as refused:
        sh.submit(uow, store, queue, desk["librarian"], pdf, **values)
    assert refused.value.field == field
    assert list(store.digests()) == [] and queue.scans == []


def test_a_visit_of_another_day_cannot_be_scanned_for(uow, store, queue, pdf, desk) -> None:
    yesterday = sh.NOW - dt.timedelta(days=1)
    earlier_id, _, _ = sh.visit(uow, "Budi Santoso", "budi@example.id", at=yesterday)
    with pytest.raises(InvalidField, match="Choose a visitor from today's list"):
        sh.submit(uow, store, queue, desk["librarian"], pdf, visit_id=earlier_id)
    tomorrow = sh.NOW + dt.timedelta(days=1)
    with pytest.raises(InvalidField, match=f"No ticket {desk['code']} was given today"):
        sh.submit(uow, store, queue, desk["librarian"], pdf, ticket=desk["code"], now=tomorrow)


def test_a_visit_found_by_the_qr_of_its_ticket_is_scanned_for(uow, store, queue, pdf, desk) -> None:
    with uow:
        token = uow.session.get(sh.Visit, desk["visit_id"]).status_token
    taken = sh.submit(
        uow, store, queue, desk["librarian"], pdf, ticket=f"https://pst.example.id/kunjungan/{token}"
    )
    with uow:
        assert uow.session.get(VisitorScan, taken.scan_id).visit_id == desk["visit_id"]


HOSTILE = [
    ("decompression_bomb_png", "too_many_pixels"),
    ("garbage_pdf", "damaged"),
    ("encrypted_pdf", "encrypted"),
    ("zero_pages_pdf", "no_pages"),
    ("text_renamed_pdf", "unsupported_type"),
    ("empty_file", "empty_file"),
    ("huge_page_tree_pdf", "too_many_pages"),
]


@pytest.mark.parametrize(("maker", "code"), HOSTILE)
def test_a_hostile_file_is_refused_as_ingest_refuses_it_and_leaves_nothing_behind(
    uow, store, queue, tmp_path, desk, maker, code
) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    path = getattr(hostile_files, maker)(folder)
    with pytest.raises(IngestRefused) as refused:
        sh.submit(uow, store, queue, desk["librarian"], path, ticket=desk["code"])
    assert refused.value.code == code and path.name in str(refused.value)
    assert list(store.digests()) == [] and queue.scans == []
    with uow:
        assert uow.session.scalar(select(func.count(VisitorScan.id))) == 0


@pytest.mark.parametrize("roles", [(), (Role.READER,), (Role.FRONT_OFFICE,), (Role.CONSULTANT,)])
def test_only_librarians_and_the_system_may_scan_for_a_visitor(uow, store, queue, pdf, desk, roles) -> None:
    other = fo.person(uow, "bukan.pustakawan@bps.go.id", roles)
    for actor in (other, None):
        with pytest.raises(NotAllowed, match="Only librarians can scan"):
            sh.submit(uow, store, queue, actor, pdf, ticket=desk["code"])
    assert sh.submit(uow, store, queue, SYSTEM, pdf, ticket=desk["code"]).created


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("", None),
        ("  ", None),
        ("12", 12),
        ("#12", 12),
        (" 12 ", 12),
        ("/katalog/12", 12),
        ("https://pst.example.id/katalog/12/", 12),
    ],
)
def test_a_publication_is_named_by_its_number_or_catalogue_address(text, number) -> None:
    assert parse_publication_ref(text) == number


@pytest.mark.parametrize("text", ["abc", "0", "1234567890", "12 13", "-5", "#", "x" * 400, "/katalog/"])
def test_anything_else_is_not_a_publication(text) -> None:
    with pytest.raises(InvalidField, match="publication's number"):
        parse_publication_ref(text)


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
            "Dewi Lestari",
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
        assert (row.recipient_name, row.recipient_email, row.recipient_user_id) == ("Budi Santoso", "", None)


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
        "Dewi Lestari",
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
        assert uow.session.scalar(select(Delivery.recipient_name)) == "Dewi Lestari"


def test_the_database_refuses_a_delivery_naming_neither_a_publication_nor_a_title(uow, delivered) -> None:
    with uow:
        row = uow.session.scalars(select(Delivery)).one()
        values = {c.name: getattr(row, c.key) for c in Delivery.__table__.columns if c.name != "id"}
    values.update(delivery_id="0000000000ZZ", title="", publication_id=None)
    with uow:
        with pytest.raises(DatabaseError):
            uow.session.execute(Delivery.__table__.insert().values(**values))
