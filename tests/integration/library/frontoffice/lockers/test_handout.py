"""The console's form gives a locker: to the visitor of a typed ticket code, else to the one picked."""

from __future__ import annotations

import pytest

from library.errors import InvalidField, NotAllowed
from library.frontoffice.lockers.staff import LockerHandout, check_hand_out_locker
from library.frontoffice.lockers.stock import cards_held
from library.models import User
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import NOW, Desk


def handout(locker_id: int, *, ticket: str = "", visit_id: int = 0) -> LockerHandout:
    """Return the console's form as sent: a KTP ending 1234 for the locker."""
    return LockerHandout(
        ticket=ticket, visit_id=visit_id, locker_id=locker_id, card_kind="ktp", card_last4="1234"
    )


def test_a_typed_ticket_code_names_the_visitor_even_with_another_one_picked(
    uow: UnitOfWork, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    sari = desk.visit("Sari")
    with uow:
        held = check_hand_out_locker(
            uow, front, "1872", handout(lockers["A-01"], ticket=" P-002 ", visit_id=budi), NOW
        )
        uow.commit()
    assert (held.visitor, held.visit_id, held.locker) == ("Sari", sari, "A-01")


def test_with_no_ticket_typed_the_visitor_picked_gets_the_locker(
    uow: UnitOfWork, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    with uow:
        check_hand_out_locker(uow, front, "1872", handout(lockers["A-02"], ticket="  ", visit_id=budi), NOW)
        uow.commit()
    with uow:
        assert [(c.visitor, c.locker, c.card_last4) for c in cards_held(uow, front, "1872", NOW)] == [
            ("Budi", "A-02", "1234")
        ]


def test_a_form_naming_no_visitor_is_refused_on_its_visitor_field(
    uow: UnitOfWork, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    with uow, pytest.raises(InvalidField, match="Choose the visitor") as refused:
        check_hand_out_locker(uow, front, "1872", handout(lockers["A-01"]), NOW)
    assert refused.value.field == "visit"


def test_only_front_office_staff_hand_out_lockers_by_ticket(
    uow: UnitOfWork, desk: Desk, reader: User
) -> None:
    lockers = desk.lockers()
    desk.visit("Budi")
    with uow, pytest.raises(NotAllowed):
        check_hand_out_locker(uow, reader, "1872", handout(lockers["A-01"], ticket="P-001"), NOW)
