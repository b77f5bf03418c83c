"""The profile: details, a new password given the current one, a new address verified by link."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from library.models import User
from tests.functional.accounts.helpers import (
    PASSWORD,
    body,
    link_in,
    make_person,
    outbox,
    page_text,
    sign_in,
    submit,
)


def test_the_profile_needs_signing_in_and_comes_back_after(app: Flask, client: FlaskClient) -> None:
    response = client.get("/profil")
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk?next=%2Fprofil"
    assert "Silakan masuk untuk membuka halaman itu." in page_text(client.get("/masuk?next=%2Fprofil"))
    person = make_person(app, "rina@example.id")
    assert sign_in(client, person, next="/profil").headers["Location"] == "/profil"


def test_details_are_saved(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    sign_in(client, person)
    response = submit(
        client,
        "/profil",
        {"name": " Rina  Wati ", "institution": "BPS Kota Metro", "occupation": "civil_servant"},
        form_page="/profil",
    )
    assert response.status_code == 303
    page = page_text(client.get("/profil"))
    assert "Data Anda telah disimpan." in page
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.get(User, person.id)
        assert user is not None
        assert (user.name, user.institution, user.occupation) == (
            "Rina Wati",
            "BPS Kota Metro",
            "civil_servant",
        )


def test_a_wrong_current_password_is_refused_on_its_field(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.id"))
    response = submit(
        client,
        "/profil/sandi",
        {
            "sandi-current_password": "bukan-yang-ini",
            "sandi-new_password": "kata sandi baru sekali",
            "sandi-confirm_password": "kata sandi baru sekali",
        },
        form_page="/profil",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<a href="#sandi-current_password">Kata sandi Anda saat ini tidak sesuai.</a>' in page
    assert 'aria-describedby="sandi-current_password-error"' in page


def test_a_new_address_takes_effect_when_its_link_is_opened(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id", name="Rina")
    sign_in(client, person)
    response = submit(
        client,
        "/profil/email",
        {"email-new_email": "Rina.Baru@Example.id", "email-current_password": PASSWORD},
        form_page="/profil",
    )
    assert response.status_code == 303
    assert "Kami telah mengirim tautan ke rina.baru@example.id" in page_text(client.get("/profil"))
    [mail] = outbox(app)
    assert mail["To"] == "rina.baru@example.id"
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.get(User, person.id).email == "rina@example.id"  # type: ignore[union-attr]
    response = client.get(link_in(mail, "/verifikasi-email/"))
    assert "Akun Anda kini memakai rina.baru@example.id." in page_text(response)
    notice = outbox(app)[-1]
    assert notice["To"] == "rina@example.id" and "rina.baru@example.id" in body(notice)
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.get(User, person.id)
        assert user is not None and user.email == "rina.baru@example.id" and user.email_verified


def test_a_new_address_needs_the_current_password(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.id"))
    response = submit(
        client,
        "/profil/email",
        {"email-new_email": "baru@example.id", "email-current_password": "salah-sekali-ini"},
        form_page="/profil",
    )
    assert response.status_code == 400
    assert "Kata sandi Anda saat ini tidak sesuai." in page_text(response)
    assert outbox(app) == []
