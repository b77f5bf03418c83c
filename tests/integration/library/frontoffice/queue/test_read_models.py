"""The queue as people see it: the public board and the staff console, with their clocks."""

from __future__ import annotations

import datetime as dt

import pytest

from library.errors import NotAllowed, NotFound
from library.frontoffice.day_close import check_close_day
from library.frontoffice.queue.actions import call_next, finish_service, recall, start_service, transfer
from library.frontoffice.queue.board import board_view
from library.frontoffice.queue.clocks import Level
from library.frontoffice.queue.read_models import ConsoleTicket, console_view, level_words, status_words
from library.models import TicketStatus
from library.uow import UnitOfWork
from tests.integration.library.queue_helpers import DAY, OFFICE, arrive, at, person, set_up


@pytest.fixture
def day(uow: UnitOfWork):
    """Open a unit of work on a set-up queue day."""
    with uow:
        set_up(uow)
        yield uow


def test_the_board_shows_each_services_latest_calls_most_recent_first(day: UnitOfWork) -> None:
    front = person(day, "front")
    for minutes, name in enumerate(["Ani", "Budi", "Citra"]):
        arrive(day, name, minutes, ["library", "consultation"])
    call_next(day, front, OFFICE, "library", "Loket 1", at(5))
    call_next(day, front, OFFICE, "library", "Loket 2", at(6))
    call_next(day, front, OFFICE, "consultation", "Meja 1", at(7))
    board = board_view(day, OFFICE, at(8))
    library, consultation = board.services
    assert (library.code, library.letter, library.name) == ("library", "P", "Perpustakaan")
    assert [(c.code, c.counter, c.called_at) for c in library.calls] == [
        ("P-002", "Loket 2", at(6)),
        ("P-001", "Loket 1", at(5)),
    ]
    assert (library.waiting, consultation.waiting) == (1, 2)
    assert board.latest is not None and (board.latest.code, board.latest.counter) == ("K-001", "Meja 1")
    assert board.office_name and board.day == DAY


def test_the_board_names_no_visitor(day: UnitOfWork) -> None:
    arrive(day, "Siti Rahasia", 0)
    call_next(day, person(day, "front"), OFFICE, "library", "Loket 1", at(1))
    assert "Siti" not in repr(board_view(day, OFFICE, at(2)))


def test_the_board_keeps_only_the_latest_four_calls_of_a_service(day: UnitOfWork) -> None:
    front = person(day, "front")
    for minutes in range(6):
        arrive(day, f"Tamu {minutes}", minutes)
        call_next(
            day, front, OFFICE, "library", f"Loket {minutes + 1}", at(minutes + 0.5)
        )  # one call a counter
    assert [c.code for c in board_view(day, OFFICE, at(9)).services[0].calls] == [
        "P-006",
        "P-005",
        "P-004",
        "P-003",
    ]


def test_the_call_sequence_grows_with_each_call_and_recall_and_with_the_day(day: UnitOfWork) -> None:
    front = person(day, "front")
    arrive(day, "Ani", 0)
    quiet = board_view(day, OFFICE, at(1)).sequence
    ticket = call_next(day, front, OFFICE, "library", "Loket 1", at(2))
    called = board_view(day, OFFICE, at(2)).sequence
    recall(day, front, ticket.id, at(3))
    recalled = board_view(day, OFFICE, at(3)).sequence
    start_service(day, front, ticket.id, at(4))
    served = board_view(day, OFFICE, at(4)).sequence
    tomorrow = board_view(day, OFFICE, at(0, DAY + dt.timedelta(days=1))).sequence
    assert quiet < called < recalled == served < tomorrow


def test_a_board_of_an_unknown_office_is_not_found(day: UnitOfWork) -> None:
    with pytest.raises(NotFound):
        board_view(day, "9999", at(0))


def test_the_console_shows_each_waiting_visitors_clock_against_the_target(day: UnitOfWork) -> None:
    arrive(day, "Ani", 0)
    arrive(day, "Budi", 1.5)
    arrive(day, "Citra", 3)
    console = console_view(day, person(day, "librarian"), OFFICE, "library", at(5.5))
    assert (console.target_minutes, console.clock, console.letter) == (5, "guest_book", "P")
    rows = [(r.code, r.visitor_name, r.waited_minutes, r.target_at, r.level) for r in console.waiting]
    assert rows == [
        ("P-001", "Ani", 5, at(5), Level.RED),
        ("P-002", "Budi", 4, at(6.5), Level.AMBER),
        ("P-003", "Citra", 2, at(8), Level.OK),
    ]


