"""`pustaka serve` warns when emails and QR codes would point where the site is not served."""

from __future__ import annotations

import pytest

from cli.serve import base_url_warning


@pytest.mark.parametrize(
    ("base_url", "host", "port"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
        ("http://localhost:8000/", "127.0.0.1", 8000),
        ("http://[::1]:9000", "::1", 9000),
        ("https://pst.example.go.id", "127.0.0.1", 8000),  # behind a proxy: cannot be checked here
        ("http://192.168.1.5:8000", "0.0.0.0", 8000),
    ],
)
def test_no_warning_where_the_base_url_may_well_be_right(base_url: str, host: str, port: int) -> None:
    assert base_url_warning(base_url, host, port) is None


@pytest.mark.parametrize(
    ("base_url", "host", "port", "suggested"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("http://localhost", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8000", "192.168.1.5", 8000, "http://192.168.1.5:8000"),
        ("http://127.0.0.1:8000", "0.0.0.0", 8000, "http://<this machine's address>:8000"),
    ],
)
def test_a_local_base_url_elsewhere_than_the_site_is_served_names_what_to_set(
    base_url: str, host: str, port: int, suggested: str
) -> None:
    warning = base_url_warning(base_url, host, port) or ""
    assert f"PUSTAKA_BASE_URL is {base_url}" in warning
    assert f"Set PUSTAKA_BASE_URL={suggested} " in warning
