"""Library terminals through the test client: registration, a visitor's session, its limits and its end."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import AccessLevel, Publication, Role, SoftcopyRequest, Terminal, TerminalSession, Ticket
from tests.functional.accounts.helpers import make_person, move_clock, page_text, sign_in, submit
from tests.functional.softcopy.helpers import FORM, run_copy_jobs
from tests.functional.terminal_helpers import (
    finish,
    read_a_page,
    register_terminal,
    secret_of,
    start,
    walk_in,
)

OPEN_KEY = "metro-direktori-pasar-2019"


@pytest.fixture
def terminal(app: Flask) -> FlaskClient:
    """Return a browser registered as "Terminal 1"."""
    return register_terminal(app)


def publication(app: Flask, key: str = OPEN_KEY) -> int:
    """Return the id of a demo publication by key."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == key))
    assert found is not None
    return found


def visitor_with_account(app: Flask, name: str = "Dewi Lestari", email: str = "dewi@example.id") -> str:
    """Record a walk-in with an (unverified, light) account; return the ticket code."""
    person = make_person(app, email, verified=False, name=name)
    return walk_in(app, name, user_id=person.id, email=email)


def test_a_browser_that_is_not_a_terminal_is_told_so(client: FlaskClient) -> None:
    response = client.get("/terminal")
    assert response.status_code == 403
    assert "Perangkat ini bukan terminal perpustakaan" in page_text(response)
    assert client.post("/terminal/mulai", data={"ticket": "P-001"}).status_code in (400, 403)


def test_registering_gives_the_browser_a_long_lived_httponly_cookie_and_signs_the_admin_out(
    app: Flask,
) -> None:
    client = app.test_client()
    admin = make_person(app, "admin@bps.go.id", [Role.ADMIN])
    sign_in(client, admin)
    response = submit(client, "/admin/terminal", {"name": "Terminal Baca 1"})
    assert response.status_code == 303
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pustaka_terminal="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert int(re.search(r"Max-Age=(\d+)", cookie).group(1)) >= 365 * 24 * 3600
    token = cookie.split(";")[0].split("=", 1)[1]
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalars(select(Terminal)).one()
        assert row.name == "Terminal Baca 1" and token not in row.token_hash
    screen = client.get("/terminal")
    assert screen.status_code == 200
    assert "Pindai kode QR pada tiket Anda" in page_text(screen)
    assert "Terminal Baca 1" in screen.get_data(as_text=True)
    assert screen.headers["Cache-Control"] == "no-store"
    assert client.get("/admin/terminal").status_code == 302  # the admin was signed out


def test_only_admins_see_the_terminal_administration(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, make_person(app, "ani@example.id"))
    assert client.get("/admin/terminal").status_code == 403


def test_the_admin_lists_and_deactivates_terminals(app: Flask, terminal: FlaskClient) -> None:
    admin = app.test_client()
    sign_in(admin, make_person(app, "boss@bps.go.id", [Role.ADMIN]))
    page = admin.get("/admin/terminal")
    assert "Terminal 1" in page_text(page) and "aktif" in page_text(page)
    with app.extensions["pustaka"].uow() as uow:
        terminal_id = uow.session.scalars(select(Terminal.id)).one()
    unconfirmed = submit(admin, f"/admin/terminal/{terminal_id}/nonaktif", {}, form_page="/admin/terminal")
    assert (
        unconfirmed.status_code == 303 and terminal.get("/terminal").status_code == 200
    )  # one click: nothing
    assert "Centang kotak" in page_text(admin.get("/admin/terminal"))
    path = f"/admin/terminal/{terminal_id}/nonaktif"
    response = submit(admin, path, {"yakin": "1"}, form_page="/admin/terminal")
    assert response.status_code == 303
    assert "bukan lagi terminal perpustakaan" in page_text(admin.get("/admin/terminal"))
    assert terminal.get("/terminal").status_code == 403
    undone = submit(admin, f"/admin/terminal/{terminal_id}/aktifkan", {}, form_page="/admin/terminal")
    assert undone.status_code == 303
    assert terminal.get("/terminal").status_code == 200  # the same browser, a terminal again


@pytest.mark.parametrize("terminal_id", ["0", "99999", "99999999999999999999999"])
def test_deactivating_an_unknown_terminal_says_so(app: Flask, terminal_id: str) -> None:
    admin = app.test_client()
    sign_in(admin, make_person(app, "boss@bps.go.id", [Role.ADMIN]))
    path = f"/admin/terminal/{terminal_id}/nonaktif"
    response = submit(admin, path, {"yakin": "1"}, form_page="/admin/terminal")
    assert response.status_code in (303, 404)
    if response.status_code == 303:
        assert "Tidak ada terminal nomor" in page_text(admin.get("/admin/terminal"))


