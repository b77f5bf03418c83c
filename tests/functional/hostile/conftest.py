"""The app on a demo database of each kind (SQLite and PostgreSQL), and people of each role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from library.models import AccessLevel, Publication
from library.settings import Settings
from tests.conftest import postgres_schema
from tests.demo_fixtures import clone_instance, demo_sample, load_demo_sample
from webapp import create_app


@pytest.fixture(scope="module")
def postgres_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Load born-digital demo publications into a schema of their own, once for the module."""
    with postgres_schema("pustaka_hostile") as url:
        settings = Settings.from_env(
            {}, instance_dir=tmp_path_factory.mktemp("hostile-pg") / "instance", database_url=url
        )
        load_demo_sample(settings, [r for r in demo_sample(12) if not r.scanned][:4])
        yield settings


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """Yield the web app on a demo database: a copy of the SQLite demo, or the PostgreSQL one."""
    if request.param == "sqlite":
        demo: Path = request.getfixturevalue("demo_instance")
        settings = Settings.from_env({}, instance_dir=clone_instance(demo, tmp_path / "instance"))
    else:
        settings = request.getfixturevalue("postgres_demo")
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["pustaka"].close()  # its connections, and the reader's render workers


def open_publication(app: Flask) -> int:
    """Return the id of an open publication anyone signed in may read."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalars(
            select(Publication.id)
            .where(Publication.access_level == AccessLevel.OPEN.value)
            .order_by(Publication.id)
        ).first()
    assert found is not None
    return found
