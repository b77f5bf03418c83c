"""Priority in the database: "Call next" follows the rule, staff mark and unmark it, transfers keep it."""

from __future__ import annotations

import pytest

from library.errors import InvalidField, NotAllowed
from library.frontoffice.queue.actions import call_next, finish_service, start_service, transfer
from library.frontoffice.queue.at_work import QueueError
from library.frontoffice.queue.priority import PriorityPolicy
from library.frontoffice.queue.priority_marks import check_mark_priority
from library.frontoffice.visit_status import people_ahead
from library.models import Ticket
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import OFFICE, arrive, at, person, set_up

GROUPS = ("elderly", "disability", "pregnant", "toddler")


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day."""
    with uow:
        set_up(uow)
        yield uow


def declared(uow: UnitOfWork, name: str, minutes: float, group: str = "", service: str = "library") -> Ticket:
    """Record a visitor with one ticket, priority as declared at the kiosk."""
    ticket = arrive(uow, name, minutes, (service,))[0]
    ticket.priority = group
    uow.session.flush()
    return ticket


def serve(uow: UnitOfWork, counter: str, minutes: float) -> str:
    """Call the next visitor to the counter, serve and finish them; return the ticket's code."""
    front = person(uow, "front")
    ticket = call_next(uow, front, OFFICE, "library", counter, at(minutes))
    start_service(uow, front, ticket.id, at(minutes), "Antrean panjang")
    finish_service(uow, front, ticket.id, at(minutes + 0.5))
    return ticket.code


def test_call_next_calls_a_later_priority_ticket_before_earlier_regular_ones(day: UnitOfWork) -> None:
    declared(day, "Ani", 0)
    declared(day, "Budi", 0.2)
    elderly = declared(day, "Pak Harun", 0.4, "elderly")
    assert call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1)).id == elderly.id


def test_a_counter_calls_a_regular_ticket_after_two_priority_calls_in_a_row(day: UnitOfWork) -> None:
    declared(day, "Ani", 0)
    for n in range(4):
        declared(day, f"Ibu {n}", 0.1 + n / 10, "pregnant")
    codes = [serve(day, "Loket 1", 0.6 + n / 10) for n in range(5)]
    assert codes == ["P-002", "P-003", "P-001", "P-004", "P-005"]


def test_a_regular_ticket_near_its_target_goes_before_a_priority_one(day: UnitOfWork) -> None:
    regular = declared(day, "Ani", 0)  # the library's target: 5 minutes from the guest book
    declared(day, "Pak Harun", 1, "elderly")
    front = person(day, "front")
    policy = PriorityPolicy(streak=9)  # the margin alone decides: 2 minutes
    assert call_next(day, front, OFFICE, "library", "Loket 1", at(3.1), policy).id == regular.id


def test_another_counters_priority_calls_do_not_count_in_this_counters_streak(day: UnitOfWork) -> None:
    declared(day, "Ani", 0)
    for n in range(3):
        declared(day, f"Ibu {n}", 0.1 + n / 10, "toddler")
    assert [serve(day, "Loket 1", 0.6), serve(day, "Loket 1", 0.7)] == ["P-002", "P-003"]
    assert serve(day, "Loket 2", 0.8) == "P-004"  # Loket 2's first call: priority still goes first


def test_staff_mark_a_ticket_as_priority_and_it_is_called_next(day: UnitOfWork) -> None:
    declared(day, "Ani", 0)
    late = declared(day, "Pak Harun", 0.5)
    front = person(day, "front")
    marked = check_mark_priority(day, front, late.id, at(1), group="disability", groups=GROUPS)
    assert (marked.priority, marked.priority_set_by_id) == ("disability", front.id)
    assert call_next(day, front, OFFICE, "library", "Loket 1", at(1)).id == late.id


def test_staff_unmark_a_wrong_declaration_and_the_queue_order_returns(day: UnitOfWork) -> None:
    first = declared(day, "Ani", 0)
    wrong = declared(day, "Budi", 0.5, "pregnant")
    front = person(day, "front")
    assert check_mark_priority(day, front, wrong.id, at(1), group="", groups=GROUPS).priority == ""
    assert call_next(day, front, OFFICE, "library", "Loket 1", at(1)).id == first.id


def test_marking_refuses_a_group_the_office_does_not_offer_a_closed_ticket_and_a_reader(
    day: UnitOfWork,
) -> None:
    ticket = declared(day, "Ani", 0)
    front = person(day, "front")
    with pytest.raises(InvalidField, match="priority group"):
        check_mark_priority(day, front, ticket.id, at(1), group="veteran", groups=GROUPS)
    with pytest.raises(NotAllowed):
        check_mark_priority(day, person(day, "reader"), ticket.id, at(1), group="elderly", groups=GROUPS)
    call_next(day, front, OFFICE, "library", "Loket 1", at(1))
    start_service(day, front, ticket.id, at(1))
    finish_service(day, front, ticket.id, at(2))
    with pytest.raises(QueueError, match="closed already"):
        check_mark_priority(day, front, ticket.id, at(3), group="elderly", groups=GROUPS)


def test_a_transferred_priority_visitor_stays_priority_in_the_new_queue(day: UnitOfWork) -> None:
    ticket = declared(day, "Pak Harun", 0, "elderly")
    moved = transfer(day, person(day, "front"), ticket.id, "consultation", at(1))
    assert moved.priority == "elderly"


def test_a_priority_visitor_is_told_only_the_priority_visitors_ahead(day: UnitOfWork) -> None:
    declared(day, "Ani", 0)
    first = declared(day, "Ibu Sari", 0.2, "pregnant")
    second = declared(day, "Pak Harun", 0.4, "elderly")
    regular = declared(day, "Budi", 0.6)
    assert [people_ahead(day, t) for t in (first, second, regular)] == [0, 1, 3]
