"""A visitor leaving a library terminal: their reading session ends, and they are asked to rate it.

"Selesai" ends the session and the library service it gave; the visitor is invited to the
SKM survey there and then, on the terminal's screen (and by email later, unless they answer
there). A session ended by the screen's idle timer asks nobody: the visitor has walked away.
"""

from __future__ import annotations

import datetime as dt

from library.frontoffice.terminal.devices import SessionEnd, end_session
from library.models import TerminalSession, Ticket
from library.quality import SurveyMailQueue, invite_after_service
from library.uow import UnitOfWork


def finish_session(
    uow: UnitOfWork,
    session_id: int,
    now: dt.datetime,
    because: SessionEnd,
    mail: SurveyMailQueue | None = None,
) -> str | None:
    """End a visitor's reading session as they leave the terminal; return the survey to offer them there.

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
