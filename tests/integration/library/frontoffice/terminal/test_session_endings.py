"""A terminal session ends: left idle, the visit closed, the next visitor, another terminal."""

from __future__ import annotations

import datetime as dt

from library.frontoffice.terminal.devices import check_register_terminal, terminal_by_token
from library.frontoffice.terminal.sessions import SessionEnd, active_session, end_session, touch
from library.models import TerminalSession, TicketStatus, User
from library.uow import UnitOfWork
from tests.integration.library import terminal_helpers as th
from tests.integration.library.terminal_helpers import METRO, NOW, start, ticket, walk_in

MINUTE = dt.timedelta(minutes=1)

# The shared fixtures: an administrator and a registered terminal's token.
admin, terminal_token = th.admin, th.terminal_token


def live(uow: UnitOfWork, token: str, now: dt.datetime, idle: int = 5) -> TerminalSession | None:
    """Return the terminal's live session at `now` (committing any ending)."""
    with uow:
        terminal = terminal_by_token(uow, token)
        assert terminal is not None
        found = active_session(uow, terminal, now, idle)
        uow.commit()
        return found


def ending(uow: UnitOfWork, session_id: int) -> tuple[dt.datetime | None, str]:
    """Return when and why a session ended."""
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        return session.ended_at, session.ended_because


def test_a_session_left_untouched_for_the_idle_time_ends_as_idle(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    found = live(uow, terminal_token, NOW + 4 * MINUTE)
    assert found is not None and found.id == session_id
    assert live(uow, terminal_token, NOW + 5 * MINUTE) is None
    assert ending(uow, session_id) == (NOW + 5 * MINUTE, "idle")


def test_an_idle_session_found_late_ends_at_its_idle_limit(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    assert live(uow, terminal_token, NOW + 90 * MINUTE) is None
    assert ending(uow, session_id) == (NOW + 5 * MINUTE, "idle")


def test_touching_the_terminal_keeps_the_session_alive(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        touch(session, NOW + 4 * MINUTE)
        uow.commit()
    found = live(uow, terminal_token, NOW + 8 * MINUTE)
    assert found is not None and found.id == session_id
    assert live(uow, terminal_token, NOW + 9 * MINUTE) is None


def test_a_session_ends_when_the_visit_closes(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        ticket(uow, "P-001").visit.left_at = NOW + 2 * MINUTE
        uow.commit()
    assert live(uow, terminal_token, NOW + 3 * MINUTE) is None
    assert ending(uow, session_id) == (NOW + 2 * MINUTE, "visit_closed")


def test_a_session_ends_once_and_keeps_its_first_reason(uow: UnitOfWork, terminal_token: str) -> None:
    walk_in(uow)
    session_id = start(uow, terminal_token, "P-001")
    with uow:
        session = uow.session.get(TerminalSession, session_id)
        assert session is not None
        end_session(session, NOW + MINUTE, SessionEnd.DONE)
        end_session(session, NOW + 2 * MINUTE, SessionEnd.IDLE)
        uow.commit()
    assert ending(uow, session_id) == (NOW + MINUTE, "done")
    assert live(uow, terminal_token, NOW + MINUTE) is None


def test_the_next_visitor_on_a_terminal_ends_the_previous_session(
    uow: UnitOfWork, terminal_token: str
) -> None:
    walk_in(uow, "Ani")
    walk_in(uow, "Budi")
    first = start(uow, terminal_token, "P-001")
    second = start(uow, terminal_token, "P-002", NOW + MINUTE)
    assert ending(uow, first) == (NOW + MINUTE, "done")
    found = live(uow, terminal_token, NOW + 2 * MINUTE)
    assert found is not None and found.id == second


def test_a_visitor_moving_to_another_terminal_closes_the_first_one(
    uow: UnitOfWork, admin: User, terminal_token: str
) -> None:
    with uow:
        _, other = check_register_terminal(uow, admin, "Terminal 2", NOW, office_code=METRO)
        uow.commit()
    walk_in(uow)
    first = start(uow, terminal_token, "P-001")
    start(uow, other, "P-001", NOW + MINUTE)
    assert ending(uow, first) == (NOW + MINUTE, "done")
    assert live(uow, terminal_token, NOW + 2 * MINUTE) is None
    with uow:  # the service goes on at the second terminal: the move does not finish it
        moved = ticket(uow, "P-001")
        assert (moved.status, moved.finished_at) == (TicketStatus.SERVING.value, None)
