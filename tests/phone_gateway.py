"""A gateway for phone messages on this machine: an HTTP server that records what it is sent.

It plays the generic SMS/WhatsApp gateway, the WhatsApp Cloud API and a browser's push service
(any path): each POST is kept with its path, headers, bytes and JSON body (empty when it is not
JSON, as an encrypted push message), and answered with the status the test sets. As the Cloud
API it also serves the files people sent (`media`, by media id): `GET /<media id>` answers where
the file is, `GET /files/<media id>` the file itself, both only with the access token
(`media_token`); each GET is kept in `fetched`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Recorded:
    """One request the gateway took."""

    path: str
    headers: dict[str, str]
    body: dict
    raw: bytes = b""


@dataclass
class PhoneGateway:
    """The running gateway: its URL, what it was sent, and how it answers."""

    url: str
    received: list[Recorded] = field(default_factory=list)
    status: int = 200
    arrived: threading.Condition = field(default_factory=threading.Condition)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # media id: its type and bytes
    media_token: str = ""
    media_status: int = 200  # another status: every GET answers it (a platform away)
    fetched: list[str] = field(default_factory=list)  # the paths of the GETs, in order

    def texts(self) -> list[str]:
        """Return the texts of the generic gateway's messages, in order."""
        return [r.body.get("text", "") for r in self.received]


def _handler(gateway: PhoneGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            with gateway.arrived:
                gateway.received.append(Recorded(self.path, dict(self.headers.items()), body, raw))
                number = len(gateway.received)
                gateway.arrived.notify_all()
            answer = {"id": f"gw-{number}", "messages": [{"id": f"wamid.{number}"}]}
            if gateway.status >= 400:
                answer = {"error": {"message": "refused by the test"}}
            data = json.dumps(answer).encode()
            self.send_response(gateway.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            gateway.fetched.append(self.path)
            media_id = self.path.rsplit("/", 1)[-1]
            if gateway.media_status != 200:
                self._answer(gateway.media_status, "application/json", b'{"error": {"message": "away"}}')
                return
            if (
                self.headers.get("Authorization") != f"Bearer {gateway.media_token}"
                or media_id not in gateway.media
            ):
                self._answer(404, "application/json", b'{"error": {"message": "no such media"}}')
                return
            media_type, data = gateway.media[media_id]
            if self.path.startswith("/files/"):
                self._answer(200, media_type, data)
                return
            about = {
                "url": f"{gateway.url}/files/{media_id}",
                "mime_type": media_type,
                "file_size": len(data),
            }
            self._answer(200, "application/json", json.dumps(about).encode())

        def _answer(self, status: int, media_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            """Keep the test's output quiet."""

    return Handler


@pytest.fixture
def phone_gateway() -> Iterator[PhoneGateway]:
    """Run a recording gateway on a free local port for the test."""
    gateway = PhoneGateway(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
