"""The supervisor's view: counters and who opened them, the ticket served and since when, a remote close."""

from __future__ import annotations

import pytest

from library.errors import InvalidField, NotAllowed, NotFound
from library.frontoffice.queue.actions import (
    call_next,
    check_close_counter,
    check_open_counter,
    finish_service,
    start_service,
)
from library.frontoffice.queue.at_work import QueueRef
from library.frontoffice.queue.clocks import Level
from library.frontoffice.queue.counters import CounterBusy, open_counters
from library.frontoffice.queue.supervision import check_close_counter_remotely, last_close, supervisor_view
from library.models import Role, User, UserRole
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import OFFICE, arrive, at, person, service, set_up

LIBRARY = QueueRef(OFFICE, "library")


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day, with an office head."""
    with uow:
        set_up(uow)
        head = User(email="head@bps.go.id", name="Kepala", email_verified=True)
        head.role_rows = [UserRole(role=Role.OFFICE_HEAD.value)]
        uow.session.add(head)
        uow.session.flush()
        yield uow


def head(uow: UnitOfWork) -> User:
    """Return the office head."""
    return uow.session.query(User).filter_by(email="head@bps.go.id").one()


def test_each_counter_shows_who_opened_it_and_the_ticket_it_serves_since_when(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    front, librarian = person(day, "front"), person(day, "librarian")
    check_open_counter(day, librarian, OFFICE, "library", "Loket 2", at(0))
    ticket = call_next(day, front, OFFICE, "library", "Loket 1", at(1))
    start_service(day, front, ticket.id, at(2))
    view = supervisor_view(day, head(day), OFFICE, at(6.5))
    counters = {c.counter: c for c in view.counters}
    one, two = counters["Loket 1"], counters["Loket 2"]
    assert (one.open, one.opened_by, one.ticket, one.ticket_status, one.minutes) == (
        True,
        "Front",
        "P-001",
        "serving",
        4,
    )
    assert one.level is Level.AMBER  # 4 of the library's 5 minutes: amber from 80 %
    assert (two.open, two.opened_by, two.ticket, two.level) == (True, "Librarian", "", Level.NONE)


def test_each_officer_shows_the_services_started_today_and_their_median_length(day: UnitOfWork) -> None:
    front = person(day, "front")
    for n, length in enumerate((2, 4, 9)):
        ticket = arrive(day, f"Visitor {n}", n * 10)[0]
        call_next(day, front, OFFICE, "library", "Loket 1", at(n * 10 + 1))
        start_service(day, front, ticket.id, at(n * 10 + 1))
        finish_service(day, front, ticket.id, at(n * 10 + 1 + length))
    officers = supervisor_view(day, head(day), OFFICE, at(40)).officers
    assert [(o.name, o.served, o.median_minutes) for o in officers] == [("Front", 3, 4.0)]


def test_the_queues_count_who_waits_and_the_priority_visitors_among_them(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    arrive(day, "Pak Harun", 1)[0].priority = "elderly"
    day.session.flush()
    queues = {q.name: q for q in supervisor_view(day, head(day), OFFICE, at(2)).queues}
    library = service(day, "library").name
    assert (queues[library].waiting, queues[library].priority) == (2, 1)


def test_a_supervisor_closes_a_counter_left_open_and_its_officer_is_told_why(day: UnitOfWork) -> None:
    front = person(day, "front")
    check_open_counter(day, front, OFFICE, "library", "Loket 1", at(0))
    shift = next(c for c in supervisor_view(day, head(day), OFFICE, at(5)).counters if c.counter == "Loket 1")
    check_close_counter_remotely(day, head(day), shift.shift_id, "  Petugas   sudah pulang ", at(60))
    assert open_counters(day, service(day, "library"), at(61)) == []
    told = last_close(day, LIBRARY, "Loket 1", front.id, at(61))
    assert told is not None and (told.closed_by, told.reason, told.closed_at) == (
        "Kepala",
        "Petugas sudah pulang",
        at(60),
    )
    closed = next(
        c for c in supervisor_view(day, head(day), OFFICE, at(61)).counters if c.counter == "Loket 1"
    )
    assert (closed.open, closed.closed_by, closed.closed_reason) == (False, "Kepala", "Petugas sudah pulang")


def test_an_officer_closing_their_own_counter_is_not_told_about_it(day: UnitOfWork) -> None:
    front = person(day, "front")
    check_open_counter(day, front, OFFICE, "library", "Loket 1", at(0))
    check_close_counter(day, front, OFFICE, "library", "Loket 1", at(5))
    assert last_close(day, LIBRARY, "Loket 1", front.id, at(6)) is None


def test_closing_remotely_needs_a_reason_an_open_idle_counter_and_a_supervisor(day: UnitOfWork) -> None:
    front = person(day, "front")
    arrive(day, "Ani", 0)
    call_next(day, front, OFFICE, "library", "Loket 1", at(1))
    shift = supervisor_view(day, head(day), OFFICE, at(2)).counters[0].shift_id
    with pytest.raises(InvalidField, match="Write why"):
        check_close_counter_remotely(day, head(day), shift, "  ", at(3))
    with pytest.raises(CounterBusy):
        check_close_counter_remotely(day, head(day), shift, "Pulang", at(3))
    with pytest.raises(NotAllowed):
        check_close_counter_remotely(day, front, shift, "Pulang", at(3))
    with pytest.raises(NotAllowed):
        supervisor_view(day, front, OFFICE, at(3))
    with pytest.raises(NotFound):
        check_close_counter_remotely(day, head(day), 999_999, "Pulang", at(3))
