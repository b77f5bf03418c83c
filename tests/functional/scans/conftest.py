"""Scan pages through the test client: a fixed clock, jobs run at once, a librarian and a visit."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import make_person, sign_in
from tests.visits import walk_in

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 in Kota Metro
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def app(app: Flask) -> Flask:
    """Return the app at 09:00 at the office, its jobs run as soon as they are queued."""
    app.extensions["pustaka"].now = lambda: NOW
    app.extensions["pustaka"].jobs.immediate = True
    return app


def signed_in(app: Flask, email: str, roles: list[Role]) -> FlaskClient:
    """Return a new client signed in as a new person with these roles."""
    client = app.test_client()
    response = sign_in(client, make_person(app, email, roles))
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def librarian(app: Flask) -> FlaskClient:
    """Return a client signed in as a librarian."""
    return signed_in(app, "pustakawan@bps.go.id", [Role.LIBRARIAN])


def add_visit(
    app: Flask, name: str = "Dewi Lestari", email: str = "", user_id: int | None = None, day: dt.date = DAY
) -> tuple[int, str]:
    """Store a visit of Kota Metro with a library ticket; return its id and the ticket's code."""
    with app.extensions["pustaka"].transaction() as uow:
        arrived = dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)
        visit, tickets = walk_in(uow, name, arrived, day=day, user_id=user_id, email=email)
        uow.session.flush()
        return visit.id, tickets["library"].code
