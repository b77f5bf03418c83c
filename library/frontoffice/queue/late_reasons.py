"""The real reason for a late start the staff did not press: a terminal session or a scan.

A library visitor who starts a session at a terminal, or whose pages are scanned, after the
target has their service started by the machine, which records the breach as "sesi terminal" or
"pindaian" (`served_by_machine.mark_served`). The report must say why the visitor waited: the console
lists those tickets and the staff member who works the queue writes the real reason over it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import InvalidField
from library.frontoffice.queue.actions import tidy_reason
from library.frontoffice.queue.at_work import QueueError, QueueRef, queue_day, ticket_at_work
from library.frontoffice.queue.served_by_machine import SERVED_AT_TERMINAL, SERVED_BY_SCAN
from library.i18n import N_
from library.models import QueueService, Ticket
from library.permissions import Actor
from library.uow import UnitOfWork

MACHINE_REASONS = (SERVED_AT_TERMINAL, SERVED_BY_SCAN)
NOT_LATE = N_("Ticket %(code)s did not start past its target: there is no delay to explain.")


@dataclass(frozen=True)
class LateStart:
    """A ticket of today whose late start the machine recorded, waiting for the real reason."""

    id: int
    code: str
    visitor_name: str
    served_at: dt.datetime
    target_at: dt.datetime
    recorded: str  # "sesi terminal" or "pindaian"


def unexplained_late_starts(uow: UnitOfWork, service: QueueService, now: dt.datetime) -> list[LateStart]:
    """Return today's tickets of the queue started late by a terminal or a scan, oldest first."""
    tickets = uow.session.scalars(
        select(Ticket)
        .where(
            Ticket.service_id == service.id,
            Ticket.day == queue_day(service, now),
            Ticket.breach_reason.in_(MACHINE_REASONS),
        )
        .order_by(Ticket.served_at, Ticket.id)
    )
    return [
        LateStart(t.id, t.code, t.visit.name, t.served_at, t.target_at, t.breach_reason)
        for t in tickets
        if t.breached and t.served_at is not None and t.target_at is not None
    ]


def check_explain_late_start(
    uow: UnitOfWork, actor: Actor | None, ticket_id: int, now: dt.datetime, reason: str, *, at: QueueRef
) -> Ticket:
    """Record the real reason a ticket of today's queue started past its target; the caller commits."""
    ticket, _staff = ticket_at_work(uow, actor, ticket_id, now, at)
    if not ticket.breached:
        raise QueueError(NOT_LATE, code=ticket.code)
    words = tidy_reason(reason, "breach_reason")
    if not words:
        raise InvalidField("breach_reason", N_("Write the reason for the delay."))
    ticket.breach_reason = words
    return ticket
