"""A forgotten password: the request, the emailed link, the new password, and a link used once."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

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

NEW = "teh manis hangat sore"


def ask_for_link(app: Flask, client: FlaskClient, email: str) -> str:
    response = submit(client, "/lupa-sandi", {"email": email})
    assert (response.status_code, response.headers["Location"]) == (303, "/lupa-sandi/terkirim")
    return link_in(outbox(app)[-1], "/atur-ulang-sandi/")


def test_a_reset_link_sets_a_new_password_and_signs_in_with_it(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    link = ask_for_link(app, client, "Rina@Example.id")
    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert "Untuk akun rina@example.id." in page_text(form)
    response = submit(client, link, {"password": NEW, "confirm_password": NEW})
    assert (response.status_code, response.headers["Location"]) == (303, "/masuk")
    assert "Kata sandi Anda telah diganti." in page_text(client.get("/masuk"))
    assert sign_in(client, person, password=NEW).status_code == 303
    assert outbox(app)[-1]["Subject"].startswith("Kata sandi Pustaka Anda telah diubah")


def test_a_reset_link_works_only_once(app: Flask, client: FlaskClient) -> None:
    make_person(app, "rina@example.id")
    link = ask_for_link(app, client, "rina@example.id")
    submit(client, link, {"password": NEW, "confirm_password": NEW})
    response = client.get(link)
    assert response.status_code == 400
    assert "Tautan ini tidak valid." in page_text(response)
    assert "Minta tautan baru" in page_text(response)


def test_a_reset_link_expires_after_two_hours(app: Flask, client: FlaskClient) -> None:
    make_person(app, "rina@example.id")
    link = ask_for_link(app, client, "rina@example.id")
    move_clock(app, dt.timedelta(hours=2, minutes=1))
    response = client.get(link)
    assert response.status_code == 400
    assert "Tautan ini sudah kedaluwarsa" in page_text(response)


def test_an_unknown_address_gets_the_same_answer_and_no_email(app: Flask, client: FlaskClient) -> None:
    response = submit(client, "/lupa-sandi", {"email": "siapa@example.id"})
    assert (response.status_code, response.headers["Location"]) == (303, "/lupa-sandi/terkirim")
    assert "Jika siapa@example.id memiliki akun" in page_text(client.get("/lupa-sandi/terkirim"))
    assert outbox(app) == []


def test_mismatched_new_passwords_are_refused_on_the_form(app: Flask, client: FlaskClient) -> None:
    make_person(app, "rina@example.id")
    link = ask_for_link(app, client, "rina@example.id")
    response = submit(client, link, {"password": NEW, "confirm_password": NEW + "x"})
    assert response.status_code == 400
    assert '<a href="#confirm_password">Kedua kata sandi tidak sama.</a>' in response.get_data(as_text=True)
    assert client.get(link).status_code == 200  # a refused form does not use the link up


def test_a_reset_signs_out_every_session(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    elsewhere = app.test_client()
    sign_in(elsewhere, person)
    link = ask_for_link(app, client, "rina@example.id")
    submit(client, link, {"password": NEW, "confirm_password": NEW})
    assert elsewhere.get("/profil").status_code == 302


def test_reset_requests_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    for _ in range(10):
        submit(client, "/lupa-sandi", {"email": "rina@example.id"})
    response = submit(client, "/lupa-sandi", {"email": "rina@example.id"})
    assert response.status_code == 429


def test_the_reset_email_is_in_indonesian_then_english(app: Flask, client: FlaskClient) -> None:
    make_person(app, "rina@example.id", name="Rina")
    ask_for_link(app, client, "rina@example.id")
    mail = outbox(app)[-1]
    text = " ".join(body(mail).split())
    assert mail["Subject"] == "Atur ulang kata sandi Pustaka · Reset your Pustaka password"
    assert (
        text.index("Halo Rina")
        < text.index("dalam 2 jam")
        < text.index("Hello Rina")
        < text.index("within 2 hours")
    )
