"""A visitor's session at a library terminal, from their ticket to "Selesai": the whole lifecycle.

A visitor starts a session by typing or scanning their library ticket (today's, of this
office, of a visit that has not left); starting it is the library service being served, so the
ticket's clock stops there. A session ends when the visitor taps "Selesai", when it has been
idle too long, or when the visit closes; the web signs the visitor out of the terminal then, so
the next visitor starts from nothing. "Selesai" also invites the visitor to the SKM survey
there and then, on the terminal's screen (and by email later, unless they answer there); a
session ended by the screen's idle timer asks nobody: the visitor has walked away.
"""

from __future__ import annotations

import datetime as dt
import enum
import hmac
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import object_session, selectinload

from library.clock import office_zone
from library.errors import InvalidField, InvalidInput, NotAllowed
from library.frontoffice.identity import proof_holds, stamped_name
from library.frontoffice.queue.served_by_machine import finish_ticket_service, mark_served
from library.frontoffice.terminal.ticket_entry import TicketEntry, parse_ticket_entry, terminal_code
from library.i18n import N_
from library.models import (
    IdentityCheck,
    QueueService,
    Terminal,
    TerminalSession,
    Ticket,
    TicketStatus,
    User,
    Visit,
)
from library.quality.walk_in import SurveyMailQueue, invite_after_service
from library.uow import UnitOfWork

LIBRARY = "library"  # the queue service whose tickets open a terminal session
NOT_A_TERMINAL_CODE = N_(
    "That is not a ticket's code. Scan the QR code on your ticket, or type the terminal code "
    "printed under it, such as K7QD-M2XA."
)


class SessionEnd(enum.StrEnum):
    """Why a terminal session ended."""

    DONE = "done"  # the visitor tapped "Selesai" (or another session took the terminal)
    IDLE = "idle"  # nobody touched the terminal for the idle time
    VISIT_CLOSED = "visit_closed"  # the visitor left the office


@dataclass(frozen=True)
class Visitor:
    """Who is reading at a terminal right now, as the web needs it on every request."""

    session_id: int
    terminal_id: int
    terminal_name: str
    visit_id: int
    name: str
    email: str
    # The visit's account, once the visitor proved it is theirs (`identity`); None: the
    # session acts for the visit alone, reading but seeing nothing of any account.
    user_id: int | None
    ticket_code: str
    identity_check: str = IdentityCheck.DECLARED.value
    has_email: bool = False  # the guest book entry gave an address (a code can be sent there)

    @property
    def can_request(self) -> bool:
        """Tell whether softcopies can be asked for: only with a proven account to deliver them to."""
        return self.user_id is not None

    @property
    def proven(self) -> bool:
        """Tell whether the visitor proved who they are (password, emailed code or ID card)."""
        return IdentityCheck(self.identity_check) is not IdentityCheck.DECLARED

    @property
    def stamped_name(self) -> str:
        """Return the name as stamps and the reading ledger write it: with how it was checked."""
        return stamped_name(self.name, self.identity_check)


def check_start_session(
    uow: UnitOfWork, terminal: Terminal, ticket_code: str, now: dt.datetime
) -> TerminalSession:
    """Start a visitor's terminal session from their library ticket, typed or scanned.

    The ticket must be today's (office time), of this office's library queue, and its visit
    must not have left. A visitor still waiting is served now: their clock stops here.
    """
    if not terminal.active:
        raise NotAllowed(N_("This device is no longer a library terminal."))
    try:
        entry = parse_ticket_entry(ticket_code)
    except InvalidField:
        raise InvalidField("ticket", NOT_A_TERMINAL_CODE) from None
    today = now.astimezone(office_zone(terminal.office.timezone)).date()
    ticket = _find_ticket(uow, terminal, entry, today)
    _check_usable(ticket)
    mark_served(uow, ticket, now)
    session = TerminalSession(
        terminal=terminal, visit=ticket.visit, ticket_id=ticket.id, started_at=now, last_active_at=now
    )
    terminal.last_seen_at = now
    uow.session.add(session)
    uow.session.flush()
    proof_holds(ticket.visit, session.id)  # an ID card seen before the session: it takes the proof
    # Only now do the sessions this one replaces end: a visitor moving to another terminal
    # keeps their service (the new session holds its ticket), a previous visitor's ends here.
    others = TerminalSession.id != session.id
    for other in open_sessions(uow, TerminalSession.terminal_id == terminal.id, others):
        end_session(other, now, SessionEnd.DONE)
    for other in open_sessions(uow, TerminalSession.visit_id == ticket.visit_id, others):
        end_session(other, now, SessionEnd.DONE)  # one screen per visitor: the other one closes
    return session


