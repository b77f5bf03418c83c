"""Every section answers at its address with or without a trailing slash."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    "path",
    ["/konsultasi/", "/buku-tamu/", "/antrean/", "/masuk/", "/daftar/", "/pengaduan/", "/meja/konsultasi/"],
)
def test_an_address_with_a_trailing_slash_leads_to_the_page_without(client: FlaskClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 308 and answer.headers["Location"] == path.rstrip("/")


@pytest.mark.parametrize("path", ["/katalog", "/cari", "/permintaan", "/loket", "/meja", "/laporan"])
def test_an_address_without_its_trailing_slash_leads_to_the_page_with(client: FlaskClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 308 and answer.headers["Location"].endswith(path + "/")


def test_the_trailing_slash_redirect_keeps_the_query(client: FlaskClient) -> None:
    answer = client.get("/buku-tamu/?ponsel=1")
    assert answer.headers["Location"] == "/buku-tamu?ponsel=1"


@pytest.mark.parametrize("path", ["/tidak-ada/", "//evil.example/", "/\\evil.example/"])
def test_an_address_that_names_no_page_is_not_found_with_or_without_its_slash(
    client: FlaskClient, path: str
) -> None:
    answer = client.get("/", environ_overrides={"PATH_INFO": path})  # as sent, not read as a host
    assert answer.status_code == 404 and "Location" not in answer.headers


def test_doubled_trailing_slashes_lead_to_the_page_once(client: FlaskClient) -> None:
    answer = client.get("/konsultasi//")
    assert answer.status_code == 308 and answer.headers["Location"] == "/konsultasi"


def test_a_form_sent_to_an_address_with_a_trailing_slash_is_not_redirected(client: FlaskClient) -> None:
    assert client.post("/masuk/").status_code == 404