def test_the_console_shows_who_is_at_a_counter_most_recent_call_first(day: UnitOfWork) -> None:
    front = person(day, "front")
    for minutes, name in enumerate(["Ani", "Budi", "Citra"]):
        arrive(day, name, minutes)
    first = call_next(day, front, OFFICE, "library", "Loket 1", at(3))
    call_next(day, front, OFFICE, "library", "Loket 2", at(4))
    start_service(day, front, first.id, at(4.5))
    console = console_view(day, front, OFFICE, "library", at(5))
    assert [(r.code, r.status, r.counter) for r in console.at_counters] == [
        ("P-002", TicketStatus.CALLED, "Loket 2"),
        ("P-001", TicketStatus.SERVING, "Loket 1"),
    ]
    serving = console.at_counters[1]
    assert (serving.waited_minutes, serving.level, serving.breached) == (4, Level.NONE, False)
    assert [r.code for r in console.waiting] == ["P-003"]


def test_a_consultation_visitor_behind_someone_being_served_has_no_clock_yet(day: UnitOfWork) -> None:
    consultant = person(day, "consultant")
    first = arrive(day, "Ani", 0, ["consultation"])[0]
    arrive(day, "Budi", 1, ["consultation"])
    start_service(day, consultant, first.id, at(2))
    waiting = console_view(day, consultant, OFFICE, "consultation", at(20)).waiting[0]
    assert (waiting.clock_started_at, waiting.waited, waiting.level) == (None, None, Level.NONE)
    finish_service(day, consultant, first.id, at(25))
    waiting = console_view(day, consultant, OFFICE, "consultation", at(34)).waiting[0]
    assert (waiting.clock_started_at, waiting.target_at, waiting.level) == (at(25), at(35), Level.AMBER)


def test_the_console_counts_todays_services_and_breaches(day: UnitOfWork) -> None:
    front = person(day, "front")
    on_time, late = arrive(day, "Ani", 0)[0], arrive(day, "Budi", 0)[0]
    arrive(day, "Kemarin", 0, day=DAY - dt.timedelta(days=1))
    start_service(day, front, on_time.id, at(2))
    start_service(day, front, late.id, at(9), "Listrik padam")
    console = console_view(day, front, OFFICE, "library", at(10))
    assert (console.served, console.breaches) == (2, 1)
    assert console.at_counters[0].breached


def test_the_console_offers_the_offices_other_queues_for_transfers(day: UnitOfWork) -> None:
    front = person(day, "front")
    ticket = arrive(day, "Ani", 0)[0]
    assert [code for code, _, _ in console_view(day, front, OFFICE, "library", at(1)).transfer_to] == [
        "consultation"
    ]
    transfer(day, front, ticket.id, "consultation", at(2))
    waiting = console_view(day, front, OFFICE, "consultation", at(3)).waiting
    assert [(r.code, r.came_from) for r in waiting] == [("K-001", "P-001")]


@pytest.mark.parametrize("who", ["reader", "consultant"])
def test_the_library_console_is_for_its_staff_only(day: UnitOfWork, who: str) -> None:
    with pytest.raises(NotAllowed):
        console_view(day, person(day, who), OFFICE, "library", at(0))


def test_every_status_and_level_has_words() -> None:
    assert all(status_words(status) for status in TicketStatus)
    assert all(level_words(value) for value in Level)


def test_a_wait_is_never_shown_below_zero_minutes() -> None:
    fields = {name: None for name in ConsoleTicket.__dataclass_fields__}
    ahead = ConsoleTicket(**{**fields, "waited": dt.timedelta(minutes=-2)})  # type: ignore[arg-type]
    assert ahead.waited_minutes == 0


def test_the_board_keeps_the_days_calls_while_counters_work_and_drops_them_at_the_close_of_day(
    day: UnitOfWork,
) -> None:
    front = person(day, "front")
    arrive(day, "Ani", 0)
    ticket = call_next(day, front, OFFICE, "library", "Loket 1", at(1))
    start_service(day, front, ticket.id, at(2))
    finish_service(day, front, ticket.id, at(9))
    working = board_view(day, OFFICE, at(10))  # nobody waits, but Loket 1 is still open
    assert working.latest is not None and working.latest.code == "P-001"
    check_close_day(day, front, OFFICE, at(600), "Tutup hari: layanan selesai")
    closed = board_view(day, OFFICE, at(601))
    assert closed.latest is None and all(not service.calls for service in closed.services)
