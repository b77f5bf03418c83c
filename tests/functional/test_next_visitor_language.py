"""Shared screens (the guest book kiosk, a library terminal) start each visitor in Indonesian."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from tests.functional.accounts.helpers import move_clock, page_text
from tests.functional.kiosk.kiosk_helpers import sign
from tests.functional.terminal_helpers import finish, register_terminal, start, walk_in


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
