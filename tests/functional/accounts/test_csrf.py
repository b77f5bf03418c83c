"""Every form carries a CSRF token, and a POST without one is refused with a page in Indonesian."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import PASSWORD, make_person, page_text, sign_in


@pytest.mark.parametrize("path", ["/masuk", "/daftar", "/lupa-sandi", "/keluar"])
def test_a_post_without_a_token_is_refused_with_a_clear_page(client: FlaskClient, path: str) -> None:
    response = client.post(path, data={"email": "a@example.id", "password": PASSWORD})
    assert response.status_code == 400
    text = page_text(response)
    assert "Formulir tidak dapat diterima" in text
    assert "muat ulang halaman" in text
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_token_from_another_session_is_refused(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    page = other.get("/masuk").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/masuk", data={"csrf_token": token, "email": "a@example.id", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_every_form_of_a_signed_in_page_carries_a_token(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.id", verified=False))
    page = client.get("/profil").get_data(as_text=True)
    forms = page.count('<form method="post"') + page.count('<form class="inline" method="post"')
    assert forms >= 4
    assert page.count("csrf_token") >= forms


def test_the_language_switch_stays_a_plain_link(client: FlaskClient) -> None:
    assert client.get("/bahasa/en?next=/masuk").status_code == 302
