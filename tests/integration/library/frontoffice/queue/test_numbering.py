"""Queue numbers: per service and day, from 1, never given twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

import catalog_data
from library.catalogue.offices import sync_offices
from library.frontoffice.queue.numbering import issue_ticket, next_number, ticket_code
from library.models import Office, QueueService
from library.uow import UnitOfWork
from tests.visits import walk_in

DAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def services(uow: UnitOfWork) -> dict[str, QueueService]:
    """Load the offices and return Kota Metro's queues by code."""
    sync_offices(uow, catalog_data.load_offices())
    rows = uow.session.scalars(select(QueueService).join(Office).where(Office.code == "1872"))
    return {row.code: row for row in rows}


def test_each_service_numbers_its_tickets_from_one_each_day(uow: UnitOfWork) -> None:
    with uow:
        queues = services(uow)
        library, consultation = queues["library"].id, queues["consultation"].id
        taken = [next_number(uow, library, DAY) for _ in range(3)]
        assert taken == [1, 2, 3]
        assert next_number(uow, consultation, DAY) == 1
        assert next_number(uow, library, DAY + dt.timedelta(days=1)) == 1
        uow.commit()
        assert next_number(uow, library, DAY) == 4  # kept across transactions


def test_a_ticket_carries_its_services_letter_and_a_three_digit_number(uow: UnitOfWork) -> None:
    with uow:
        queues = services(uow)
        visit, _ = walk_in(uow, "Budi", NOW, services=(), day=DAY, sex="male")  # no ticket yet
        first = issue_ticket(uow, visit, queues["library"], NOW)
        second = issue_ticket(uow, visit, queues["consultation"], NOW)
        uow.session.flush()
        assert (first.code, second.code) == ("P-001", "K-001")
        assert [t.code for t in visit.tickets] == ["P-001", "K-001"]
    assert ticket_code("P", 1234) == "P-1234"
