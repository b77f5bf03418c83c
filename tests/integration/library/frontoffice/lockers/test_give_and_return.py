"""Giving a locker against an ID card, and giving the card back: every rule and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, table

from library.errors import InvalidField, NotAllowed, NotFound
from library.frontoffice.lockers.admin import check_set_locker_active
from library.frontoffice.lockers.stock import LockerConflict, check_give_locker, check_return_locker
from library.models import IdCardKind, LockerLoan, User
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import DAY, NOW, Desk

LATER = NOW + dt.timedelta(minutes=30)


def give(uow: UnitOfWork, actor, visit: int, locker: int, kind="ktp", last4="5678", now=NOW):  # type: ignore[no-untyped-def]
    """Give a locker in a unit of work of its own and commit."""
    with uow:
        held = check_give_locker(uow, actor, visit, locker, kind, last4, now)
        uow.commit()
        return held


def loans(uow: UnitOfWork) -> list[tuple]:
    """Return every loan stored: card kind and last four, given by, returned at and by."""
    with uow:
        rows = uow.session.scalars(select(LockerLoan).order_by(LockerLoan.id))
        return [(x.card_kind, x.card_last4, x.given_by_id, x.returned_at, x.returned_by_id) for x in rows]


def test_a_locker_is_given_against_the_cards_kind_and_last_four_only(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    visit = desk.visit("Budi Santoso")
    held = give(uow, front, visit, lockers["A-02"], IdCardKind.SIM, "ab12")
    assert (held.locker, held.visitor, held.card_kind, held.card_last4) == (
        "A-02",
        "Budi Santoso",
        IdCardKind.SIM,
        "AB12",
    )
    assert held.given_at == NOW and held.held_for == dt.timedelta(0) and not held.overdue
    assert loans(uow) == [("sim", "AB12", front.id, None, None)]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("5678", "5678"), (" 5678 ", "5678"), ("56-78", "5678"), ("x9z1", "X9Z1"), ("12.34", "1234")],
)
def test_the_last_four_may_be_typed_with_spaces_or_separators(
    uow, desk: Desk, front: User, typed, kept
) -> None:
    lockers = desk.lockers()
    assert give(uow, front, desk.visit(), lockers["A-01"], last4=typed).card_last4 == kept


NIK = "3171012345678901"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        (NIK, "personal data"),
        ("3171 0123 4567 8901", "personal data"),
        ("3171-0123-4567-8901", "personal data"),
        ("12345", "personal data"),
        ("NIK 5678", "personal data"),
        ("A1234567", "personal data"),
        ("", "exactly four"),
        ("   ", "exactly four"),
        ("123", "exactly four"),
        ("12#4", "letters and digits"),
        ("１２３４", "letters and digits"),  # full-width digits
        ("<b>1", "letters and digits"),
        ("1" * 100_000, "personal data"),
    ],
)
def test_anything_but_four_letters_or_digits_is_refused_and_never_stored(
    uow, desk: Desk, front: User, typed: str, says: str
) -> None:
    lockers = desk.lockers()
    visit = desk.visit()
    with uow, pytest.raises(InvalidField, match=says) as refused:
        check_give_locker(uow, front, visit, lockers["A-01"], "ktp", typed, NOW)
    assert refused.value.field == "card_last4"
    assert typed.strip() == "" or typed not in str(refused.value)  # the number is not echoed
    assert loans(uow) == []


def test_a_refused_full_nik_leaves_no_run_of_more_than_four_of_its_digits_in_the_database(
    uow, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    visit = desk.visit()
    with uow, pytest.raises(InvalidField, match="never stored"):
        check_give_locker(uow, front, visit, lockers["A-01"], "ktp", NIK, NOW)
    give(uow, front, visit, lockers["A-01"], "ktp", NIK[-4:])
    with uow:
        # Every stored value a NIK could be written into; not the times, whose microseconds
        # ("8:20:57.123456") hold a run of its digits once in a few thousand runs.
        dump = "\n".join(
            str(value)
            for name in ("locker_loan", "visit", "ticket", "locker", "user_account")
            for row in uow.session.execute(select("*").select_from(table(name)))
            for value in row
            if not isinstance(value, dt.date)
        )
    digits_of_the_nik = {NIK[i : i + 5] for i in range(len(NIK) - 4)}
    assert not any(run in dump for run in digits_of_the_nik)
    assert [loan[1] for loan in loans(uow)] == ["8901"]


@pytest.mark.parametrize("kind", ["", "nik", "KTP ", "passport'--", "x" * 5000])
def test_an_unknown_kind_of_card_is_refused(uow, desk: Desk, front: User, kind: str) -> None:
    lockers = desk.lockers()
    visit = desk.visit()
    with uow, pytest.raises(InvalidField, match="kind of ID card") as refused:
        check_give_locker(uow, front, visit, lockers["A-01"], kind, "1234", NOW)
    assert refused.value.field == "card_kind"


def test_a_locker_in_use_is_refused_naming_who_holds_it(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    give(uow, front, desk.visit("Budi"), lockers["A-01"])
    sari = desk.visit("Sari")
    with uow, pytest.raises(LockerConflict, match=r"Locker A-01 is already in use \(Budi\)"):
        check_give_locker(uow, front, sari, lockers["A-01"], "ktp", "1111", NOW)


def test_a_visitor_holding_a_locker_is_not_given_a_second_one(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    visit = desk.visit("Budi")
    give(uow, front, visit, lockers["A-01"])
    with uow, pytest.raises(LockerConflict, match="Budi already holds locker A-01"):
        check_give_locker(uow, front, visit, lockers["A-02"], "ktp", "1111", NOW)


def test_a_locker_out_of_use_is_refused(uow, desk: Desk, front: User, admin: User) -> None:
    lockers = desk.lockers()
    with uow:
        check_set_locker_active(uow, admin, "1872", lockers["A-03"], False)
        uow.commit()
    visit = desk.visit()
    with uow, pytest.raises(LockerConflict, match="Locker A-03 is out of use"):
        check_give_locker(uow, front, visit, lockers["A-03"], "ktp", "1111", NOW)


def test_a_visit_at_another_office_is_refused(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    elsewhere = desk.visit("Rudi", office="1805", services=("consultation",))
    with uow, pytest.raises(LockerConflict, match="Rudi is at another office than locker A-01"):
        check_give_locker(uow, front, elsewhere, lockers["A-01"], "ktp", "1111", NOW)


def test_a_visit_whose_visitor_has_left_is_refused(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    gone = desk.visit("Budi", left=NOW - dt.timedelta(minutes=5))
    with uow, pytest.raises(LockerConflict, match="Budi has already left"):
        check_give_locker(uow, front, gone, lockers["A-01"], "ktp", "1111", NOW)


def test_a_visit_of_another_day_is_refused(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    yesterday = desk.visit("Budi", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    with uow, pytest.raises(LockerConflict, match="was on 2026-11-22, not today"):
        check_give_locker(uow, front, yesterday, lockers["A-01"], "ktp", "1111", NOW)


@pytest.mark.parametrize("bad_id", [0, -1, 987654, 2**31, 10**30])
def test_an_unknown_visit_or_locker_is_not_found(uow, desk: Desk, front: User, bad_id: int) -> None:
    lockers = desk.lockers()
    visit = desk.visit()
    with uow, pytest.raises(NotFound, match="no such visit"):
        check_give_locker(uow, front, bad_id, lockers["A-01"], "ktp", "1111", NOW)
    with uow, pytest.raises(NotFound, match="no such locker"):
        check_give_locker(uow, front, visit, bad_id, "ktp", "1111", NOW)
    with uow, pytest.raises(NotFound, match="no such locker loan"):
        check_return_locker(uow, front, bad_id, NOW)


def test_only_front_office_staff_give_and_take_back_cards(
    uow, desk: Desk, front: User, admin: User, reader: User
) -> None:
    lockers = desk.lockers()
    visit = desk.visit()
    for nobody in (reader, None, SYSTEM):
        with uow, pytest.raises(NotAllowed, match="Only front-office staff"):
            check_give_locker(uow, nobody, visit, lockers["A-01"], "ktp", "1111", NOW)
    held = give(uow, admin, visit, lockers["A-01"])  # administrators hold every role
    with uow, pytest.raises(NotAllowed):
        check_return_locker(uow, reader, held.loan_id, NOW)


def test_giving_the_card_back_frees_the_locker_for_the_next_visitor(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    held = give(uow, front, desk.visit("Budi"), lockers["A-01"])
    with uow:
        back = check_return_locker(uow, front, held.loan_id, LATER)
        uow.commit()
    assert (back.locker, back.visitor, back.held_for) == ("A-01", "Budi", dt.timedelta(minutes=30))
    assert loans(uow) == [("ktp", "5678", front.id, LATER, front.id)]
    assert give(uow, front, desk.visit("Sari"), lockers["A-01"], now=LATER).visitor == "Sari"


def test_giving_a_card_back_twice_is_refused_saying_when_it_went_back(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    held = give(uow, front, desk.visit("Budi"), lockers["A-01"])
    with uow:
        check_return_locker(uow, front, held.loan_id, LATER)
        uow.commit()
    with uow, pytest.raises(LockerConflict, match=r"Budi \(locker A-01\) was already given back at 09:30"):
        check_return_locker(uow, front, held.loan_id, LATER + dt.timedelta(minutes=1))
    with uow, pytest.raises(LockerConflict, match="given back at 2026-11-23 09:30"):
        check_return_locker(uow, front, held.loan_id, NOW + dt.timedelta(days=1))
