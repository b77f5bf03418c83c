"""Queue numbers: each service numbers its tickets from 1 every day (P-001, P-002, ...)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from library.models import QueueNumber, QueueService, Ticket, Visit
from library.uow import UnitOfWork


def ticket_code(letter: str, number: int) -> str:
    """Return a ticket's printed code: the service's letter and a three-digit number."""
    return f"{letter}-{number:03d}"


def next_number(uow: UnitOfWork, service_id: int, day: dt.date) -> int:
    """Take the next ticket number of a service's day; concurrent kiosks never get the same one.

    The day's row is made if missing (a conflict with a kiosk making it too is no error), then
    incremented in one UPDATE, which holds the row until the caller commits.
    """
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    uow.session.execute(
        insert(QueueNumber).values(service_id=service_id, day=day, last=0).on_conflict_do_nothing()
    )
    taken = uow.session.execute(
        update(QueueNumber)
        .where(QueueNumber.service_id == service_id, QueueNumber.day == day)
        .values(last=QueueNumber.last + 1)
        .returning(QueueNumber.last)
    ).scalar_one()
    return int(taken)


def issue_ticket(
    uow: UnitOfWork, visit: Visit, service: QueueService, now: dt.datetime, priority: str = ""
) -> Ticket:
    """Add a ticket for the visit to the end of the service's queue of the visit's day (priority: a group)."""
    number = next_number(uow, service.id, visit.day)
    ticket = Ticket(
        visit=visit,
        service=service,
        day=visit.day,
        number=number,
        code=ticket_code(service.letter, number),
        issued_at=now,
        priority=priority,
    )
    uow.session.add(ticket)
    return ticket
