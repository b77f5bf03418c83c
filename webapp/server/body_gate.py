"""waitress with a body limit per request, applied before the body is read.

waitress reads a whole request body (into memory, then a temporary file) before it hands
the request to the app, so a limit the app sets comes too late: a 200 MB POST to the
sign-in page would be read in full first. Here the server asks, as soon as a request's
headers are in, how large its body may be (`limit(path, cookie_header)`, see
`webapp.bodies.gate_limit`). A body declared larger is not read at all; a chunked one is
dropped once it passes the limit. Either way the app still answers the request, without
its body and with `X-Pustaka-Body-Refused` set, so the visitor gets the site's own 413 page
in their language; the connection is then closed, the rest of the body unread.

A browser still sending when the connection closes may show "connection reset" rather than
the page; so a body of at most `DRAIN` bytes (a form pasted full of text, say) is read
through and thrown away, not kept, and the browser shows the answer.
"""

from __future__ import annotations

import io
import socket
from collections.abc import Callable
from typing import Any

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.receiver import FixedStreamReceiver
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher
from waitress.utilities import RequestEntityTooLarge

from webapp.bodies import FORM_LIMIT, REFUSED_HEADER

Limit = Callable[[str, str], int]  # (path, Cookie header) -> largest body allowed, in bytes
_REFUSED_KEY = REFUSED_HEADER.upper().replace("-", "_")  # as waitress keys a request's headers
DRAIN = 4 * FORM_LIMIT  # a refused body up to this size is read through (and dropped) before the answer


class _Dropped:
    """A body buffer that keeps nothing: a refused body read through only to reach its end."""

    def append(self, data: bytes) -> None:
        """Drop the bytes."""

    def __len__(self) -> int:
        return 0

    def getfile(self) -> io.BytesIO:
        """Return an empty body."""
        return io.BytesIO()

    def close(self) -> None:
        """Nothing to close."""


class _Limited:
    """The server's settings, with this request's body limit in place of the server-wide one."""

    def __init__(self, adj: Adjustments, limit: int) -> None:
        self._adj = adj
        self.max_request_body_size = limit + 1  # waitress refuses at `>=`

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adj, name)


class GatedParser(HTTPRequestParser):
    """A request parser that keeps out a body larger than the limit of its path."""

    body_limit: Limit  # set on the subclass each server makes
    # waitress's own attributes that this parser reads and sets (waitress ships no types)
    adj: Any
    content_length: int
    error: Exception | None
    completed: bool

    def parse_header(self, header_plus: bytes) -> None:
        """Parse the headers, then judge the body before a byte of it is read."""
        super().parse_header(header_plus)
        self.headers.pop(_REFUSED_KEY, None)  # only this server says a body was refused
        if not self.chunked and not self.content_length:
            self.limit = FORM_LIMIT  # no body (a GET): nothing to judge, and judging costs a route match
            return
        self.limit = type(self).body_limit(self.path, self.headers.get("COOKIE", ""))
        if self.chunked:
            self.adj = _Limited(self.adj, self.limit)
        elif self.content_length > self.limit:
            self._mark_refused()
            if self.content_length <= DRAIN:  # read through, kept nowhere
                self.body_rcv = FixedStreamReceiver(self.content_length, _Dropped())
            else:
                self._drop_body()
            self.content_length = 0  # what was declared stays in the headers for the app to see

    def received(self, data: bytes) -> int:
        """Take in bytes; a chunked body that grows past the limit is dropped, not refused by waitress.

        A request refused at once consumes all the bytes that came with it: the rest of its
        body must not be read as the next request.
        """
        refused_before = _REFUSED_KEY in self.headers
        consumed: int = super().received(data)
        if isinstance(self.error, RequestEntityTooLarge) and self.headers_finished and self.chunked:
            self.error = None
            self._mark_refused()
            self._drop_body()
            return len(data)
        if not refused_before and self.completed and _REFUSED_KEY in self.headers:
            return len(data)
        return consumed

    def _mark_refused(self) -> None:
        """Mark the request refused for the app, and the connection to close after the answer."""
        self.expect_continue = False  # "100 Continue" would invite the body
        self.connection_close = True
        self.headers["CONNECTION"] = "close"
        self.headers[_REFUSED_KEY] = str(self.limit)

    def _drop_body(self) -> None:
        """Hand the request on now, without its body (any part received is let go)."""
        if self.body_rcv is not None:
            self.body_rcv.getbuf().close()
        self.body_rcv = None
        self.completed = True


def serve(
    app: Flask,
    sock: socket.socket,
    limit: Limit,
    server_base: type[TcpWSGIServer] = TcpWSGIServer,
    **adjustments: Any,
) -> None:
    """Serve the app on a listening socket with waitress, each body held to `limit`, until stopped."""
    server = make_server(app, sock, limit, server_base, **adjustments)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def make_server(
    app: Flask,
    sock: socket.socket,
    limit: Limit,
    server_base: type[TcpWSGIServer] = TcpWSGIServer,
    **adjustments: Any,
) -> TcpWSGIServer:
    """Return a waitress server of the app on a listening socket, each body held to `limit`
    (of `server_base`'s kind: waitress' own, or one that takes turns at the socket)."""
    parser = type("Parser", (GatedParser,), {"body_limit": staticmethod(limit)})
    channel = type("Channel", (HTTPChannel,), {"parser_class": parser})
    server_class = type("Server", (server_base,), {"channel_class": channel})
    adj = Adjustments(sockets=[sock], **adjustments)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
    server: TcpWSGIServer = server_class(
        app, {}, True, sock, dispatcher=dispatcher, adj=adj, bind_socket=False, sockinfo=sockinfo
    )
    return server
