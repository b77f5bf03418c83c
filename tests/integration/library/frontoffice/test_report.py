"""The walk-in service report: visits, served within target, waits and breaches per service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

import catalog_data
from library.catalogue.offices import sync_offices
from library.errors import InvalidInput, NotFound
from library.frontoffice.queue.numbering import issue_ticket
from library.frontoffice.report import service_report
from library.models import Office, QueueService, TicketStatus, Visit
from library.uow import UnitOfWork

DAY = dt.date(2026, 11, 23)
NINE = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 WIB


def at(minutes: float, day: int = 0) -> dt.datetime:
    """Return the time this many minutes after nine on the day (0: DAY)."""
    return NINE + dt.timedelta(days=day, minutes=minutes)


def queues(uow: UnitOfWork) -> dict[str, QueueService]:
    """Load the offices; return Kota Metro's queues by code."""
    sync_offices(uow, catalog_data.load_offices())
    rows = uow.session.scalars(select(QueueService).join(Office).where(Office.code == "1872"))
    return {row.code: row for row in rows}


def walk_in(
    uow: UnitOfWork,
    queue: QueueService,
    arrived: dt.datetime,
    served: dt.datetime | None = None,
    ended: dt.datetime | None = None,
    status: TicketStatus | None = None,
    reason: str = "",
) -> None:
    """Record a visit with one ticket and its service times."""
    visit = Visit(
        office_id=queue.office_id,
        status_token=f"token-{arrived.timestamp()}-{queue.code}",
        name="Pengunjung",
        sex="female",
        age_band="26_35",
        occupation="student",
        education="bachelor",
        day=(arrived + dt.timedelta(hours=7)).date(),
        arrived_at=arrived,
    )
    uow.session.add(visit)
    ticket = issue_ticket(uow, visit, queue, arrived)
    ticket.served_at, ticket.finished_at, ticket.breach_reason = served, ended, reason
    ticket.status = (status or (TicketStatus.DONE if ended else TicketStatus.WAITING)).value
    uow.session.flush()


def test_the_library_counts_from_the_guest_book_and_names_each_breach_with_its_reason(
    uow: UnitOfWork,
) -> None:
    with uow:
        library = queues(uow)["library"]
        walk_in(uow, library, at(0), served=at(2), ended=at(30))
        walk_in(uow, library, at(1), served=at(5), ended=at(20))
        walk_in(uow, library, at(3), served=at(11), ended=at(40), reason="terminal rusak")
        walk_in(uow, library, at(4), ended=at(9), status=TicketStatus.NO_SHOW)
        report = service_report(uow, "1872", DAY, DAY)
    figures = next(f for f in report.services if f.code == "library")
    assert (figures.visits, figures.served, figures.within_target, figures.not_served) == (4, 3, 2, 1)
    assert figures.within_target_percent == pytest.approx(66.7)
    assert (figures.target_minutes, figures.clock) == (5, "guest_book")
    assert figures.median_wait_minutes == 4.0
    assert figures.p90_wait_minutes == 8.0
    breaches = [(b.code, b.waited_minutes, b.reason) for b in figures.breaches]
    assert breaches == [("P-003", 8.0, "terminal rusak")]
    assert figures.softcopies == 0


def test_consultation_counts_from_the_previous_visitors_end(uow: UnitOfWork) -> None:
    with uow:
        consultation = queues(uow)["consultation"]
        walk_in(uow, consultation, at(0), served=at(1), ended=at(30))
        walk_in(uow, consultation, at(2), served=at(38), ended=at(50))  # 8 min after the first ended
        walk_in(uow, consultation, at(3), served=at(65), ended=at(70))  # 15 min after: a breach
        report = service_report(uow, "1872", DAY, DAY)
    figures = next(f for f in report.services if f.code == "consultation")
    assert (figures.served, figures.within_target) == (3, 2)
    assert [(b.code, b.waited_minutes) for b in figures.breaches] == [("K-003", 15.0)]
    assert figures.softcopies is None


def test_the_period_takes_only_its_own_days(uow: UnitOfWork) -> None:
    with uow:
        library = queues(uow)["library"]
        walk_in(uow, library, at(0), served=at(1), ended=at(9))
        walk_in(uow, library, at(0, day=1), served=at(1, day=1), ended=at(9, day=1))
        report = service_report(uow, "1872", DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=1))
    figures = next(f for f in report.services if f.code == "library")
    assert figures.visits == 1
    assert (figures.median_wait_minutes, figures.p90_wait_minutes) == (1.0, 1.0)


def test_a_quiet_period_reports_zeros_and_no_waits(uow: UnitOfWork) -> None:
    with uow:
        queues(uow)
        report = service_report(uow, "1872", DAY, DAY)
    assert [(f.code, f.visits, f.median_wait_minutes, f.within_target_percent) for f in report.services] == [
        ("library", 0, None, None),
        ("consultation", 0, None, None),
    ]


@pytest.mark.parametrize(
    ("office", "start", "end", "error"),
    [
        ("9999", DAY, DAY, NotFound),
        ("1872", DAY, DAY - dt.timedelta(days=1), InvalidInput),
        ("1872", dt.date(2000, 1, 1), dt.date(2026, 1, 1), InvalidInput),
    ],
)
def test_a_report_that_cannot_be_made_says_why(
    uow: UnitOfWork, office: str, start: dt.date, end: dt.date, error: type[Exception]
) -> None:
    with uow:
        queues(uow)
        with pytest.raises(error):
            service_report(uow, office, start, end)


def test_a_transferred_ticket_counts_once_as_transferred_whether_or_not_its_service_had_started(
    uow: UnitOfWork,
) -> None:
    with uow:
        library = queues(uow)["library"]
        walk_in(uow, library, at(0), served=at(1), ended=at(9))
        walk_in(uow, library, at(1), ended=at(3), status=TicketStatus.TRANSFERRED)  # before its service
        walk_in(uow, library, at(2), served=at(20), ended=at(25), status=TicketStatus.TRANSFERRED, reason="x")
        walk_in(uow, library, at(3), ended=at(30), status=TicketStatus.NO_SHOW)
        report = service_report(uow, "1872", DAY, DAY)
    f = next(f for f in report.services if f.code == "library")
    assert (f.visits, f.served, f.not_served, f.transferred) == (4, 1, 1, 2)
    assert (f.within_target, f.breaches, f.median_wait_minutes) == (
        1,
        (),
        1.0,
    )  # the served visitor's wait only
