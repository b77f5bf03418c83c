"""The request form keeps what a person wrote, reports every problem at once, and states its limits first."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import AccessLevel, Role, SoftcopyRequest
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import FORM, ask, publication_id


def _requests_made(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalar(select(func.count(SoftcopyRequest.id))) or 0


def _field_error(answer, field: str) -> str:
    """Return the text of a field's error message on a form page."""
    found = re.search(
        rf'<p class="field-error" id="{field}-error">(.*?)</p>', answer.get_data(as_text=True), re.S
    )
    assert found, f"no error on the {field} field"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_pages_written_with_the_whole_publication_chosen_are_refused_on_the_pages_field(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = ask(client, publication_id(app, AccessLevel.OPEN), scope="whole", pages="2-3")
    assert answer.status_code == 400
    assert "Anda memilih seluruh publikasi tetapi juga menulis halaman (2-3)" in _field_error(answer, "pages")
    assert 'value="2-3"' in answer.get_data(as_text=True)
    assert _requests_made(app) == 0


def test_a_restricted_request_for_some_pages_reaches_the_librarian_with_those_pages(app: Flask) -> None:
    reader, librarian = app.test_client(), app.test_client()
    sign_in(reader, make_person(app, "ani@example.id"))
    sign_in(librarian, make_person(app, "pustakawan@example.id", roles=[Role.LIBRARIAN]))
    sent = ask(reader, publication_id(app, AccessLevel.RESTRICTED), scope="pages", pages="3, 2")
    number = sent.headers["Location"].rsplit("/", 1)[-1]
    assert "Halaman 2-3" in page_text(librarian.get(f"/meja/permintaan/{number}"))
    assert "halaman 2-3" in page_text(librarian.get("/meja/permintaan"))


def test_every_problem_of_the_form_is_reported_at_once_each_on_its_field(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = ask(
        client,
        publication_id(app, AccessLevel.OPEN),
        scope="pages",
        pages="9990-9999, x",
        purpose="",
        intended_use="skripsi",
        agreed="",
    )
    assert answer.status_code == 400
    pages = _field_error(answer, "pages")
    assert "'x' bukan nomor halaman" in pages and "'9990-9999' di luar" in pages
    assert "Pilih tujuan permintaan Anda." in _field_error(answer, "purpose")
    assert "paling sedikit 10 karakter" in _field_error(answer, "intended_use")
    assert "Setujui ketentuan penggunaan" in _field_error(answer, "agreed")
    summary = answer.get_data(as_text=True).split('id="error-summary"')[1].split("</div>")[0]
    for field in ("pages", "purpose", "intended_use", "agreed"):
        assert f'href="#{field}"' in summary


def test_the_form_states_the_shortest_intended_use_before_it_is_sent(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    form = client.get(f"/katalog/{publication_id(app, AccessLevel.OPEN)}/minta")
    assert 'id="intended_use-hint">Paling sedikit 10 karakter.' in form.get_data(as_text=True)


def test_the_form_states_how_many_requests_are_left_before_it_is_filled(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    pub = publication_id(app, AccessLevel.OPEN)
    ask(client, pub, scope="pages", pages="1")
    text = page_text(client.get(f"/katalog/{pub}/minta"))
    assert "Anda masih dapat mengirim 4 permintaan sekarang: paling banyak 5 sehari dan 30 sebulan." in text


def test_an_unverified_account_is_told_to_verify_before_the_form_not_after(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id", verified=False))
    answer = client.get(f"/katalog/{publication_id(app, AccessLevel.OPEN)}/minta")
    text = page_text(answer)
    assert "Verifikasi alamat email Anda" in text
    assert "Kirim permintaan" not in text and 'name="intended_use"' not in answer.get_data(as_text=True)


def test_a_person_at_the_daily_quota_is_told_before_filling_the_form(make_app) -> None:
    app = make_app(request_daily_quota=1)
    app.config["TESTING"] = True
    app.extensions["pustaka"].jobs.immediate = True
    client = app.test_client()
    sign_in(client, make_person(app, "ani@example.id"))
    pub = publication_id(app, AccessLevel.OPEN)
    assert ask(client, pub, scope="pages", pages="1").status_code == 303
    answer = client.get(f"/katalog/{pub}/minta")
    assert "Anda sudah mengajukan 1 permintaan hari ini" in page_text(answer)
    assert 'name="intended_use"' not in answer.get_data(as_text=True)


def test_a_visitor_without_script_can_still_send_a_request_for_some_pages(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    pub = publication_id(app, AccessLevel.OPEN)
    sent = submit(client, f"/katalog/{pub}/minta", {**FORM, "scope": "pages", "pages": "2-3"})
    assert sent.status_code == 303
    assert "2-3" in page_text(client.get(sent.headers["Location"]))
