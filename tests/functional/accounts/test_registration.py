"""Registering: the form, the verification email in the outbox, and following its link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from library.models import Role, User
from tests.functional.accounts.helpers import (
    REGISTRATION,
    Person,
    body,
    link_in,
    make_person,
    move_clock,
    outbox,
    page_text,
    register,
    run_queued_jobs,
    sign_in,
    smtp_app,
)


def stored(app: Flask, email: str) -> User | None:
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.scalar(select(User).where(User.email == email))
        if user is not None:
            uow.session.expunge(user)
        return user


def test_the_form_labels_every_field_and_helps_browsers_fill_it(client: FlaskClient) -> None:
    page = client.get("/daftar").get_data(as_text=True)
    for field, autocomplete in [
        ("name", "name"),
        ("email", "email"),
        ("password", "new-password"),
        ("confirm_password", "new-password"),
        ("institution", "organization"),
    ]:
        assert f'<label for="{field}">' in page
        assert f'autocomplete="{autocomplete}"' in page
    assert '<label for="occupation">Pekerjaan</label>' in page
    assert "Pelajar/Mahasiswa" in page and "ASN/TNI/Polri" in page and "Pegawai BUMN/BUMD" in page
    assert 'name="csrf_token"' in page
    assert 'aria-describedby="password-hint"' in page


def test_registering_mails_a_link_that_verifies_the_address(app: Flask, client: FlaskClient) -> None:
    response = register(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/daftar/terkirim"
    assert "Kami telah mengirim email ke siti@example.id" in page_text(client.get("/daftar/terkirim"))

    user = stored(app, "siti@example.id")
    assert user is not None and not user.email_verified
    assert (user.name, user.institution, user.occupation) == ("Siti Aminah", "Universitas Lampung", "student")
    assert user.roles == {Role.READER} and user.consented_at is not None

    [mail] = outbox(app)
    assert mail["To"] == "siti@example.id"
    assert mail["Subject"] == "Verifikasi alamat email Anda · Verify your email address"
    assert body(mail).index("Halo Siti Aminah") < body(mail).index("Hello Siti Aminah")
    response = client.get(link_in(mail, "/verifikasi-email/"))
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Terima kasih: siti@example.id telah terverifikasi." in page_text(response)
    verified = stored(app, "siti@example.id")
    assert verified is not None and verified.email_verified and verified.email_verified_at is not None


def test_following_the_link_twice_says_it_was_already_done(app: Flask, client: FlaskClient) -> None:
    register(client)
    link = link_in(outbox(app)[0], "/verifikasi-email/")
    client.get(link)
    assert "sudah terverifikasi sebelumnya" in page_text(client.get(link))


def test_a_wrong_form_shows_every_problem_linked_to_its_field(client: FlaskClient) -> None:
    response = register(
        client,
        email="siti",
        password="pendek",
        confirm_password="lain",
        institution="",
        occupation="",
        consent="",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "Ada masalah" in page
    for field in ("email", "password", "confirm_password", "institution", "occupation", "consent"):
        assert f'<a href="#{field}">' in page
        assert f'id="{field}-error"' in page
    assert "&#39;siti&#39; bukan alamat email." in page
    assert "Kata sandi paling sedikit 10 karakter." in page
    assert "Kedua kata sandi tidak sama." in page
    assert 'aria-describedby="email-hint email-error" aria-invalid="true"' in page
    assert 'value="Siti Aminah"' in page  # what was right is kept
    assert "Traceback" not in page


def test_an_occupation_outside_the_list_is_refused_on_its_field(client: FlaskClient) -> None:
    response = register(client, occupation="astronaut")
    assert response.status_code == 400
    assert '<a href="#occupation">Pilih pekerjaan dari daftar.</a>' in response.get_data(as_text=True)


def test_registering_a_known_address_reveals_nothing_and_mails_its_owner(
    app: Flask, client: FlaskClient
) -> None:
    make_person(app, "siti@example.id", name="Siti Lama")
    response = register(client)
    assert (response.status_code, response.headers["Location"]) == (303, "/daftar/terkirim")
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(func.count(User.id)).where(User.email == "siti@example.id")) == 1
    [mail] = outbox(app)
    assert mail["Subject"].startswith("Anda sudah memiliki akun Pustaka")
    assert "Halo Siti Lama" in body(mail)
    assert "http://127.0.0.1:8000/lupa-sandi" in body(mail)


def test_a_tampered_link_gets_a_clear_page(app: Flask, client: FlaskClient) -> None:
    register(client)
    link = link_in(outbox(app)[0], "/verifikasi-email/")
    response = client.get(link[:-2] + ("xx" if not link.endswith("xx") else "yy"))
    assert response.status_code == 400
    text = page_text(response)
    assert "Tautan ini tidak dapat digunakan" in text
    assert "Tautan ini tidak valid." in text
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_expired_link_says_so_and_offers_a_new_one_to_the_signed_in_reader(
    app: Flask, client: FlaskClient
) -> None:
    register(client)
    link = link_in(outbox(app)[0], "/verifikasi-email/")
    sign_in(client, Person(0, "siti@example.id"))  # the reader who registered
    move_clock(app, dt.timedelta(hours=49))
    response = client.get(link)
    assert response.status_code == 400
    text = page_text(response)
    assert "Tautan ini sudah kedaluwarsa" in text
    assert "Kirim ulang tautan" in text


def test_a_mail_server_that_is_down_keeps_the_account_and_says_nothing_of_it(
    make_app: Callable[..., Flask], unused_port: int
) -> None:
    app = smtp_app(make_app, unused_port)  # nothing listens there
    client = app.test_client()
    response = register(client)
    assert response.status_code == 303
    assert stored(app, "siti@example.id") is not None
    page = page_text(client.get(response.headers["Location"]))
    assert "Kami telah mengirim email ke siti@example.id" in page and "belum dapat" not in page
    run_queued_jobs(app)  # fails; the queue tries it again later (test_mail_after_response)


def test_registration_is_rate_limited_per_client_address(app: Flask, client: FlaskClient) -> None:
    for i in range(10):
        assert register(client, email=f"orang{i}@example.id").status_code == 303
    response = register(client, email="satu-lagi@example.id")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Terlalu banyak percobaan. Silakan tunggu 15 menit, lalu coba lagi." in page_text(response)
    assert stored(app, "satu-lagi@example.id") is None


def test_a_signed_in_person_is_sent_from_the_form_to_their_profile(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "a@example.id"))
    assert client.get("/daftar").headers["Location"] == "/profil"


def test_the_english_page_is_in_english(client: FlaskClient) -> None:
    client.get("/bahasa/en")
    page = client.get("/daftar").get_data(as_text=True)
    assert "<h1>Register</h1>" in page and "School or university student" in page
    assert REGISTRATION["name"] not in page
