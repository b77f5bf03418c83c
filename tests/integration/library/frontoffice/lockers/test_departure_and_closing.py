"""A visitor leaving closes the visit; at closing time the console lists every card still held."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from library.errors import NotAllowed, NotFound
from library.frontoffice.lockers.stock import cards_held, check_depart, check_give_locker, check_return_locker
from library.models import IdCardKind, LockerLoan, Ticket, TicketStatus, User, Visit
from library.permissions import SYSTEM
from library.uow import UnitOfWork
from tests.integration.library.frontoffice.lockers.conftest import DAY, NOW, Desk

LEAVES = NOW + dt.timedelta(hours=1, minutes=15)


def give(
    uow: UnitOfWork, actor: User, visit: int, locker: int, last4: str = "5678", now: dt.datetime = NOW
) -> int:
    """Give a locker and commit; return the loan's id."""
    with uow:
        loan = check_give_locker(uow, actor, visit, locker, "ktp", last4, now).loan_id
        uow.commit()
        return loan


def depart(uow: UnitOfWork, actor: object, visit: int, now: dt.datetime = LEAVES):  # type: ignore[no-untyped-def]
    """Close a visit and commit."""
    with uow:
        gone = check_depart(uow, actor, visit, now)  # type: ignore[arg-type]
        uow.commit()
        return gone


def set_statuses(uow: UnitOfWork, visit: int, *statuses: TicketStatus) -> None:
    """Put the visit's tickets, in order, in the given statuses."""
    with uow:
        tickets = uow.session.scalars(
            select(Ticket).where(Ticket.visit_id == visit).order_by(Ticket.id)
        ).all()
        for ticket, status in zip(tickets, statuses, strict=True):
            ticket.status = status.value
        uow.commit()


def tickets_of(uow: UnitOfWork, visit: int) -> list[tuple[str, str, dt.datetime | None]]:
    """Return the visit's tickets: code, status, finished at."""
    with uow:
        rows = uow.session.scalars(select(Ticket).where(Ticket.visit_id == visit).order_by(Ticket.id))
        return [(t.code, t.status, t.finished_at) for t in rows]


def left_at(uow: UnitOfWork, visit: int) -> dt.datetime | None:
    """Return when the visit's visitor left."""
    with uow:
        return uow.session.scalar(select(Visit.left_at).where(Visit.id == visit))


