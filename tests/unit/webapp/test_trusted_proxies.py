"""Forwarded headers are believed only from the configured proxies' addresses."""

from __future__ import annotations

import ipaddress

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from webapp.auth import TrustedProxies

pytestmark = pytest.mark.unit


@Request.application
def client_seen(request: Request) -> Response:
    """Answer with the client address and scheme the app sees."""
    return Response(f"{request.remote_addr} {request.scheme}")


def seen(peer: str, forwarded: str) -> str:
    """Return what the app sees of a request from `peer` claiming to forward `forwarded`."""
    app = TrustedProxies(client_seen, 1, (ipaddress.ip_network("10.0.0.5/32"),))
    headers = {"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"}
    return Client(app).get("/", headers=headers, environ_base={"REMOTE_ADDR": peer}).get_data(as_text=True)


def test_the_proxys_forwarded_address_is_believed() -> None:
    assert seen("10.0.0.5", "203.0.113.9") == "203.0.113.9 https"


def test_a_forged_header_sent_straight_to_the_app_is_ignored() -> None:
    assert seen("198.51.100.7", "10.0.5.20") == "198.51.100.7 http"
