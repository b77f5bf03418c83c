"""A library visitor's service started by a machine, not by a counter's call: a terminal session
or pages scanned for them.

The ticket counts as served from that moment; its clock start and target are fixed as the
queue's rule has them, and a late start records the breach with a machine's reason until staff
give the real one (`late_reasons`). When the machine's work ends (the terminal session, the
scan's copy), the ticket is finished at that moment (`finish_ticket_service`), unless another
terminal session still holds it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from library.db import changed_rows
from library.frontoffice.queue.clocks import QueuePlace, clock_starts, is_breach, rule_of, target_of
from library.models import TerminalSession, Ticket, TicketStatus
from library.uow import UnitOfWork

SERVED_AT_TERMINAL = "sesi terminal"  # the breach reason of a library visitor served late by a terminal
SERVED_BY_SCAN = "pindaian"  # and of one whose service started with pages scanned for them


def mark_served(uow: UnitOfWork, ticket: Ticket, now: dt.datetime, reason: str = SERVED_AT_TERMINAL) -> bool:
    """Count a waiting or called ticket as served now (a terminal session or a scan started); tell if so.

    The clock start and target are fixed as the queue's rule has them; a late start records
    the breach with `reason` ("sesi terminal", "pindaian"), until staff give the real one.
    """
    if TicketStatus(ticket.status) not in (TicketStatus.WAITING, TicketStatus.CALLED):
        return False
    ticket.status = TicketStatus.SERVING.value
    ticket.served_at = now
    standard = ticket.service.standard
    rule = rule_of(standard.walk_in_minutes, standard.walk_in_clock) if standard else None
    if rule is None:
        return True
    day = uow.session.scalars(
        select(Ticket)
        .where(Ticket.service_id == ticket.service_id, Ticket.day == ticket.day)
        .order_by(Ticket.number)
    ).all()
    places = [QueuePlace(t.issued_at, t.served_at, t.finished_at) for t in day]
    started = clock_starts(rule, places)[[t.id for t in day].index(ticket.id)]
    ticket.clock_started_at = started
    ticket.target_at = target_of(rule, started)
    if is_breach(ticket.target_at, now) and not ticket.breach_reason:
        ticket.breach_reason = reason
    return True


def finish_ticket_service(
    db: Session, ticket: Ticket, finished_at: dt.datetime, *, but: int | None = None
) -> bool:
    """Finish a ticket being served unless a terminal session (other than `but`) still holds it; tell if done.

    A conditional UPDATE: a counter finishing the same ticket at the same moment is never overwritten.
    """
    if ticket.status != TicketStatus.SERVING.value:
        return False
    reading = [TerminalSession.ticket_id == ticket.id, TerminalSession.ended_at.is_(None)]
    if but is not None:
        reading.append(TerminalSession.id != but)
    if db.scalar(select(TerminalSession.id).where(*reading).limit(1)) is not None:
        return False
    end = finished_at if ticket.served_at is None else max(finished_at, ticket.served_at)
    done = db.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status == TicketStatus.SERVING.value)
        .values(status=TicketStatus.DONE.value, finished_at=end)
    )
    return changed_rows(done) == 1
