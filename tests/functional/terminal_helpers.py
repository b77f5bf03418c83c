"""Helpers for library-terminal tests through the Flask test client: a registered terminal, walk-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from library.frontoffice.terminal.ticket_entry import terminal_code
from library.models import Publication, Role, Ticket
from tests import visits
from tests.functional.accounts.helpers import make_person, sign_in, submit


def register_terminal(app: Flask, name: str = "Terminal 1", admin: str = "admin@bps.go.id") -> FlaskClient:
    """Return a browser an admin has registered as a terminal (and been signed out of)."""
    client = app.test_client()
    person = make_person(app, admin, [Role.ADMIN], name="Admin PST")
    assert sign_in(client, person).status_code == 303
    response = submit(client, "/admin/terminal", {"name": name})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.location.endswith("/terminal")
    return client


def walk_in(
    app: Flask,
    name: str = "Budi Santoso",
    service: str = "library",
    *,
    user_id: int | None = None,
    email: str = "",
    at: dt.datetime | None = None,
) -> str:
    """Record a visit at Kota Metro now (or `at`) with a ticket for the service; return its code.

    A visit given an account (`user_id`) is one whose ID card the front office checked.
    """
    state = app.extensions["pustaka"]
    when = at or state.now()
    with state.transaction() as uow:
        _, tickets = visits.walk_in(uow, name, when, (service,), user_id=user_id, email=email)
        code = tickets[service].code
    return code


def start(client: FlaskClient, ticket: str) -> TestResponse:
    """Type a ticket's terminal code on the terminal's screen (a code that names no ticket as typed)."""
    return submit(client, "/terminal/mulai", {"ticket": secret_of(client, ticket)}, form_page="/terminal")


def secret_of(client: FlaskClient, code: str) -> str:
    """Return the terminal code printed on today's ticket with this code, or the code itself if none."""
    state = client.application.extensions["pustaka"]
    day = state.now().astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    with state.uow() as uow:
        found = uow.session.scalar(select(Ticket).where(Ticket.code == code, Ticket.day == day))
        return terminal_code(found.visit.status_token) if found is not None else code


def finish(client: FlaskClient, because: str = "selesai") -> TestResponse:
    """Tap "Selesai" (or let the screen's idle timer send it)."""
    return submit(client, "/terminal/selesai", {"karena": because}, form_page="/terminal")


def read_a_page(client: FlaskClient) -> None:
    """Read the first page of an open demo publication at the terminal: a service given there."""
    state = client.application.extensions["pustaka"]
    with state.uow() as uow:
        first = uow.session.scalar(
            select(Publication.id).where(Publication.access_level == "open").order_by(Publication.id)
        )
    assert first is not None
    response = client.get(f"/baca/{first}/halaman/1.jpg")
    assert response.status_code == 200, response.get_data(as_text=True)


OPEN_KEY = "metro-direktori-pasar-2019"


@pytest.fixture
def terminal(app: Flask) -> FlaskClient:
    """Return a browser registered as "Terminal 1"."""
    return register_terminal(app)


def publication(app: Flask, key: str = OPEN_KEY) -> int:
    """Return the id of a demo publication by key."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == key))
    assert found is not None
    return found


def visitor_with_account(app: Flask, name: str = "Dewi Lestari", email: str = "dewi@example.id") -> str:
    """Record a walk-in with an (unverified, light) account; return the ticket code."""
    person = make_person(app, email, verified=False, name=name)
    return walk_in(app, name, user_id=person.id, email=email)