def test_a_visitor_starts_with_their_ticket_and_is_signed_in_for_the_session(
    app: Flask, terminal: FlaskClient
) -> None:
    code = visitor_with_account(app)
    response = start(terminal, secret_of(terminal, code).lower().replace("-", " "))  # as a person types it
    assert response.status_code == 303
    home = terminal.get("/terminal")
    text = page_text(home)
    assert "Selamat datang, Dewi Lestari" in text and f"Nomor antrean {code}" in text
    assert "dewi@example.id" in text  # softcopies go there
    html = home.get_data(as_text=True)
    assert "Selesai" in html and 'class="terminal-bar"' in html
    assert "/keluar" not in html and "/profil" not in html  # no way out to the site's account pages
    with app.extensions["pustaka"].uow() as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.code == code))
        assert ticket is not None and ticket.status == "serving" and ticket.served_at is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("P-099", "Nomor antrean saja tidak dapat membuka sesi"),
        ("ZZZZ-ZZZZ", "Tidak ada tiket hari ini dengan kode terminal ZZZZ-ZZZZ"),
        ("halo", "Itu bukan kode tiket"),
        ("", "Itu bukan kode tiket"),
        ("<script>alert(1)</script>", "Itu bukan kode tiket"),
        ("P-" + "9" * 5000, "Itu bukan kode tiket"),
        ("\x00P-1", "Itu bukan kode tiket"),
    ],
)
def test_a_wrong_ticket_is_refused_on_the_screen(
    app: Flask, terminal: FlaskClient, typed: str, message: str
) -> None:
    response = start(terminal, typed)
    assert response.status_code == 400
    assert message in page_text(response)
    assert "<script>alert" not in response.get_data(as_text=True)


def test_a_consultation_ticket_is_refused_on_the_screen(app: Flask, terminal: FlaskClient) -> None:
    code = walk_in(app, service="consultation")
    assert "Kunjungan ini tidak memiliki tiket perpustakaan" in page_text(start(terminal, code))


def test_a_form_without_its_token_is_refused_without_a_500(app: Flask, terminal: FlaskClient) -> None:
    response = terminal.post("/terminal/mulai", data={"ticket": "P-001"})
    assert response.status_code == 400
    assert terminal.post("/terminal/mulai", data={"ticket": ["a", "b"] * 50}).status_code == 400


