"""The request form answers a wrong form on its fields, and files can be sent by a reverse proxy."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from library.models import AccessLevel
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    answer = client.get(f"/katalog/{publication_id(app, AccessLevel.OPEN)}/minta")
    assert answer.status_code == 302 and "/masuk" in answer.headers["Location"]


def test_the_form_names_each_missing_answer_in_indonesian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = ask(client, publication_id(app, AccessLevel.OPEN), purpose="", intended_use="", agreed="")
    text = page_text(answer)
    assert answer.status_code == 400
    assert "Pilih tujuan permintaan Anda." in text
    assert "Setujui ketentuan penggunaan" in text


def test_pages_outside_the_publication_are_refused_on_the_pages_field(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = ask(client, publication_id(app, AccessLevel.OPEN), scope="pages", pages="1-9999")
    assert answer.status_code == 400
    assert 'id="pages-error"' in answer.get_data(as_text=True)


def test_an_unverified_account_is_told_to_verify_first(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id", verified=False))
    answer = ask(client, publication_id(app, AccessLevel.OPEN))
    assert answer.status_code == 400
    assert "Verifikasi alamat email Anda" in page_text(answer)


def test_the_publication_page_offers_a_softcopy(app: Flask, client: FlaskClient) -> None:
    pub = publication_id(app, AccessLevel.OPEN)
    assert f"/katalog/{pub}/minta" in client.get(f"/katalog/{pub}").get_data(as_text=True)


def test_a_reverse_proxy_sends_the_file_after_authorisation(make_app: Callable[..., Flask]) -> None:
    app = make_app(send_file_header="x-accel-redirect")
    app.config["TESTING"] = True
    app.extensions["pustaka"].jobs.immediate = True
    client = app.test_client()
    sign_in(client, make_person(app, "ani@example.id"))
    number = ask(client, publication_id(app, AccessLevel.OPEN)).headers["Location"].rsplit("/", 1)[-1]
    answer = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert answer.status_code == 200 and answer.data == b""
    target = answer.headers["X-Accel-Redirect"]
    assert target.startswith("/_files/") and len(target.rsplit("/", 1)[-1]) == 64
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    assert f'-{number}.pdf"' in answer.headers["Content-Disposition"]
