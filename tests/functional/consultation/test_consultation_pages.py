"""Online consultations through the web: the form after a search, the thread, the desk and the emails."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import (
    body,
    link_in,
    make_person,
    move_clock,
    outbox,
    page_text,
    sign_in,
    submit,
)

FORM = {
    "topic": "Data kemiskinan",
    "question": "Berapa persentase penduduk miskin Kota Metro per kecamatan?",
    "data_subject": "Kemiskinan",
    "data_region": "Kota Metro",
    "data_period": "2020-2024",
}


def open_consultation(client: FlaskClient, **changes: str):
    """Send the consultation form."""
    return submit(client, "/konsultasi/baru", {**FORM, **changes})


def number_of(answer) -> str:
    """Return the consultation number a redirect after the form points at."""
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[-1]


def test_the_form_offers_a_library_search_before_the_questions(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    html = client.get("/konsultasi/baru").get_data(as_text=True)
    assert html.index('action="/cari/"') < html.index('name="topic"')
    assert 'name="q"' in html
    assert 'list="topic-suggestions"' in html and '<option value="Kemiskinan">' in html  # BPS's subjects


def test_a_topic_asked_before_is_suggested_to_the_next_person(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    assert open_consultation(client, topic="Upah buruh tani").status_code == 303
    other = app.test_client()
    sign_in(other, make_person(app, "budi@example.id"))
    assert '<option value="Upah buruh tani">' in other.get("/konsultasi/baru").get_data(as_text=True)


def test_someone_not_signed_in_is_sent_to_sign_in_when_sending_the_form(client: FlaskClient) -> None:
    answer = submit(client, "/konsultasi/baru", FORM, form_page="/masuk")
    assert answer.status_code == 302 and "/masuk" in answer.headers["Location"]


def test_every_problem_with_the_form_is_named_at_once_in_indonesian(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    answer = open_consultation(
        client, topic="", question="pendek", data_subject="", data_region="", data_period=""
    )
    text = page_text(answer)
    assert answer.status_code == 400
    for message in (
        "Tulis topik konsultasi Anda.",
        "Jelaskan pertanyaan Anda paling sedikit dalam 20 karakter.",
        "Tulis subjek data yang Anda perlukan",
        "Tulis wilayah data yang diperlukan",
        "Tulis periode data yang diperlukan",
    ):
        assert message in text
    html = answer.get_data(as_text=True)
    for name in ("topic", "question", "data_subject", "data_region", "data_period"):
        assert f'id="{name}-error"' in html


def test_an_unverified_account_is_told_to_verify_first(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id", verified=False))
    assert "Verifikasi alamat email Anda sebelum mengajukan konsultasi" in page_text(
        client.get("/konsultasi/baru")
    )
    answer = open_consultation(client)
    assert answer.status_code == 400
    assert "Verifikasi alamat email Anda sebelum mengajukan konsultasi" in page_text(answer)


def test_a_consultation_is_asked_clarified_answered_and_closed_with_an_email_each_time(
    app: Flask, client: FlaskClient
) -> None:
    ani = make_person(app, "ani@example.id", name="Ani Suryani")
    budi = make_person(app, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    sign_in(client, ani)
    number = number_of(open_consultation(client))
    received = outbox(app)[-1]
    assert received["To"] == "ani@example.id" and number in received["Subject"]
    assert "paling lambat" in body(received) and link_in(received, "/konsultasi/") == f"/konsultasi/{number}"
    assert number in page_text(client.get("/konsultasi"))
    assert "Baru" in page_text(client.get(f"/konsultasi/{number}"))

    consultant = app.test_client()
    sign_in(consultant, budi)
    assert number in page_text(consultant.get("/meja/konsultasi"))
    desk = f"/meja/konsultasi/{number}"
    assert (
        submit(consultant, f"{desk}/tugaskan", {"consultant": str(budi.id)}, form_page=desk).status_code
        == 303
    )
    answer = submit(consultant, f"{desk}/pesan", {"body": "Kecamatan mana?", "action": "ask"}, form_page=desk)
    assert answer.status_code == 303
    asked = outbox(app)[-1]
    assert asked["To"] == "ani@example.id" and "meminta penjelasan tambahan" in body(asked)
    assert link_in(asked, "/konsultasi/") == f"/konsultasi/{number}"

    page = f"/konsultasi/{number}"
    assert "Perlu penjelasan" in page_text(client.get(page))
    assert "ditutup otomatis pada" in page_text(client.get(page))  # the office's rule, while it waits on Ani
    assert "Menunggu pengguna" in page_text(consultant.get(desk))
    assert submit(client, page, {"body": "Semua kecamatan."}).status_code == 303
    assert "ditutup otomatis" not in page_text(client.get(page))
    assert "Menunggu pengguna" not in page_text(consultant.get(desk))
    told = outbox(app)[-1]
    assert told["To"] == "budi@example.id" and link_in(told, "/meja/konsultasi/") == desk

    assert submit(consultant, f"{desk}/jelas", {}, form_page=desk).status_code == 303
    assert "Tenggat" in page_text(consultant.get("/meja/konsultasi"))
    answer = submit(
        consultant, f"{desk}/pesan", {"body": "Lihat tabel 3.1.", "action": "answer"}, form_page=desk
    )
    assert answer.status_code == 303
    assert submit(consultant, f"{desk}/tutup", {}, form_page=desk).status_code == 303
    closing = outbox(app)[-1]
    assert closing["To"] == "ani@example.id"
    survey = link_in(closing, "/survei/")
    text = page_text(client.get(page))
    assert "Ditutup" in text and "Lihat tabel 3.1." in text
    assert survey in client.get(page).get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert html.count('name="body"') == 1 and f'action="/konsultasi/{number}/buka-kembali"' in html


def test_the_desk_is_for_consultants_and_a_thread_only_for_its_owner(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))
    assert client.get("/meja/konsultasi").status_code == 403
    assert client.get(f"/meja/konsultasi/{number}").status_code == 403
    other = app.test_client()
    sign_in(other, make_person(app, "eka@example.id"))
    assert other.get(f"/konsultasi/{number}").status_code == 404
    librarian = app.test_client()
    sign_in(librarian, make_person(app, "lib@example.id", roles=(Role.LIBRARIAN,)))
    assert librarian.get("/meja/konsultasi").status_code == 403


def test_answering_before_the_question_is_clear_is_refused_on_the_page(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    desk = f"/meja/konsultasi/{number}"
    answer = submit(consultant, f"{desk}/pesan", {"body": "Jawaban.", "action": "answer"}, form_page=desk)
    assert answer.status_code == 400
    assert "sebelum menjawabnya" in page_text(answer)
    empty = submit(consultant, f"{desk}/pesan", {"body": " ", "action": "reply"}, form_page=desk)
    assert empty.status_code == 400 and "Tulis pesan Anda." in page_text(empty)


def test_assigning_someone_who_is_not_a_consultant_is_refused_on_the_page(
    app: Flask, client: FlaskClient
) -> None:
    ani = make_person(app, "ani@example.id")
    sign_in(client, ani)
    number = number_of(open_consultation(client))
    consultant = app.test_client()
    sign_in(consultant, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    desk = f"/meja/konsultasi/{number}"
    answer = submit(consultant, f"{desk}/tugaskan", {"consultant": str(ani.id)}, form_page=desk)
    assert answer.status_code == 400
    assert "Pilih konsultan dari daftar." in page_text(answer)
    assert submit(consultant, f"{desk}/tugaskan", {"consultant": "x"}, form_page=desk).status_code == 400


def closed_consultation(app: Flask, client: FlaskClient) -> tuple[str, FlaskClient]:
    """Ask, have a consultant answer and close it; return its number and the consultant's client."""
    budi = make_person(app, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    number = number_of(open_consultation(client))
    consultant = app.test_client()
    sign_in(consultant, budi)
    desk = f"/meja/konsultasi/{number}"
    assert submit(consultant, f"{desk}/jelas", {}, form_page=desk).status_code == 303
    submit(consultant, f"{desk}/pesan", {"body": "Lihat tabel 3.1.", "action": "answer"}, form_page=desk)
    assert submit(consultant, f"{desk}/tutup", {}, form_page=desk).status_code == 303
    return number, consultant


def test_the_user_reopens_a_closed_consultation_with_a_message(app: Flask, client: FlaskClient) -> None:
    number, consultant = closed_consultation(app, client)
    page = f"/konsultasi/{number}"
    assert "Buka kembali konsultasi" in page_text(client.get(page))
    empty = submit(client, f"{page}/buka-kembali", {"body": " "}, form_page=page)
    assert empty.status_code == 400 and "Tulis pesan Anda." in page_text(empty)
    assert "Bagaimana layanan kami?" in page_text(client.get(page))  # closed: the survey is offered
    answer = submit(client, f"{page}/buka-kembali", {"body": "Masih perlu data 2019."}, form_page=page)
    assert answer.status_code == 303
    reopened = page_text(client.get(page))
    assert "Dijawab" in reopened and "Bagaimana layanan kami?" not in reopened  # open again: not yet
    told = outbox(app)[-1]
    assert told["To"] == "budi@example.id"
    assert "Dibuka kembali oleh pengguna" in page_text(consultant.get(f"/meja/konsultasi/{number}"))


def test_after_the_grace_period_the_page_says_to_open_a_new_consultation(
    app: Flask, client: FlaskClient
) -> None:
    number, _ = closed_consultation(app, client)
    page = f"/konsultasi/{number}"
    move_clock(app, dt.timedelta(days=15))
    text = page_text(client.get(page))
    assert "tidak dapat dibuka kembali" in text and "ajukan konsultasi baru" in text
    assert 'name="body"' not in client.get(page).get_data(as_text=True)
    late = submit(client, f"{page}/buka-kembali", {"body": "Masih perlu data 2019."}, form_page=page)
    assert late.status_code == 400 and "tidak dapat dibuka kembali" in page_text(late)


def test_a_flood_of_consultations_from_one_account_is_stopped_after_five_an_hour(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    for n in range(5):
        assert open_consultation(client, topic=f"Pertanyaan {n}").status_code == 303
    refused = open_consultation(client, topic="Pertanyaan keenam")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Tunggu" in page_text(refused) and "sebelum mengajukan konsultasi baru" in page_text(refused)
    move_clock(app, dt.timedelta(hours=1, minutes=1))
    assert open_consultation(client, topic="Sejam kemudian").status_code == 303


def test_the_asker_closes_an_answered_consultation_with_a_button_and_is_offered_the_survey(
    app: Flask, client: FlaskClient
) -> None:
    budi = make_person(app, "budi@example.id", roles=(Role.CONSULTANT,), name="Budi Santoso")
    sign_in(client, make_person(app, "ani@example.id", name="Ani Suryani"))
    number = number_of(open_consultation(client))
    page = f"/konsultasi/{number}"
    assert "Apakah jawaban kami membantu?" not in page_text(client.get(page))  # nothing answered yet
    consultant = app.test_client()
    sign_in(consultant, budi)
    desk = f"/meja/konsultasi/{number}"
    assert submit(consultant, f"{desk}/jelas", {}, form_page=desk).status_code == 303
    submit(consultant, f"{desk}/pesan", {"body": "Lihat tabel 3.1.", "action": "answer"}, form_page=desk)
    assert "Apakah jawaban kami membantu?" in page_text(client.get(page))
    assert submit(client, f"{page}/selesai", {}, form_page=page).status_code == 303
    text = page_text(client.get(page))
    assert "Ditutup" in text and "Bagaimana layanan kami?" in text  # the survey, without waiting
    assert "Ditutup oleh pengguna: jawaban membantu" in page_text(consultant.get(desk))
    again = submit(client, f"{page}/selesai", {}, form_page=page)
    assert again.status_code == 400 and "sudah ditutup" in page_text(again)
