"""Library terminals through the test client: registration, a visitor's session and its limits."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import AccessLevel, Publication, Role, SoftcopyRequest, Terminal, TerminalSession, Ticket
from tests.functional import terminal_helpers as th
from tests.functional.accounts.helpers import make_person, page_text, sign_in, submit
from tests.functional.softcopy.helpers import FORM, run_copy_jobs
from tests.functional.terminal_helpers import (
    finish,
    publication,
    secret_of,
    start,
    visitor_with_account,
    walk_in,
)

# The shared fixture: a browser registered as a terminal.
terminal = th.terminal


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


def test_the_ticket_screen_signs_out_anyone_left_signed_in_on_the_terminal(
    app: Flask, terminal: FlaskClient
) -> None:
    sign_in(terminal, make_person(app, "staff@bps.go.id", [Role.LIBRARIAN]))
    assert terminal.get("/meja/").status_code == 303  # a terminal is no desk
    assert "staff@bps.go.id" not in terminal.get("/terminal").get_data(as_text=True)
    assert terminal.get("/admin/terminal").status_code == 302  # signed out: asked to sign in
