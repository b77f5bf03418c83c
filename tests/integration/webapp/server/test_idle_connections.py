"""A web process full of idle connections closes the longest idle ones and serves the new visitor.

Issue 56: ~200 idle TCP connections shut every new visitor out for two minutes (waitress stops
accepting at its connection limit and closes idle connections only after `channel_timeout`).
"""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator

import pytest
from waitress.adjustments import Adjustments
from waitress.server import TcpWSGIServer

from tests.serving import running
from webapp.server.idle_connections import shedding_server

LIMIT = 20


def hello(environ: dict[str, object], start_response) -> list[bytes]:  # type: ignore[no-untyped-def]
    """Answer every request with a short page."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"halo\n"]


@pytest.fixture
def url() -> Iterator[str]:
    """Serve `hello` on a free port with a small connection limit and a long idle timeout."""
    adj = Adjustments(
        host="127.0.0.1",
        port=0,
        threads=2,
        connection_limit=LIMIT,
        channel_timeout=600,  # far longer than any test: only shedding can free a place
        asyncore_use_poll=True,
    )
    server = shedding_server(TcpWSGIServer)(hello, map={}, adj=adj)
    with running(server):
        yield f"http://127.0.0.1:{server.effective_port}/"


def test_a_new_visitor_is_served_while_idle_connections_fill_the_limit(url: str) -> None:
    port = int(url.rsplit(":", 1)[1].strip("/"))
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(LIMIT * 3)]
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:  # without shedding: 600 s in the backlog
            assert answer.status == 200 and answer.read() == b"halo\n"
        closed = 0
        for conn in idle:
            conn.setblocking(False)
            try:
                closed += conn.recv(1) == b""
            except BlockingIOError:
                pass
        assert closed >= LIMIT // 10  # the longest idle ones were closed to make room
    finally:
        for conn in idle:
            conn.close()


def test_a_request_being_answered_is_never_closed_to_make_room(url: str) -> None:
    from webapp.server.idle_connections import shed_idle

    class Channel:
        def __init__(self, busy: bool, at: float) -> None:
            self.requests = [object()] if busy else []
            self.will_close = False
            self.last_activity = at

    class Server:
        adj = Adjustments(connection_limit=LIMIT)
        active_channels = {n: Channel(busy=n < 3, at=float(n)) for n in range(6)}

    assert shed_idle(Server(), 2) == 2
    assert [n for n, c in Server.active_channels.items() if c.will_close] == [3, 4]  # idle, longest first
