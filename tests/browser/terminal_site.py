"""Helpers for the library terminal in a browser: a ticket's secret as a visitor brings it, a session's start.

A terminal session starts from the ticket's secret, never its public number: the QR, which a
scanner types as the visitor's status address (`…/kunjungan/<token>`), or the terminal code
printed under it ("K7QD-M2XA"). The session acts for the visit alone until the visitor proves
the guest book's address is theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.frontoffice.terminal.ticket_entry import terminal_code
from library.models import Ticket, Visit
from tests.browser.pictures import shoot
from tests.browser.softcopy_helpers import sign_in
from tests.functional.accounts.helpers import PASSWORD

TERMINAL_HOME = "Pindai kode QR pada tiket Anda"  # the heading of a terminal with no session
TICKET_FIELD = "Kode QR atau kode terminal tiket Anda"
WELCOME = re.compile("^Selamat datang, ")
IDENTITY_TITLE = "Tunjukkan bahwa ini Anda, untuk meminta softcopy"
PROVEN = "Terima kasih: identitas Anda sudah diperiksa."


def visit_token(app: Flask, ticket_code: str) -> str:
    """Return the secret status token of the visit holding today's ticket with this code."""
    state = app.extensions["pustaka"]
    with state.uow() as uow:
        token = uow.session.scalar(
            select(Visit.status_token)
            .join(Ticket, Ticket.visit_id == Visit.id)
            .where(Ticket.code == ticket_code, Ticket.day == state.today())
        )
    assert token, f"no ticket {ticket_code} today"
    return token


def scanned(base: str, app: Flask, ticket_code: str) -> str:
    """Return what a scanner types from the QR of today's ticket with this code: its status address."""
    return f"{base}/kunjungan/{visit_token(app, ticket_code)}"


def printed_code(app: Flask, ticket_code: str) -> str:
    """Return the terminal code printed on today's ticket with this code."""
    return terminal_code(visit_token(app, ticket_code))


def register_terminal(page: Page, base: str, admin: str, name: str, shot: Path | None = None) -> None:
    """Sign an admin in on this browser and register it as a library terminal (the admin is signed out).

    `shot` saves a picture of the filled form. (It is not checked for sideways scrolling: the
    site's own header is wider than 360 px for an admin.)
    """
    page.goto(base + "/admin/terminal")
    page.get_by_label("Alamat email").fill(admin)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Nama terminal ini").fill(name)
    if shot:
        shoot(page, shot, full_page=True)
    page.get_by_role("button", name="Daftarkan peramban ini").click()
    page.wait_for_url(base + "/terminal")
    expect(page.get_by_role("heading", name=TERMINAL_HOME)).to_be_visible()


def start_session(page: Page, typed: str) -> None:
    """Type or scan a ticket's secret on the terminal's screen and wait for the session's start page."""
    page.get_by_label(TICKET_FIELD, exact=True).fill(typed)
    page.get_by_role("button", name="Mulai membaca").click()
    expect(page.get_by_role("heading", name=WELCOME)).to_be_visible()


def leave_alone(page: Page, time: str) -> None:
    """Leave the terminal untouched for `time` ("mm:ss") on its fake clock, once its page counts idle time.

    The page's script starts counting when it has run, which may be after the page shows: the
    clock moved before would be time the script never saw.
    """
    expect(page.locator("[data-terminal-watching]")).to_have_count(1)
    page.clock.fast_forward(time)


def prove_by_password(page: Page, password: str = PASSWORD) -> None:
    """On the session's start page, give the account's password as a visitor would; wait until proven."""
    page.get_by_label("Kata sandi akun Anda", exact=True).fill(password)
    page.get_by_role("button", name="Masuk ke akun saya").click()
    expect(page.get_by_text(PROVEN)).to_be_visible()


def check_id_card(browser: Browser, base: str, staff: str, name: str) -> None:
    """Have the front office confirm at its locker console (own browser) that a visitor's ID card matches."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    sign_in(page, base, staff)
    page.goto(base + "/loket/loker")
    page.get_by_role("button", name=f"Kartu identitas sesuai ({name})").click()
    joined = f"Kartu identitas {name} sudah diperiksa; kunjungan ini kini tergabung dengan akun"
    expect(page.get_by_text(joined)).to_be_visible()
    context.close()
