"""A librarian's scan for a visitor: checked like ingest, stored and queued, or refused on its field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from library.errors import InvalidField, NotAllowed
from library.frontoffice.scans.uploads import parse_publication_ref
from library.intake.submit import IngestRefused
from library.models import Role, Ticket, VisitorScan
from library.permissions import SYSTEM
from tests.integration.ingest import hostile_files
from tests.integration.library import scan_helpers as sh
from tests.integration.library import terminal_helpers as fo

# The shared fixtures: a file store, a recording queue and outbox, a scanned PDF, the librarian's desk.
queue, pdf, desk = sh.queue, sh.pdf, sh.desk  # the store and the outbox: conftest


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


@pytest.mark.parametrize(("maker", "code"), hostile_files.REFUSED)
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
