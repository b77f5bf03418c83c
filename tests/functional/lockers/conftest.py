"""Locker pages through the test client: a fixed clock, staff signed in, visits built directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Locker, Office, Role
from tests.functional.accounts.helpers import make_person, sign_in
from tests.visits import walk_in

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # 09:00 in Kota Metro
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def app(app: Flask) -> Flask:
    """Return the app on a fixed clock: 09:00 at the office."""
    app.extensions["pustaka"].now = lambda: NOW
    return app


def signed_in(app: Flask, email: str, roles: Iterable[Role]) -> FlaskClient:
    """Return a new client signed in as a new person with these roles."""
    client = app.test_client()
    response = sign_in(client, make_person(app, email, roles))
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def front(app: Flask) -> FlaskClient:
    """Return a client signed in as front-office staff."""
    return signed_in(app, "dewi@bps.go.id", [Role.FRONT_OFFICE])


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    """Return a client signed in as an administrator."""
    return signed_in(app, "kepala@bps.go.id", [Role.ADMIN])


@pytest.fixture
def reader(app: Flask) -> FlaskClient:
    """Return a client signed in as a reader."""
    return signed_in(app, "siti@example.id", [Role.READER])


def add_visit(
    app: Flask,
    name: str = "Budi Santoso",
    *,
    day: dt.date = DAY,
    arrived: dt.datetime = NOW,
    services: Iterable[str] = ("library",),
) -> int:
    """Store a visit of Kota Metro with a ticket per service (as the guest book would); return its id."""
    with app.extensions["pustaka"].transaction() as uow:
        visit, _ = walk_in(uow, name, arrived, services, day=day, institution="Universitas Lampung")
        uow.session.flush()
        return visit.id


def locker_ids(app: Flask) -> dict[str, int]:
    """Return Kota Metro's lockers by label."""
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(select(Locker.label, Locker.id).join(Office).where(Office.code == "1872"))
        return {label: locker_id for label, locker_id in rows}
