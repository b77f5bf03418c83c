"""A consultation received by telephone or social media, recorded at the desk, runs as any other."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Consultation, Role, SurveyInvitation
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit

CALL = {
    "channel": "phone",
    "name": "Pak Darto",
    "contact": "0812 3456 7890",
    "topic": "Harga gabah",
    "question": "Berapa rata-rata harga gabah kering panen di Kota Metro tahun 2025?",
    "data_subject": "",
    "data_region": "",
    "data_period": "",
}


def consultant(app: Flask, client: FlaskClient) -> FlaskClient:
    sign_in(client, make_person(app, "budi@example.id", roles=(Role.CONSULTANT,)))
    return client


def test_a_call_is_recorded_with_its_channel_and_runs_to_a_survey_link_to_pass_on(
    app: Flask, client: FlaskClient
) -> None:
    desk = consultant(app, client)
    done = submit(desk, "/meja/konsultasi/catat", CALL, form_page="/meja/konsultasi/catat")
    assert done.status_code == 303
    page = done.headers["Location"]
    text = page_text(desk.get(page))
    assert "Pak Darto · 0812 3456 7890" in text and "Telepon" in text
    assert "Tidak ada yang dikirim" in text  # the message form says the consultant answers by phone
    listed = page_text(desk.get("/meja/konsultasi"))
    assert "Harga gabah" in listed and "Telepon" in listed
    assert submit(desk, f"{page}/jelas", {}, form_page=page).status_code == 303
    body = {"body": "Sudah dijawab lewat telepon: Rp6.500/kg.", "action": "reply"}
    assert submit(desk, f"{page}/pesan", body, form_page=page).status_code == 303
    assert submit(desk, f"{page}/tutup", {}, form_page=page).status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalars(select(Consultation)).one()
        stored = (row.channel, row.contact, row.user_id, row.status)
        assert stored == ("phone", "0812 3456 7890", None, "closed")
        assert row.answered_at is not None and [e.action for e in row.events][0] == "recorded"
        invitation = uow.session.scalars(select(SurveyInvitation)).one()
    closed = desk.get(page).get_data(as_text=True)
    assert f"/survei/{invitation.token}" in closed  # the link to read out or send by hand


def test_every_problem_of_the_record_form_is_shown_at_once_and_nothing_is_kept(
    app: Flask, client: FlaskClient
) -> None:
    desk = consultant(app, client)
    empty = dict.fromkeys(CALL, "") | {"channel": "fax"}
    refused = submit(desk, "/meja/konsultasi/catat", empty, form_page="/meja/konsultasi/catat")
    assert refused.status_code == 400
    text = page_text(refused)
    said = ("Pilih cara konsultasi diterima", "Tulis nama orang yang bertanya", "Tulis topik konsultasi")
    assert all(words in text for words in said)
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalars(select(Consultation)).all() == []


def test_only_consultants_record_consultations(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    assert client.get("/meja/konsultasi/catat").status_code == 403
