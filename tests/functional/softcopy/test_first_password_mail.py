"""A walk-in's account has no password: the "softcopy ready" email leads them to set one."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from library.models import AccessLevel, User
from tests.functional.accounts.helpers import (
    Person,
    link_in,
    make_person,
    move_clock,
    outbox,
    page_text,
    sign_in,
    submit,
)
from tests.functional.softcopy.helpers import ask, publication_id

NEW = "teh manis hangat sore"


def without_password(app: Flask, person: Person) -> None:
    """Make an account light, as a walk-in's is: no password yet."""
    with app.extensions["pustaka"].uow() as uow:
        uow.session.get_one(User, person.id).password_hash = None
        uow.commit()


def ready_mail_of_a_light_account(app: Flask, client: FlaskClient) -> tuple[Person, str]:
    """Have Ani's open request made ready while her account has no password; return her and the email."""
    ani = make_person(app, "ani@example.id", name="Ani Suryani")
    sign_in(client, ani)
    without_password(app, ani)
    number = ask(client, publication_id(app, AccessLevel.OPEN)).headers["Location"].rsplit("/", 1)[-1]
    (mail,) = [m for m in outbox(app) if number in m["Subject"]]
    return ani, mail


def test_the_ready_email_of_an_account_without_a_password_leads_to_setting_one(
    app: Flask, client: FlaskClient
) -> None:
    _, mail = ready_mail_of_a_light_account(app, client)
    text = mail.get_content()
    assert "Akun Anda belum memiliki kata sandi. Buat kata sandi" in text
    assert "Your account has no password yet. First set one" in text
    assert text.index("/atur-ulang-sandi/") < text.index("/permintaan/")
    assert "setelah masuk ke akun Anda" not in text


def test_the_link_in_the_ready_email_sets_the_first_password(app: Flask, client: FlaskClient) -> None:
    ani, mail = ready_mail_of_a_light_account(app, client)
    link = link_in(mail, "/atur-ulang-sandi/")
    visitor = app.test_client()
    assert "Untuk akun ani@example.id." in page_text(visitor.get(link))
    response = submit(visitor, link, {"password": NEW, "confirm_password": NEW})
    assert (response.status_code, response.headers["Location"]) == (303, "/masuk")
    assert sign_in(visitor, ani, password=NEW).status_code == 303
    assert "Tautan ini tidak valid." in page_text(app.test_client().get(link))  # used once only


def test_the_first_password_link_lasts_days_not_hours(app: Flask, client: FlaskClient) -> None:
    _, mail = ready_mail_of_a_light_account(app, client)
    link = link_in(mail, "/atur-ulang-sandi/")
    move_clock(app, dt.timedelta(days=6))
    assert app.test_client().get(link).status_code == 200
    move_clock(app, dt.timedelta(days=7, minutes=1))
    assert "sudah kedaluwarsa" in page_text(app.test_client().get(link))


def test_the_ready_email_of_an_account_with_a_password_says_to_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_person(app, "ani@example.id"))
    number = ask(client, publication_id(app, AccessLevel.OPEN)).headers["Location"].rsplit("/", 1)[-1]
    (mail,) = [m for m in outbox(app) if number in m["Subject"]]
    text = mail.get_content()
    assert "setelah masuk ke akun Anda" in text and "/atur-ulang-sandi/" not in text
