"""Stock-taking: scan the copies of a place, see the running counts, close and learn what is missing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from library.collection.items import check_set_item_status
from library.collection.stocktake_report import report_csv, stocktake_report
from library.collection.stocktakes import (
    check_close_stocktake,
    check_pause_stocktake,
    check_resume_stocktake,
    check_scan,
    check_start_stocktake,
    get_stocktake,
)
from library.db import make_session_factory
from library.errors import InvalidField, InvalidInput, NotFound
from library.models import Role, User
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.collection.helpers import (
    CITY_LIBRARY,
    NOW,
    READING_ROOM,
    add_holding,
    history,
    items,
    store_publications,
)


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "pustakawan@bps.go.id", [Role.LIBRARIAN])


@pytest.fixture
def shelves(uow: UnitOfWork, librarian: User) -> tuple[int, int]:
    """Three copies in the reading room (…01-03), two at the city library (…04-05)."""
    pid = store_publications(uow, "Kota Metro Dalam Angka 2024")[0]
    return add_holding(uow, librarian, pid, 3), add_holding(uow, librarian, pid, 2, location=CITY_LIBRARY)


def start(uow: UnitOfWork, librarian: User, location: str = READING_ROOM) -> int:
    with uow:
        made = check_start_stocktake(uow, librarian, location)
        uow.commit()
    return made.id


def scan(uow: UnitOfWork, librarian: User, number: int, barcode: str) -> str:
    with uow:
        result = check_scan(uow, librarian, number, barcode)
        uow.commit()
    return result.outcome


def counts(uow: UnitOfWork, librarian: User, number: int) -> tuple[int, int, int, int, int]:
    with uow:
        c = get_stocktake(uow, librarian, number).counts
    return c.expected, c.seen, c.missing, c.misplaced, c.unknown


def test_scans_count_seen_misplaced_and_unknown_copies_each_once(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian)
    outcomes = [scan(uow, librarian, number, b) for b in ("1872000001", "1872000001", "1872000004", "XYZ-1")]
    assert outcomes == ["seen", "again", "misplaced", "unknown"]
    assert counts(uow, librarian, number) == (3, 1, 2, 1, 1)
    assert history(uow, "1872000001") == [("created", "shelf"), ("seen", "shelf")]


def test_closing_marks_unseen_shelf_copies_missing_and_found_missing_ones_back_on_the_shelf(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    room, city = shelves
    with uow:
        check_set_item_status(uow, librarian, "1872000002", "missing", "", now=NOW)
        uow.commit()
    number = start(uow, librarian)
    scan(uow, librarian, number, "1872000002")
    with uow:
        closed = check_close_stocktake(uow, librarian, number, now=NOW)
        uow.commit()
    assert closed.closed_at == NOW  # the time the caller gave, not the machine's
    assert items(uow, room) == [("1872000001", "missing"), ("1872000002", "shelf"), ("1872000003", "missing")]
    assert items(uow, city) == [("1872000004", "shelf"), ("1872000005", "shelf")]  # another place: untouched
    assert history(uow, "1872000003")[-1] == ("stocktake", "missing")
    with uow:
        report = stocktake_report(uow, librarian, number)
    assert [(line.kind, line.barcode) for line in report.lines] == [
        ("missing", "1872000001"),
        ("missing", "1872000003"),
    ]


def test_a_stocktaking_of_the_whole_collection_expects_every_place(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian, "")
    assert scan(uow, librarian, number, "1872000004") == "seen"
    assert counts(uow, librarian, number) == (5, 1, 4, 0, 0)


def test_the_report_lists_misplaced_and_unknown_barcodes_safe_for_a_spreadsheet(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian)
    for barcode in ("1872000001", "1872000002", "1872000003", "1872000005", "=cmd"):
        scan(uow, librarian, number, barcode)
    with uow:
        report = stocktake_report(uow, librarian, number)
    text = report_csv(
        report,
        ["Jenis", "Barkode", "Nomor panggil", "Judul", "Lokasi"],
        {"missing": "Hilang", "misplaced": "Salah tempat", "unknown": "Tidak dikenal"},
    )
    assert text.splitlines() == [
        "Jenis,Barkode,Nomor panggil,Judul,Lokasi",
        f"Salah tempat,1872000005,310.598 MET k 2024,Kota Metro Dalam Angka 2024,{CITY_LIBRARY}",
        "Tidak dikenal,'=cmd,,,",
    ]


def test_a_paused_stocktaking_takes_no_scan_until_resumed(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian)
    with uow:
        check_pause_stocktake(uow, librarian, number)
        uow.commit()
    with uow, pytest.raises(InvalidInput, match="paused"):
        check_scan(uow, librarian, number, "1872000001")
    with uow:
        check_resume_stocktake(uow, librarian, number)
        uow.commit()
    assert scan(uow, librarian, number, "1872000001") == "seen"


def test_a_closed_stocktaking_takes_no_scan_and_cannot_be_closed_again(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian)
    with uow:
        check_close_stocktake(uow, librarian, number, now=NOW)
        uow.commit()
    with uow, pytest.raises(InvalidInput, match="closed"):
        check_scan(uow, librarian, number, "1872000001")
    with uow, pytest.raises(InvalidInput, match="closed"):
        check_close_stocktake(uow, librarian, number, now=NOW)


def test_one_place_has_one_stocktaking_at_a_time_and_only_known_places(
    uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    start(uow, librarian)
    with uow, pytest.raises(InvalidField, match="not closed yet"):
        check_start_stocktake(uow, librarian, READING_ROOM)
    with uow, pytest.raises(InvalidField, match="from the list"):
        check_start_stocktake(uow, librarian, "Rak entah di mana")
    with uow, pytest.raises(NotFound):
        check_scan(uow, librarian, 999, "1872000001")


def test_two_librarians_scanning_at_once_lose_no_scan_and_count_a_shared_one_once(
    engine: Engine, uow: UnitOfWork, librarian: User, shelves: tuple[int, int]
) -> None:
    number = start(uow, librarian)
    other = stored_person(uow, "pustakawan2@bps.go.id", [Role.LIBRARIAN])
    barrier = threading.Barrier(2)
    outcomes: dict[str, list[str]] = {}

    def scan_all(person: User, barcodes: list[str]) -> None:
        own = UnitOfWork(make_session_factory(engine))
        barrier.wait(timeout=10)
        outcomes[person.email] = [scan(own, person, number, b) for b in barcodes]

    threads = [
        threading.Thread(target=scan_all, args=(librarian, ["1872000001", "1872000003"])),
        threading.Thread(target=scan_all, args=(other, ["1872000002", "1872000003"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes[librarian.email] + outcomes[other.email]) == ["again", "seen", "seen", "seen"]
    assert counts(uow, librarian, number) == (3, 3, 0, 0, 0)