def _find_ticket(uow: UnitOfWork, terminal: Terminal, entry: TicketEntry, today: dt.date) -> Ticket:
    """Return the library ticket the entry's secret names at the terminal's office, checked to be today's.

    A ticket's number is shown on the public board, so it opens nothing: only the ticket's
    secret does, scanned (its QR) or typed (its terminal code).
    """
    query = select(Ticket).join(QueueService).where(QueueService.office_id == terminal.office_id)
    if entry.terminal_code:
        return _by_terminal_code(uow, query, entry.terminal_code, today)
    if not entry.status_token:
        raise InvalidField(
            "ticket",
            N_(
                "A ticket number alone cannot open a session: everyone sees it on the queue board. "
                "Scan the QR code on your ticket, or type the terminal code printed under it."
            ),
        )
    tickets = uow.session.scalars(
        query.join(Visit).where(Visit.status_token == entry.status_token).order_by(Ticket.id)
    ).all()
    if not tickets:
        raise InvalidField("ticket", N_("This QR code is not a ticket of this office."))
    library = [t for t in tickets if t.service.code == LIBRARY]
    if not library:
        raise InvalidField("ticket", N_("This visit has no library ticket; ask the front office for one."))
    ticket = library[-1]
    if ticket.day != today:
        raise InvalidField(
            "ticket",
            N_("Ticket %(code)s was for %(day)s; a ticket is valid only on its day."),
            code=ticket.code,
            day=ticket.day,
        )
    return ticket


def _by_terminal_code(uow: UnitOfWork, query: Select[Ticket], code: str, today: dt.date) -> Ticket:
    """Return today's library ticket of the visit whose secret gives this terminal code."""
    today_tickets = query.where(Ticket.day == today).order_by(Ticket.id)
    tickets = uow.session.scalars(
        today_tickets.options(selectinload(Ticket.visit), selectinload(Ticket.service))
    ).all()
    found = [t for t in tickets if hmac.compare_digest(terminal_code(t.visit.status_token), code)]
    if not found:
        raise InvalidField(
            "ticket",
            N_("No ticket of today has the terminal code %(code)s. Check the code printed under the QR."),
            code=code,
        )
    library = [t for t in found if t.service.code == LIBRARY]
    if not library:
        raise InvalidField("ticket", N_("This visit has no library ticket; ask the front office for one."))
    return library[-1]


def _check_usable(ticket: Ticket) -> None:
    """Refuse a ticket whose visit has left, or that was skipped or moved to another queue."""
    if ticket.visit.left_at is not None:
        raise InvalidInput(
            N_("The visit of ticket %(code)s has ended. Please fill in the guest book again."),
            code=ticket.code,
        )
    status = TicketStatus(ticket.status)
    if status is TicketStatus.NO_SHOW:
        raise InvalidInput(
            N_("Ticket %(code)s was skipped when it was called. Please ask at the front office."),
            code=ticket.code,
        )
    if status is TicketStatus.TRANSFERRED:
        raise InvalidInput(
            N_("Ticket %(code)s was moved to another queue. Use your new ticket."), code=ticket.code
        )


