"""Consultation attachments through the web: sent with the question and messages, fetched by few."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from library.models import Role
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in
from tests.functional.consultation.test_consultation_pages import FORM, number_of

PDF = b"%PDF-1.4\n% tabel kemiskinan\n"
CSV = "kecamatan;penduduk miskin\nMetro Pusat;4.100\n".encode()


def send(client: FlaskClient, path: str, data: dict[str, object], form_page: str | None = None):
    """Post a form with files the way a browser does."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def fetch(client: FlaskClient, path: str) -> tuple[int, bytes, str, str]:
    """Fetch a file; return the status, the bytes, the media type and the disposition (response closed)."""
    with client.get(path) as answer:
        return answer.status_code, answer.data, answer.mimetype, answer.headers.get("Content-Disposition", "")


def ask_with_files(client: FlaskClient, *files: tuple[io.BytesIO, str]):
    return send(client, "/konsultasi/baru", {**FORM, "attachments": list(files)})


def test_files_sent_with_the_question_and_a_reply_are_listed_and_fetched_by_the_asker_and_staff(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(ask_with_files(client, file(PDF, "tabel.pdf"), file(CSV, "daftar.csv")))
    page = f"/konsultasi/{number}"
    answer = send(client, page, {"body": "Ini datanya.", "attachments": [file(CSV, "tambahan.txt")]})
    assert answer.status_code == 303
    html = client.get(page).get_data(as_text=True)
    links = sorted(set(re.findall(rf'href="({page}/lampiran/\d+)"', html)))
    assert len(links) == 3 and "tabel.pdf" in html and "tambahan.csv" in html  # named by their content
    status, data, media_type, disposition = fetch(client, links[0])
    assert (status, data, media_type) == (200, PDF, "application/pdf") and "attachment" in disposition

    consultant = app.test_client()
    sign_in(consultant, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    assert fetch(consultant, links[1])[:2] == (200, CSV)
    assert "tabel.pdf" in page_text(consultant.get(f"/meja/konsultasi/{number}"))
    other = app.test_client()
    sign_in(other, make_person(app, "eka@example.id"))
    assert fetch(other, links[0])[0] == 404
    assert fetch(app.test_client(), links[0])[0] == 302  # to sign in
    assert fetch(client, f"{page}/lampiran/999999")[0] == 404


def test_a_consultant_attaches_a_file_to_a_message(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(ask_with_files(client))
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    desk = f"/meja/konsultasi/{number}"
    data = {"body": "Tabelnya terlampir.", "action": "reply", "attachments": [file(PDF, "tabel 3.1.pdf")]}
    assert send(consultant, f"{desk}/pesan", data, form_page=desk).status_code == 303
    assert "tabel 3.1.pdf" in page_text(client.get(f"/konsultasi/{number}"))


def test_a_wrong_type_or_too_many_files_are_refused_in_indonesian_with_the_rest_of_the_form(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = send(
        client,
        "/konsultasi/baru",
        {**FORM, "topic": "", "attachments": [file(b"MZ\x90\x00program", "laporan.pdf")]},
    )
    text = page_text(answer)
    assert answer.status_code == 400
    assert "laporan.pdf tidak dapat dilampirkan: hanya berkas PDF, JPEG, PNG, XLSX, DOCX, dan CSV" in text
    assert "Tulis topik konsultasi Anda." in text
    too_many = ask_with_files(client, *(file(PDF, f"{n}.pdf") for n in range(4)))
    assert too_many.status_code == 400 and "Lampirkan paling banyak 3 berkas" in page_text(too_many)
    assert "konsultasi/KS-" not in client.get("/konsultasi").get_data(as_text=True)


def test_a_body_fitting_three_files_is_accepted_only_from_someone_signed_in(
    app: Flask, client: FlaskClient
) -> None:
    # Past the 256 KB of a form, below the half megabyte past which the test client spools to a file.
    big = b"%PDF-1.4\n" + b"0" * (150 * 1024)
    three = {"attachments": [file(big, f"{n}.pdf") for n in "abc"]}
    refused = send(app.test_client(), "/konsultasi/baru", three, "/masuk")
    assert refused.status_code == 413
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(ask_with_files(client, file(big, "a.pdf"), file(big, "b.pdf"), file(big, "c.pdf")))
    assert page_text(client.get(f"/konsultasi/{number}")).count(".pdf") == 3


def test_reopening_a_closed_consultation_takes_files_with_the_message(
    app: Flask, client: FlaskClient
) -> None:
    from tests.functional.consultation.test_consultation_pages import closed_consultation

    number, consultant = closed_consultation(app, client)
    page = f"/konsultasi/{number}"
    assert 'name="attachments"' in client.get(page).get_data(as_text=True)
    data = {"body": "Masih ada satu tabel yang belum sesuai.", "attachments": [file(PDF, "selisih.pdf")]}
    assert send(client, f"{page}/buka-kembali", data, form_page=page).status_code == 303
    assert "selisih.pdf" in page_text(consultant.get(f"/meja/konsultasi/{number}"))
    html = client.get(page).get_data(as_text=True)
    assert len(set(re.findall(rf'href="({page}/lampiran/\d+)"', html))) == 1


def test_asking_for_another_appointment_time_takes_files_but_not_without_a_message(
    app: Flask, client: FlaskClient
) -> None:
    from tests.functional.consultation.test_appointment_pages import proposed

    number, consultant = proposed(app, client)
    page = f"/konsultasi/{number}"
    action = f"{page}/janji/1"
    alone = send(
        client, action, {"answer": "accept", "body": "", "attachments": [file(CSV, "jadwal.csv")]}, page
    )
    assert alone.status_code == 400 and "Tulis pesan untuk menyertai berkas." in page_text(alone)
    data = {"answer": "another", "body": "Jadwal saya terlampir.", "attachments": [file(CSV, "jadwal.csv")]}
    assert send(client, action, data, page).status_code == 303
    assert "jadwal.csv" in page_text(consultant.get(f"/meja/konsultasi/{number}"))


def test_after_a_problem_the_form_says_to_choose_the_files_again(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = send(
        client, "/konsultasi/baru", {**FORM, "question": "Apa?", "attachments": [file(PDF, "a.pdf")]}
    )
    assert answer.status_code == 400
    assert "Pilih lagi berkas Anda" in page_text(answer)  # the browser cannot be given them back
    without = send(client, "/konsultasi/baru", {**FORM, "question": "Apa?"})
    assert without.status_code == 400 and "Pilih lagi berkas Anda" not in page_text(without)


@pytest.mark.parametrize("sending", ["", "x-accel-redirect", "x-sendfile"])
def test_a_file_with_a_hostile_name_downloads_under_that_name_in_one_header(
    app: Flask, client: FlaskClient, sending: str
) -> None:
    rt = app.extensions["pustaka"]
    rt.settings = dataclasses.replace(rt.settings, send_file_header=sending)  # the proxy sends the file
    sign_in(client, make_person(app, "ani@example.id"))
    # (A quote in a name sent by this test client does not survive its multipart encoding: the unit
    # tests of content_disposition hold those.)
    names = ["tabel; x=1 'asli', 2025.pdf", "Penduduk 😀 السكان.pdf"]
    number = number_of(ask_with_files(client, *(file(PDF, name) for name in names)))
    html = client.get(f"/konsultasi/{number}").get_data(as_text=True)
    links = sorted(set(re.findall(rf'href="(/konsultasi/{number}/lampiran/\d+)"', html)))
    for link, shown in zip(links, names, strict=True):
        with client.get(link) as answer:
            disposition = answer.headers["Content-Disposition"]
            assert disposition.isascii() and "\n" not in disposition and "Set-Cookie" not in answer.headers
            assert parse_options_header(disposition) == ("attachment", {"filename": shown})
            proxied = answer.headers.get("X-Accel-Redirect") or answer.headers.get("X-Sendfile")
            assert bool(proxied) == bool(sending)
