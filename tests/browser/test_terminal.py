"""A library terminal in Chromium: two visitors in turn, and the second sees nothing of the first.

A session starts from the ticket's secret (the QR a scanner types, or the printed terminal
code) and acts for the visit alone until the visitor proves the address of their guest book
entry: here with their account's password at the terminal, or their ID card checked at the
front office's locker console. The terminal's screen ends a session the visitor walked away
from with its own timer (a warning first). The browser's clock is Playwright's fake clock, so
minutes of idleness pass in an instant; the server, which ends idle sessions itself too, runs
on the real clock here and has its own check moved forward in the last test. The copy job runs as it is queued
(Huey in immediate mode), so the request page already shows the copy as ready.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.models import Publication, Role, SoftcopyRequest, Visit
from tests.browser.navigation import wait_in_page
from tests.browser.pictures import shoot
from tests.browser.screen_width import no_sideways_scroll
from tests.browser.softcopy_helpers import (
    LiveServer,
    fill_request_form,
    make_person,
    send_request,
    served_copy,
)
from tests.browser.terminal_site import (
    IDENTITY_TITLE,
    TERMINAL_HOME,
    TICKET_FIELD,
    check_id_card,
    leave_alone,
    printed_code,
    prove_by_password,
    register_terminal,
    scanned,
    start_session,
)
from tests.functional.accounts.helpers import move_clock
from tests.functional.terminal_helpers import walk_in

ADMIN = "admin.terminal@bps.go.id"
OPEN_KEY = "metro-direktori-pasar-2019"
SHOTS = Path("/tmp/shots-terminal")


@pytest.fixture(scope="module")
def terminal_server(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Iterator[LiveServer]:
    """Serve a demo instance for this module, its copy jobs run as they are queued, with an admin."""
    with served_copy(demo_instance, tmp_path_factory.mktemp("terminal")) as server:
        make_person(server.app, ADMIN, "Admin PST", (Role.ADMIN,))
        yield server


@pytest.fixture
def server(terminal_server: LiveServer) -> Iterator[LiveServer]:
    """Return the module's server and, after the test, put back the real clock."""
    yield terminal_server
    terminal_server.reset_clock()


@pytest.fixture
def shots() -> Path:
    """Return the folder the terminal's screenshots go to (looked at by a person)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def open_terminal(browser: Browser, width: int, height: int) -> Page:
    """Open a fresh browser (no cookies) with a fake clock the test moves."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.clock.install()
    return page


def visitor(server: LiveServer, name: str, email: str) -> str:
    """Record a walk-in whose guest book entry gives their account's address; return their ticket code.

    The guest book joins the visit to no account: the address is only declared until proven.
    """
    make_person(server.app, email, name)
    return walk_in(server.app, name, email=email)


def publication_id(server: LiveServer) -> int:
    """Return the id of an open demo publication with scanned pages."""
    with server.app.extensions["pustaka"].uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == OPEN_KEY))
    assert found is not None
    return found


def pictures_of(server: LiveServer):  # noqa: ANN201
    """Return the live server's page pictures."""
    return server.app.extensions["pustaka"].page_pictures


def marks_for(server: LiveServer, name: str) -> list[str]:
    """Return the reader's marks drawn for a visitor so far."""
    texts = (key[0] if isinstance(key[0], str) else " / ".join(key[0]) for key in pictures_of(server)._marks)
    return [text for text in texts if name in text]  # a mark is its footer line, or footer and diagonal


def test_the_next_visitor_sees_nothing_of_the_visitor_who_left_by_idle_time(
    server: LiveServer, browser: Browser, shots: Path
) -> None:
    page = open_terminal(browser, 1280, 900)
    register_terminal(page, server.url, ADMIN, "Terminal 1", shots / "terminal-0-admin.png")
    shoot(page, shots / "terminal-1-ticket-screen.png", full_page=True)
    pub = ani_starts_a_session_and_reads(page, server, shots)
    number = ani_proves_her_address_and_asks_for_a_softcopy(page, server, shots, pub)
    ani_walks_away_and_the_session_ends(page, server, shots)
    budi_starts_his_session_and_sees_only_his_requests(page, server, browser, shots, number)
    the_back_button_shows_budi_each_of_anis_addresses(page, server, shots, number, pub)


