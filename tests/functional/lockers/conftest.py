"""Locker pages through the test client: a fixed clock, staff signed in, visits built directly."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.frontoffice import issue_ticket
from library.models import Locker, Office, QueueService, Role, Visit
from tests.functional.accounts.helpers import make_person, sign_in

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
    with app.extensions["pustaka"].uow() as uow:
        office = uow.session.scalar(select(Office).where(Office.code == "1872"))
        visit = Visit(
            office=office,
            status_token=secrets.token_hex(16),
            name=name,
            sex="female",
            age_band="26_35",
            occupation="student",
            education="bachelor",
            institution="Universitas Lampung",
            day=day,
            arrived_at=arrived,
        )
        uow.session.add(visit)
        for code in services:
            service = uow.session.scalar(
                select(QueueService).where(QueueService.office_id == office.id, QueueService.code == code)
            )
            issue_ticket(uow, visit, service, arrived)
        uow.commit()
        return visit.id


def locker_ids(app: Flask) -> dict[str, int]:
    """Return Kota Metro's lockers by label."""
    with app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(select(Locker.label, Locker.id).join(Office).where(Office.code == "1872"))
        return {label: locker_id for label, locker_id in rows}
