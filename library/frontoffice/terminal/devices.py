"""Library terminals: the devices an admin registers, where walk-in visitors read with their ticket.

A terminal knows itself by a random token kept in a long-lived cookie; only the token's
sha256 is stored. Deactivating a terminal ends its terminal session (`terminal.sessions`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from library.errors import InvalidField, NotFound
from library.frontoffice.terminal.sessions import SessionEnd, end_session, open_sessions
from library.i18n import N_
from library.models import (
    Office,
    Terminal,
    TerminalSession,
)
from library.permissions import Actor, require_manage_terminals
from library.text import clean_text
from library.uow import UnitOfWork

MAX_NAME = 60
MAX_ID = 2**31 - 1  # larger numbers name no row (and overflow some databases' integers)
TOKEN_BYTES = 32


@dataclass(frozen=True)
class TerminalRow:
    """One terminal as the admin's list shows it."""

    id: int
    name: str
    registered_at: dt.datetime
    last_seen_at: dt.datetime | None
    active: bool


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
    """Stop a terminal from being one (its cookie no longer works) and end its terminal session."""
    require_manage_terminals(uow, actor)
    terminal = uow.session.get(Terminal, terminal_id) if 0 < terminal_id <= MAX_ID else None
    if terminal is None:
        raise NotFound(N_("There is no terminal number %(id)s."), id=terminal_id)
    terminal.active = False
    for session in open_sessions(uow, TerminalSession.terminal_id == terminal.id):
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