def ani_starts_a_session_and_reads(page: Page, server: LiveServer, shots: Path) -> int:
    """Ani starts with her ticket's code, identity declared only, and reads a publication; return it."""
    first = visitor(server, "Ani Rahmawati", "ani.rahmawati@example.id")
    # Typed as people type: lower case, a space for the dash.
    start_session(page, printed_code(server.app, first).lower().replace("-", " "))
    expect(page.locator(".terminal-visitor")).to_have_text("Ani Rahmawati")
    expect(page.get_by_role("heading", name=IDENTITY_TITLE)).to_be_visible()  # declared, not proven
    menu = page.get_by_role("navigation", name="Menu terminal")
    expect(menu.get_by_role("link", name="Permintaan saya")).to_have_count(0)
    shoot(page, shots / "terminal-2-session-home.png", full_page=True)

    page.get_by_role("link", name=re.compile("^Koleksi digital")).first.click()
    pub = publication_id(server)
    page.goto(f"{server.url}/katalog/{pub}")
    page.get_by_role("link", name="Baca", exact=True).click()
    wait_in_page(
        page, "() => { const i = document.querySelector('#hal-1 img'); return i?.naturalWidth > 0; }"
    )
    shoot(page, shots / "terminal-3-reader.png")
    assert any(
        "· Terminal 1 · " in mark and "Ani Rahmawati (identitas dinyatakan, belum diperiksa)" in mark
        for mark in marks_for(server, "Ani Rahmawati")
    )
    return pub


