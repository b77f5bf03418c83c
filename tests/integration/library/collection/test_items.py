"""Each printed copy is an item with a barcode, kept in step with its holding's number of copies."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, select

from library.catalogue.holdings import HoldingDetails, check_edit_holding
from library.collection.barcodes import BarcodeNumbering, new_barcodes
from library.collection.items import check_set_item_status, find_item, items_of_holdings
from library.db import make_session_factory
from library.errors import InvalidField, NotAllowed, NotFound
from library.models import Holding, Item, Role, User
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person
from tests.integration.library.collection.helpers import (
    NOW,
    add_holding,
    edit_copies,
    history,
    items,
    store_publications,
)


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "pustakawan@bps.go.id", [Role.LIBRARIAN])


@pytest.fixture
def pid(uow: UnitOfWork) -> int:
    return store_publications(uow, "Kota Metro Dalam Angka 2024")[0]


def copies_of(uow: UnitOfWork, holding_id: int) -> int:
    with uow:
        return uow.session.get_one(Holding, holding_id).copies


def test_a_new_holding_gets_one_item_per_copy_numbered_with_the_office_code(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    holding = add_holding(uow, librarian, pid, 3)
    assert items(uow, holding) == [
        ("1872000001", "shelf"),
        ("1872000002", "shelf"),
        ("1872000003", "shelf"),
    ]
    assert history(uow, "1872000001") == [("created", "shelf")]


def test_more_copies_make_items_numbered_past_the_highest_barcode_already_used(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    first = add_holding(uow, librarian, pid, 1)
    with uow:  # a barcode typed by hand further on, and one the migration made
        uow.session.add_all(
            [
                Item(holding_id=first, barcode="1872000007", call_number="x"),
                Item(holding_id=first, barcode="B00000001", call_number="x"),
            ]
        )
        uow.commit()
    second = add_holding(uow, librarian, pid, 2, location="Gudang")
    assert [b for b, _ in items(uow, second)] == ["1872000008", "1872000009"]


def test_numbering_skips_barcodes_taken_even_when_the_pattern_changes(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    add_holding(uow, librarian, pid, 2)
    with uow:
        found = new_barcodes(uow, BarcodeNumbering("PST-{number}", "1872"), 2)
    assert found == ["PST-1", "PST-2"]


def test_fewer_copies_withdraw_the_newest_items_on_the_shelf_and_keep_their_history(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    holding = add_holding(uow, librarian, pid, 3)
    with uow:
        check_set_item_status(uow, librarian, "1872000003", "reading_room", "", now=NOW)
        uow.commit()
    edit_copies(uow, librarian, pid, holding, 2)
    assert items(uow, holding) == [
        ("1872000001", "shelf"),
        ("1872000002", "withdrawn"),
        ("1872000003", "reading_room"),
    ]
    assert history(uow, "1872000002") == [("created", "shelf"), ("status", "withdrawn")]


def test_copies_cannot_go_below_those_off_the_shelf(uow: UnitOfWork, librarian: User, pid: int) -> None:
    holding = add_holding(uow, librarian, pid, 2)
    with uow:
        check_set_item_status(uow, librarian, "1872000001", "reading_room", "", now=NOW)
        check_set_item_status(uow, librarian, "1872000002", "missing", "Tidak ada di rak", now=NOW)
        uow.commit()
    with pytest.raises(InvalidField, match="Only 0 of the 2 copies are on the shelf") as refused:
        edit_copies(uow, librarian, pid, holding, 1)
    assert refused.value.field == "copies"
    assert copies_of(uow, holding) == 2
    assert [s for _, s in items(uow, holding)] == ["reading_room", "missing"]


def test_a_status_set_by_a_librarian_is_a_line_of_history_with_its_note(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    add_holding(uow, librarian, pid, 2)
    with uow:
        check_set_item_status(uow, librarian, " 1872000001 ", "damaged", "Sampul sobek", now=NOW)
        uow.commit()
    with uow:
        found = find_item(uow, "1872000001")
    assert (found.status, found.note, found.title) == (
        "damaged",
        "Sampul sobek",
        "Kota Metro Dalam Angka 2024",
    )
    assert [(e.action, e.status, e.note) for e in found.history] == [
        ("created", "shelf", ""),
        ("status", "damaged", "Sampul sobek"),
    ]


def test_withdrawing_an_item_counts_one_copy_less_and_restoring_it_one_more(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    holding = add_holding(uow, librarian, pid, 2)
    with uow:
        check_set_item_status(uow, librarian, "1872000002", "withdrawn", "Rusak berat", now=NOW)
        uow.commit()
    assert copies_of(uow, holding) == 1
    edit_copies(uow, librarian, pid, holding, 1)  # saving the holding again makes no new item
    assert len(items(uow, holding)) == 2
    with uow:
        check_set_item_status(uow, librarian, "1872000002", "shelf", "", now=NOW)
        uow.commit()
    assert copies_of(uow, holding) == 2


def test_the_last_copy_is_not_withdrawn_one_by_one(uow: UnitOfWork, librarian: User, pid: int) -> None:
    add_holding(uow, librarian, pid, 1)
    with uow, pytest.raises(InvalidField, match="last copy"):
        check_set_item_status(uow, librarian, "1872000001", "withdrawn", "", now=NOW)


@pytest.mark.parametrize(
    ("barcode", "status", "error"),
    [("9999", "shelf", NotFound), ("1872000001", "lost", InvalidField), ("", "shelf", InvalidField)],
)
def test_a_bad_status_change_is_refused(
    uow: UnitOfWork, librarian: User, pid: int, barcode: str, status: str, error: type[Exception]
) -> None:
    add_holding(uow, librarian, pid, 1)
    with uow, pytest.raises(error):
        check_set_item_status(uow, librarian, barcode, status, "", now=NOW)


def test_only_librarians_set_an_item_status(uow: UnitOfWork, librarian: User, pid: int) -> None:
    add_holding(uow, librarian, pid, 1)
    reader = stored_person(uow, "pembaca@example.id")
    with uow, pytest.raises(NotAllowed):
        check_set_item_status(uow, reader, "1872000001", "missing", "", now=NOW)


def test_a_new_call_number_goes_on_every_item_of_the_holding(
    uow: UnitOfWork, librarian: User, pid: int
) -> None:
    holding = add_holding(uow, librarian, pid, 2)
    with uow:
        check_edit_holding(
            uow,
            librarian,
            pid,
            holding,
            HoldingDetails("310.598 MET k 2025", "Ruang baca PST, rak 3", 2),
            now=NOW,
        )
        uow.commit()
    with uow:
        views = items_of_holdings(uow, [holding])[holding]
        numbers = set(uow.session.scalars(select(Item.call_number)))
    assert [v.barcode for v in views] == ["1872000001", "1872000002"] and numbers == {"310.598 MET k 2025"}


def test_two_librarians_adding_copies_at_once_get_different_barcodes(
    engine: Engine, uow: UnitOfWork, librarian: User
) -> None:
    first, second = store_publications(uow, "Kota Metro Dalam Angka 2024", "Statistik Daerah Kota Metro 2024")
    other = stored_person(uow, "pustakawan2@bps.go.id", [Role.LIBRARIAN])
    barrier = threading.Barrier(2)
    made: list[int] = []

    def add(person: User, pid: int) -> None:
        own = UnitOfWork(make_session_factory(engine))
        barrier.wait(timeout=10)
        made.append(add_holding(own, person, pid, 3))

    threads = [
        threading.Thread(target=add, args=(librarian, first)),
        threading.Thread(target=add, args=(other, second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    codes = [b for holding in made for b, _ in items(uow, holding)]
    assert len(made) == 2 and sorted(codes) == [f"1872{n:06d}" for n in range(1, 7)]
