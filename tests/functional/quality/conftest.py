"""Survey tests: copy jobs run as soon as they are queued."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def app(app: Flask) -> Flask:
    """Return the app with Huey in immediate mode: a queued job runs at once, in the request."""
    app.extensions["pustaka"].jobs.immediate = True
    return app
