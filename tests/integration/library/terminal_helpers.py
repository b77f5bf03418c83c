"""Helpers for front-office tests: the offices' queues, walk-in visits with tickets, people, terminals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from sqlalchemy import select

import catalog_data
from library.catalogue.offices import sync_offices
from library.frontoffice.terminal.devices import check_register_terminal, terminal_by_token
from library.frontoffice.terminal.sessions import check_start_session
from library.frontoffice.terminal.ticket_entry import terminal_code
from library.models import Office, QueueService, Role, Ticket, User
from library.uow import UnitOfWork
from tests import visits
from tests.integration.library.accounts_helpers import stored_person

METRO = "1872"
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 WIB


def load_offices(uow: UnitOfWork) -> None:
    """Load the offices and their queues (committed)."""
    with uow:
        sync_offices(uow, catalog_data.load_offices())
        uow.commit()


def queue(uow: UnitOfWork, code: str, office: str = METRO) -> QueueService:
    """Return an office's queue service by code, within an open unit of work."""
    found = uow.session.scalar(
        select(QueueService).join(Office).where(Office.code == office, QueueService.code == code)
    )
    assert found is not None, (office, code)
    return found


def walk_in(
    uow: UnitOfWork,
    name: str = "Budi Santoso",
    services: Iterable[str] = ("library",),
    *,
    at: dt.datetime = NOW,
    office: str = METRO,
    user_id: int | None = None,
    email: str = "",
) -> dict[str, str]:
    """Record a visit at `at` with one ticket per service (committed); return the codes by service.

    A visit given an account (`user_id`) is one whose ID card the front office checked: the
    identity tests (`frontoffice/test_identity.py`) prove each way of joining one.
    """
    with uow:
        _, tickets = visits.walk_in(
            uow, name, at, services, office=office, user_id=user_id, email=email, sex="male"
        )
        codes = {code: ticket.code for code, ticket in tickets.items()}
        uow.commit()
    return codes


def ticket(uow: UnitOfWork, code: str, day: dt.date | None = None) -> Ticket:
    """Return a ticket by its code (of NOW's day unless told), within an open unit of work."""
    found = uow.session.scalar(select(Ticket).where(Ticket.code == code, Ticket.day == (day or NOW.date())))
    assert found is not None, code
    return found


def secret_of(uow: UnitOfWork, code: str, day: dt.date | None = None) -> str:
    """Return the terminal code printed on a ticket (its visit's secret), as a visitor types it."""
    with uow:
        return terminal_code(ticket(uow, code, day).visit.status_token)


def person(
    uow: UnitOfWork, email: str, roles: Iterable[Role] = (Role.READER,), *, verified: bool = True
) -> User:
    """Create an account (committed) and return it, detached."""
    return stored_person(uow, email, roles, password="kopi tubruk pagi hari", email_verified=verified)


@pytest.fixture
def admin(uow: UnitOfWork) -> User:
    """Load the offices and return an administrator."""
    load_offices(uow)
    return person(uow, "admin@bps.go.id", [Role.ADMIN])


@pytest.fixture
def terminal_token(uow: UnitOfWork, admin: User) -> str:
    """Register "Terminal 1" at Kota Metro and return its cookie token."""
    with uow:
        _, token = check_register_terminal(uow, admin, "Terminal 1", NOW, office_code=METRO)
        uow.commit()
    return token


def start(uow: UnitOfWork, token: str, typed: str, now: dt.datetime = NOW) -> int:
    """Start a session on the terminal with what the visitor typed; return the session's id.

    A ticket's code stands for the terminal code printed on that ticket (the number alone
    opens nothing: `test_a_ticket_number_alone_opens_no_session`).
    """
    typed = secret_if_ticket(uow, typed, now)
    with uow:
        terminal = terminal_by_token(uow, token)
        assert terminal is not None
        session = check_start_session(uow, terminal, typed, now)
        uow.commit()
        return session.id


def secret_if_ticket(uow: UnitOfWork, typed: str, now: dt.datetime) -> str:
    """Return the terminal code of the ticket a code names (today's, at `now`), else what was typed."""
    with uow:
        found = uow.session.scalar(
            select(Ticket).where(Ticket.code == typed, Ticket.day == (now + dt.timedelta(hours=7)).date())
        )
        return terminal_code(found.visit.status_token) if found is not None else typed
