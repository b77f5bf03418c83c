"""Fixtures shared by the integration tests of more than one area."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.library.dovecot import ImapServer, running_dovecot
from watermark.ink.pageinks import PageInks


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the pages rendered to measure their ink, in order."""
    rendered: list[int] = []
    measure = PageInks._measure

    def counting(self: PageInks, index: int, width: float, height: float) -> object:
        rendered.append(index)
        return measure(self, index, width, height)

    monkeypatch.setattr(PageInks, "_measure", counting)
    return rendered


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """Run a real IMAP server (Dovecot) with one user on a free loopback port for the test."""
    with running_dovecot() as server:
        yield server


@pytest.fixture
def imaps_server() -> Iterator[ImapServer]:
    """Run a real IMAP server with TLS (IMAPS on `tls_port`, STARTTLS on `port`), self-signed."""
    with running_dovecot(tls=True) as server:
        yield server
