"""A visitor's scan email leads an account without a password to set one, and only at its own address."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from library.models import User
from tests.functional.accounts.helpers import link_in, make_person, outbox, page_text, submit
from tests.functional.scans.conftest import add_visit
from tests.functional.scans.test_scan_pages import PDF, send_scan

NEW = "teh manis hangat sore"


def light_account(app: Flask, email: str) -> int:
    """Make a walk-in's account, which has no password yet; return its id."""
    person = make_person(app, email, name="Dewi Lestari")
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get_one(User, person.id).password_hash = None
        uow.commit()
    return person.id


def scan_mail(app: Flask, librarian: FlaskClient, email: str, user_id: int | None) -> str:
    """Scan pages for a visit with this address and account; return the email's text."""
    _, code = add_visit(app, "Dewi Lestari", email, user_id)
    assert send_scan(librarian, [PDF], ticket=code).status_code == 303
    (mail,) = [m for m in outbox(app) if m["To"] == email]
    return mail.get_content()


def test_the_scan_email_of_an_account_without_a_password_leads_to_setting_one(
    app: Flask, librarian: FlaskClient
) -> None:
    text = scan_mail(app, librarian, "dewi@example.id", light_account(app, "dewi@example.id"))
    assert "Akun Anda belum memiliki kata sandi. Buat kata sandi" in text
    assert "Your account has no password yet. First set one" in text
    assert "Daftar dengan alamat email ini" not in text


def test_the_scan_emails_link_sets_the_first_password(app: Flask, librarian: FlaskClient) -> None:
    text_mail = scan_mail(app, librarian, "dewi@example.id", light_account(app, "dewi@example.id"))
    assert "/atur-ulang-sandi/" in text_mail
    (mail,) = [m for m in outbox(app) if m["To"] == "dewi@example.id"]
    link = link_in(mail, "/atur-ulang-sandi/")
    visitor = app.test_client()
    assert "Untuk akun dewi@example.id." in page_text(visitor.get(link))
    response = submit(visitor, link, {"password": NEW, "confirm_password": NEW})
    assert (response.status_code, response.headers["Location"]) == (303, "/masuk")


def test_the_scan_email_of_an_account_with_a_password_has_no_such_link(
    app: Flask, librarian: FlaskClient
) -> None:
    person = make_person(app, "dewi@example.id", name="Dewi Lestari")
    text = scan_mail(app, librarian, "dewi@example.id", person.id)
    assert "/atur-ulang-sandi/" not in text and "setelah masuk ke akun Anda" in text


def test_a_first_password_link_never_goes_to_an_address_the_account_does_not_have(
    app: Flask, librarian: FlaskClient
) -> None:
    text = scan_mail(app, librarian, "lain@example.id", light_account(app, "dewi@example.id"))
    assert "/atur-ulang-sandi/" not in text
