"""A walk-in visitor proves who they are at a library terminal, on a desk screen and a 360-pixel phone.

The kiosk's guest book joins a visit to no account: the email typed there is only declared. The
visitor starts a terminal session with the terminal code printed on their ticket; the session
reads but asks for nothing until the visitor proves the address with a code emailed to it. A
librarian's address typed at the kiosk opens no staff page, and the librarian's own password
at the terminal is refused. The module serves its own copy of the demo site as built, its jobs run
as they are queued (the code's email is in the outbox when the page answers), on a clock the
test moves past the guest book's check on forms sent back within seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.frontoffice.terminal.ticket_entry import terminal_code
from library.models import Role, User, Visit
from tests.browser.pictures import shoot
from tests.browser.screen_width import no_sideways_scroll
from tests.browser.softcopy_helpers import LiveServer, make_person
from tests.browser.terminal_site import IDENTITY_TITLE, PROVEN, register_terminal, start_session
from tests.functional.accounts.helpers import PASSWORD, outbox
from tests.serving import serve

ADMIN = "admin.identitas@bps.go.id"
LIBRARIAN = "lina.pustakawan@metrokota.bps.go.id"
SCREENS = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
NOT_PROVEN = "Untuk meminta softcopy, tunjukkan dulu bahwa alamat email pada isian buku tamu Anda"
STAFF_NEVER = "Akun petugas tidak dapat dipakai melalui kunjungan"


class SteppedClock:
    """The server's clock: the real time plus what the test moved it on by."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.ahead


@pytest.fixture(scope="module")
def identity_server(app_as_built: Callable[[str], Flask]) -> Iterator[tuple[LiveServer, SteppedClock]]:
    """Serve the demo site as built (no guest book entry counted yet) with an admin and a librarian."""
    app = app_as_built("walk-in-identity")
    clock = SteppedClock()
    app.extensions["pustaka"].now = clock
    app.extensions["pustaka"].jobs.immediate = True
    make_person(app, ADMIN, "Admin PST", (Role.ADMIN,))
    make_person(app, LIBRARIAN, "Lina Pustakawan", (Role.LIBRARIAN,))
    with serve(app) as url:
        yield LiveServer(url, app), clock
    app.extensions["pustaka"].jobs.rt.close()


