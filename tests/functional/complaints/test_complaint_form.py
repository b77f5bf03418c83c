"""The public complaint form: open to anyone, every problem named in Indonesian, spam held back."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from library.models import Complaint
from library.quality.complaints.records import MAX_ATTACHMENT_BYTES
from tests.functional.accounts.helpers import (
    body,
    link_in,
    make_person,
    outbox,
    page_text,
    run_queued_jobs,
    sign_in,
)
from tests.functional.complaints.helpers import PDF, PNG, code_of, file_complaint
from webapp.bodies import COMPLAINT_LIMIT, FORM_LIMIT, gate_limit


def stored_complaints(app: Flask) -> int:
    with app.extensions["pustaka"].uow() as uow:
        return int(uow.session.scalar(select(func.count(Complaint.id))) or 0)


def test_anyone_may_open_the_form_and_the_footer_links_to_it(client: FlaskClient) -> None:
    answer = client.get("/pengaduan")
    assert answer.status_code == 200
    assert 'name="body"' in answer.get_data(as_text=True)
    assert 'href="/pengaduan"' in client.get("/").get_data(as_text=True)


def test_the_form_is_filled_in_for_someone_signed_in(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    html = client.get("/pengaduan").get_data(as_text=True)
    assert 'value="Ani Suryani"' in html and 'value="ani@example.id"' in html


def test_every_problem_with_the_form_is_named_at_once_in_indonesian(app: Flask, client: FlaskClient) -> None:
    answer = file_complaint(client, name="", email="bukan-email", service="", subject="", body="pendek")
    text = page_text(answer)
    assert answer.status_code == 400
    for message in (
        "Tulis nama Anda.",
        "bukan alamat email",
        "Pilih layanan yang Anda adukan.",
        "Tulis perihal pengaduan Anda.",
        "Jelaskan pengaduan Anda paling sedikit dalam 20 karakter.",
    ):
        assert message in text
    assert stored_complaints(app) == 0


def test_a_complaint_is_filed_given_a_code_and_the_person_is_emailed_the_status_link(
    app: Flask, client: FlaskClient
) -> None:
    code = code_of(file_complaint(client))
    assert code.startswith("PGD-") and len(code) == 18
    status = client.get(f"/pengaduan/{code}")
    text = page_text(status)
    assert code in text and "Diterima" in text and "Antrean terlalu lama" in text
    assert "Belum dijawab" in text
    assert run_queued_jobs(app) == 2  # the person's email, and the staff's alert
    [mail] = [m for m in outbox(app) if m["To"] == "sari@example.id"]
    assert mail["To"] == "sari@example.id" and code in mail["Subject"]
    assert link_in(mail, "/pengaduan/") == f"/pengaduan/{code}"
    assert "Pengaduan Anda sudah kami terima" in body(mail)


def test_a_filled_in_honeypot_is_refused_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    answer = file_complaint(client, website="http://spam.example")
    assert answer.status_code == 400
    assert "Pengaduan Anda tidak dapat diterima" in page_text(answer)
    assert stored_complaints(app) == 0


def test_a_flood_from_one_address_is_refused_after_five_complaints(app: Flask, client: FlaskClient) -> None:
    for _ in range(5):
        code_of(file_complaint(client))
    answer = file_complaint(client)
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
    assert "Terlalu banyak percobaan" in page_text(answer)
    assert stored_complaints(app) == 5


def test_attachments_are_limited_in_number_type_and_size(app: Flask, client: FlaskClient) -> None:
    too_many = file_complaint(client, files=[(PNG, f"{n}.png") for n in range(4)])
    assert too_many.status_code == 400 and "Lampirkan paling banyak 3 berkas." in page_text(too_many)
    wrong = file_complaint(client, files=[(b"MZ\x90\x00 not a picture", "foto.png")])
    assert wrong.status_code == 400 and "foto.png bukan berkas PDF, JPEG atau PNG." in page_text(wrong)
    large = file_complaint(client, files=[(PDF + b"\0" * MAX_ATTACHMENT_BYTES, "besar.pdf")])
    assert large.status_code == 400 and "besar.pdf lebih besar dari 5 MB." in page_text(large)
    assert stored_complaints(app) == 0


def test_an_attachment_is_served_to_the_holder_of_the_code_only(app: Flask, client: FlaskClient) -> None:
    code = code_of(file_complaint(client, files=[(PNG, "bukti.png"), (PDF, "surat.pdf")]))
    html = client.get(f"/pengaduan/{code}").get_data(as_text=True)
    assert f"/pengaduan/{code}/lampiran/1" in html and "bukti.png" in html
    with app.test_client().get(f"/pengaduan/{code}/lampiran/1") as first:
        assert first.status_code == 200 and first.data == PNG and first.mimetype == "image/png"
        assert first.headers["Content-Disposition"].startswith("attachment")
    with app.test_client().get(f"/pengaduan/{code}/lampiran/2") as second:
        assert second.mimetype == "application/pdf" and second.data == PDF
    assert app.test_client().get(f"/pengaduan/{code}/lampiran/3").status_code == 404
    guessed = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert app.test_client().get(f"/pengaduan/{guessed}/lampiran/1").status_code == 404


def test_an_attachment_downloads_under_the_name_the_complaint_lists(app: Flask, client: FlaskClient) -> None:
    code = code_of(file_complaint(client, files=[(PNG, "Bukti – pembayaran; Triwulan I.html")]))
    html = client.get(f"/pengaduan/{code}").get_data(as_text=True)
    assert "Bukti – pembayaran; Triwulan I.png" in html  # named by what it is, as it downloads
    with app.test_client().get(f"/pengaduan/{code}/lampiran/1") as answer:
        disposition = answer.headers["Content-Disposition"]
    assert parse_options_header(disposition) == (
        "attachment",
        {"filename": "Bukti – pembayaran; Triwulan I.png"},
    )


def test_a_wrong_code_gets_a_clear_not_found_page(client: FlaskClient) -> None:
    for path in ("/pengaduan/PGD-2222-3333-4444", "/pengaduan/apa-saja", "/pengaduan/lacak?kode=PGD-XYZ"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "Tidak ada pengaduan dengan kode pelacakan ini" in page_text(answer)
        assert 'name="kode"' in answer.get_data(as_text=True)  # the box to try again is on the page
    kept = client.get("/pengaduan/lacak?kode=PGD-XYZ").get_data(as_text=True)
    assert 'value="PGD-XYZ"' in kept  # what was typed, to correct
    empty = client.get("/pengaduan/lacak?kode=+")
    assert empty.status_code == 400 and "Ketik kode pelacakan pengaduan Anda." in page_text(empty)


def test_a_code_typed_in_lower_case_without_dashes_finds_the_complaint(client: FlaskClient) -> None:
    code = code_of(file_complaint(client))
    typed = code.lower().replace("-", " ")
    found = client.get(f"/pengaduan/lacak?kode={typed}")
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/pengaduan/{code}")


def test_a_body_larger_than_three_files_of_five_mb_is_refused_before_it_is_read(client: FlaskClient) -> None:
    answer = client.post(
        "/pengaduan",
        input_stream=io.BytesIO(bytes(COMPLAINT_LIMIT + 1)),
        content_type="multipart/form-data; boundary=x",
    )
    assert answer.status_code == 413
    assert "Lampirkan paling banyak 3 berkas, masing-masing paling besar 5 MB." in page_text(answer)


def test_the_servers_gate_lets_anyone_send_a_complaint_with_its_files_but_no_more(app: Flask) -> None:
    limit = gate_limit(app)
    assert limit("/pengaduan", "") == COMPLAINT_LIMIT
    assert limit("/meja/pengaduan/baru", "") == COMPLAINT_LIMIT  # the role is the app's to check
    assert limit("/pengaduan/lacak", "") == FORM_LIMIT
