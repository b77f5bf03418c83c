"""An online user asks for softcopies; the policy, the librarian and the download link answer."""

from __future__ import annotations

import datetime as dt
import io
import re

import pymupdf
from flask import Flask
from flask.testing import FlaskClient

from library.models import AccessLevel, Role
from library.models.delivery import SAME_DOWNLOAD
from tests.functional.accounts.helpers import make_person, move_clock, outbox, page_text, sign_in, submit
from tests.functional.softcopy.helpers import ask, publication_id

NUMBER = re.compile(r"PS-\d{8}-\d{5}")


def _number(response) -> str:
    found = NUMBER.search(response.headers.get("Location", "") + response.get_data(as_text=True))
    assert found, "no request number in the response"
    return found.group(0)


def _download(client: FlaskClient, number: str):
    """Press the download button of a request; the response is read and closed."""
    response = submit(client, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    response.get_data()
    response.close()
    return response


def test_an_open_publication_is_approved_at_once_and_downloads_with_the_name_on_every_page(
    app: Flask, client: FlaskClient
) -> None:
    person = make_person(app, "ani@example.id", name="Ani Suryani")
    sign_in(client, person)
    sent = ask(client, publication_id(app, AccessLevel.OPEN))
    assert sent.status_code == 303
    number = _number(sent)
    page = client.get(f"/permintaan/{number}")
    assert "Siap diunduh" in page_text(page) or "Ready to download" in page_text(page)
    got = _download(client, number)
    assert got.status_code == 200
    assert got.mimetype == "application/pdf"
    assert got.headers["Cache-Control"] == "private, no-store"
    with pymupdf.open(stream=io.BytesIO(got.data), filetype="pdf") as pdf:
        assert pdf.page_count > 0
        for pdf_page in pdf:
            assert "Ani Suryani" in pdf_page.get_text()
    mails = [m for m in outbox(app) if number in m["Subject"]]
    assert len(mails) == 1 and "siap" in mails[0]["Subject"].lower()


def test_a_repeat_download_sends_the_same_marked_file(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    assert _download(client, number).data == _download(client, number).data


def test_the_third_download_is_the_last_and_a_fourth_is_refused_with_a_clear_page(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    for n in range(1, 4):
        assert _download(client, number).status_code == 200
        move_clock(app, SAME_DOWNLOAD * n)  # the next is a download of its own, not this one again
    refused = _download(client, number)
    assert refused.status_code == 410
    assert "3 kali" in page_text(refused)


def test_a_download_tried_again_at_once_counts_once_even_the_last(app: Flask, client: FlaskClient) -> None:
    # A send that failed (the proxy could not read the file, the network dropped, the browser gave
    # up) leaves the person pressing the button again: that is the same download.
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    for n in range(1, 3):
        assert _download(client, number).status_code == 200
        move_clock(app, SAME_DOWNLOAD * n)
    for _ in range(3):
        assert _download(client, number).status_code == 200  # the third, sent three times
    page = page_text(client.get(f"/permintaan/{number}"))
    assert "Sisa 0 dari 3 unduhan" in page and "Jatah unduhan habis" not in page  # still offered a while
    move_clock(app, SAME_DOWNLOAD * 3)
    assert _download(client, number).status_code == 410
    assert "Jatah unduhan habis" in page_text(client.get(f"/permintaan/{number}"))


def test_an_expired_link_is_refused_with_a_clear_page(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    move_clock(app, dt.timedelta(days=7, minutes=1))
    refused = _download(client, number)
    assert refused.status_code == 410
    assert "kedaluwarsa" in page_text(refused).lower()


def test_a_restricted_publication_waits_for_a_librarian_who_approves_it(app: Flask) -> None:
    reader, librarian = app.test_client(), app.test_client()
    sign_in(reader, make_person(app, "ani@example.id"))
    sign_in(librarian, make_person(app, "pustakawan@example.id", roles=[Role.LIBRARIAN]))
    number = _number(ask(reader, publication_id(app, AccessLevel.RESTRICTED)))
    assert "Menunggu pustakawan" in page_text(reader.get(f"/permintaan/{number}"))
    assert number in page_text(librarian.get("/meja/permintaan"))
    approved = submit(
        librarian, f"/meja/permintaan/{number}/setujui", {}, form_page=f"/meja/permintaan/{number}"
    )
    assert approved.status_code == 303
    assert _download(reader, number).status_code == 200


def test_a_refusal_needs_a_reason_and_emails_it(app: Flask) -> None:
    reader, librarian = app.test_client(), app.test_client()
    sign_in(reader, make_person(app, "ani@example.id"))
    sign_in(librarian, make_person(app, "pustakawan@example.id", roles=[Role.LIBRARIAN]))
    number = _number(ask(reader, publication_id(app, AccessLevel.RESTRICTED)))
    path = f"/meja/permintaan/{number}"
    empty = submit(librarian, f"{path}/tolak", {"refuse-reason": ""}, form_page=path)
    assert empty.status_code == 400
    reason = "Data ini masih dalam verifikasi; silakan hubungi PST."
    assert submit(librarian, f"{path}/tolak", {"refuse-reason": reason}, form_page=path).status_code == 303
    assert reason in page_text(reader.get(f"/permintaan/{number}"))
    mail = [m for m in outbox(app) if number in m["Subject"]][-1]
    assert reason in mail.get_content()


def test_a_second_user_cannot_see_or_download_the_first_users_request(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_person(app, "ani@example.id"))
    sign_in(second, make_person(app, "budi@example.id"))
    number = _number(ask(first, publication_id(app, AccessLevel.OPEN)))
    assert second.get(f"/permintaan/{number}").status_code == 404
    token_page = "/permintaan/"
    stolen = submit(second, f"/permintaan/{number}/unduh", {}, form_page=token_page)
    stolen.close()
    assert stolen.status_code == 404
    assert number not in page_text(second.get("/permintaan/"))
    assert second.get(f"/meja/permintaan/{number}").status_code == 403


def test_a_copy_whose_file_went_missing_is_not_counted_as_downloaded(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = _number(ask(client, publication_id(app, AccessLevel.OPEN)))
    with app.extensions["pustaka"].uow() as uow:
        from sqlalchemy import select

        from library.models import Delivery

        output = uow.session.scalar(select(Delivery.output_sha256))
    app.extensions["pustaka"].store.path_for(output).unlink()
    assert _download(client, number).status_code == 409
    assert "Sisa 3 dari 3 unduhan" in page_text(client.get(f"/permintaan/{number}"))
