"""Every transition of docs/visit-states.md, with what the console, the board and the status page show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from library.frontoffice.lockers.stock import check_depart
from library.frontoffice.queue.actions import (
    call_next,
    finish_service,
    recall,
    skip_no_show,
    start_service,
    transfer,
)
from library.frontoffice.queue.at_work import QueueRef
from library.frontoffice.queue.board import board_view
from library.frontoffice.queue.read_models import console_view
from library.frontoffice.terminal.devices import check_deactivate_terminal, check_register_terminal
from library.frontoffice.terminal.sessions import (
    SessionEnd,
    active_session,
    check_start_session,
    end_session,
    touch,
)
from library.frontoffice.visit_status import visit_status
from library.models import Terminal, TerminalSession, Ticket, TicketStatus
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import OFFICE, arrive, at, person, set_up

LIBRARY = QueueRef(OFFICE, "library")
IDLE_MINUTES = 5


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day."""
    with uow:
        set_up(uow)
        yield uow


@dataclass(frozen=True)
class Screens:
    """One ticket as each screen shows it."""

    stored: str  # the ticket's status in the database
    console: str  # where the service's console lists it: "waiting", "counter", "finished" or ""
    board_waiting: int  # how many the board says wait in the ticket's service
    page: TicketStatus  # the status on the visitor's own page
    page_counter: str  # the counter the visitor's page sends them to ("" for none)


def screens(uow: UnitOfWork, ticket: Ticket, now: dt.datetime) -> Screens:
    """Return how the ticket stands now on the console, the board and the visitor's status page."""
    uow.session.refresh(ticket)
    code, service = ticket.code, ticket.service.code
    console = console_view(uow, person(uow, "front"), OFFICE, service, now)
    listed = {
        "waiting": [t.code for t in console.waiting],
        "counter": [t.code for t in console.at_counters],
        "finished": [t.code for t in console.finished],
    }
    board = next(s for s in board_view(uow, OFFICE, now).services if s.code == service)
    page = next(t for t in visit_status(uow, ticket.visit.status_token, now).tickets if t.code == code)
    return Screens(
        stored=ticket.status,
        console=next((where for where, codes in listed.items() if code in codes), ""),
        board_waiting=board.waiting,
        page=page.status,
        page_counter=page.counter,
    )


def terminal(uow: UnitOfWork, name: str = "Terminal 1") -> Terminal:
    """Register a terminal of the office."""
    made, _token = check_register_terminal(uow, person(uow, "admin"), name, at(0), office_code=OFFICE)
    return made


def start_reading(uow: UnitOfWork, device: Terminal, ticket: Ticket, now: dt.datetime) -> TerminalSession:
    """Start a reading session with the ticket's QR, scanned at the terminal."""
    scanned = f"https://pst.example.go.id/kunjungan/{ticket.visit.status_token}"
    return check_start_session(uow, device, scanned, now)


def reading(uow: UnitOfWork, minutes: float = 1) -> tuple[Ticket, TerminalSession]:
    """Return a library ticket taken at 08:00 and the session it started at 08:00 + minutes."""
    [ticket] = arrive(uow, "Ani", 0)
    return ticket, start_reading(uow, terminal(uow), ticket, at(minutes))


def finished_at(uow: UnitOfWork, ticket: Ticket) -> dt.datetime | None:
    """Return when the ticket's service finished, as stored."""
    uow.session.refresh(ticket)
    return ticket.finished_at


