"""Account tests: the email job run as it is queued, a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.functional.accounts.helpers import MailServer


@pytest.fixture(autouse=True)
def mail_jobs_run_when_queued(app: Flask) -> None:
    """Run each queued job at once, after the commit (Huey's immediate mode), so the email is there.

    Tests of what happens before the job runs switch this off (`jobs.immediate = False`).
    """
    app.extensions["pustaka"].jobs.immediate = True


@pytest.fixture
def unused_port() -> int:
    """Return a loopback port nothing listens on (a mail server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(unused_port: int) -> Iterator[MailServer]:
    """Run a real SMTP server (aiosmtpd) on a free loopback port for the test."""
    server = MailServer(unused_port)
    server.start()
    yield server
    server.stop()
