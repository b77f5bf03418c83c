"""The visitor's status by the token in the ticket's QR: position, estimated wait, counter, target."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from library.errors import NotFound
from library.frontoffice.queue import counters
from library.frontoffice.queue.waits import Pace
from library.frontoffice.visit_status import printed_target, ticket_prints, visit_status
from library.models import QueueService, Terminal, Ticket, TicketStatus
from library.uow import UnitOfWork
from tests.integration.library.frontoffice_helpers import NOW, entry, load_offices, make_guard, queue, sign

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def guard(engine, uow):
    load_offices(uow)
    return make_guard(engine)


def walk_ins(uow: UnitOfWork, guard, n: int, services=("library",)) -> list[str]:
    """Sign the guest book n times, a minute apart, and return the status tokens."""
    return [
        sign(uow, guard, entry(now=NOW + k * MINUTE, services=services), now=NOW + k * MINUTE)
        for k in range(n)
    ]


def set_ticket(uow: UnitOfWork, code: str, **values: object) -> None:
    """Change a ticket of the day the way the queue's consoles would."""
    with uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        assert ticket is not None
        for name, value in values.items():
            setattr(ticket, name, value)
        uow.commit()


def status(uow: UnitOfWork, token: str):
    with uow:
        return visit_status(uow, token, now=NOW + 10 * MINUTE)


def test_a_new_visitor_sees_their_ticket_waiting_and_the_targets_promise(uow, guard) -> None:
    [token] = walk_ins(uow, guard, 1, services=("library", "consultation"))
    seen = status(uow, token)
    assert seen.visitor_name == "Siti Aminah" and seen.office_name.endswith("Kota Metro")
    assert seen.timezone == "Asia/Jakarta" and not seen.left
    library, consultation = seen.tickets
    assert (library.code, library.status, library.people_ahead) == ("P-001", TicketStatus.WAITING, 0)
    assert library.wait_minutes == 0 and library.waiting and library.counter == ""
    assert library.target is not None and library.target.params == {"minutes": 5}
    assert "filling in the guest book" in library.target.message
    assert consultation.target is not None and consultation.target.params == {"minutes": 10}
    assert "previous visitor" in consultation.target.message


def test_people_ahead_are_the_tickets_still_waiting_before_it_in_number_order(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 5)
    set_ticket(uow, "P-001", status="serving", served_at=NOW + MINUTE, counter="Loket 1")
    set_ticket(uow, "P-003", status="no_show", finished_at=NOW + 3 * MINUTE)
    ahead = [status(uow, t).tickets[0].people_ahead for t in tokens]
    assert ahead == [None, 0, None, 1, 2]


def test_before_any_service_finishes_a_usual_length_stands_in_for_the_average(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 3)
    assert [status(uow, t).tickets[0].wait_minutes for t in tokens] == [0, 10, 20]
    assert status(uow, tokens[1]).tickets[0].wait.pace is Pace.USUAL


def test_the_estimate_is_the_days_average_service_length_times_the_people_ahead(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 6)
    for code, minutes in (("P-001", 4), ("P-002", 12), ("P-003", 7)):
        set_ticket(uow, code, status="done", served_at=NOW, finished_at=NOW + minutes * MINUTE)
    set_ticket(uow, "P-004", status="serving", served_at=NOW, counter="Meja baca")
    # The average of 4, 12 and 7 minutes is 7.7 at the one open counter; P-006 has P-005 ahead of it.
    assert status(uow, tokens[5]).tickets[0].wait_minutes == 8
    assert status(uow, tokens[4]).tickets[0].wait_minutes == 0


def open_counters(uow: UnitOfWork, *names: str, at: dt.datetime = NOW, close: tuple[str, ...] = ()) -> None:
    """Open counters of Kota Metro's library queue at a moment (and close some), as consoles do."""
    library = queue(uow, "library").id
    with uow:
        service = uow.session.get(QueueService, library)
        for name in names:
            counters.open_counter(uow, service, name, None, at)
        for name in close:
            counters.close_counter(uow, service, name, None, at + MINUTE)
        uow.commit()


def test_two_open_counters_share_the_people_ahead(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 6)
    for code, minutes in (("P-001", 6), ("P-002", 6)):
        set_ticket(uow, code, status="done", served_at=NOW, finished_at=NOW + minutes * MINUTE)
    open_counters(uow, "Loket 1", "Loket 2")
    set_ticket(uow, "P-003", status="serving", served_at=NOW, counter="Loket 1")
    set_ticket(uow, "P-004", status="serving", served_at=NOW, counter="Loket 2")
    wait = status(uow, tokens[5]).tickets[0].wait  # P-005 ahead: 6 minutes over 2 counters
    assert wait is not None
    assert (wait.minutes, wait.counters, wait.service_minutes, wait.pace) == (3, 2, 6, Pace.TODAY)