def touch(session: TerminalSession, now: dt.datetime) -> None:
    """Record that the visitor used the terminal just now (the idle time counts from here)."""
    session.last_active_at = max(session.last_active_at, now)
    session.terminal.last_seen_at = now


def end_session(session: TerminalSession, now: dt.datetime, because: SessionEnd) -> None:
    """End a terminal session and the library service it gave (once: the first reason stays).

    The service ends when the visitor finished: at `now` for "Selesai", another visitor, a
    deactivated terminal or the visit closing; at the last activity for the idle timeout.
    """
    if session.ended_at is not None:
        return
    session.ended_at = now
    session.ended_because = SessionEnd(because).value
    finished = session.last_active_at if SessionEnd(because) is SessionEnd.IDLE else now
    finish_session_service(session, min(finished, now))


def active_session(
    uow: UnitOfWork, terminal: Terminal, now: dt.datetime, idle_minutes: int
) -> TerminalSession | None:
    """Return the terminal's live session, first ending any idle too long or whose visit has left."""
    idle = dt.timedelta(minutes=idle_minutes)
    live = None
    for session in open_sessions(uow, TerminalSession.terminal_id == terminal.id):
        if session.visit.left_at is not None:
            end_session(session, max(session.visit.left_at, session.started_at), SessionEnd.VISIT_CLOSED)
        elif now - session.last_active_at >= idle:
            end_session(session, min(now, session.last_active_at + idle), SessionEnd.IDLE)
        elif live is None:
            live = session
        else:
            end_session(session, now, SessionEnd.DONE)  # never two at once: the newest stays
    return live


def visitor_of(uow: UnitOfWork, session: TerminalSession) -> Visitor:
    """Return who is reading in a live session, as the web keeps it for the request.

    The session acts for the visit's account only once the visitor proved it theirs in this
    session (`proof_holds`), and never for a staff or deactivated account (the role may have
    come after the proof). An unproven session reads under the name as declared.
    """
    visit = session.visit
    proven = proof_holds(visit, session.id)
    user = uow.session.get(User, visit.user_id) if visit.user_id is not None and proven else None
    if user is not None and (not user.active or user.is_staff()):
        user = None
    ticket = uow.session.get(Ticket, session.ticket_id) if session.ticket_id is not None else None
    return Visitor(
        session_id=session.id,
        terminal_id=session.terminal_id,
        terminal_name=session.terminal.name,
        visit_id=visit.id,
        name=user.name if user else visit.name,
        email=user.email if user else visit.email,
        user_id=user.id if user else None,
        ticket_code=ticket.code if ticket else "",
        identity_check=visit.identity_check if proven else IdentityCheck.DECLARED.value,
        has_email=bool(visit.email),
    )


def open_sessions(uow: UnitOfWork, *where: object) -> list[TerminalSession]:
    """Return the sessions not yet ended that match, newest first."""
    return list(
        uow.session.scalars(
            select(TerminalSession)
            .where(TerminalSession.ended_at.is_(None), *where)  # type: ignore[arg-type]
            .order_by(TerminalSession.id.desc())
        )
    )


def finish_session(
    uow: UnitOfWork,
    session_id: int,
    now: dt.datetime,
    because: SessionEnd,
    mail: SurveyMailQueue | None = None,
) -> str | None:
    """End a visitor's terminal session as they leave the terminal; return the survey to offer them there.

    The survey (its invitation's token) is offered only when the visitor finished ("Selesai")
    a session that gave them the library service; None otherwise, and for a session that is
    gone. A session that had already ended keeps its first reason (`end_session`).
    """
    session = uow.session.get(TerminalSession, session_id)
    if session is None:
        return None
    end_session(session, now, because)
    if SessionEnd(because) is SessionEnd.IDLE or not session.ticket_id:
        return None
    ticket = uow.session.get(Ticket, session.ticket_id)
    return invite_after_service(uow, ticket, now, mail) if ticket is not None else None


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
    return open_sessions(uow, TerminalSession.visit_id == visit_id)[::-1]
