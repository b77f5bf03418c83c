"""Librarians record where a publication's printed copies are; everyone can read it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from library.accounts.users import check_set_active, check_set_staff_roles
from library.catalogue.holdings import (
    HoldingDetails,
    check_add_holding,
    check_edit_holding,
    check_remove_holding,
    list_holdings,
)
from library.catalogue.read_models import get_publication
from library.errors import InvalidField, NotAllowed, NotFound
from library.models import Holding, Office, Publication, Role, User
from library.permissions import SYSTEM, Actor
from library.uow import UnitOfWork
from tests.integration.library.accounts_helpers import stored_person

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)  # the time the use cases are told
READING_ROOM = HoldingDetails("310.598 MET k 2024", "Ruang baca PST, rak 3", 3)
PUBLIC_LIBRARY = HoldingDetails(
    "310.598 MET k 2024", "Perpustakaan Daerah Kota Metro", 2, reading_room_only=False, note="Dapat dipinjam."
)


@pytest.fixture
def librarian(uow: UnitOfWork) -> User:
    return stored_person(uow, "pustakawan@bps.go.id", [Role.LIBRARIAN])


@pytest.fixture
def publications(uow: UnitOfWork) -> tuple[int, int]:
    """Store two publications of one office; return their ids."""
    with uow:
        office = Office(code="1872", name="BPS Kota Metro")
        rows = [
            Publication(key="mda", title="Kota Metro Dalam Angka 2024", issuing_office=office),
            Publication(key="sda", title="Statistik Daerah Kota Metro 2024", issuing_office=office),
        ]
        uow.session.add_all(rows)
        uow.commit()
        return rows[0].id, rows[1].id


@pytest.fixture
def pid(publications: tuple[int, int]) -> int:
    return publications[0]


def add(uow: UnitOfWork, actor: Actor | None, pid: int, details: HoldingDetails) -> int:
    """Add a holding and commit, as the view does; return its id."""
    with uow:
        added = check_add_holding(uow, actor, pid, details, now=NOW)
        uow.commit()
    return added.id


def holding_count(uow: UnitOfWork) -> int:
    with uow:
        return uow.session.scalar(select(func.count(Holding.id))) or 0


def test_a_librarian_records_printed_copies_and_anyone_reads_where_they_are_in_that_order(
    uow, librarian, pid
) -> None:
    add(uow, librarian, pid, READING_ROOM)
    add(uow, librarian, pid, PUBLIC_LIBRARY)
    with uow:
        printed = list_holdings(uow, pid)
    assert printed.title == "Kota Metro Dalam Angka 2024"
    assert [(h.location, h.copies, h.reading_room_only, h.note) for h in printed.holdings] == [
        ("Ruang baca PST, rak 3", 3, True, ""),
        ("Perpustakaan Daerah Kota Metro", 2, False, "Dapat dipinjam."),
    ]


def test_the_publication_page_carries_its_holdings(uow, librarian, pid) -> None:
    add(uow, librarian, pid, READING_ROOM)
    with uow:
        detail = get_publication(uow, pid, today=dt.date(2026, 11, 24))
    (holding,) = detail.holdings
    assert (holding.call_number, holding.location, holding.reading_room_only) == (
        "310.598 MET k 2024",
        "Ruang baca PST, rak 3",
        True,
    )


def test_a_publication_without_printed_copies_lists_none(uow, pid) -> None:
    with uow:
        printed = list_holdings(uow, pid)
    assert printed.holdings == ()


def test_an_administrator_holds_the_librarians_role(uow, pid) -> None:
    admin = stored_person(uow, "kepala@bps.go.id", [Role.ADMIN])
    add(uow, admin, pid, READING_ROOM)
    assert holding_count(uow) == 1


@pytest.mark.parametrize(
    "who",
    [None, SYSTEM, [Role.READER], [Role.FRONT_OFFICE], [Role.CONSULTANT]],
    ids=["nobody", "the system", "a reader", "the front office", "a consultant"],
)
def test_only_librarians_may_record_printed_copies(uow, pid, who) -> None:
    actor = stored_person(uow, "staf@bps.go.id", who) if isinstance(who, list) else who
    with uow, pytest.raises(NotAllowed, match="Only librarians can do this."):
        check_add_holding(uow, actor, pid, READING_ROOM, now=NOW)
    assert holding_count(uow) == 0


def test_a_librarian_whose_role_was_taken_away_may_no_longer_change_holdings(uow, librarian, pid) -> None:
    hid = add(uow, librarian, pid, READING_ROOM)
    admin = stored_person(uow, "kepala@bps.go.id", [Role.ADMIN])
    with uow:
        check_set_staff_roles(uow, admin, librarian.id, set())
        uow.commit()
    with uow, pytest.raises(NotAllowed):
        check_edit_holding(uow, librarian, pid, hid, PUBLIC_LIBRARY, now=NOW)
    with uow, pytest.raises(NotAllowed):
        check_remove_holding(uow, librarian, pid, hid)
    assert holding_count(uow) == 1


def test_a_deactivated_librarian_may_not_add_holdings(uow, librarian, pid) -> None:
    admin = stored_person(uow, "kepala@bps.go.id", [Role.ADMIN])
    with uow:
        check_set_active(uow, admin, librarian.id, False)
        uow.commit()
    with uow, pytest.raises(NotAllowed):
        check_add_holding(uow, librarian, pid, READING_ROOM, now=NOW)


def test_a_librarian_changes_what_is_recorded_about_a_holding(uow, librarian, pid) -> None:
    hid = add(uow, librarian, pid, READING_ROOM)
    with uow:
        changed = check_edit_holding(
            uow,
            librarian,
            pid,
            hid,
            HoldingDetails("310.598 MET k 2024", "Ruang baca PST, rak 5", "4", False),
            now=NOW,
        )
        uow.commit()
    assert changed.id == hid
    with uow:
        (holding,) = list_holdings(uow, pid).holdings
    assert (holding.location, holding.copies, holding.reading_room_only) == (
        "Ruang baca PST, rak 5",
        4,
        False,
    )


def test_saving_a_holding_unchanged_is_no_duplicate_of_itself(uow, librarian, pid) -> None:
    hid = add(uow, librarian, pid, READING_ROOM)
    with uow:
        check_edit_holding(uow, librarian, pid, hid, READING_ROOM, now=NOW)
        uow.commit()
    assert holding_count(uow) == 1


def test_a_librarian_removes_a_holding_and_only_that_one(uow, librarian, pid) -> None:
    gone = add(uow, librarian, pid, READING_ROOM)
    add(uow, librarian, pid, PUBLIC_LIBRARY)
    with uow:
        removed = check_remove_holding(uow, librarian, pid, gone)
        uow.commit()
    assert removed.location == "Ruang baca PST, rak 3"
    with uow:
        assert [h.location for h in list_holdings(uow, pid).holdings] == ["Perpustakaan Daerah Kota Metro"]


def test_the_same_shelf_mark_twice_in_one_place_is_refused(uow, librarian, pid) -> None:
    add(uow, librarian, pid, READING_ROOM)
    again = HoldingDetails("310.598 met K 2024", " ruang baca PST,  rak 3", 1)
    with uow, pytest.raises(InvalidField, match="already recorded at Ruang baca PST, rak 3") as caught:
        check_add_holding(uow, librarian, pid, again, now=NOW)
    assert caught.value.field == "call_number"


def test_editing_a_holding_into_another_ones_place_is_refused(uow, librarian, pid) -> None:
    add(uow, librarian, pid, READING_ROOM)
    other = add(uow, librarian, pid, PUBLIC_LIBRARY)
    with uow, pytest.raises(InvalidField, match="already recorded"):
        check_edit_holding(uow, librarian, pid, other, READING_ROOM, now=NOW)


def test_bad_details_are_refused_and_nothing_is_stored(uow, librarian, pid) -> None:
    with uow, pytest.raises(InvalidField, match="from 1 to 999") as caught:
        check_add_holding(uow, librarian, pid, HoldingDetails("310.598", "Rak 3", "1000"), now=NOW)
    assert caught.value.field == "copies"
    assert holding_count(uow) == 0


def test_an_unknown_publication_is_not_found(uow, librarian, pid) -> None:
    with uow, pytest.raises(NotFound, match="no publication number 987654"):
        check_add_holding(uow, librarian, 987654, READING_ROOM, now=NOW)
    with uow, pytest.raises(NotFound):
        list_holdings(uow, 987654)


def test_a_holding_is_changed_only_through_its_own_publication(uow, librarian, publications) -> None:
    pid, other_pid = publications
    hid = add(uow, librarian, pid, READING_ROOM)
    with uow, pytest.raises(NotFound, match=f"no printed holding number {hid}"):
        check_edit_holding(uow, librarian, other_pid, hid, PUBLIC_LIBRARY, now=NOW)
    with uow, pytest.raises(NotFound):
        check_remove_holding(uow, librarian, other_pid, hid)
    with uow, pytest.raises(NotFound):
        list_holdings(uow, other_pid).holding(hid)
    assert holding_count(uow) == 1


def test_the_use_cases_leave_the_commit_to_their_caller(uow, librarian, pid) -> None:
    with uow:
        check_add_holding(uow, librarian, pid, READING_ROOM, now=NOW)
    assert holding_count(uow) == 0
