"""Fixtures for tests through the Flask test client: an app on a copy of a demo instance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.settings import Settings
from tests.connections import ConnectionCount
from tests.demo_fixtures import clone_instance
from webapp import create_app


@pytest.fixture
def instance_dir(demo_instance: Path, tmp_path: Path) -> Path:
    """Give each test its own copy of the demo database."""
    return clone_instance(demo_instance, tmp_path / "instance")


@pytest.fixture
def app(instance_dir: Path) -> Iterator[Flask]:
    """Return the web app on the test's instance; no request of the test may hold two connections.

    Its runtime is closed after the test: a search starts the tally's writer thread, which would
    otherwise keep the runtime, its connections and its index files for the worker's life.
    """
    app = create_app(Settings.from_env({}, instance_dir=instance_dir))
    app.config["TESTING"] = True
    count = ConnectionCount(app.wsgi_app)
    app.wsgi_app = count  # type: ignore[method-assign]
    try:
        yield app
    finally:
        app.extensions["pustaka"].close()
    assert not count.seconds, "A request held two database connections at once:\n" + "\n".join(count.seconds)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of the app."""
    return app.test_client()
