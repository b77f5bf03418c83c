"""Library terminals: devices an admin registers, where a walk-in visitor reads with their ticket.

A terminal knows itself by a random token kept in a long-lived cookie; only the token's
sha256 is stored. A visitor starts a reading session by typing or scanning their library
ticket (today's, of this office, of a visit that has not left); starting it is the library
service being served, so the ticket's clock stops there. A session ends when the visitor
taps "Selesai", when it has been idle too long, or when the visit closes; the web signs the
visitor out of the terminal then, so the next visitor starts from nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from library.clock import office_zone
from library.errors import InvalidField, InvalidInput, NotAllowed, NotFound
from library.frontoffice.closing import finish_session_service
from library.frontoffice.identity import proof_holds, stamped_name
from library.frontoffice.queue.clocks import QueuePlace, clock_starts, is_breach, rule_of, target_of
from library.frontoffice.terminal.ticket_entry import TicketEntry, parse_ticket_entry, terminal_code
from library.i18n import N_
from library.models import (
    IdentityCheck,
    Office,
    QueueService,
    Terminal,
    TerminalSession,
    Ticket,
    TicketStatus,
    User,
    Visit,
)
from library.permissions import Actor, require_manage_terminals
from library.text import clean_text
from library.uow import UnitOfWork

LIBRARY = "library"  # the queue service whose tickets open a terminal session
SERVED_AT_TERMINAL = "sesi terminal"  # the breach reason of a library visitor served late by a terminal
SERVED_BY_SCAN = "pindaian"  # and of one whose service started with pages scanned for them
MAX_NAME = 60
MAX_ID = 2**31 - 1  # larger numbers name no row (and overflow some databases' integers)
TOKEN_BYTES = 32
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
class TerminalRow:
    """One terminal as the admin's list shows it."""

    id: int
    name: str
    registered_at: dt.datetime
    last_seen_at: dt.datetime | None
    active: bool


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


def token_hash(token: str) -> str:
    """Return the stored form of a terminal's cookie token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_register_terminal(
    uow: UnitOfWork, actor: Actor | None, name: str, now: dt.datetime, *, office_code: str
) -> tuple[Terminal, str]:
    """Register a terminal of the office and return it with its token (shown once, for the cookie)."""
    admin = require_manage_terminals(uow, actor)
    clean = " ".join(clean_text(name if isinstance(name, str) else "").split())
    if not clean:
        raise InvalidField("name", N_("Give the terminal a name, such as 'Terminal 1'."))
    if len(clean) > MAX_NAME:
        raise InvalidField("name", N_("A terminal's name has at most %(n)s characters."), n=MAX_NAME)
    office = uow.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise NotFound(N_("There is no office %(code)s."), code=office_code)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    terminal = Terminal(
        office=office,
        name=clean,
        token_hash=token_hash(token),
        registered_at=now,
        registered_by_id=admin.id,
        active=True,
    )
    uow.session.add(terminal)
    uow.session.flush()
    return terminal, token


def list_terminals(uow: UnitOfWork, actor: Actor | None, *, office_code: str) -> list[TerminalRow]:
    """List the office's terminals, active ones first, then by name."""
    require_manage_terminals(uow, actor)
    rows = uow.session.scalars(
        select(Terminal)
        .join(Office)
        .where(Office.code == office_code)
        .order_by(Terminal.active.desc(), Terminal.name, Terminal.id)
    )
    return [TerminalRow(t.id, t.name, t.registered_at, t.last_seen_at, t.active) for t in rows]


def check_deactivate_terminal(
    uow: UnitOfWork, actor: Actor | None, terminal_id: int, now: dt.datetime
) -> Terminal:
    """Stop a terminal from being one (its cookie no longer works) and end its reading session."""
    require_manage_terminals(uow, actor)
    terminal = uow.session.get(Terminal, terminal_id) if 0 < terminal_id <= MAX_ID else None
    if terminal is None:
        raise NotFound(N_("There is no terminal number %(id)s."), id=terminal_id)
    terminal.active = False
    for session in _open_sessions(uow, TerminalSession.terminal_id == terminal.id):
        end_session(session, now, SessionEnd.DONE)
    return terminal


def check_reactivate_terminal(uow: UnitOfWork, actor: Actor | None, terminal_id: int) -> Terminal:
    """Make a deactivated terminal one again (its browser's cookie works again): the undo of deactivating."""
    require_manage_terminals(uow, actor)
    terminal = uow.session.get(Terminal, terminal_id) if 0 < terminal_id <= MAX_ID else None
    if terminal is None:
        raise NotFound(N_("There is no terminal number %(id)s."), id=terminal_id)
    terminal.active = True
    return terminal


def terminal_by_token(uow: UnitOfWork, token: str | None) -> Terminal | None:
    """Return the active terminal whose cookie holds this token, or None."""
    if not token or len(token) > 200:
        return None
    return uow.session.scalar(
        select(Terminal).where(Terminal.token_hash == token_hash(token), Terminal.active.is_(True))
    )


def check_start_session(
    uow: UnitOfWork, terminal: Terminal, ticket_code: str, now: dt.datetime
) -> TerminalSession:
    """Start a visitor's reading session from their library ticket, typed or scanned.

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
    for other in _open_sessions(uow, TerminalSession.terminal_id == terminal.id, others):
        end_session(other, now, SessionEnd.DONE)
    for other in _open_sessions(uow, TerminalSession.visit_id == ticket.visit_id, others):
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


def touch(session: TerminalSession, now: dt.datetime) -> None:
    """Record that the visitor used the terminal just now (the idle time counts from here)."""
    session.last_active_at = max(session.last_active_at, now)
    session.terminal.last_seen_at = now


def end_session(session: TerminalSession, now: dt.datetime, because: SessionEnd) -> None:
    """End a reading session and the library service it gave (once: the first reason stays).

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
    for session in _open_sessions(uow, TerminalSession.terminal_id == terminal.id):
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


def _open_sessions(uow: UnitOfWork, *where: object) -> list[TerminalSession]:
    """Return the sessions not yet ended that match, newest first."""
    return list(
        uow.session.scalars(
            select(TerminalSession)
            .where(TerminalSession.ended_at.is_(None), *where)  # type: ignore[arg-type]
            .order_by(TerminalSession.id.desc())
        )
    )