def test_the_reader_stamps_pages_with_the_visitor_and_the_terminal(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, visitor_with_account(app))
    response = terminal.get(f"/baca/{publication(app)}/halaman/1.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    marks = [key[0][0] for key in app.extensions["pustaka"].page_pictures._marks]  # (footer, diagonal)
    stamped = "Dibaca oleh Dewi Lestari (diperiksa: kartu identitas) <d***@e***.id> · Terminal 1 · "
    assert any(m.startswith(stamped) for m in marks), marks


def test_a_visitor_without_an_account_reads_pages_stamped_with_the_visits_name(
    app: Flask, terminal: FlaskClient
) -> None:
    start(terminal, walk_in(app, "Wayan Sudirta"))
    home = page_text(terminal.get("/terminal"))
    assert "Selamat datang, Wayan Sudirta" in home and "isian buku tamu Anda tidak memuatnya" in home
    assert terminal.get(f"/baca/{publication(app)}").status_code == 200
    assert terminal.get(f"/baca/{publication(app)}/halaman/2.jpg").status_code == 200
    marks = [key[0][0] for key in app.extensions["pustaka"].page_pictures._marks]  # (footer, diagonal)
    stamped = "Dibaca oleh Wayan Sudirta (identitas dinyatakan, belum diperiksa) · Terminal 1 · "
    assert any(m.startswith(stamped) for m in marks), marks
    detail = terminal.get(f"/katalog/{publication(app)}").get_data(as_text=True)
    assert "/minta" not in detail
    refused = terminal.get(f"/katalog/{publication(app)}/minta")
    assert refused.status_code == 303 and refused.location.endswith("/terminal")


def test_a_registered_item_is_read_at_the_terminal_without_a_verified_email(
    app: Flask, terminal: FlaskClient
) -> None:
    with app.extensions["pustaka"].uow() as uow:
        registered = uow.session.scalar(
            select(Publication.id).where(Publication.access_level == AccessLevel.REGISTERED.value)
        )
    start(terminal, visitor_with_account(app))
    assert terminal.get(f"/baca/{registered}").status_code == 200


def test_a_request_at_the_terminal_carries_the_visit_and_the_copy_is_not_downloaded_there(
    app: Flask, terminal: FlaskClient
) -> None:
    queued: list[int] = []
    app.extensions["pustaka"].jobs.deliver = queued.append  # the copy is made below, as a worker would
    start(terminal, visitor_with_account(app))
    pub = publication(app)
    response = submit(terminal, f"/katalog/{pub}/minta", FORM)
    assert response.status_code == 303, page_text(response)
    with app.extensions["pustaka"].uow() as uow:
        row = uow.session.scalars(select(SoftcopyRequest)).one()
        visit_id, number = row.visit_id, row.number
        session_visit = uow.session.scalars(select(TerminalSession.visit_id)).one()
    assert visit_id == session_visit
    run_copy_jobs(app, queued)
    detail = terminal.get(f"/permintaan/{number}")
    assert "Salinan dikirim ke email dan akun Anda; unduh dari perangkat Anda sendiri" in page_text(detail)
    assert f"/permintaan/{number}/unduh" not in detail.get_data(as_text=True)
    refused = submit(terminal, f"/permintaan/{number}/unduh", {}, form_page=f"/permintaan/{number}")
    assert refused.status_code == 403
    assert refused.mimetype == "text/html"
    assert "Salinan dikirim ke email dan akun Anda; unduh dari perangkat Anda sendiri" in page_text(refused)


def test_the_rest_of_the_site_leads_back_to_the_terminal_screen(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, visitor_with_account(app))
    for path in ("/", "/profil", "/admin/pengguna", "/meja/", "/daftar"):
        response = terminal.get(path)
        assert response.status_code == 303 and response.location.endswith("/terminal"), path
    assert terminal.get("/katalog/").status_code == 200
    assert terminal.get("/permintaan/").status_code == 200


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


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("", 400, "Beri nama terminal"),
        ("   \t ", 400, "Beri nama terminal"),
        ("T" * 5000, 400, "paling banyak 60 karakter"),
        ("\x00\x01", 400, "Beri nama terminal"),
        ("<b>Terminal</b>", 303, ""),
    ],
)
def test_odd_terminal_names_are_refused_or_kept_as_text(
    app: Flask, name: str, status: int, message: str
) -> None:
    admin = app.test_client()
    sign_in(admin, make_person(app, "boss@bps.go.id", [Role.ADMIN]))
    response = submit(admin, "/admin/terminal", {"name": name})
    assert response.status_code == status
    if message:
        assert message in page_text(response)
    else:
        assert "<b>Terminal</b>" not in admin.get("/terminal").get_data(as_text=True)


def test_the_terminal_pages_answer_odd_requests_without_a_500(app: Flask, terminal: FlaskClient) -> None:
    assert terminal.post("/terminal/sentuh").status_code == 400  # no token: refused, not an error
    assert terminal.post("/terminal/selesai").status_code == 400
    assert finish(terminal, "x" * 10_000).status_code == 303
    assert terminal.get("/terminal/mulai").status_code == 405
    assert terminal.get("/admin/terminal/1/nonaktif").status_code == 405
    terminal.set_cookie("pustaka_terminal", "x" * 4000)
    assert terminal.get("/terminal").status_code == 403


def test_the_next_visitor_starts_in_the_sites_language(app: Flask, terminal: FlaskClient) -> None:
    start(terminal, walk_in(app))
    terminal.get("/bahasa/en?next=/terminal")
    assert "Welcome, Budi Santoso" in page_text(terminal.get("/terminal"))
    response = finish(terminal)
    assert any(h.startswith("lang=;") for h in response.headers.getlist("Set-Cookie"))
    assert "Pindai kode QR pada tiket Anda" in page_text(terminal.get("/terminal"))


def test_the_ticket_screen_signs_out_anyone_left_signed_in_on_the_terminal(
    app: Flask, terminal: FlaskClient
) -> None:
    sign_in(terminal, make_person(app, "staff@bps.go.id", [Role.LIBRARIAN]))
    assert terminal.get("/meja/").status_code == 303  # a terminal is no desk
    assert "staff@bps.go.id" not in terminal.get("/terminal").get_data(as_text=True)
    assert terminal.get("/admin/terminal").status_code == 302  # signed out: asked to sign in