def test_a_closed_counter_and_one_left_open_yesterday_are_not_counted(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 3)
    open_counters(uow, "Loket 9", at=NOW - dt.timedelta(days=1))  # nobody closed it yesterday
    open_counters(uow, "Loket 1", "Loket 2", close=("Loket 2",))
    wait = status(uow, tokens[2]).tickets[0].wait
    assert wait is not None and (wait.counters, wait.terminals, wait.minutes) == (1, 0, 20)
    open_counters(uow, "Loket 9")  # opened again today: its stale shift ends, a new one begins
    wait = status(uow, tokens[2]).tickets[0].wait
    assert wait is not None and (wait.counters, wait.minutes) == (2, 10)


def test_with_no_counter_open_the_library_terminals_serve_the_queue(uow, guard) -> None:
    tokens = walk_ins(uow, guard, 3)
    office = queue(uow, "library").office_id
    with uow:
        uow.session.add(Terminal(office_id=office, name="Terminal 1", token_hash="a" * 64))
        uow.session.add(Terminal(office_id=office, name="Terminal 2", token_hash="b" * 64, active=False))
        uow.commit()
    wait = status(uow, tokens[2]).tickets[0].wait  # two ahead, one active terminal, no counter yet
    assert wait is not None and (wait.counters, wait.terminals, wait.minutes) == (0, 1, 20)
    [consultation] = walk_ins(uow, guard, 1, services=("consultation",))
    other = status(uow, consultation).tickets[0].wait
    assert other is not None and other.terminals == 0  # terminals serve the library's queue only


def test_without_a_service_today_the_last_four_weeks_set_the_pace(uow, guard) -> None:
    last_week = NOW - dt.timedelta(days=7)
    sign(uow, guard, entry(now=last_week), now=last_week)
    set_ticket(uow, "P-001", status="done", served_at=last_week, finished_at=last_week + 4 * MINUTE)
    tokens = walk_ins(uow, guard, 2)
    wait = status(uow, tokens[1]).tickets[0].wait
    assert wait is not None and (wait.minutes, wait.pace) == (4, Pace.RECENT)


def test_a_called_ticket_shows_its_counter_and_no_estimate(uow, guard) -> None:
    [token] = walk_ins(uow, guard, 1)
    set_ticket(uow, "P-001", status="called", called_at=NOW + MINUTE, counter="Loket 2")
    [ticket] = status(uow, token).tickets
    assert (ticket.status, ticket.counter, ticket.people_ahead, ticket.wait_minutes) == (
        TicketStatus.CALLED,
        "Loket 2",
        None,
        None,
    )
    assert ticket.status_label.startswith("Called")


def test_another_days_and_another_services_tickets_do_not_count(uow, guard) -> None:
    walk_ins(uow, guard, 2, services=("consultation",))
    tomorrow = NOW + dt.timedelta(days=1)
    token = sign(uow, guard, entry(now=tomorrow), now=tomorrow)
    [ticket] = status(uow, token).tickets
    assert (ticket.code, ticket.people_ahead) == ("P-001", 0)


@pytest.mark.parametrize("token", ["", "nope", "x" * 65, "x" * 10_000, "' OR 1=1 --"])
def test_an_unknown_token_is_not_found(uow, guard, token: str) -> None:
    with pytest.raises(NotFound), uow:
        visit_status(uow, token, NOW)


def test_printed_tickets_carry_the_status_link_the_target_in_both_languages_and_the_queue(uow, guard) -> None:
    first, second = walk_ins(uow, guard, 2, services=("library", "consultation"))
    with uow:
        prints = ticket_prints(uow, second, "https://pst.example/kunjungan/abc", now=NOW + 10 * MINUTE)
    assert [p.code for p in prints] == ["P-002", "K-002"]
    library = prints[0]
    assert (library.service_name, library.service_name_en) == ("Perpustakaan", "Library")
    assert library.status_url == "https://pst.example/kunjungan/abc" and library.people_ahead == 1
    assert library.target == "Anda akan dilayani paling lama 5 menit setelah mengisi buku tamu"
    assert library.target_en == "You will be served within 5 minutes of filling in the guest book"
    assert prints[1].target.startswith(
        "Anda akan dilayani paling lama 10 menit setelah pengunjung sebelumnya"
    )
    assert library.visitor_name == "Siti Aminah" and library.timezone == "Asia/Jakarta"


def test_a_service_without_a_standard_prints_no_target() -> None:
    assert printed_target(None) == ("", "")
