"""The knowledge base through the web: from a closed consultation to a published common answer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from library.models import Role
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.consultation.test_consultation_pages import (
    FORM,
    closed_consultation,
    number_of,
    open_consultation,
)

ENTRY = {
    "title": "Di mana data kemiskinan per kecamatan?",
    "topic": "Kemiskinan",
    "answer": "Lihat tabel 3.1 publikasi Kota Metro Dalam Angka.",
}


def consultant_client(app: Flask) -> FlaskClient:
    """Return a client signed in as a consultant."""
    client = app.test_client()
    sign_in(client, make_person(app, "citra@example.id", roles=(Role.CONSULTANT,)))
    return client


def write_entry(client: FlaskClient, **changes: str) -> str:
    """Save a new draft; return its page on the desk."""
    answer = submit(client, "/meja/pengetahuan/baru", {**ENTRY, **changes})
    assert answer.status_code == 303, page_text(answer)
    return answer.headers["Location"]


def publish(client: FlaskClient, page: str) -> None:
    """Publish the entry shown on the page."""
    assert submit(client, f"{page}/terbitkan", {}, form_page=page).status_code == 303


def test_a_closed_consultation_prefills_a_draft_without_the_user(app: Flask, client: FlaskClient) -> None:
    number, consultant = closed_consultation(app, client)
    desk_page = consultant.get(f"/meja/konsultasi/{number}").get_data(as_text=True)
    assert f'href="/meja/pengetahuan/baru?konsultasi={number}"' in desk_page
    html = consultant.get(f"/meja/pengetahuan/baru?konsultasi={number}").get_data(as_text=True)
    assert FORM["question"] in html and "Lihat tabel 3.1." in html
    assert "Ani" not in html and "ani@example.id" not in html
    answer = submit(
        consultant,
        "/meja/pengetahuan/baru",
        {
            "title": FORM["question"],
            "topic": "Kemiskinan",
            "answer": "Lihat tabel 3.1.",
            "consultation": number,
        },
        form_page=f"/meja/pengetahuan/baru?konsultasi={number}",
    )
    assert answer.status_code == 303
    page = page_text(consultant.get(answer.headers["Location"]))
    assert "Draf" in page and number in page and "Budi Santoso" in page


def test_an_open_consultation_cannot_become_an_entry(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = number_of(open_consultation(client))
    answer = consultant_client(app).get(f"/meja/pengetahuan/baru?konsultasi={number}")
    assert answer.status_code == 400
    assert f"Tutup konsultasi {number}" in page_text(answer)


def test_every_problem_with_the_entry_form_is_named_at_once(app: Flask) -> None:
    answer = submit(
        consultant_client(app), "/meja/pengetahuan/baru", {"title": "", "topic": "", "answer": " "}
    )
    assert answer.status_code == 400
    text = page_text(answer)
    for message in ("Tulis pertanyaan yang dijawab entri ini.", "Tulis topik entri.", "Tulis jawabannya."):
        assert message in text


def test_a_published_entry_is_public_and_a_draft_is_not(app: Flask, client: FlaskClient) -> None:
    consultant = consultant_client(app)
    page = write_entry(consultant)
    public = page.replace("/meja/pengetahuan/", "/pengetahuan/")
    assert client.get(public).status_code == 404
    publish(consultant, page)
    shown = page_text(client.get(public))
    assert ENTRY["title"] in shown and "Jawaban umum" in shown and "citra" not in shown.lower()
    assert submit(consultant, f"{page}/terbitkan", {}, form_page=page).status_code == 400
    assert submit(consultant, f"{page}/tarik", {}, form_page=page).status_code == 303
    assert client.get(public).status_code == 404


def test_published_answers_show_in_the_site_search_above_the_publications(
    app: Flask, client: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = True
    consultant = consultant_client(app)
    page = write_entry(consultant)
    assert "Jawaban umum" not in page_text(client.get("/cari/?q=kecamatan+miskin"))
    publish(consultant, page)
    html = client.get("/cari/?q=kecamatan+miskin").get_data(as_text=True)
    assert "Jawaban umum" in html and ENTRY["title"] in html
    assert html.index("Jawaban umum") < html.index('id="results-count"')
    edited = submit(consultant, page, {**ENTRY, "title": "Data inflasi bulanan"})
    assert edited.status_code == 303
    assert "Data inflasi bulanan" in page_text(client.get("/cari/?q=inflasi"))
    assert submit(consultant, f"{page}/tarik", {}, form_page=page).status_code == 303
    assert "Jawaban umum" not in page_text(client.get("/cari/?q=inflasi"))


def test_the_consultation_form_lists_published_answers_before_the_questions(
    app: Flask, client: FlaskClient
) -> None:
    consultant = consultant_client(app)
    publish(consultant, write_entry(consultant))
    sign_in(client, make_person(app, "ani@example.id"))
    html = client.get("/konsultasi/baru").get_data(as_text=True)
    assert ENTRY["title"] in html and html.index(ENTRY["title"]) < html.index('name="topic"')


def test_the_desk_is_for_consultants_only(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "lib@example.id", roles=(Role.LIBRARIAN,)))
    assert client.get("/meja/pengetahuan").status_code == 403
    assert client.get("/meja/pengetahuan/baru").status_code == 403
    consultant = consultant_client(app)
    page = write_entry(consultant)
    assert client.get(page).status_code == 403
    assert ENTRY["title"] in page_text(consultant.get("/meja/pengetahuan"))
    assert consultant.get("/meja/pengetahuan/999999").status_code == 404
