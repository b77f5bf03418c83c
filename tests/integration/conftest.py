"""Fixtures shared by the integration tests of more than one area."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.library.dovecot import ImapServer, SharedDovecot, running_dovecot
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


@pytest.fixture(scope="session")
def dovecot() -> Iterator[SharedDovecot]:
    """Run one real IMAP server (Dovecot) on a free loopback port for this test session."""
    with running_dovecot(shared=True) as server:
        yield SharedDovecot(server)


@pytest.fixture(scope="session")
def dovecot_tls() -> Iterator[SharedDovecot]:
    """Run one real IMAP server with TLS (IMAPS on `tls_port`, STARTTLS on `port`), self-signed."""
    with running_dovecot(tls=True, shared=True) as server:
        yield SharedDovecot(server)


@pytest.fixture
def imap_server(request: pytest.FixtureRequest) -> Iterator[ImapServer]:
    """Return a real IMAP server with an empty mailbox of the test's own.

    Shared with other tests (a user each); a test that stops and starts it asks for a server
    of its own: `@pytest.mark.parametrize("imap_server", ["own"], indirect=True)`.
    """
    if getattr(request, "param", "shared") == "own":
        with running_dovecot() as server:
            yield server
        return
    yield request.getfixturevalue("dovecot").new_user()


@pytest.fixture
def imaps_server(dovecot_tls: SharedDovecot) -> ImapServer:
    """Return a real IMAP server with TLS, self-signed, with an empty mailbox of the test's own."""
    return dovecot_tls.new_user()
