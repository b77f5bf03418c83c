"""Fixtures of the report tests: a demo instance that lived through November 2026, read on 2 December."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from library.settings import Settings
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import Person, make_person, sign_in
from tests.functional.reports.expected import Row, expected
from tests.functional.reports.month import NOW, Month, generate
from webapp import create_app


@dataclass(frozen=True)
class LivedMonth:
    """The instance after the month, what happened in it, and the figures expected of the report."""

    instance: Path
    month: Month
    figures: dict[str, list[Row]]


def app_on(instance: Path) -> Flask:
    """Return the web app on an instance, its clock stopped on 2 December 2026 at 10:00 WIB."""
    app = create_app(Settings.from_env({}, instance_dir=instance))
    app.config["TESTING"] = True
    app.extensions["pustaka"].now = lambda: NOW
    return app


@pytest.fixture(scope="session")
def lived_month(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> LivedMonth:
    """Run the seeded month once per session on a copy of the demo instance."""
    instance = clone_instance(demo_instance, tmp_path_factory.mktemp("month") / "instance")
    app = app_on(instance)
    staff = make_person(app, "loket@bps.go.id", [Role.FRONT_OFFICE, Role.LIBRARIAN, Role.CONSULTANT])
    reader = make_person(app, "pembaca@example.id")
    month = generate(app, staff.id, reader.id)
    with app.extensions["pustaka"].engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies take the file alone
    app.extensions["pustaka"].close()
    return LivedMonth(instance, month, expected(month))


@pytest.fixture
def month_app(lived_month: LivedMonth, tmp_path: Path) -> Iterator[Flask]:
    """Return the app on a copy of the lived month's instance; close its runtime after the test."""
    app = app_on(clone_instance(lived_month.instance, tmp_path / "instance"))
    yield app
    app.extensions["pustaka"].close()


@pytest.fixture
def head(month_app: Flask) -> Person:
    """Return the office head's account."""
    return make_person(month_app, "kepala@bps.go.id", [Role.OFFICE_HEAD])


@pytest.fixture
def head_client(month_app: Flask, head: Person) -> FlaskClient:
    """Return a client signed in as the office head, reading pages in English (the msgids)."""
    client = month_app.test_client()
    sign_in(client, head)
    client.set_cookie("lang", "en")
    return client
