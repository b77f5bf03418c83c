"""Every state closes, through the web: a terminal session's end finishes its service; "Pulang" closes all.

The transitions are those of docs/visit-states.md; each test drives one through the pages a
visitor or a staff member uses and reads the result where the office reads it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, TerminalSession, Ticket, Visit
from tests.functional.accounts.helpers import csrf_token, make_person, page_text, sign_in, submit
from tests.functional.terminal_helpers import finish, register_terminal, walk_in

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 in Kota Metro


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def forward(self, minutes: float) -> None:
        """Move the clock on."""
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def clock(app: Flask) -> Clock:
    """Put the app on a clock the test moves: 09:00 at the office to start with."""
    moved = Clock(NOW)
    app.extensions["pustaka"].now = moved
    return moved


@pytest.fixture
def terminal(app: Flask, clock: Clock) -> FlaskClient:
    """Return a browser registered as "Terminal 1"."""
    return register_terminal(app)


@pytest.fixture
def front(app: Flask, clock: Clock) -> FlaskClient:
    """Return a browser signed in as front-office staff."""
    client = app.test_client()
    assert sign_in(client, make_person(app, "front@bps.go.id", [Role.FRONT_OFFICE])).status_code == 303
    return client


def ticket_row(app: Flask, code: str) -> Ticket:
    """Return a ticket of today as stored now (detached)."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        assert found is not None
        _ = found.visit
        uow.session.expunge_all()
        return found


def scan(terminal: FlaskClient, app: Flask, code: str) -> None:
    """Start a reading session by scanning the QR of the ticket's visit."""
    token = ticket_row(app, code).visit.status_token
    response = submit(
        terminal, "/terminal/mulai", {"ticket": f"http://localhost/kunjungan/{token}"}, form_page="/terminal"
    )
    assert response.status_code == 303, page_text(response)


def call_to(app: Flask, code: str, counter: str) -> None:
    """Record the ticket as called to a counter, as the console's "Panggil" does."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        assert found is not None
        found.status, found.counter, found.called_at, found.calls = "called", counter, NOW, 1
        uow.commit()


def pulang(front: FlaskClient, app: Flask, code: str) -> str:
    """Press "Pulang" for the ticket's visit at the lockers console; return the console's text after."""
    visit_id = ticket_row(app, code).visit_id
    response = front.post(
        f"/loket/loker/kunjungan/{visit_id}/pulang", data={"csrf_token": csrf_token(front, "/loket/loker")}
    )
    assert response.status_code == 303
    return page_text(front.get("/loket/loker"))


def status_page(client: FlaskClient, app: Flask, code: str) -> str:
    """Return the text of the visitor's own status page."""
    return page_text(client.get(f"/kunjungan/{ticket_row(app, code).visit.status_token}"))


def session_end(app: Flask) -> tuple[str, dt.datetime | None]:
    """Return why and when the only terminal session ended."""
    with app.extensions["pustaka"].uow() as uow:
        session = uow.session.scalars(select(TerminalSession)).one()
        return session.ended_because, session.ended_at


def test_selesai_at_the_terminal_finishes_the_library_service_at_the_tap(
    app: Flask, clock: Clock, terminal: FlaskClient
) -> None:
    code = walk_in(app)
    scan(terminal, app, code)
    clock.forward(4)
    assert terminal.get("/katalog/").status_code == 200  # still reading
    clock.forward(4)
    assert finish(terminal).status_code == 303
    stored = ticket_row(app, code)
    assert (stored.status, stored.served_at, stored.finished_at) == (
        "done",
        NOW,
        NOW + dt.timedelta(minutes=8),
    )


def test_after_selesai_the_console_no_longer_shows_the_visitor_being_served(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient
) -> None:
    scan(terminal, app, walk_in(app, "Sari Wulandari"))
    reading = page_text(front.get("/loket/perpustakaan"))
    assert "Sedang dilayani" in reading
    assert "Sedang membaca di terminal perpustakaan" in reading  # where she is, with no "Selesai" to end it
    with app.extensions["pustaka"].uow() as uow:
        name = uow.session.scalars(select(TerminalSession)).one().terminal.name
    assert f"di {name}" in reading
    finish(terminal)
    console = page_text(front.get("/loket/perpustakaan"))
    assert "Sedang dilayani" not in console and "Sari Wulandari" in console  # in the day's finished list


def test_a_session_the_server_finds_idle_finishes_the_service_at_the_last_activity(
    app: Flask, clock: Clock, terminal: FlaskClient
) -> None:
    code = walk_in(app)
    scan(terminal, app, code)
    clock.forward(3)
    assert terminal.get("/katalog/").status_code == 200  # the visitor reads: the last activity
    clock.forward(40)
    assert terminal.get("/katalog/").status_code == 303  # the server notices the idle session now
    stored = ticket_row(app, code)
    assert (stored.status, stored.finished_at) == ("done", NOW + dt.timedelta(minutes=3))
    assert session_end(app)[0] == "idle"