def ani_proves_her_address_and_asks_for_a_softcopy(
    page: Page, server: LiveServer, shots: Path, pub: int
) -> str:
    """To ask for a softcopy Ani first proves the address is hers, with her account's password."""
    page.goto(server.url + "/terminal")
    prove_by_password(page)
    expect(page.get_by_role("heading", name=IDENTITY_TITLE)).to_have_count(0)
    menu = page.get_by_role("navigation", name="Menu terminal")
    expect(menu.get_by_role("link", name="Permintaan saya")).to_be_visible()
    page.goto(f"{server.url}/katalog/{pub}/minta")
    fill_request_form(page)
    number = send_request(page)
    expect(
        page.get_by_text("Salinan dikirim ke email dan akun Anda; unduh dari perangkat Anda sendiri")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Unduh PDF")).to_have_count(0)
    shoot(page, shots / "terminal-4-request.png", full_page=True)
    with server.app.extensions["pustaka"].uow() as uow:
        asked = uow.session.scalar(select(SoftcopyRequest).where(SoftcopyRequest.number == number))
        assert asked is not None and asked.visit_id is not None
        assert uow.session.get_one(Visit, asked.visit_id).identity_check == "password"
    return number


def ani_walks_away_and_the_session_ends(page: Page, server: LiveServer, shots: Path) -> None:
    """After four and three-quarter minutes the screen warns, a minute later the session ends."""
    leave_alone(page, "03:46")
    warning = page.locator(".terminal-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(
        re.compile(r"^\s*Sesi akan berakhir dalam (5\d|60) detik — sentuh layar untuk melanjutkan\s*$")
    )
    shoot(page, shots / "terminal-5-idle-warning.png")
    page.clock.fast_forward("01:01")
    page.wait_for_url(server.url + "/terminal")
    expect(
        page.get_by_text("Sesi berakhir karena terminal tidak digunakan selama beberapa waktu.")
    ).to_be_visible()
    shoot(page, shots / "terminal-6-after-idle.png", full_page=True)
    assert "Ani Rahmawati" not in page.content()


def budi_starts_his_session_and_sees_only_his_requests(
    page: Page, server: LiveServer, browser: Browser, shots: Path, number: str
) -> None:
    """Budi's ID card was checked at the front office when he took a locker: his session is his account's."""
    second = visitor(server, "Budi Hartono", "budi.hartono@example.id")
    staff = make_person(server.app, "loket.terminal@bps.go.id", "Loket PST", (Role.FRONT_OFFICE,))
    check_id_card(browser, server.url, staff, "Budi Hartono")
    start_session(page, scanned(server.url, server.app, second))
    html = page.content()
    assert "Budi Hartono" in html
    assert "Ani Rahmawati" not in html and "ani.rahmawati" not in html
    page.get_by_role("navigation", name="Menu terminal").get_by_role("link", name="Permintaan saya").click()
    expect(page.get_by_role("heading", name="Permintaan saya")).to_be_visible()
    assert number not in page.content() and "Ani Rahmawati" not in page.content()
    shoot(page, shots / "terminal-7-next-visitor-requests.png", full_page=True)


def the_back_button_shows_budi_each_of_anis_addresses(
    page: Page, server: LiveServer, shots: Path, number: str, pub: int
) -> None:
    """The back button walks through Ani's pages' addresses: each is asked afresh and shows Budi's."""
    visited = []
    for _ in range(12):
        if page.go_back() is None:
            break
        page.wait_for_load_state()
        visited.append(page.url)
        content = page.content()
        assert "Ani Rahmawati" not in content and "ani.rahmawati" not in content, page.url
        assert "untuk penelitian migrasi" not in content, page.url  # Ani's request's words
    assert f"{server.url}/permintaan/{number}" in visited and f"{server.url}/baca/{pub}" in visited, visited
    shoot(page, shots / "terminal-8-back-button.png", full_page=True)


def test_touching_the_screen_dismisses_the_warning_and_done_signs_out(
    server: LiveServer, browser: Browser, shots: Path
) -> None:
    page = open_terminal(browser, 1280, 900)
    register_terminal(page, server.url, ADMIN, "Terminal 2")
    start_session(page, printed_code(server.app, visitor(server, "Citra Lestari", "citra@example.id")))
    # The server's clock moves with the screen's: a session kept for minutes is a service to rate.
    leave_alone(page, "03:50")
    move_clock(server.app, dt.timedelta(minutes=3, seconds=50))
    warning = page.locator(".terminal-warning")
    expect(warning).to_be_visible()
    with page.expect_response(lambda response: response.url.endswith("/terminal/sentuh")):
        page.get_by_role("heading", name=re.compile("^Selamat datang, ")).click()  # the server hears of it
    expect(warning).to_be_hidden()
    page.clock.fast_forward("02:00")  # touched two minutes ago: no warning yet
    move_clock(server.app, dt.timedelta(minutes=5, seconds=50))
    expect(warning).to_be_hidden()
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_text("Terima kasih. Sesi Anda telah berakhir")).to_be_visible()
    expect(page.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()  # asked to rate (SKM)
    assert "Citra Lestari" not in page.content()
    page.get_by_role("link", name="Lewati survei").click()
    page.wait_for_url(server.url + "/terminal")
    expect(page.get_by_role("heading", name=TERMINAL_HOME)).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    assert "Citra Lestari" not in page.content()


def test_the_server_signs_out_a_session_whose_screen_was_left_on_a_page(
    server: LiveServer, browser: Browser
) -> None:
    page = open_terminal(browser, 1280, 900)
    register_terminal(page, server.url, ADMIN, "Terminal 3")
    start_session(page, scanned(server.url, server.app, visitor(server, "Dodi Saputra", "dodi@example.id")))
    move_clock(server.app, dt.timedelta(minutes=6))
    page.reload()
    page.wait_for_url(server.url + "/terminal")
    expect(page.get_by_text("Sesi Anda di terminal ini telah berakhir.")).to_be_visible()
    assert "Dodi Saputra" not in page.content()


def test_the_terminal_fits_a_360_pixel_screen(server: LiveServer, browser: Browser, shots: Path) -> None:
    page = open_terminal(browser, 360, 740)
    page.goto(server.url + "/terminal")
    expect(page.get_by_role("heading", name="Perangkat ini bukan terminal perpustakaan")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, shots / "terminal-360-0-not-a-terminal.png", full_page=True)
    register_terminal(
        page, server.url, ADMIN, "Terminal Ruang Baca Lantai Dua", shots / "terminal-360-0-admin.png"
    )
    no_sideways_scroll(page)
    ticket = page.get_by_label(TICKET_FIELD, exact=True)
    ticket.fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Mulai membaca").click()
    expect(page.get_by_text("Tidak ada tiket hari ini dengan kode terminal ZZZZ-ZZZZ")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, shots / "terminal-360-1-ticket-error.png", full_page=True)
    endang = visitor(server, "Endang Sri Wahyuningsih Kusumawardhani", "endang@example.id")
    ticket.fill(endang)  # her own ticket's number: public on the board, so it opens nothing
    page.get_by_role("button", name="Mulai membaca").click()
    expect(page.get_by_text("Nomor antrean saja tidak dapat membuka sesi")).to_be_visible()
    no_sideways_scroll(page)
    start_session(page, printed_code(server.app, endang))
    expect(page.get_by_role("heading", name=IDENTITY_TITLE)).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, shots / "terminal-360-2-session-home.png", full_page=True)
    page.goto(f"{server.url}/katalog/{publication_id(server)}")
    no_sideways_scroll(page)
    shoot(page, shots / "terminal-360-3-publication.png", full_page=True)
    leave_alone(page, "03:50")
    expect(page.locator(".terminal-warning")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, shots / "terminal-360-4-warning.png")
