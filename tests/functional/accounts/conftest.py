"""Account tests hash passwords with small scrypt parameters to stay quick."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with small scrypt parameters: each hash records its own, so checks still work."""
    monkeypatch.setattr("library.people.passwords._N", 2**12)


@pytest.fixture
def unused_port() -> int:
    """Return a loopback port nothing listens on (a mail server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
