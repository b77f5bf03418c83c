"""waitress holds each body to its route's limit before reading it, and the app still answers 413."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from library.models import Role
from tests.functional.accounts.helpers import make_person, sign_in
from tests.serving import running
from webapp.bodies import FORM_LIMIT, gate_limit
from webapp.server.body_gate import DRAIN, make_server

MB = 1024 * 1024


@pytest.fixture
def app(database_url: str, tmp_path: Path, make_app: Callable[..., Flask]) -> Flask:
    """Return the web app on an empty database."""
    return make_app(instance_dir=tmp_path / "instance", database_url=database_url)


@pytest.fixture
def served(app: Flask) -> Iterator[tuple[str, int]]:
    """Serve the app through the gate on a loopback port; yield (host, port)."""
    sock = socket.create_server(("127.0.0.1", 0))
    server = make_server(app, sock, gate_limit(app), threads=2, max_request_body_size=2 * MB)
    with running(server):
        yield sock.getsockname()


def raw_post(
    address: tuple[str, int],
    path: str,
    declared: int,
    sent: bytes,
    headers: str = "Content-Type: application/x-www-form-urlencoded\r\n",
) -> bytes:
    """Send a POST declaring `declared` bytes but sending only `sent`; return all the server answers."""
    with socket.create_connection(address, timeout=30) as conn:
        conn.sendall(
            f"POST {path} HTTP/1.1\r\nHost: pustaka\r\nContent-Length: {declared}\r\n{headers}\r\n".encode()
            + sent
        )
        return answer_of(conn)


def answer_of(conn: socket.socket) -> bytes:
    """Read what the server answers until it closes the connection.

    Closing with the rest of a body unread makes the kernel reset the connection: the
    answer comes first, then the reset (ECONNRESET instead of an orderly end).
    """
    answer = b""
    try:
        while chunk := conn.recv(65536):
            answer += chunk
    except ConnectionResetError:
        assert answer, "reset before any answer"
    return answer


def test_a_200_mb_sign_in_is_answered_413_after_a_few_bytes(served: tuple[str, int]) -> None:
    answer = raw_post(served, "/masuk", 200 * MB, b"email=" + b"a" * 65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert "Terlalu banyak yang dikirim" in body.decode()


def test_a_refused_body_is_not_taken_for_the_next_request(served: tuple[str, int]) -> None:
    smuggled = b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: pustaka\r\n\r\n"
    answer = raw_post(served, "/masuk", 200 * MB, b"a" * 100 + smuggled)
    assert answer.count(b"HTTP/1.1 ") == 1 and answer.startswith(b"HTTP/1.1 413 ")


def test_a_body_a_little_over_the_limit_is_read_through_and_answered(served: tuple[str, int]) -> None:
    host, port = served
    conn = http.client.HTTPConnection(host, port, timeout=30)
    body = b"email=" + b"a" * (FORM_LIMIT + 10)
    assert len(body) <= DRAIN
    conn.request("POST", "/masuk", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    assert response.status == 413 and "Terlalu banyak yang dikirim" in response.read().decode()
    conn.close()


def test_a_chunked_body_is_dropped_once_it_passes_the_limit(served: tuple[str, int]) -> None:
    chunk = b"a" * 65536
    with socket.create_connection(served, timeout=30) as conn:
        conn.sendall(
            b"POST /masuk HTTP/1.1\r\nHost: pustaka\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        try:
            while sent < 8 * MB:  # the server stops reading long before
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:
            pass  # closed under us once the answer was sent
        answer = answer_of(conn)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_signed_in_librarian_sends_a_file_larger_than_a_form(app: Flask, served: tuple[str, int]) -> None:
    client = app.test_client()
    assert sign_in(client, make_person(app, "pustakawan@example.id", [Role.LIBRARIAN])).status_code == 303
    cookie = client.get_cookie("session")
    assert cookie is not None
    body = (
        b'--grens\r\nContent-Disposition: form-data; name="berkas"; filename="bocoran.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n" + b"0" * MB + b"\r\n--grens--\r\n"
    )
    # The same browser as signed in: the session is bound to its address and User-Agent.
    agent = client.environ_base["HTTP_USER_AGENT"]
    headers = (
        f"Content-Type: multipart/form-data; boundary=grens\r\nUser-Agent: {agent}\r\nConnection: close\r\n"
    )
    # A file route: the gate lets the whole body in, and the app judges it (no CSRF token: 400).
    answer = raw_post(served, "/meja/lacak", len(body), body, f"Cookie: session={cookie.value}\r\n{headers}")
    assert answer.startswith(b"HTTP/1.1 400 ")
    # Without the session, a body of that size is refused unread.
    assert raw_post(served, "/meja/lacak", 2 * MB, body[:1000], headers).startswith(b"HTTP/1.1 413 ")
