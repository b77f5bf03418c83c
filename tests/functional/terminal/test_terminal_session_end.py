"""The end of a visitor's session at a library terminal through the test client: Selesai, the idle
time, the visit closing, and what a request after the end is told."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import TerminalSession, Ticket
from tests.functional import terminal_helpers as th
from tests.functional.accounts.helpers import move_clock, page_text
from tests.functional.terminal_helpers import (
    finish,
    publication,
    read_a_page,
    start,
    visitor_with_account,
    walk_in,
)

# The shared fixture: a browser registered as a terminal.
terminal = th.terminal


@pytest.mark.parametrize("account", [False, True], ids=["walk-in", "proven-account"])
def test_a_late_answer_to_a_request_in_flight_cannot_undo_selesai(
    app: Flask, terminal: FlaskClient, account: bool
) -> None:
    # A browser keeps the cookie of whichever answer comes last. Pages read during a session
    # leave the session cookie as it is, and an image or a script's request sent before
    # "Selesai" but answered after it says 401 without clearing it: either would otherwise put
    # an old cookie back, and the survey would open on "your session has ended" instead.
    start(terminal, visitor_with_account(app) if account else walk_in(app))
    reading = f"/baca/{publication(app)}"
    token = re.search(r'data-csrf="([^"]+)"', terminal.get("/terminal").get_data(as_text=True)).group(1)
    for path in (reading, f"{reading}/halaman/2.jpg", "/katalog/", "/terminal"):
        answer = terminal.get(path)
        assert answer.status_code == 200, path
        assert not [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")], path
    late = app.test_client()  # requests still in flight carry the cookie from before "Selesai"
    late.set_cookie("pustaka_terminal", terminal.get_cookie("pustaka_terminal").value)
    late.set_cookie("session", terminal.get_cookie("session").value)
    survey = finish(terminal)
    image = late.get(f"{reading}/halaman/3.jpg", headers={"Sec-Fetch-Mode": "no-cors"})
    ping = late.post("/terminal/sentuh", headers={"X-CSRFToken": token, "Sec-Fetch-Mode": "cors"})
    for answer in (image, ping):
        assert answer.status_code == 401
        assert not [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Nilai layanan kami" in page_text(terminal.get(survey.location))


def test_selesai_signs_the_visitor_out_and_forgets_the_session(app: Flask, terminal: FlaskClient) -> None:
    code = visitor_with_account(app)
    start(terminal, code)
    read_a_page(terminal)  # a service given there: it can be rated
    response = finish(terminal)
    assert response.status_code == 303 and "/survei/" in response.location  # asked to rate the service
    survey = terminal.get(response.location)
    assert "Nilai layanan kami" in page_text(survey) and "Lewati survei" in page_text(survey)
    assert "Terima kasih" in page_text(survey)  # the goodbye, shown above the survey
    assert 'http-equiv="refresh"' in survey.get_data(as_text=True)  # back to the screen if left
    screen = terminal.get("/terminal")
    assert "Pindai kode QR pada tiket Anda" in page_text(screen)
    assert "Dewi" not in screen.get_data(as_text=True)
    assert terminal.get("/permintaan/").status_code == 303  # signed out: only the screen is left
    with app.extensions["pustaka"].uow() as uow:
        ended = uow.session.scalars(select(TerminalSession)).one()
        assert ended.ended_because == "done" and ended.ended_at is not None


def test_the_server_ends_a_session_left_idle_and_signs_the_visitor_out(
    app: Flask, terminal: FlaskClient
) -> None:
    start(terminal, visitor_with_account(app))
    move_clock(app, dt.timedelta(minutes=6))
    response = terminal.get(f"/katalog/{publication(app)}")
    assert response.status_code == 303 and response.location.endswith("/terminal")
    screen = terminal.get("/terminal")
    assert "Sesi Anda di terminal ini telah berakhir" in page_text(screen)
    assert "Dewi" not in screen.get_data(as_text=True)
    assert terminal.get(f"/baca/{publication(app)}/halaman/1.jpg").status_code == 303  # off-session device
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalars(select(TerminalSession.ended_because)).one() == "idle"


def test_the_screens_idle_timer_ends_the_session_as_idle(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    response = finish(terminal, "idle")
    assert response.status_code == 303
    assert "tidak digunakan selama beberapa waktu" in page_text(terminal.get("/terminal"))
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalars(select(TerminalSession.ended_because)).one() == "idle"


def test_a_page_picture_after_the_session_ended_is_refused_quietly(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    move_clock(app, dt.timedelta(minutes=6))
    response = terminal.get(f"/baca/{publication(app)}/halaman/1.jpg")
    assert response.status_code == 401 and response.mimetype == "text/plain"


def test_the_session_ends_when_the_visit_closes(app: Flask, terminal: FlaskClient) -> None:
    code = visitor_with_account(app)
    start(terminal, code)
    with app.extensions["pustaka"].uow() as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        assert ticket is not None
        ticket.visit.left_at = app.extensions["pustaka"].now()
        uow.commit()
    assert terminal.get("/katalog/").status_code == 303
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalars(select(TerminalSession.ended_because)).one() == "visit_closed"


def test_the_idle_warning_and_times_are_on_every_session_page(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    html = terminal.get("/katalog/").get_data(as_text=True)
    assert 'data-terminal-idle="285"' in html and 'data-terminal-warn="60"' in html
    assert "Sesi akan berakhir dalam {s} detik — sentuh layar untuk melanjutkan" in html
    assert "/static/terminal.js" in html


def test_touch_keeps_the_session_and_answers_401_once_it_ended(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    token = re.search(r'data-csrf="([^"]+)"', terminal.get("/terminal").get_data(as_text=True)).group(1)
    assert terminal.post("/terminal/sentuh", headers={"X-CSRFToken": token}).status_code == 204
    move_clock(app, dt.timedelta(minutes=4))
    assert terminal.post("/terminal/sentuh", headers={"X-CSRFToken": token}).status_code == 204
    move_clock(app, dt.timedelta(minutes=8))  # 4 minutes after the last touch: still live
    assert terminal.get("/katalog/").status_code == 200
    move_clock(app, dt.timedelta(minutes=30))
    assert terminal.post("/terminal/sentuh", headers={"X-CSRFToken": token}).status_code == 401


def test_a_session_cookie_taken_to_another_browser_is_worthless(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, visitor_with_account(app))
    thief = app.test_client()
    session_cookie = terminal.get_cookie("session")
    assert session_cookie is not None
    thief.set_cookie("session", session_cookie.value)
    response = thief.get("/permintaan/")
    assert response.status_code in (302, 303)
    assert "Dewi" not in thief.get("/").get_data(as_text=True)


def test_the_next_visitor_starts_in_the_sites_language(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    terminal.get("/bahasa/en?next=/terminal")
    assert "Welcome, Budi Santoso" in page_text(terminal.get("/terminal"))
    response = finish(terminal)
    assert any(h.startswith("lang=;") for h in response.headers.getlist("Set-Cookie"))
    assert "Pindai kode QR pada tiket Anda" in page_text(terminal.get("/terminal"))
