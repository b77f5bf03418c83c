"""The staff's complaints desk: entry from the box, classification, the steps, and who may do them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import (
    body,
    link_in,
    make_person,
    outbox,
    page_text,
    run_queued_jobs,
    sign_in,
    submit,
)
from tests.functional.complaints.helpers import code_of, file_complaint


def staff(app: Flask, role: Role = Role.FRONT_OFFICE, name: str = "Rina Petugas") -> FlaskClient:
    """Return a client signed in as a member of staff."""
    client = app.test_client()
    sign_in(client, make_person(app, f"{role.value}@example.id", roles=(role,), name=name))
    return client


def test_a_complaint_is_taken_up_answered_and_closed_with_an_email_each_time(
    app: Flask, client: FlaskClient
) -> None:
    code = code_of(file_complaint(client))
    rina = staff(app)
    assert code in page_text(rina.get("/meja/pengaduan"))
    desk = f"/meja/pengaduan/{code}"
    classified = submit(rina, f"{desk}/klasifikasi", {"element": "U3", "service": "library"}, form_page=desk)
    assert classified.status_code == 303
    assert submit(rina, f"{desk}/tangani", {}, form_page=desk).status_code == 303
    answer = "Mohon maaf. Kami menambah petugas pada jam sibuk mulai bulan depan."
    assert submit(rina, f"{desk}/jawab", {"answer": answer}, form_page=desk).status_code == 303
    assert submit(rina, f"{desk}/tutup", {}, form_page=desk).status_code == 303

    # received, taken up, answered, closed (classifying emails nobody), and the staff's alert
    assert run_queued_jobs(app) == 5
    theirs = [mail for mail in outbox(app) if mail["To"] == "sari@example.id"]
    subjects = [mail["Subject"] for mail in theirs]
    assert all(code in subject for subject in subjects) and len(subjects) == 4
    assert subjects[0].startswith("Pengaduan Anda sudah kami terima")  # "Anda" written as everywhere else
    # the staff's alert left after Rina took it up: it tells nobody of work already taken
    assert [m["Subject"] for m in outbox(app) if m["To"] != "sari@example.id"] == []
    answered = theirs[2]
    assert "sudah kami jawab" in body(answered) and answer not in body(answered)
    assert link_in(answered, "/pengaduan/") == f"/pengaduan/{code}"

    public = page_text(client.get(f"/pengaduan/{code}"))
    assert answer in public and "Ditutup" in public and "Mulai ditangani" in public
    assert "Rina Petugas" not in public  # the office answers, not one member of staff
    record = page_text(rina.get(desk))
    assert "Rina Petugas" in record and "U3" in record and "sari@example.id" in record
    assert code not in page_text(rina.get("/meja/pengaduan"))  # closed: off the open list
    assert code in page_text(rina.get("/meja/pengaduan?status=closed"))


def test_steps_out_of_order_are_refused_on_the_page_in_indonesian(app: Flask, client: FlaskClient) -> None:
    code = code_of(file_complaint(client))
    rina = staff(app)
    desk = f"/meja/pengaduan/{code}"
    early = submit(rina, f"{desk}/tutup", {}, form_page=desk)
    assert early.status_code == 400 and f"Jawab pengaduan {code} sebelum menutupnya." in page_text(early)
    empty = submit(rina, f"{desk}/jawab", {"answer": "  "}, form_page=desk)
    assert empty.status_code == 400 and "Tulis jawaban atas pengaduan ini." in page_text(empty)
    wrong = submit(rina, f"{desk}/klasifikasi", {"element": "U10", "service": "library"}, form_page=desk)
    assert wrong.status_code == 400 and "Pilih unsur dari daftar." in page_text(wrong)
    short = submit(rina, f"{desk}/jawab", {"answer": "ok"}, form_page=desk)
    assert short.status_code == 400 and "paling sedikit 20 karakter" in page_text(short)
    unchanged = submit(rina, f"{desk}/klasifikasi", {"element": "", "service": "library"}, form_page=desk)
    assert unchanged.status_code == 400 and "Tidak ada yang berubah" in page_text(unchanged)  # as filed
    assert "Diklasifikasikan" not in page_text(client.get(f"/pengaduan/{code}"))


def test_staff_enter_a_complaint_from_the_box_without_an_email_address(app: Flask) -> None:
    head = staff(app, Role.OFFICE_HEAD, name="Bapak Kepala")
    answer = file_complaint(head, path="/meja/pengaduan/baru", source="box", email="", phone="")
    assert answer.status_code == 303
    code = answer.headers["Location"].rsplit("/", 1)[-1]
    record = page_text(head.get(f"/meja/pengaduan/{code}"))
    assert "Kotak saran" in record and "Bapak Kepala" in record
    assert run_queued_jobs(app) == 0  # nobody to email


def test_the_desk_is_for_the_front_office_the_head_and_admins_only(app: Flask, client: FlaskClient) -> None:
    code = code_of(file_complaint(client))
    reader = staff(app, Role.READER)
    librarian = staff(app, Role.LIBRARIAN)
    for person in (reader, librarian):
        assert person.get("/meja/pengaduan").status_code == 403
        assert person.get(f"/meja/pengaduan/{code}").status_code == 403
    assert client.get("/meja/pengaduan").status_code == 302  # not signed in: the sign-in page
    assert staff(app, Role.ADMIN).get(f"/meja/pengaduan/{code}").status_code == 200
    someone = file_complaint(reader, path="/pengaduan", source="box")
    assert someone.status_code == 303  # the public form ignores a channel sent with it: always the web


def test_staff_naming_the_web_form_as_the_channel_are_asked_to_choose_again(app: Flask) -> None:
    rina = staff(app)
    answer = file_complaint(rina, path="/meja/pengaduan/baru", source="web")
    assert answer.status_code == 400 and "Pilih cara pengaduan diterima." in page_text(answer)