def test_the_screens_idle_timer_finishes_the_service_at_the_last_activity(
    app: Flask, clock: Clock, terminal: FlaskClient
) -> None:
    code = walk_in(app)
    scan(terminal, app, code)
    token = csrf_token(terminal, "/terminal")  # the screen as loaded at the start; its timer fires later
    clock.forward(4)
    response = terminal.post("/terminal/selesai", data={"csrf_token": token, "karena": "idle"})
    assert response.status_code == 303
    stored = ticket_row(app, code)
    assert (stored.status, stored.finished_at) == ("done", NOW)  # nothing touched since the start
    assert session_end(app) == ("idle", NOW + dt.timedelta(minutes=4))


def test_deactivating_a_terminal_finishes_the_service_of_the_visitor_reading_there(
    app: Flask, clock: Clock, terminal: FlaskClient
) -> None:
    code = walk_in(app)
    scan(terminal, app, code)
    admin = app.test_client()
    sign_in(admin, make_person(app, "kepala@bps.go.id", [Role.ADMIN]))
    terminal_id = session_terminal_id(app)
    clock.forward(7)
    path = f"/admin/terminal/{terminal_id}/nonaktif"
    response = submit(admin, path, {"yakin": "1"}, form_page="/admin/terminal")
    assert response.status_code == 303
    stored = ticket_row(app, code)
    assert (stored.status, stored.finished_at) == ("done", NOW + dt.timedelta(minutes=7))


def session_terminal_id(app: Flask) -> int:
    """Return the terminal of the only session."""
    with app.extensions["pustaka"].uow() as uow:
        return uow.session.scalars(select(TerminalSession.terminal_id)).one()


def test_pulang_while_reading_finishes_the_ticket_and_ends_the_session(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient
) -> None:
    code = walk_in(app, "Budi")
    scan(terminal, app, code)
    clock.forward(30)
    text = pulang(front, app, code)
    assert "Budi sudah pulang." in text
    assert "Tiket P-001 sedang dilayani: layanannya ditutup sebagai selesai sekarang." in text
    assert "Sesi bacanya di Terminal 1 telah diakhiri." in text
    stored = ticket_row(app, code)
    assert (stored.status, stored.finished_at) == ("done", NOW + dt.timedelta(minutes=30))
    assert session_end(app) == ("visit_closed", NOW + dt.timedelta(minutes=30))


def test_after_pulang_the_terminal_signs_the_visitor_out(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient
) -> None:
    code = walk_in(app, "Budi")
    scan(terminal, app, code)
    pulang(front, app, code)
    assert terminal.get("/katalog/").status_code == 303
    screen = page_text(terminal.get("/terminal"))
    assert "Sesi Anda di terminal ini telah berakhir" in screen and "Budi" not in screen


def test_after_pulang_the_status_page_says_nothing_is_served_and_sends_nobody_to_a_counter(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient, client: FlaskClient
) -> None:
    code = walk_in(app, "Budi")
    call_to(app, code, "Loket 1")
    scan(terminal, app, code)
    assert "Silakan menuju: Loket 1" in status_page(client, app, code)  # before leaving: called there
    pulang(front, app, code)
    text = status_page(client, app, code)
    assert "Kunjungan Anda telah selesai" in text and "Selesai dilayani" in text
    assert "Sedang dilayani" not in text and "Silakan menuju" not in text


def test_after_pulang_the_console_shows_the_visitor_neither_waiting_nor_at_a_counter(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient
) -> None:
    code = walk_in(app, "Budi Santoso")
    call_to(app, code, "Loket 1")
    scan(terminal, app, code)
    pulang(front, app, code)
    console = page_text(front.get("/loket/perpustakaan"))
    assert "Sedang dilayani" not in console and "Dipanggil" not in console


def test_a_visit_closed_while_no_request_came_from_the_terminal_still_reads_as_closed(
    app: Flask, clock: Clock, terminal: FlaskClient, front: FlaskClient, client: FlaskClient
) -> None:
    code = walk_in(app, "Budi")
    scan(terminal, app, code)
    with app.extensions["pustaka"].uow() as uow:  # a visit closed before "Pulang" closed its tickets
        uow.session.scalar(select(Visit).join(Ticket).where(Ticket.code == code)).left_at = NOW
        uow.commit()
    text = status_page(client, app, code)
    assert "Sedang dilayani" not in text and "Selesai dilayani" in text
