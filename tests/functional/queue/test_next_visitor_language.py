"""Shared screens (the guest book kiosk, a library terminal) start each visitor in Indonesian."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import move_clock, page_text
from tests.functional.kiosk.kiosk_helpers import sign
from tests.functional.terminal_helpers import finish, read_a_page, register_terminal, start, walk_in


def forgets_the_language(response) -> bool:
    """Tell whether a response deletes the language cookie."""
    return any(h.startswith("lang=;") for h in response.headers.getlist("Set-Cookie"))


def test_a_visitor_who_chose_english_reads_their_kiosk_ticket_in_english(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/bahasa/en?next=/buku-tamu")
    ticket = client.get(sign(app, client).headers["Location"])
    assert '<html lang="en">' in ticket.get_data(as_text=True)
    assert "Thank you, Siti!" in page_text(ticket)


def test_the_next_visitor_at_the_kiosk_starts_in_indonesian(app: Flask, client: FlaskClient) -> None:
    client.get("/bahasa/en?next=/buku-tamu")
    ticket = client.get(sign(app, client).headers["Location"])
    assert forgets_the_language(ticket)
    form = client.get("/buku-tamu")
    assert '<html lang="id">' in form.get_data(as_text=True)
    assert "Selamat datang di PST" in page_text(form)


def test_a_visitor_on_their_own_phone_keeps_their_language(app: Flask, client: FlaskClient) -> None:
    client.get("/bahasa/en?next=/buku-tamu?ponsel=1")
    status = client.get(sign(app, client, "/buku-tamu?ponsel=1").headers["Location"])
    assert not forgets_the_language(status)
    assert '<html lang="en">' in client.get("/buku-tamu?ponsel=1").get_data(as_text=True)


def test_the_terminal_starts_in_indonesian_after_its_idle_timer_ends_a_session(app: Flask) -> None:
    terminal = register_terminal(app)
    assert start(terminal, walk_in(app)).status_code == 303
    terminal.get("/bahasa/en?next=/terminal")
    assert forgets_the_language(finish(terminal, "idle"))
    assert '<html lang="id">' in terminal.get("/terminal").get_data(as_text=True)


def test_the_terminal_starts_in_indonesian_after_the_server_ends_an_idle_session(app: Flask) -> None:
    terminal = register_terminal(app)
    assert start(terminal, walk_in(app)).status_code == 303
    terminal.get("/bahasa/en?next=/terminal")
    move_clock(app, dt.timedelta(minutes=6))
    assert forgets_the_language(terminal.get("/terminal"))
    assert '<html lang="id">' in terminal.get("/terminal").get_data(as_text=True)


def test_the_kiosk_ticket_stays_in_the_visitors_language_when_it_shows_again(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/bahasa/en?next=/buku-tamu")
    where = sign(app, client).headers["Location"]
    assert forgets_the_language(client.get(where))
    again = client.get(where)  # the ticket screen shown again (reloaded), the cookie gone
    assert '<html lang="en">' in again.get_data(as_text=True)


def test_the_status_page_speaks_the_visit_language_unless_the_phone_chose_another(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/bahasa/en?next=/buku-tamu")
    token_path = sign(app, client).headers["Location"].replace("/buku-tamu/tiket/", "/kunjungan/")
    phone = app.test_client()
    assert '<html lang="en">' in phone.get(token_path).get_data(as_text=True)
    phone.get("/bahasa/id?next=/")
    assert '<html lang="id">' in phone.get(token_path).get_data(as_text=True)


def test_a_visit_of_unknown_language_follows_the_phones_accept_language(
    app: Flask, client: FlaskClient
) -> None:
    from sqlalchemy import update

    from library.models import Visit

    token_path = sign(app, client).headers["Location"].replace("/buku-tamu/tiket/", "/kunjungan/")
    with app.extensions["pustaka"].transaction() as uow:
        uow.session.execute(update(Visit).values(language=""))  # signed before visits kept theirs
    page = app.test_client().get(token_path, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_a_visitor_leaving_an_english_session_is_thanked_and_surveyed_in_english(app: Flask) -> None:
    terminal = register_terminal(app)
    terminal.get("/bahasa/en?next=/terminal")
    assert start(terminal, walk_in(app)).status_code == 303
    read_a_page(terminal)  # a service given: the survey is offered on leaving
    left = finish(terminal)
    assert not forgets_the_language(left)  # the survey that follows is asked in English
    survey = terminal.get(left.headers["Location"])
    assert '<html lang="en">' in survey.get_data(as_text=True)
    assert "session has ended" in survey.get_data(as_text=True)  # thanked in English
    back = terminal.get("/terminal")  # the visitor walks off without answering: the screen resets
    assert forgets_the_language(back)
    assert '<html lang="id">' in terminal.get("/terminal").get_data(as_text=True)


def test_a_visitor_who_read_nothing_is_thanked_in_their_language_on_a_screen_reset_for_the_next(
    app: Flask,
) -> None:
    terminal = register_terminal(app)
    terminal.get("/bahasa/en?next=/terminal")
    assert start(terminal, walk_in(app)).status_code == 303
    assert forgets_the_language(finish(terminal))
    screen = terminal.get("/terminal").get_data(as_text=True)
    assert '<html lang="id">' in screen and "Your session has ended" in screen
