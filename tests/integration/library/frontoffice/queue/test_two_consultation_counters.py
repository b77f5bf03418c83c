"""A morning with two consultation counters on a moved clock: the console and the report agree.

Kota Metro promises a consultation within 10 minutes of the previous visitor's service ending
(the one ahead in the queue). Five visitors, two counters, times chosen so the truth is known:

- K-001 at 08:00, served at Meja 1 08:01-08:40: first in the queue, waited 1 minute.
- K-002 at 08:02, served at Meja 2 08:20 while K-001 is still served: waited none of the promise.
- K-003 at 08:03, K-002 ends 08:30, served at Meja 2 08:35: waited 5 minutes, within.
- K-004 at 08:04, K-003 ends 08:50, served at Meja 1 09:05: waited 15 minutes, a breach.
- K-005 at 08:05, served at Meja 2 08:55 while K-004 still waits: waited none of the promise.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from library.frontoffice.queue.actions import BreachReasonNeeded, call_next, finish_service, start_service
from library.frontoffice.report import service_report
from library.models import Ticket
from library.uow import UnitOfWork
from tests.integration.library import queue_helpers as q


def ticket(uow: UnitOfWork, code: str) -> Ticket:
    """Return today's consultation ticket with this code."""
    found = uow.session.scalar(select(Ticket).where(Ticket.day == q.DAY, Ticket.code == code))
    assert found is not None, code
    return found


def serve(uow: UnitOfWork, counter: str, code: str, called: float, started: float, reason: str = "") -> int:
    """Call the next visitor to a counter and start serving them; return the ticket id."""
    consultant = q.person(uow, "consultant")
    called_ticket = call_next(uow, consultant, q.OFFICE, "consultation", counter, q.at(called))
    assert called_ticket.code == code
    start_service(uow, consultant, called_ticket.id, q.at(started), reason)
    return called_ticket.id


def finish(uow: UnitOfWork, ticket_id: int, minutes: float) -> None:
    """Finish a service."""
    finish_service(uow, q.person(uow, "consultant"), ticket_id, q.at(minutes))


@pytest.fixture
def morning(uow: UnitOfWork) -> UnitOfWork:
    """Run the morning described above, with the late start's reason given."""
    with uow:
        q.set_up(uow)
        for minute in range(5):
            q.arrive(uow, f"Pengunjung {minute + 1}", minute, ("consultation",))
        k1 = serve(uow, "Meja 1", "K-001", 1, 1)
        k2 = serve(uow, "Meja 2", "K-002", 20, 20)
        finish(uow, k2, 30)
        k3 = serve(uow, "Meja 2", "K-003", 34, 35)
        finish(uow, k1, 40)
        finish(uow, k3, 50)
        consultant = q.person(uow, "consultant")
        k4 = call_next(uow, consultant, q.OFFICE, "consultation", "Meja 1", q.at(52))
        with pytest.raises(BreachReasonNeeded):
            start_service(uow, consultant, k4.id, q.at(65))
        k5 = serve(uow, "Meja 2", "K-005", 54, 55)
        start_service(uow, consultant, k4.id, q.at(65), "Konsultan menerima telepon")
        finish(uow, k4.id, 70)
        finish(uow, k5, 75)
        uow.commit()
    return uow


def test_a_visitor_served_at_the_second_counter_before_the_previous_ended_is_not_asked_a_reason(
    uow: UnitOfWork,
) -> None:
    with uow:
        q.set_up(uow)
        for minute in range(2):
            q.arrive(uow, f"Pengunjung {minute + 1}", minute, ("consultation",))
        serve(uow, "Meja 1", "K-001", 1, 1)
        second = serve(uow, "Meja 2", "K-002", 20, 20)  # 20 minutes after its ticket: no reason given
        served = uow.session.get_one(Ticket, second)
        assert (served.clock_started_at, served.target_at, served.breached) == (q.at(20), q.at(30), False)


def test_each_tickets_clock_is_stored_as_the_truth(morning: UnitOfWork) -> None:
    with morning:
        clocks = {
            code: (t.clock_started_at, t.breached, t.breach_reason)
            for code in ("K-001", "K-002", "K-003", "K-004", "K-005")
            for t in [ticket(morning, code)]
        }
    assert clocks == {
        "K-001": (q.at(0), False, ""),
        "K-002": (q.at(20), False, ""),
        "K-003": (q.at(30), False, ""),
        "K-004": (q.at(50), True, "Konsultan menerima telepon"),
        "K-005": (q.at(55), False, ""),
    }


def test_the_report_counts_the_morning_as_the_console_fixed_it(morning: UnitOfWork) -> None:
    with morning:
        report = service_report(morning, q.OFFICE, q.DAY, q.DAY)
    [consultation] = [f for f in report.services if f.code == "consultation"]
    assert (consultation.visits, consultation.served, consultation.within_target) == (5, 5, 4)
    assert [(b.code, b.waited_minutes, b.reason) for b in consultation.breaches] == [
        ("K-004", 15.0, "Konsultan menerima telepon")
    ]
    # Waits of 1, 0, 5, 15 and 0 minutes: the median is 1, the 90th percentile 15.
    assert (consultation.median_wait_minutes, consultation.p90_wait_minutes) == (1.0, 15.0)
