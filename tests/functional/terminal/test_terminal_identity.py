"""At a library terminal a kiosk visit acts for no account until the visitor proves the email is theirs."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from library.models import Role, User, Visit
from tests.functional.accounts.helpers import (
    PASSWORD,
    Person,
    make_person,
    outbox,
    page_text,
    register,
    sign_in,
    submit,
)
from tests.functional.kiosk.kiosk_helpers import sign, token_of
from tests.functional.terminal_helpers import register_terminal


@pytest.fixture
def terminal(app: Flask) -> FlaskClient:
    """Return a browser registered as "Terminal 1"."""
    return register_terminal(app)


def kiosk_visit(app: Flask, email: str, name: str = "Siti Aminah") -> str:
    """Sign the guest book at the kiosk with this email (anyone can type any); return the visit's secret."""
    response = sign(app, app.test_client(), email=email, name=name)
    assert response.status_code == 303, page_text(response)
    return token_of(response)


def scan(terminal: FlaskClient, token: str) -> None:
    """Scan the ticket's QR at the terminal."""
    response = submit(terminal, "/terminal/mulai", {"ticket": f"/kunjungan/{token}"}, form_page="/terminal")
    assert response.status_code == 303, page_text(response)


def signed_in_as(terminal: FlaskClient) -> str | None:
    """Return the account id the terminal's browser is signed in as, if any."""
    with terminal.session_transaction() as session:
        found = session.get("_user_id")
    return found.partition(":")[0] if found else None


def visit_row(app: Flask, token: str) -> Visit:
    """Return the visit with this secret."""
    with app.extensions["pustaka"].uow() as uow:
        visit = uow.session.scalars(select(Visit).where(Visit.status_token == token)).one()
        uow.session.expunge(visit)
        return visit


def test_a_librarians_email_typed_at_the_kiosk_gives_the_terminal_none_of_the_librarians_powers(
    app: Flask, terminal: FlaskClient
) -> None:
    make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN], name="Wulan Pustakawan")
    scan(terminal, kiosk_visit(app, "wulan@bps.go.id", name="Penyusup"))
    assert signed_in_as(terminal) is None
    home = page_text(terminal.get("/terminal"))
    assert "Selamat datang, Penyusup" in home and "Tunjukkan bahwa ini Anda" in home
    for path in ("/permintaan/", "/meja/", "/meja/permintaan", "/profil"):
        response = terminal.get(path)
        assert response.status_code == 303 and response.location.endswith("/terminal"), path


def test_a_readers_email_typed_at_the_kiosk_shows_nothing_of_their_account(
    app: Flask, terminal: FlaskClient
) -> None:
    make_person(app, "dewi@example.id", name="Dewi Lestari")
    scan(terminal, kiosk_visit(app, "dewi@example.id", name="Orang Lain"))
    assert signed_in_as(terminal) is None
    refused = terminal.get("/permintaan/")
    assert refused.status_code == 303
    assert "tunjukkan dulu bahwa alamat email" in page_text(terminal.get("/terminal"))


def test_the_accounts_password_at_the_terminal_proves_the_visit(app: Flask, terminal: FlaskClient) -> None:
    dewi = make_person(app, "dewi@example.id", name="Dewi Lestari")
    token = kiosk_visit(app, "dewi@example.id", name="Dewi")
    scan(terminal, token)
    response = submit(terminal, "/terminal/kata-sandi", {"password": PASSWORD}, form_page="/terminal")
    assert response.status_code == 303
    assert signed_in_as(terminal) == str(dewi.id)
    assert "identitas Anda sudah diperiksa" in page_text(terminal.get("/terminal"))
    assert terminal.get("/permintaan/").status_code == 200
    assert (visit_row(app, token).user_id, visit_row(app, token).identity_check) == (dewi.id, "password")


def test_a_wrong_password_at_the_terminal_is_said_and_proves_nothing(
    app: Flask, terminal: FlaskClient
) -> None:
    make_person(app, "dewi@example.id")
    token = kiosk_visit(app, "dewi@example.id")
    scan(terminal, token)
    submit(terminal, "/terminal/kata-sandi", {"password": "tebak-tebakan"}, form_page="/terminal")
    assert "Alamat email atau kata sandi tidak sesuai" in page_text(terminal.get("/terminal"))
    assert signed_in_as(terminal) is None and visit_row(app, token).user_id is None


