"""One line per request, with its id: secrets in addresses never reach the log."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from runtime.logs import REQUEST_ID
from webapp.request_log import loggable_path, redact_query

SECRET, OTHER_SECRET = "Zq8dSecretResetToken0193", "Kp2mSecretQueryToken7741"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "pustaka.access"]


def test_a_request_is_logged_once_answered_with_its_status_time_size_and_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pustaka.access")
    response = client.get("/cari/?q=penduduk", buffered=True)
    [line] = access_lines(caplog)
    method, path, status, size, ms = line.getMessage().split(" ")
    assert (method, path, status) == ("GET", "/cari/?q=penduduk", "status=200")
    assert size == f"bytes={len(response.get_data())}"
    assert ms.startswith("ms=") and float(ms.removeprefix("ms=")) > 0
    assert line.request_id == response.headers["X-Request-ID"]  # type: ignore[attr-defined]
    assert len(response.headers["X-Request-ID"]) == 16


def test_a_secret_in_the_address_or_its_query_is_not_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pustaka.access")
    client.get(f"/atur-ulang-sandi/{SECRET}?token={OTHER_SECRET}&lang=en", buffered=True)
    client.get(
        f"/kunjungan/{SECRET}/tidak-ada", buffered=True
    )  # matches no route: cut where the secret starts
    client.get(f"/pengaduan?kode={SECRET}", buffered=True)
    logged = [line.getMessage() for line in access_lines(caplog)]
    assert logged[0].startswith("GET /atur-ulang-sandi/<token>?token=<redacted>&lang=en status=")
    assert logged[1].startswith("GET /kunjungan/<redacted> status=404")
    assert logged[2].startswith("GET /pengaduan?kode=<redacted> status=")
    assert not [line for line in logged if SECRET in line or OTHER_SECRET in line]


def test_an_incoming_request_id_is_kept_and_given_to_the_lines_of_the_request(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app.add_url_rule("/id-permintaan", "request_id", lambda: REQUEST_ID.get())
    caplog.set_level(logging.INFO, logger="pustaka.access")
    response = app.test_client().get(
        "/id-permintaan", headers={"X-Request-ID": "nginx-4f2a.77_b"}, buffered=True
    )
    assert response.get_data(as_text=True) == "nginx-4f2a.77_b" == response.headers["X-Request-ID"]
    assert access_lines(caplog)[0].request_id == "nginx-4f2a.77_b"  # type: ignore[attr-defined]
    assert REQUEST_ID.get() == "-"  # the request is over


@pytest.mark.parametrize("hostile", ["two words", "x" * 65, "<script>", "a;b=c", ""])
def test_a_hostile_request_id_is_replaced(client: FlaskClient, hostile: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": hostile}, buffered=True)
    given = response.headers["X-Request-ID"]
    assert given != hostile and len(given) == 16 and given.isalnum()


def test_probes_and_static_files_are_logged_at_debug_only(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pustaka.access")
    client.get("/healthz", buffered=True)
    client.get("/favicon.ico", buffered=True)
    assert [line.levelno for line in access_lines(caplog)] == [logging.DEBUG, logging.DEBUG]


def test_a_logged_address_is_one_line_of_printable_characters() -> None:
    environ = {"PATH_INFO": "/cari/\n\x1b[31m", "QUERY_STRING": "q=a%0Ab&next=/x y"}
    assert loggable_path(environ) == "/cari/%0A%1B[31m?q=a%0Ab&next=/x%20y"


def test_only_secret_named_query_fields_are_redacted() -> None:
    assert redact_query("q=sensus&Token=abc&sig=1&halaman=2&password") == (
        "q=sensus&Token=<redacted>&sig=<redacted>&halaman=2&password"
    )
