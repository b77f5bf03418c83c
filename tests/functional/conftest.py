"""Fixtures for tests through the Flask test client: an app on a copy of a demo instance."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

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


@pytest.fixture
def make_app(request: pytest.FixtureRequest) -> Iterator[Callable[..., Flask]]:
    """Return a maker of web apps with settings of the test's own, each closed after the test.

    `make_app(env, read_only=True)` passes its arguments to `Settings.from_env`, on the test's
    copy of the demo instance (`instance_dir`, cloned only when asked for) unless given another
    `instance_dir=`. Closing matters: an app's runtime keeps its pooled SQLite connections (and
    its job lanes') open, and left to the garbage collector they are reported by Python 3.13.
    """
    made: list[Flask] = []

    def make(env: Mapping[str, str] | None = None, /, **settings: Any) -> Flask:
        if "instance_dir" not in settings:
            settings["instance_dir"] = request.getfixturevalue("instance_dir")
        app = create_app(Settings.from_env(dict(env or {}), **settings))
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["pustaka"].close()
