"""The counters' actions on queue tickets: each transition, each refusal, the clocks they fix."""

from __future__ import annotations

import datetime as dt

import pytest

from library.errors import InvalidField, NotAllowed, NotFound
from library.frontoffice.queue.actions import (
    BreachReasonNeeded,
    NobodyWaiting,
    call_next,
    finish_service,
    recall,
    skip_no_show,
    start_service,
    transfer,
)
from library.frontoffice.queue.at_work import QueueError, QueueRef
from library.models import TicketStatus
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import DAY, OFFICE, OTHER_OFFICE, arrive, at, person, set_up

LIBRARY = QueueRef(OFFICE, "library")


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day."""
    with uow:
        set_up(uow)
        yield uow


def test_call_next_calls_the_lowest_numbered_waiting_ticket_to_the_counter(day: UnitOfWork) -> None:
    first = arrive(day, "Ani", 0)[0]
    arrive(day, "Budi", 1)
    called = call_next(day, person(day, "front"), OFFICE, "library", "  Loket   1 ", at(2))
    assert called.id == first.id
    assert (called.status, called.counter, called.calls, called.called_at) == ("called", "Loket 1", 1, at(2))


def test_call_next_passes_over_called_tickets_other_days_and_other_queues(day: UnitOfWork) -> None:
    arrive(day, "Kemarin", 0, day=DAY - dt.timedelta(days=1))
    arrive(day, "Konsultasi", 0, ["consultation"])
    first, second = arrive(day, "Ani", 1)[0], arrive(day, "Budi", 2)[0]
    front = person(day, "front")
    assert call_next(day, front, OFFICE, "library", "Loket 1", at(3)).id == first.id
    assert call_next(day, front, OFFICE, "library", "Loket 2", at(3)).id == second.id


def test_call_next_with_nobody_waiting_says_so(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    front = person(day, "front")
    call_next(day, front, OFFICE, "library", "Loket 1", at(1))
    with pytest.raises(NobodyWaiting, match="Nobody is waiting"):
        call_next(day, front, OFFICE, "library", "Loket 2", at(2))


def test_the_queue_day_is_the_offices_local_day(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]  # 08:00 WIB on the 23rd
    late_evening_utc = dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.UTC)  # already 01:00 on the 23rd in WIB
    assert (
        call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", late_evening_utc).id == ticket.id
    )


@pytest.mark.parametrize("counter", ["", "   ", "x" * 41])
def test_call_next_needs_a_counter_name_of_sensible_length(day: UnitOfWork, counter: str) -> None:
    arrive(day, "Ani", 0)
    with pytest.raises(InvalidField) as refused:
        call_next(day, person(day, "front"), OFFICE, "library", counter, at(1))
    assert refused.value.field == "counter"


def test_call_next_in_a_queue_the_office_does_not_have_is_not_found(day: UnitOfWork) -> None:
    with pytest.raises(NotFound):
        call_next(day, person(day, "front"), OTHER_OFFICE, "library", "Loket 1", at(1))


def test_recall_counts_another_call_at_the_same_counter(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    ticket = call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    again = recall(day, person(day, "front"), ticket.id, at(3))
    assert (again.status, again.calls, again.called_at, again.counter) == ("called", 2, at(3), "Loket 1")


def test_a_waiting_ticket_cannot_be_called_again(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    with pytest.raises(QueueError, match="cannot be called again"):
        recall(day, person(day, "front"), ticket.id, at(1))


def test_starting_a_service_fixes_its_clock_from_the_guest_book(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    ticket = call_next(day, person(day, "librarian"), OFFICE, "library", "Meja baca", at(2))
    served = start_service(day, person(day, "librarian"), ticket.id, at(4))
    assert (served.status, served.served_at, served.served_by_id) == (
        "serving",
        at(4),
        person(day, "librarian").id,
    )
    assert (served.clock_started_at, served.target_at) == (at(0), at(5))
    assert not served.breached and served.breach_reason == ""


def test_a_waiting_visitor_can_be_served_without_a_call(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    served = start_service(day, person(day, "front"), ticket.id, at(1))
    assert served.status == "serving" and served.calls == 0


def test_a_start_past_the_target_asks_for_the_reason_and_changes_nothing(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    with pytest.raises(BreachReasonNeeded) as asked:
        start_service(day, person(day, "front"), ticket.id, at(6))
    assert asked.value.ticket_id == ticket.id and asked.value.target_at == at(5)
    assert "P-001" in str(asked.value) and "5 minutes" in str(asked.value)
    day.session.refresh(ticket)
    assert ticket.status == "waiting" and ticket.served_at is None


def test_a_late_start_with_a_reason_keeps_the_reason_for_the_reports(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    served = start_service(day, person(day, "front"), ticket.id, at(6), "  Petugas   sedang rapat ")
    assert served.breached and served.breach_reason == "Petugas sedang rapat"


def test_a_reason_given_for_a_start_on_time_is_not_kept(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    assert start_service(day, person(day, "front"), ticket.id, at(5), "tidak perlu").breach_reason == ""


def test_an_overlong_breach_reason_is_refused(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    with pytest.raises(InvalidField) as refused:
        start_service(day, person(day, "front"), ticket.id, at(9), "a" * 501)
    assert refused.value.field == "breach_reason"


def test_a_consultation_clock_starts_when_the_previous_visitor_is_done(day: UnitOfWork) -> None:
    consultant = person(day, "consultant")
    first = arrive(day, "Ani", 0, ["consultation"])[0]
    second = arrive(day, "Budi", 5, ["consultation"])[0]
    start_service(day, consultant, first.id, at(1))
    finish_service(day, consultant, first.id, at(30))
    served = start_service(day, consultant, second.id, at(39))
    assert (served.clock_started_at, served.target_at, served.breached) == (at(30), at(40), False)


def test_a_consultation_served_more_than_ten_minutes_after_the_previous_one_is_a_breach(
    day: UnitOfWork,
) -> None:
    consultant = person(day, "consultant")
    first = arrive(day, "Ani", 0, ["consultation"])[0]
    second = arrive(day, "Budi", 5, ["consultation"])[0]
    start_service(day, consultant, first.id, at(1))
    skip = call_next(day, consultant, OFFICE, "consultation", "Meja 1", at(20))
    assert skip.id == second.id
    finish_service(day, consultant, first.id, at(30))
    with pytest.raises(BreachReasonNeeded):
        start_service(day, consultant, second.id, at(41))
    assert start_service(day, consultant, second.id, at(41), "Antre panjang").target_at == at(40)


def test_a_consultation_served_at_a_second_counter_before_the_previous_ended_waited_none_of_the_promise(
    day: UnitOfWork,
) -> None:
    consultant = person(day, "consultant")
    first = arrive(day, "Ani", 0, ["consultation"])[0]
    second = arrive(day, "Budi", 5, ["consultation"])[0]
    start_service(day, consultant, first.id, at(1))
    served = start_service(day, consultant, second.id, at(22))  # Ani is still being served: no reason asked
    assert (served.clock_started_at, served.target_at, served.breached) == (at(22), at(32), False)


def test_finishing_closes_the_service(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    start_service(day, person(day, "front"), ticket.id, at(1))
    done = finish_service(day, person(day, "front"), ticket.id, at(20))
    assert (done.status, done.finished_at) == ("done", at(20))


@pytest.mark.parametrize("status", ["waiting", "called"])
def test_a_ticket_not_being_served_cannot_be_finished(day: UnitOfWork, status: str) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    if status == "called":
        call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    with pytest.raises(QueueError, match="not being served"):
        finish_service(day, person(day, "front"), ticket.id, at(2))


@pytest.mark.parametrize("end", ["done", "no_show", "transferred"])
def test_a_closed_ticket_cannot_be_served(day: UnitOfWork, end: str) -> None:
    front = person(day, "front")
    ticket = arrive(day, "Ani", 0)[0]
    if end == "done":
        start_service(day, front, ticket.id, at(1))
        finish_service(day, front, ticket.id, at(2))
    elif end == "no_show":
        call_next(day, front, OFFICE, "library", "Loket 1", at(1))
        recall(day, front, ticket.id, at(2))
        skip_no_show(day, front, ticket.id, at(2))
    else:
        transfer(day, front, ticket.id, "consultation", at(2))
    with pytest.raises(QueueError, match="can no longer be served"):
        start_service(day, front, ticket.id, at(3))


def test_a_called_visitor_who_does_not_come_is_a_no_show_once_called_again(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    ticket = call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    with pytest.raises(QueueError, match="Call P-001 again before"):
        skip_no_show(day, person(day, "front"), ticket.id, at(2))  # seconds after one call: not yet
    recall(day, person(day, "front"), ticket.id, at(3))
    skipped = skip_no_show(day, person(day, "front"), ticket.id, at(4))
    assert (skipped.status, skipped.finished_at) == ("no_show", at(4))


def test_a_counter_calls_one_visitor_at_a_time(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    arrive(day, "Budi", 1)
    front = person(day, "front")
    first = call_next(day, front, OFFICE, "library", "Loket 1", at(2))
    with pytest.raises(QueueError, match="Loket 1 is still calling P-001"):
        call_next(day, front, OFFICE, "library", "Loket 1", at(3))
    assert call_next(day, front, OFFICE, "library", "Loket 2", at(3)).code == "P-002"  # another counter may
    start_service(day, front, first.id, at(4))
    arrive(day, "Citra", 5)
    assert call_next(day, front, OFFICE, "library", "Loket 1", at(6)).code == "P-003"  # once serving, free


@pytest.mark.parametrize("status", ["waiting", "serving"])
def test_only_a_called_ticket_can_be_a_no_show(day: UnitOfWork, status: str) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    if status == "serving":
        start_service(day, person(day, "front"), ticket.id, at(1))
    with pytest.raises(QueueError, match="Only a called ticket"):
        skip_no_show(day, person(day, "front"), ticket.id, at(2))


def test_a_transfer_puts_the_visitor_at_the_end_of_the_other_queue(day: UnitOfWork) -> None:
    arrive(day, "Budi", 0, ["consultation"])
    ticket = arrive(day, "Ani", 1)[0]
    start_service(day, person(day, "librarian"), ticket.id, at(2))
    moved = transfer(day, person(day, "librarian"), ticket.id, "consultation", at(10))
    day.session.refresh(ticket)
    assert (ticket.status, ticket.finished_at, ticket.transferred_to_id) == ("transferred", at(10), moved.id)
    assert (moved.code, moved.status, moved.visit_id, moved.issued_at) == (
        "K-002",
        "waiting",
        ticket.visit_id,
        at(10),
    )


def test_a_transfer_to_the_same_queue_or_one_the_office_lacks_is_refused(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    with pytest.raises(QueueError, match="in that queue already"):
        transfer(day, person(day, "front"), ticket.id, "library", at(1))
    with pytest.raises(InvalidField) as refused:
        transfer(day, person(day, "front"), ticket.id, "lapor", at(1))
    assert refused.value.field == "to_service"


def test_a_closed_ticket_cannot_be_transferred(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    start_service(day, person(day, "front"), ticket.id, at(1))
    finish_service(day, person(day, "front"), ticket.id, at(2))
    with pytest.raises(QueueError, match="closed already"):
        transfer(day, person(day, "front"), ticket.id, "consultation", at(3))


def test_a_ticket_of_another_day_cannot_be_worked(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0, day=DAY - dt.timedelta(days=1))[0]
    with pytest.raises(QueueError, match="only today's queue"):
        start_service(day, person(day, "front"), ticket.id, at(1))


def test_a_console_cannot_work_a_ticket_of_another_queue_or_office(day: UnitOfWork) -> None:
    consultation = arrive(day, "Ani", 0, ["consultation"])[0]
    elsewhere = arrive(day, "Budi", 0, ["consultation"], office=OTHER_OFFICE)[0]
    for ticket in (consultation, elsewhere):
        with pytest.raises(QueueError, match="another queue"):
            start_service(day, person(day, "front"), ticket.id, at(1), at=LIBRARY)


@pytest.mark.parametrize("ticket_id", [0, -1, 2**31, 2**63, 10**30, 987_654])
def test_a_ticket_id_that_names_no_ticket_is_not_found(day: UnitOfWork, ticket_id: int) -> None:
    with pytest.raises(NotFound):
        recall(day, person(day, "front"), ticket_id, at(1))


@pytest.mark.parametrize(
    ("who", "library", "consultation"),
    [
        ("front", True, True),
        ("admin", True, True),
        ("librarian", True, False),
        ("consultant", False, True),
        ("reader", False, False),
    ],
)
def test_who_may_work_each_queue(day: UnitOfWork, who: str, library: bool, consultation: bool) -> None:
    arrive(day, "Ani", 0, ["library", "consultation"])
    for code, allowed in (("library", library), ("consultation", consultation)):
        if allowed:
            counter = f"Loket {code}"  # one counter for each queue: a counter calls one visitor at a time
            assert call_next(day, person(day, who), OFFICE, code, counter, at(1)).status == "called"
        else:
            with pytest.raises(NotAllowed):
                call_next(day, person(day, who), OFFICE, code, "Loket 1", at(1))


def test_nobody_and_a_deactivated_account_may_not_work_a_queue(day: UnitOfWork) -> None:
    ticket = arrive(day, "Ani", 0)[0]
    with pytest.raises(NotAllowed):
        start_service(day, None, ticket.id, at(1))
    front = person(day, "front")
    front.active = False
    day.session.flush()
    with pytest.raises(NotAllowed):
        start_service(day, front, ticket.id, at(1))
    assert ticket.status == TicketStatus.WAITING