@pytest.fixture(params=sorted(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    """Return the name of the screen the test runs on: a desk screen, or a 360-pixel phone."""
    return request.param


def open_device(browser: Browser, screen: str) -> Page:
    """Open a fresh browser (no cookies) of the screen's size, in Indonesian."""
    return browser.new_context(viewport=SCREENS[screen], locale="id-ID").new_page()  # type: ignore[arg-type]


def visitor_name(email: str, screen: str) -> str:
    """Return the name signed with an address on a screen: never the same twice, or the guest book asks."""
    return f"Rina {email.split('@')[0].split('.')[0].title()} {screen.title()}"


def sign_guest_book(
    browser: Browser, server: LiveServer, clock: SteppedClock, screen: str, email: str
) -> str:
    """Sign the kiosk's guest book for the library with this email; return the ticket's terminal code."""
    page = open_device(browser, screen)
    page.goto(server.url + "/buku-tamu")
    page.get_by_label("Nama lengkap").fill(visitor_name(email, screen))
    page.locator(".chip", has_text="Perempuan").click()
    page.locator(".chip", has_text="26-35").click()
    page.locator(".chip", has_text="D4/S1").click()
    page.locator(".chip", has_text="Peneliti/Dosen").click()
    page.get_by_label("Instansi").fill("Universitas Lampung")
    page.get_by_label("Alamat email (tidak wajib)").fill(email)
    page.get_by_label("Keperluan kunjungan").fill("Membaca publikasi Kota Metro Dalam Angka")
    page.locator(".service-choice", has_text="Perpustakaan").click()
    clock.ahead += dt.timedelta(seconds=30)  # the half minute a visitor takes to fill the form in
    page.get_by_role("button", name="Ambil nomor antrean").click()
    page.wait_for_url(re.compile(r"/buku-tamu/tiket/"))
    expect(page.get_by_role("heading", name="Terima kasih, Rina!")).to_be_visible()
    printed = page.locator(".terminal-code strong")
    expect(printed).to_have_text(re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}$"))
    code = printed.inner_text()
    assert code == terminal_code(page.url.rsplit("/", 1)[-1])  # derived from the visit's secret
    no_sideways_scroll(page)
    page.context.close()
    return code


def code_in_email(server: LiveServer, address: str) -> str:
    """Return the six-digit code in the newest email the app sent to this address."""
    mails = [mail for mail in outbox(server.app) if mail["To"] == address]
    assert mails, f"no email to {address}"
    found = re.match(r"Kode verifikasi email: (\d{6}) · ", str(mails[-1]["Subject"]))
    assert found, mails[-1]["Subject"]
    assert found.group(1) in mails[-1].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    return found.group(1)


def visits_of(server: LiveServer, email: str) -> list[tuple[int | None, str]]:
    """Return the account and identity check of each visit whose guest book entry gives this address."""
    with server.app.extensions["pustaka"].uow() as uow:
        rows = uow.session.execute(select(Visit.user_id, Visit.identity_check).where(Visit.email == email))
        return [(row.user_id, row.identity_check) for row in rows]


def test_a_walk_in_visitor_proves_their_email_with_a_code_and_may_then_ask_for_softcopies(
    identity_server: tuple[LiveServer, SteppedClock], browser: Browser, screen: str, screenshots: Path
) -> None:
    server, clock = identity_server
    email = f"rina.{screen}@example.id"
    code = sign_guest_book(browser, server, clock, screen, email)
    assert visits_of(server, email) == [(None, "declared")]  # typing an address at the kiosk proves nothing

    page = open_device(browser, screen)
    register_terminal(page, server.url, ADMIN, f"Terminal Identitas {screen}")
    start_session(page, code)
    expect(page.locator(".terminal-visitor")).to_have_text(visitor_name(email, screen))
    identity = page.get_by_role("region", name=IDENTITY_TITLE)
    expect(identity).to_be_visible()
    expect(identity).to_contain_text("r***@e***.id")  # the address, masked on a shared screen
    expect(page.get_by_role("link", name=re.compile("^Permintaan saya"))).to_have_count(0)
    no_sideways_scroll(page)
    shoot(page, screenshots / f"walk-in-identity-{screen}-1-declared.png", full_page=True)

    page.goto(server.url + "/permintaan/")  # "My requests" is not the visit's to see
    page.wait_for_url(server.url + "/terminal")
    expect(page.get_by_text(NOT_PROVEN)).to_be_visible()

    page.get_by_role("button", name="Kirim kode ke email saya").click()
    expect(page.get_by_text("Kami telah mengirim kode ke r***@e***.id")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots / f"walk-in-identity-{screen}-2-code-sent.png", full_page=True)
    page.get_by_label("Kode dari email", exact=True).fill(code_in_email(server, email))
    page.get_by_role("button", name="Periksa kode").click()

    expect(page.get_by_text(PROVEN)).to_be_visible()
    expect(page.get_by_role("region", name=IDENTITY_TITLE)).to_have_count(0)
    offered = page.get_by_role("main").get_by_role("link", name=re.compile("^Permintaan saya"))
    expect(offered).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, screenshots / f"walk-in-identity-{screen}-3-proven.png", full_page=True)
    offered.click()
    expect(page.get_by_role("heading", name="Permintaan saya")).to_be_visible()
    no_sideways_scroll(page)

    [(account_id, check)] = visits_of(server, email)
    assert check == "email_code"
    with server.app.extensions["pustaka"].uow() as uow:
        account = uow.session.get_one(User, account_id)
        assert account.email == email and account.email_verified  # made now: the address had none
    page.context.close()


def test_a_librarians_email_at_the_kiosk_opens_no_staff_page_and_their_password_is_refused(
    identity_server: tuple[LiveServer, SteppedClock], browser: Browser, screen: str, screenshots: Path
) -> None:
    server, clock = identity_server
    code = sign_guest_book(browser, server, clock, screen, LIBRARIAN)
    page = open_device(browser, screen)
    register_terminal(page, server.url, ADMIN, f"Terminal Petugas {screen}")
    start_session(page, code)

    page.goto(server.url + "/meja/")  # the librarian's desk
    page.wait_for_url(server.url + "/terminal")
    expect(page.get_by_role("heading", name=re.compile("^Selamat datang, "))).to_be_visible()

    page.get_by_label("Kata sandi akun Anda", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk ke akun saya").click()
    expect(page.get_by_text(STAFF_NEVER)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Permintaan saya"))).to_have_count(0)
    no_sideways_scroll(page)
    shoot(page, screenshots / f"walk-in-identity-{screen}-4-staff-refused.png", full_page=True)
    page.goto(server.url + "/meja/")
    page.wait_for_url(server.url + "/terminal")
    assert all(user_id is None for user_id, _ in visits_of(server, LIBRARIAN))  # never joined to staff
    page.context.close()
