"""The console's view: today's visits and their tickets, free lockers, cards held; visits by ticket."""

from __future__ import annotations

import datetime as dt

import pytest

from library.errors import InvalidField, NotAllowed
from library.frontoffice.lockers.admin import check_set_locker_active
from library.frontoffice.lockers.staff import front_desk, visit_for_ticket
from library.frontoffice.lockers.stock import check_depart, check_give_locker
from library.models import TicketStatus, User
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import DAY, NOW, Desk


def test_the_console_shows_todays_visits_newest_first_with_tickets_and_cards(
    uow, desk: Desk, front: User, admin: User
) -> None:
    lockers = desk.lockers("A-01..A-04")
    desk.visit("Kemarin", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    budi = desk.visit("Budi", arrived=NOW, services=("library", "consultation"))
    sari = desk.visit("Sari", arrived=NOW + dt.timedelta(minutes=5))
    desk.visit("Rudi", office="1805", services=("consultation",))
    with uow:
        check_give_locker(uow, front, budi, lockers["A-03"], "ktp", "1234", NOW)
        check_set_locker_active(uow, admin, "1872", lockers["A-04"], False)
        check_depart(uow, front, sari, NOW + dt.timedelta(minutes=30))
        uow.commit()
    with uow:
        view = front_desk(uow, front, "1872", NOW + dt.timedelta(hours=1))
    assert (view.office_name, view.day, view.lockers) == ("BPS Kota Metro", DAY, 3)
    assert [(v.name, v.left_at is not None) for v in view.visits] == [("Sari", True), ("Budi", False)]
    budi_line = view.visits[1]
    assert [(t.code, t.status) for t in budi_line.tickets] == [
        ("P-001", TicketStatus.WAITING),
        ("K-001", TicketStatus.WAITING),
    ]
    assert budi_line.card is not None and budi_line.card.locker == "A-03"
    assert view.visits[0].tickets[0].status is TicketStatus.NO_SHOW
    assert [x.label for x in view.free_lockers] == ["A-01", "A-02"]
    assert [c.visitor for c in view.held] == ["Budi"]


def test_a_card_forgotten_yesterday_shows_among_the_cards_held_though_its_visit_does_not(
    uow, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    yesterday = NOW - dt.timedelta(days=1)
    rudi = desk.visit("Rudi", day=DAY - dt.timedelta(days=1), arrived=yesterday)
    with uow:
        check_give_locker(uow, front, rudi, lockers["A-01"], "sim", "9999", yesterday)
        uow.commit()
    with uow:
        view = front_desk(uow, front, "1872", NOW)
    assert view.visits == ()
    assert [(c.visitor, c.overdue) for c in view.held] == [("Rudi", True)]
    assert [x.label for x in view.free_lockers] == ["A-02", "A-03"]


@pytest.mark.parametrize("typed", ["P-001", "p-001", "p1", " P 001 ", "P-0001"])
def test_a_visit_is_found_by_the_code_on_its_ticket(uow, desk: Desk, front: User, typed: str) -> None:
    budi = desk.visit("Budi")
    with uow:
        assert visit_for_ticket(uow, front, "1872", typed, NOW) == budi


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "such as P-007"),
        ("P-", "such as P-007"),
        ("007", "such as P-007"),
        ("P-1; --", "such as P-007"),
        ("P-" + "9" * 50, "such as P-007"),
        ("P-002", "No ticket P-002 was given today"),
        ("Z-001", "No ticket Z-001 was given today"),
    ],
)
def test_a_ticket_code_not_given_today_is_refused(
    uow, desk: Desk, front: User, typed: str, says: str
) -> None:
    desk.visit("Budi")
    with uow, pytest.raises(InvalidField, match=says) as refused:
        visit_for_ticket(uow, front, "1872", typed, NOW)
    assert refused.value.field == "ticket"


def test_yesterdays_ticket_does_not_find_its_visit_today(uow, desk: Desk, front: User) -> None:
    desk.visit("Budi", day=DAY - dt.timedelta(days=1), arrived=NOW - dt.timedelta(days=1))
    with uow, pytest.raises(InvalidField, match="No ticket P-001"):
        visit_for_ticket(uow, front, "1872", "P-001", NOW)


def test_only_front_office_staff_open_the_console(uow: UnitOfWork, desk: Desk, reader: User) -> None:
    with uow, pytest.raises(NotAllowed):
        front_desk(uow, reader, "1872", NOW)
    with uow, pytest.raises(NotAllowed):
        visit_for_ticket(uow, reader, "1872", "P-001", NOW)