def test_a_librarians_own_password_at_the_terminal_is_refused(app: Flask, terminal: FlaskClient) -> None:
    make_person(app, "wulan@bps.go.id", [Role.LIBRARIAN])
    token = kiosk_visit(app, "wulan@bps.go.id")
    scan(terminal, token)
    submit(terminal, "/terminal/kata-sandi", {"password": PASSWORD}, form_page="/terminal")
    assert "Akun petugas tidak dapat dipakai" in page_text(terminal.get("/terminal"))
    assert signed_in_as(terminal) is None and visit_row(app, token).user_id is None


def test_the_code_emailed_to_the_address_proves_it_and_makes_a_light_account(
    app: Flask, terminal: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = True  # the code's email leaves as it is queued
    token = kiosk_visit(app, "siti@example.id")
    scan(terminal, token)
    response = submit(terminal, "/terminal/kode", {}, form_page="/terminal")
    assert response.status_code == 303
    assert "Kami telah mengirim kode ke s***@e***.id" in page_text(terminal.get("/terminal"))
    [mail] = [m for m in outbox(app) if m["To"] == "siti@example.id"]
    assert mail["Subject"].startswith("Kode verifikasi email: ")  # not the receipt's terminal code
    assert "terminal" not in mail["Subject"].lower()
    found = re.search(r"^\s+(\d{6})$", mail.get_content(), re.M)
    assert found is not None
    submit(terminal, "/terminal/kode/periksa", {"code": found.group(1)}, form_page="/terminal")
    visit = visit_row(app, token)
    assert visit.identity_check == "email_code" and visit.user_id is not None
    assert signed_in_as(terminal) == str(visit.user_id)
    with app.extensions["pustaka"].uow() as uow:
        user = uow.session.get_one(User, visit.user_id)
        assert (user.email, user.password_hash, user.email_verified) == ("siti@example.id", None, True)


def test_the_front_office_checks_the_id_card_and_the_terminal_then_acts_for_the_account(
    app: Flask, terminal: FlaskClient
) -> None:
    dewi = make_person(app, "dewi@example.id", name="Dewi Lestari")
    token = kiosk_visit(app, "dewi@example.id", name="Dewi Lestari")
    scan(terminal, token)
    desk = app.test_client()
    assert sign_in(desk, make_person(app, "loket@bps.go.id", [Role.FRONT_OFFICE])).status_code == 303
    console = page_text(desk.get("/loket/loker"))
    assert "Identitas belum diperiksa" in console
    visit_id = visit_row(app, token).id
    response = submit(desk, f"/loket/loker/kunjungan/{visit_id}/identitas", {}, form_page="/loket/loker")
    assert response.status_code == 303
    assert "Diperiksa: kartu identitas" in page_text(desk.get("/loket/loker"))
    assert terminal.get("/permintaan/").status_code == 200  # the next request acts for Dewi
    assert signed_in_as(terminal) == str(dewi.id)


def test_the_front_office_writes_a_walk_ins_email_and_a_code_can_then_be_sent(
    app: Flask, terminal: FlaskClient
) -> None:
    token = kiosk_visit(app, "")
    scan(terminal, token)
    assert "tidak memuatnya" in page_text(terminal.get("/terminal"))
    desk = app.test_client()
    assert sign_in(desk, make_person(app, "loket@bps.go.id", [Role.FRONT_OFFICE])).status_code == 303
    visit_id = visit_row(app, token).id
    submit(
        desk,
        f"/loket/loker/kunjungan/{visit_id}/email",
        {"email": "Budi@Example.id"},
        form_page="/loket/loker",
    )
    assert visit_row(app, token).email == "budi@example.id"
    assert "Kirim kode ke email saya" in page_text(terminal.get("/terminal"))


def test_a_reader_cannot_check_id_cards_or_write_emails(app: Flask, terminal: FlaskClient) -> None:
    token = kiosk_visit(app, "siti@example.id")
    reader = app.test_client()
    assert sign_in(reader, make_person(app, "ani@example.id")).status_code == 303
    visit_id = visit_row(app, token).id
    for path in (f"/loket/loker/kunjungan/{visit_id}/identitas", f"/loket/loker/kunjungan/{visit_id}/email"):
        assert submit(reader, path, {"email": "x@example.id"}, form_page="/").status_code in (302, 303, 403)
    assert visit_row(app, token).identity_check == "declared"
    assert visit_row(app, token).email == "siti@example.id"


def test_a_stranger_who_registered_the_visitors_address_loses_it_when_she_proves_it_at_the_terminal(
    app: Flask, terminal: FlaskClient
) -> None:
    app.extensions["pustaka"].jobs.immediate = True
    stranger = app.test_client()
    assert register(stranger, email="siti@example.id", name="Penyusup").status_code == 303  # never verified
    assert sign_in(stranger, Person(0, "siti@example.id")).status_code == 303
    scan(terminal, kiosk_visit(app, "siti@example.id"))
    submit(terminal, "/terminal/kode", {}, form_page="/terminal")
    [mail] = [m for m in outbox(app) if m["Subject"].startswith("Kode verifikasi email")]
    found = re.search(r"^\s+(\d{6})$", mail.get_content(), re.M)
    assert found is not None
    submit(terminal, "/terminal/kode/periksa", {"code": found.group(1)}, form_page="/terminal")
    assert "tidak berlaku lagi" in page_text(terminal.get("/terminal"))  # she is told what happened
    assert stranger.get("/permintaan/").status_code in (302, 303)  # his session ended with the password
    refused = sign_in(app.test_client(), Person(0, "siti@example.id"))
    assert refused.status_code != 303 and "tidak sesuai" in page_text(refused)


def prove_with_emailed_code(app: Flask, terminal: FlaskClient, address: str) -> None:
    """Ask for a code at the terminal and type back the one the email carries."""
    app.extensions["pustaka"].jobs.immediate = True
    submit(terminal, "/terminal/kode", {}, form_page="/terminal")
    found = re.search(r"^\s+(\d{6})$", [m for m in outbox(app) if m["To"] == address][-1].get_content(), re.M)
    assert found is not None
    submit(terminal, "/terminal/kode/periksa", {"code": found.group(1)}, form_page="/terminal")


@pytest.mark.parametrize("ending", ["selesai", "idle"])
def test_a_proof_ends_with_its_session_and_the_same_ticket_starts_unproven(
    app: Flask, terminal: FlaskClient, ending: str
) -> None:
    token = kiosk_visit(app, "siti@example.id")
    scan(terminal, token)
    prove_with_emailed_code(app, terminal, "siti@example.id")
    assert terminal.get("/permintaan/").status_code == 200
    submit(terminal, "/terminal/selesai", {"karena": ending}, form_page="/terminal")
    scan(terminal, token)  # whoever holds her ticket, after she left the terminal
    assert signed_in_as(terminal) is None
    assert terminal.get("/permintaan/").status_code == 303
    assert "Tunjukkan bahwa ini Anda" in page_text(terminal.get("/terminal"))
    prove_with_emailed_code(app, terminal, "siti@example.id")  # she proves herself again
    assert terminal.get("/permintaan/").status_code == 200


def test_an_id_card_seen_at_the_desk_proves_the_next_session_only(app: Flask, terminal: FlaskClient) -> None:
    token = kiosk_visit(app, "dewi@example.id", name="Dewi Lestari")
    dewi = make_person(app, "dewi@example.id", name="Dewi Lestari")
    desk = app.test_client()
    assert sign_in(desk, make_person(app, "loket@bps.go.id", [Role.FRONT_OFFICE])).status_code == 303
    visit_id = visit_row(app, token).id
    submit(desk, f"/loket/loker/kunjungan/{visit_id}/identitas", {}, form_page="/loket/loker")
    scan(terminal, token)
    assert signed_in_as(terminal) == str(dewi.id)
    submit(terminal, "/terminal/selesai", {}, form_page="/terminal")
    scan(terminal, token)
    assert signed_in_as(terminal) is None and terminal.get("/permintaan/").status_code == 303
