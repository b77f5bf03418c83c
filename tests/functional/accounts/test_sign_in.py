"""Signing in and out: safe redirects, cookie flags, inactive accounts, limits, the verify banner."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.models import User
from tests.functional.accounts.helpers import (
    PASSWORD,
    body,
    make_person,
    outbox,
    page_text,
    sign_in,
    submit,
)


def test_signing_in_goes_on_to_the_page_asked_for_and_shows_the_name(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id", name="Rina Wati")
    response = sign_in(client, person, next="/katalog/?halaman=2")
    assert response.status_code == 303
    assert response.headers["Location"] == "/katalog/?halaman=2"
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert "Rina Wati" in header and "Profil" in header and "Keluar" in header
    assert "Masuk" not in header and "Daftar" not in header
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.get(User, person.id)
        assert user is not None and user.last_login_at is not None


def test_the_sign_in_page_offers_register_and_forgotten_password_when_signed_out(client: FlaskClient) -> None:
    page = client.get("/masuk").get_data(as_text=True)
    header = page.split("</header>")[0]
    assert ">Masuk</a>" in header and ">Daftar</a>" in header
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    assert "Lupa kata sandi?" in page


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/ok\nSet-Cookie: x",
    ],
)
def test_a_next_address_that_could_leave_the_site_is_ignored(
    app: Flask, client: FlaskClient, target: str
) -> None:
    response = sign_in(client, make_person(app, "rina@example.id"), next=target)
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    app: Flask, client: FlaskClient
) -> None:
    person = make_person(app, "rina@example.id")
    wrong_password = sign_in(client, person, password="bukan-kata-sandinya")
    unknown_email = submit(client, "/masuk", {"email": "siapa@example.id", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 400
        assert "Alamat email atau kata sandi tidak sesuai." in page_text(response)
    assert 'value="rina@example.id"' in wrong_password.get_data(as_text=True)


def test_an_empty_form_names_both_fields(client: FlaskClient) -> None:
    page = submit(client, "/masuk", {"email": "", "password": ""}).get_data(as_text=True)
    assert '<a href="#email">Isi alamat email Anda.</a>' in page
    assert '<a href="#password">Isi kata sandi Anda.</a>' in page


def test_a_deactivated_account_is_told_so_once_the_password_is_right(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get(User, person.id).active = False  # type: ignore[union-attr]
        uow.commit()
    response = sign_in(client, person)
    assert response.status_code == 400
    assert "Akun ini telah dinonaktifkan." in page_text(response)
    assert "dinonaktifkan" not in page_text(sign_in(client, person, password="salah-salah-salah"))


def test_after_ten_failures_even_the_right_password_waits(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    for _ in range(10):
        assert sign_in(client, person, password="tebakan-yang-salah").status_code == 400
    response = sign_in(client, person)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in page_text(response)


def test_the_session_cookie_is_http_only_and_same_site(app: Flask, client: FlaskClient) -> None:
    response = sign_in(client, make_person(app, "rina@example.id"), remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_when_the_site_is_served_over_https(make_app) -> None:
    app = make_app(base_url="https://pst.bps.go.id")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_signing_out_needs_a_post_and_ends_the_session(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "rina@example.id"))
    assert client.get("/keluar").status_code == 405
    response = submit(client, "/keluar", {}, form_page="/profil")
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    assert "Anda telah keluar." in page_text(client.get("/"))
    assert client.get("/profil").status_code == 302


def test_an_unverified_reader_sees_a_banner_and_can_get_a_new_link(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "baru@example.id", verified=False)
    sign_in(client, person)
    page = client.get("/katalog/").get_data(as_text=True)
    assert "Mohon verifikasi alamat email Anda" in page
    response = submit(client, "/verifikasi-email/kirim-ulang", {"next": "/katalog/"}, form_page="/katalog/")
    assert (response.status_code, response.headers["Location"]) == (303, "/katalog/")
    assert "Kami telah mengirim tautan baru ke baru@example.id" in page_text(client.get("/katalog/"))
    [mail] = outbox(app)
    assert mail["To"] == "baru@example.id" and "/verifikasi-email/" in body(mail)


def test_a_verified_reader_sees_no_banner(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_person(app, "lama@example.id"))
    assert "Mohon verifikasi" not in client.get("/katalog/").get_data(as_text=True)


def test_a_password_change_elsewhere_signs_out_this_session(app: Flask, client: FlaskClient) -> None:
    person = make_person(app, "rina@example.id")
    sign_in(client, person)
    other = app.test_client()
    sign_in(other, person)
    response = submit(
        other,
        "/profil/sandi",
        {
            "sandi-current_password": PASSWORD,
            "sandi-new_password": "kata sandi yang baru",
            "sandi-confirm_password": "kata sandi yang baru",
        },
        form_page="/profil",
    )
    assert response.status_code == 303
    assert other.get("/profil").status_code == 200  # the session that changed it goes on
    assert client.get("/profil").status_code == 302  # the other one is signed out


def test_a_session_or_remember_cookie_kept_from_before_signing_out_no_longer_opens(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "rina@example.id"), remember="y")
    kept = {cookie.key: cookie.value for cookie in client._cookies.values()}  # what a thief copied
    assert {"session", "remember_token"} <= kept.keys()
    submit(client, "/keluar", {}, form_page="/profil")
    thief = app.test_client()
    for name, value in kept.items():
        thief.set_cookie(name, value)
    assert thief.get("/profil").status_code == 302
    only_remember = app.test_client()
    only_remember.set_cookie("remember_token", kept["remember_token"])
    assert only_remember.get("/profil").status_code == 302


def test_signing_in_again_after_signing_out_works_with_a_new_remember_cookie(
    app: Flask, client: FlaskClient
) -> None:
    person = make_person(app, "rina@example.id")
    first = sign_in(client, person, remember="y")
    old = next(c for c in first.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    submit(client, "/keluar", {}, form_page="/profil")
    second = sign_in(client, person, remember="y")
    new = next(c for c in second.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert new.split(";")[0] != old.split(";")[0]
    assert client.get("/profil").status_code == 200


def test_a_browser_opened_again_stays_signed_in_by_its_remember_cookie(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "rina@example.id", name="Rina Wati"), remember="y")
    kept = next(cookie.value for cookie in client._cookies.values() if cookie.key == "remember_token")
    reopened = app.test_client()  # the browser closed and opened again: only the lasting cookie
    reopened.set_cookie("remember_token", kept)
    for _ in range(3):  # not only the first page: every one after it
        response = reopened.get("/profil")
        assert response.status_code == 200
        assert not any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    stolen = app.test_client()  # its session cookie, bound to that browser, is worthless elsewhere
    stolen.set_cookie("session", reopened.get_cookie("session").value)
    assert stolen.get("/profil", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 302