def test_the_guest_book_puts_the_ticket_in_the_queue_as_waiting_on_every_screen(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    assert screens(day, ticket, at(1)) == Screens("waiting", "waiting", 1, TicketStatus.WAITING, "")


def test_calling_sends_the_visitor_to_the_counter_on_every_screen(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    assert screens(day, ticket, at(1)) == Screens("called", "counter", 0, TicketStatus.CALLED, "Loket 1")


def test_calling_again_keeps_the_ticket_called_at_its_counter(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    again = recall(day, person(day, "front"), ticket.id, at(2), at=LIBRARY)
    assert again.calls == 2
    assert screens(day, ticket, at(2)) == Screens("called", "counter", 0, TicketStatus.CALLED, "Loket 1")


def test_a_called_visitor_who_does_not_come_is_a_no_show_on_every_screen(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    recall(day, person(day, "front"), ticket.id, at(2), at=LIBRARY)  # "Tidak hadir" only after a second call
    skip_no_show(day, person(day, "front"), ticket.id, at(3), at=LIBRARY)
    assert screens(day, ticket, at(3)) == Screens("no_show", "", 0, TicketStatus.NO_SHOW, "")


def test_starting_at_the_counter_shows_the_visitor_served_there(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    start_service(day, person(day, "front"), ticket.id, at(2), at=LIBRARY)
    assert screens(day, ticket, at(2)) == Screens("serving", "counter", 0, TicketStatus.SERVING, "Loket 1")


def test_starting_a_terminal_session_serves_the_library_ticket(day: UnitOfWork) -> None:
    ticket, session = reading(day, minutes=2)
    assert session.ticket_id == ticket.id and ticket.served_at == at(2)
    assert screens(day, ticket, at(2)) == Screens("serving", "counter", 0, TicketStatus.SERVING, "")


def test_a_transfer_closes_the_ticket_and_queues_a_new_one_in_the_other_service(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    moved = transfer(day, person(day, "front"), ticket.id, "consultation", at(2), at=LIBRARY)
    assert screens(day, ticket, at(2)) == Screens("transferred", "", 0, TicketStatus.TRANSFERRED, "")
    assert screens(day, moved, at(2)) == Screens("waiting", "waiting", 1, TicketStatus.WAITING, "")


def test_finishing_at_the_counter_lists_the_service_as_finished(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    start_service(day, person(day, "front"), ticket.id, at(2), at=LIBRARY)
    finish_service(day, person(day, "front"), ticket.id, at(9), at=LIBRARY)
    assert finished_at(day, ticket) == at(9)
    assert screens(day, ticket, at(9)) == Screens("done", "finished", 0, TicketStatus.DONE, "")


def test_selesai_at_the_terminal_finishes_the_library_service_at_the_tap(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    end_session(session, at(12), SessionEnd.DONE)
    assert finished_at(day, ticket) == at(12)
    assert screens(day, ticket, at(13)) == Screens("done", "finished", 0, TicketStatus.DONE, "")


def test_an_idle_session_noticed_late_finishes_the_service_at_the_last_activity(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    touch(session, at(7))
    assert active_session(day, session.terminal, at(60), IDLE_MINUTES) is None
    assert (session.ended_because, session.ended_at) == ("idle", at(7 + IDLE_MINUTES))
    assert finished_at(day, ticket) == at(7)
    assert screens(day, ticket, at(60)).console == "finished"


def test_the_screens_idle_timer_finishes_the_service_at_the_last_activity_too(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    touch(session, at(4))
    end_session(session, at(9), SessionEnd.IDLE)  # the screen's timer, heard at 08:09
    assert (session.ended_at, finished_at(day, ticket)) == (at(9), at(4))


def test_another_visitor_on_the_terminal_finishes_the_previous_visitors_service(day: UnitOfWork) -> None:
    ani, session = reading(day)
    [budi] = arrive(day, "Budi", 2)
    start_reading(day, session.terminal, budi, at(10))
    assert (session.ended_because, finished_at(day, ani)) == ("done", at(10))
    assert screens(day, budi, at(10)).stored == "serving"


def test_deactivating_the_terminal_finishes_the_service_of_its_session(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    check_deactivate_terminal(day, person(day, "admin"), session.terminal_id, at(15))
    assert (session.ended_because, finished_at(day, ticket)) == ("done", at(15))


def test_a_terminal_finding_the_visit_left_finishes_the_service_at_the_leaving(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    ticket.visit.left_at = at(20)  # closed while the session stayed open (as before "Pulang" ended it)
    assert active_session(day, session.terminal, at(21), IDLE_MINUTES) is None
    assert (session.ended_because, finished_at(day, ticket)) == ("visit_closed", at(20))


def test_ending_a_session_leaves_a_ticket_finished_at_its_counter_as_it_was(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    finish_service(day, person(day, "front"), ticket.id, at(6), at=LIBRARY)
    end_session(session, at(12), SessionEnd.DONE)
    assert (ticket.status, finished_at(day, ticket)) == ("done", at(6))


def test_ending_a_session_closes_only_the_ticket_it_started_with(day: UnitOfWork) -> None:
    library, consultation = arrive(day, "Ani", 0, services=("library", "consultation"))
    start_service(day, person(day, "consultant"), consultation.id, at(1), at=QueueRef(OFFICE, "consultation"))
    session = start_reading(day, terminal(day), library, at(2))
    end_session(session, at(12), SessionEnd.DONE)
    assert (library.status, consultation.status) == ("done", "serving")


def test_a_session_ends_once_and_its_service_keeps_the_first_end(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    end_session(session, at(12), SessionEnd.DONE)
    end_session(session, at(30), SessionEnd.VISIT_CLOSED)
    assert (session.ended_because, finished_at(day, ticket)) == ("done", at(12))


def test_pulang_closes_waiting_and_called_tickets_as_no_shows(day: UnitOfWork) -> None:
    library, consultation = arrive(day, "Ani", 0, services=("library", "consultation"))
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    gone = check_depart(day, person(day, "front"), library.visit_id, at(30))
    assert (gone.no_show, gone.finished, gone.terminals) == (("P-001", "K-001"), (), ())
    assert screens(day, library, at(30)) == Screens("no_show", "", 0, TicketStatus.NO_SHOW, "")
    assert screens(day, consultation, at(30)) == Screens("no_show", "", 0, TicketStatus.NO_SHOW, "")


def test_pulang_finishes_a_ticket_being_served_at_its_counter(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    start_service(day, person(day, "front"), ticket.id, at(2), at=LIBRARY)
    gone = check_depart(day, person(day, "front"), ticket.visit_id, at(30))
    assert gone.finished == ("P-001",) and finished_at(day, ticket) == at(30)
    assert screens(day, ticket, at(30)) == Screens("done", "finished", 0, TicketStatus.DONE, "")


def test_pulang_ends_the_terminal_session_and_finishes_its_service(day: UnitOfWork) -> None:
    ticket, session = reading(day)
    gone = check_depart(day, person(day, "front"), ticket.visit_id, at(30))
    assert (gone.finished, gone.terminals) == (("P-001",), ("Terminal 1",))
    assert (session.ended_because, session.ended_at, finished_at(day, ticket)) == (
        "visit_closed",
        at(30),
        at(30),
    )
    assert active_session(day, session.terminal, at(31), IDLE_MINUTES) is None


def test_pulang_again_changes_no_ticket(day: UnitOfWork) -> None:
    ticket, _session = reading(day)
    check_depart(day, person(day, "front"), ticket.visit_id, at(30))
    again = check_depart(day, person(day, "front"), ticket.visit_id, at(40))
    assert (again.already_left, again.finished, again.no_show, again.terminals) == (True, (), (), ())
    assert finished_at(day, ticket) == at(30)


def test_after_pulang_the_status_page_shows_no_ticket_served_and_no_counter(day: UnitOfWork) -> None:
    [ticket] = arrive(day, "Ani", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    start_reading(day, terminal(day), ticket, at(2))
    check_depart(day, person(day, "front"), ticket.visit_id, at(30))
    seen = visit_status(day, ticket.visit.status_token, at(31))
    assert seen.left and [(t.status, t.counter) for t in seen.tickets] == [(TicketStatus.DONE, "")]


@pytest.mark.parametrize(
    ("status", "shown"),
    [("serving", TicketStatus.DONE), ("called", TicketStatus.NO_SHOW), ("waiting", TicketStatus.NO_SHOW)],
)
def test_a_ticket_left_open_on_a_visit_that_left_earlier_is_shown_closed(
    day: UnitOfWork, status: str, shown: TicketStatus
) -> None:
    [ticket] = arrive(day, "Ani", 0)
    ticket.status, ticket.counter, ticket.visit.left_at = status, "Loket 1", at(30)
    [seen] = visit_status(day, ticket.visit.status_token, at(31)).tickets
    assert (seen.status, seen.counter, seen.people_ahead) == (shown, "", None)
