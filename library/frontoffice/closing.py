"""Closing what a visit left open: the library service of a terminal session, and the visit's sessions.

A terminal session started with a library ticket is that ticket's service: when the session
ends (`terminal.end_session`) the ticket is finished at the moment the visitor finished. When
the visit closes ("Pulang", `lockers.check_depart`) every session still open ends with it. The
visit's life as a state table is in docs/visit-states.md.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from library.db import changed_rows
from library.models import TerminalSession, Ticket, TicketStatus
from library.uow import UnitOfWork


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


def finish_session_service(session: TerminalSession, finished_at: dt.datetime) -> bool:
    """Finish the ticket a terminal session started with, if it is still being served; tell if it was.

    Only that ticket, and only while no other open session holds it: a service the visitor
    still receives elsewhere is not this session's to close. The change is a conditional
    UPDATE, so a counter finishing the same ticket at the same moment is never overwritten.
    """
    db = object_session(session)
    ticket = db.get(Ticket, session.ticket_id) if db is not None and session.ticket_id else None
    if db is None or ticket is None:
        return False
    return finish_ticket_service(db, ticket, finished_at, but=session.id)


def open_sessions_of_visit(uow: UnitOfWork, visit_id: int) -> list[TerminalSession]:
    """Return the visit's terminal sessions not yet ended, oldest first."""
    return list(
        uow.session.scalars(
            select(TerminalSession)
            .where(TerminalSession.visit_id == visit_id, TerminalSession.ended_at.is_(None))
            .order_by(TerminalSession.id)
        )
    )