def test_leaving_gives_the_card_back_and_closes_the_visit(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    give(uow, front, budi, lockers["A-01"])
    gone = depart(uow, front, budi)
    assert (gone.visitor, gone.left_at, gone.already_left) == ("Budi", LEAVES, False)
    [card] = gone.cards
    assert (card.locker, card.card_kind, card.card_last4) == ("A-01", IdCardKind.KTP, "5678")
    assert card.held_for == dt.timedelta(hours=1, minutes=15)
    assert left_at(uow, budi) == LEAVES
    with uow:
        assert uow.session.scalar(select(LockerLoan.returned_at)) == LEAVES


def test_tickets_still_waiting_or_called_become_no_shows(uow, desk: Desk, front: User) -> None:
    budi = desk.visit("Budi", services=("library", "consultation"))
    set_statuses(uow, budi, TicketStatus.CALLED, TicketStatus.WAITING)
    gone = depart(uow, front, budi)
    assert (gone.no_show, gone.finished, gone.cards) == (("P-001", "K-001"), (), ())
    assert tickets_of(uow, budi) == [("P-001", "no_show", LEAVES), ("K-001", "no_show", LEAVES)]


def test_a_ticket_still_being_served_is_finished_when_the_visitor_leaves(
    uow, desk: Desk, front: User
) -> None:
    sari = desk.visit("Sari", services=("library", "consultation"))
    set_statuses(uow, sari, TicketStatus.SERVING, TicketStatus.DONE)
    gone = depart(uow, front, sari)
    assert (gone.no_show, gone.finished, gone.terminals) == ((), ("P-001",), ())
    assert tickets_of(uow, sari) == [("P-001", "done", LEAVES), ("K-001", "done", None)]


def test_leaving_twice_changes_nothing_and_says_the_visitor_had_left(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    give(uow, front, budi, lockers["A-01"])
    depart(uow, front, budi)
    again = depart(uow, front, budi, LEAVES + dt.timedelta(minutes=10))
    assert (again.already_left, again.left_at, again.cards, again.no_show) == (True, LEAVES, (), ())
    assert left_at(uow, budi) == LEAVES


def test_a_closed_visit_still_holding_a_card_gives_it_back_and_keeps_its_time_of_leaving(
    uow, desk: Desk, front: User
) -> None:
    lockers = desk.lockers()
    budi = desk.visit("Budi")
    give(uow, front, budi, lockers["A-01"])
    with uow:  # closed elsewhere (say, by a terminal) while the card stayed in the drawer
        uow.session.execute(
            update(Visit).where(Visit.id == budi).values(left_at=NOW + dt.timedelta(minutes=5))
        )
        uow.commit()
    gone = depart(uow, front, budi)
    assert (gone.already_left, gone.left_at, [c.locker for c in gone.cards]) == (
        True,
        NOW + dt.timedelta(minutes=5),
        ["A-01"],
    )


def test_only_front_office_staff_see_visitors_out(uow, desk: Desk, reader: User) -> None:
    budi = desk.visit("Budi")
    for nobody in (reader, None, SYSTEM):
        with uow, pytest.raises(NotAllowed):
            check_depart(uow, nobody, budi, LEAVES)
    assert left_at(uow, budi) is None


@pytest.mark.parametrize("bad_id", [0, 424242, 2**63])
def test_an_unknown_visit_cannot_leave(uow, desk: Desk, front: User, bad_id: int) -> None:
    with uow, pytest.raises(NotFound, match="no such visit"):
        check_depart(uow, front, bad_id, LEAVES)


def test_the_closing_list_holds_every_card_still_held_oldest_first_with_earlier_days_overdue(
    uow, desk: Desk, front: User
) -> None:
    lockers = desk.lockers("A-01..A-05")
    yesterday = NOW - dt.timedelta(days=1)
    forgotten = desk.visit("Rudi", day=DAY - dt.timedelta(days=1), arrived=yesterday)
    give(uow, front, forgotten, lockers["A-05"], "0001", now=yesterday)
    budi, sari, tono = desk.visit("Budi"), desk.visit("Sari"), desk.visit("Tono")
    give(uow, front, sari, lockers["A-02"], "2222", now=NOW + dt.timedelta(minutes=20))
    give(uow, front, budi, lockers["A-01"], "1111", now=NOW + dt.timedelta(minutes=10))
    returned = give(uow, front, tono, lockers["A-03"], "3333", now=NOW)
    with uow:
        check_return_locker(uow, front, returned, NOW + dt.timedelta(minutes=30))
        uow.commit()
    closing = NOW + dt.timedelta(hours=7)  # 16:00 at the office
    with uow:
        held = cards_held(uow, front, "1872", closing)
    assert [(c.locker, c.visitor, c.card_last4, c.overdue) for c in held] == [
        ("A-05", "Rudi", "0001", True),
        ("A-01", "Budi", "1111", False),
        ("A-02", "Sari", "2222", False),
    ]
    assert [c.held_for for c in held] == [
        dt.timedelta(hours=31),
        dt.timedelta(hours=6, minutes=50),
        dt.timedelta(hours=6, minutes=40),
    ]


def test_the_closing_list_is_the_offices_own(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    give(uow, front, desk.visit("Budi"), lockers["A-01"])
    with uow:
        assert cards_held(uow, front, "1805", NOW) == []
        with pytest.raises(NotFound, match="office 9999 is not loaded"):
            cards_held(uow, front, "9999", NOW)


def test_a_card_given_before_midnight_at_the_office_is_overdue_after_it(uow, desk: Desk, front: User) -> None:
    lockers = desk.lockers()
    evening = dt.datetime(2026, 11, 23, 16, 30, tzinfo=dt.UTC)  # 23:30 in Kota Metro
    give(uow, front, desk.visit("Budi", arrived=evening), lockers["A-01"], now=evening)
    with uow:
        [before] = cards_held(uow, front, "1872", evening + dt.timedelta(minutes=20))
        [after] = cards_held(uow, front, "1872", evening + dt.timedelta(minutes=40))
    assert (before.overdue, after.overdue) == (False, True)


def test_only_front_office_staff_see_the_cards_held(uow, desk: Desk, reader: User) -> None:
    with uow, pytest.raises(NotAllowed):
        cards_held(uow, reader, "1872", NOW)
