"""Request tests: quick password hashing, and copy jobs run as soon as they are queued."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with small scrypt parameters: each hash records its own, so checks still work."""
    monkeypatch.setattr("library.people.passwords._N", 2**12)


@pytest.fixture
def app(app: Flask) -> Flask:
    """Return the app with Huey in immediate mode: a queued job runs at once, in the request."""
    app.extensions["pustaka"].jobs.immediate = True
    return app
