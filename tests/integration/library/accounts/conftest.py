"""Account use cases run on a real database, with a recording mail backend and the SQL rate limiter."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from library.accounts.registration import AccountServices
from tests.integration.library.accounts.helpers import RecordingBackend, make_services


@pytest.fixture
def mailbox() -> RecordingBackend:
    """Return the backend the test's account emails go to."""
    return RecordingBackend()


@pytest.fixture
def services(engine: Engine, mailbox: RecordingBackend) -> AccountServices:
    """Return account services on the test's database, allowing 10 attempts per 15 minutes."""
    return make_services(engine, mailbox)
