"""The waiting-room board follows the consoles without reloading; the console works on a desk and a phone."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from library.clock import office_today
from library.frontoffice.queue.actions import call_next
from library.frontoffice.queue.board import BOARD_CALLS
from library.models import Office, Role, User
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.integration.library.queue_helpers import OFFICE, arrive

PASSWORD = "antrean pagi yang panjang"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
# Counts the requests the console's script sends (only ever for its list): `window.refreshes`.
COUNT_REFRESHES = """(() => {
  const fetch = window.fetch;
  window.refreshes = 0;
  window.fetch = function (...args) {
    window.refreshes += 1;
    return fetch.apply(this, args);
  };
})();"""


def make_staff(live_instance: Path, role: Role) -> str:
    """Create a member of staff in the live instance; return their email."""
    email = f"loket-{secrets.token_hex(4)}@bps.go.id"
    with live_uow(live_instance) as uow:
        add_account(uow, email, "Rudi Loket", PASSWORD, roles=[role])
        uow.commit()
    return email


def walk_in(live_instance: Path, name: str, minutes_ago: float = 0, service: str = "library") -> str:
    """Record a visitor who filled in the guest book `minutes_ago`; return their ticket's code."""
    with live_uow(live_instance) as uow:
        now = dt.datetime.now(dt.UTC)
        when = now - dt.timedelta(minutes=minutes_ago)
        zone = uow.session.scalar(select(Office.timezone).where(Office.code == OFFICE))
        if office_today(zone, when) != office_today(zone, now):
            # A visitor from before the office's midnight is on yesterday's queue, which the
            # console no longer shows: no one can have waited that long yet today.
            pytest.skip(f"the office's day began less than {minutes_ago} minutes ago")
        (ticket,) = arrive(uow, name, 0, [service], when=when)
        code = ticket.code
        uow.commit()
    return code


def sign_in(page, live_server: str, email: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form."""
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    press(page, page.get_by_role("button", name="Masuk"))


def press(page, button) -> None:  # type: ignore[no-untyped-def]
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def console_page(context) -> Page:  # type: ignore[no-untyped-def]
    """Open a page whose clock the test moves on and whose requests for the console's list are counted."""
    page = context.new_page()
    page.clock.install()  # time still flows; the test may also move it on at once
    page.add_init_script(COUNT_REFRESHES)
    return page


def past_a_refresh(page: Page) -> None:
    """Move the page's clock past the list's next refresh; check the list was not asked for again.

    For a form in use in the list: the script must skip the refresh. The requests are counted
    rather than the list looked at alone: the clock moves on at once, and the answer to a request
    that went out all the same could still be on its way when the list is looked at.
    """
    every = int(page.locator("#live").get_attribute("data-refresh-seconds") or 0)
    assert every > 0
    before = page.evaluate("window.refreshes")
    page.clock.run_for((every + 2) * 1000)
    assert page.evaluate("window.refreshes") == before, "the list was refreshed under a form in use"


def test_the_board_shows_a_call_from_a_console_without_reloading(
    browser, live_server: str, live_instance: Path, screenshots: Path
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    walk_in(live_instance, "Dewi Board")
    walk_in(live_instance, "Eko Board")
    board_context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    staff_context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        board = board_context.new_page()
        board.clock.install()  # time still flows; the test moves it past the board's next question
        board.goto(live_server + "/antrean")
        expect(board.get_by_role("button", name="Aktifkan suara")).to_be_visible()
        board.evaluate("window.loadedOnce = 'yes'")  # gone if the page reloads
        board.locator("body").click()
        expect(board.get_by_text("Suara menyala")).to_be_visible()
        shoot(board, screenshots / "board-1920-before.png")

        console = staff_context.new_page()
        sign_in(console, live_server, email)
        console.goto(live_server + "/loket/perpustakaan")
        console.get_by_label("Loket Anda").fill("Loket 7")
        press(console, console.get_by_role("button", name="Mulai bertugas di loket ini"))
        press(console, console.get_by_role("button", name="Panggil berikutnya"))
        flash = console.locator(".flash-success")
        expect(flash).to_have_text(re.compile(r"^\S+ dipanggil ke Loket 7\.$"))
        called = flash.inner_text()
        code = called.split()[0]
        assert called == f"{code} dipanggil ke Loket 7."

        # The board asks for news every second, on its clock moved past the next question.
        board.clock.fast_forward("00:04")
        expect(board.locator("#now-code")).to_have_text(code)
        expect(board.locator("#now-counter")).to_have_text("Loket 7")
        assert board.evaluate("window.loadedOnce") == "yes"
        expect(board.locator(".now")).to_have_class(re.compile("fresh"))
        first_call = board.locator('[data-service="library"] .calls li').first
        expect(first_call).to_contain_text(code)
        expect(first_call).to_contain_text("Loket 7")
        shoot(board, screenshots / "board-1920-called.png")
        shoot(board, screenshots / "queue-board-1920.png")

        board.set_viewport_size({"width": 1024, "height": 768})
        assert board.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
        assert fits_the_width(board)
        shoot(board, screenshots / "board-1024.png")
        board.set_viewport_size(PHONE)
        assert fits_the_width(board)
        shoot(board, screenshots / "board-360.png", full_page=True)
    finally:
        board_context.close()
        staff_context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_librarian_calls_serves_and_explains_a_late_start(
    browser,
    live_server: str,
    live_instance: Path,
    viewport: dict[str, int],
    screenshots: Path,
) -> None:
    email = make_staff(live_instance, Role.LIBRARIAN)
    size = f"{viewport['width']}"
    context = browser.new_context(viewport=viewport, locale="id-ID")
    try:
        page = console_page(context)
        take_the_reading_desk_with_nobody_waiting(page, live_server, email)
        late = walk_in(live_instance, f"Fajar {size}", minutes_ago=7)
        page.reload()
        row = page.locator(".waiting-list li", has_text=late)
        expect(row).to_contain_text("Lewat target")
        expect(row).to_contain_text("7 dari 5 menit")
        shoot(page, screenshots / f"console-{size}-waiting.png", full_page=True)
        assert fits_the_width(page)
        call_and_start_late_with_a_reason(page, live_instance, late, size, screenshots)

        # The waiting list refreshes itself (no form in use now) and shows a visitor who came since:
        # on its own timer, every 10 s, moved past on the page's clock.
        newcomer = walk_in(live_instance, f"Hadi {size}")
        page.clock.fast_forward("00:11")
        expect(page.locator(".waiting-list li", has_text=newcomer)).to_be_visible()
        press(page, page.locator(".ticket-card", has_text=late).get_by_role("button", name="Selesai"))
        expect(page.locator(".flash-success")).to_have_text(f"Layanan {late} selesai.")
        shoot(page, screenshots / f"console-{size}-done.png", full_page=True)
        assert fits_the_width(page)
    finally:
        context.close()


def take_the_reading_desk_with_nobody_waiting(page: Page, live_server: str, email: str) -> None:
    """Sign in, take the "Meja Baca" counter, and close whoever earlier tests left waiting."""
    sign_in(page, live_server, email)
    page.goto(live_server + "/loket/perpustakaan")
    expect(page.get_by_role("heading", name="Di loket mana Anda bertugas?")).to_be_visible()
    page.get_by_label("Loket Anda").fill("Meja Baca")
    press(page, page.get_by_role("button", name="Mulai bertugas di loket ini"))
    # So that this test's visitor is next.
    while page.locator(".waiting-list li").count():
        press(page, page.get_by_role("button", name="Panggil berikutnya"))
        for action in ("Panggil ulang", "Tidak hadir"):  # "Tidak hadir" after a second call
            mine = page.locator(".ticket-card.status-called.mine")  # this counter's one call
            press(page, mine.get_by_role("button", name=action))


def call_and_start_late_with_a_reason(
    page: Page, live_instance: Path, late: str, size: str, screenshots: Path
) -> None:
    """Call the late visitor; starting asks for the reason, a form the list's refresh waits for."""
    press(page, page.get_by_role("button", name="Panggil berikutnya"))
    expect(page.locator(".flash-success")).to_have_text(f"{late} dipanggil ke Meja Baca.")
    card = page.locator(".ticket-card", has_text=late)
    press(page, card.get_by_role("button", name="Mulai layanan"))
    reason = page.get_by_label("Alasan keterlambatan")
    expect(reason).to_be_visible()
    expect(page.locator(".reason-form")).to_contain_text("melewati target 5 menit")
    reason.fill("Printer macet, petugas membantu pengunjung lain")
    other = walk_in(live_instance, f"Gita {size}")
    past_a_refresh(page)  # the list must have waited for the form
    expect(reason).to_have_value("Printer macet, petugas membantu pengunjung lain")
    expect(page.locator(".waiting-list li", has_text=other)).to_have_count(0)
    shoot(page, screenshots / f"console-{size}-reason.png", full_page=True)
    assert fits_the_width(page)
    press(page, page.locator(".reason-form").get_by_role("button", name="Mulai layanan"))
    expect(page.locator(".flash-success")).to_have_text(f"Layanan {late} dimulai.")
    serving = page.locator(".ticket-card", has_text=late)
    expect(serving).to_contain_text("Sedang dilayani")
    expect(serving).to_contain_text("Lewat target")


def test_a_consultant_calls_records_and_finishes_and_the_next_clock_starts(
    browser, live_server: str, live_instance: Path, screenshots: Path
) -> None:
    email = make_staff(live_instance, Role.CONSULTANT)
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        page = console_page(context)
        sign_in(page, live_server, email)
        page.goto(live_server + "/loket/konsultasi")
        page.get_by_label("Loket Anda").fill("Meja Konsultasi 2")
        press(page, page.get_by_role("button", name="Mulai bertugas di loket ini"))
        # Close whoever earlier tests left waiting, so these visitors are next.
        while page.locator(".waiting-list li").count():
            press(page, page.get_by_role("button", name="Panggil berikutnya"))
            for action in ("Panggil ulang", "Tidak hadir"):  # "Tidak hadir" after a second call
                mine = page.locator(".ticket-card.status-called.mine")  # this counter's one call
                press(page, mine.get_by_role("button", name=action))

        first = walk_in(live_instance, "Indah Konsultasi", minutes_ago=2, service="consultation")
        second = walk_in(live_instance, "Joko Konsultasi", minutes_ago=1, service="consultation")
        page.reload()
        expect(page.locator(".waiting-list li", has_text=second)).to_contain_text(
            "menunggu pengunjung sebelumnya selesai"
        )
        press(page, page.get_by_role("button", name="Panggil berikutnya"))
        expect(page.locator(".flash-success")).to_have_text(f"{first} dipanggil ke Meja Konsultasi 2.")
        press(page, page.locator(".ticket-card", has_text=first).get_by_role("button", name="Mulai layanan"))

        card = page.locator(".ticket-card", has_text=first)
        press(page, card.get_by_role("button", name="Selesai"))  # no topic yet
        expect(page.locator(".record-form")).to_contain_text("Tulis topik konsultasi")
        card = page.locator(".ticket-card", has_text=first)
        card.get_by_label("Topik").fill("Kemiskinan per kecamatan")
        card.get_by_label("Yang diberikan").fill("Tabel P0 2020-2025")
        card.get_by_label("Rujukan").select_option(label="Ke permintaan softcopy")
        past_a_refresh(page)  # the typed record must stay
        expect(card.get_by_label("Topik")).to_have_value("Kemiskinan per kecamatan")
        shoot(page, screenshots / "consultation-360-record.png", full_page=True)
        assert fits_the_width(page)
        press(page, card.get_by_role("button", name="Selesai"))
        expect(page.locator(".flash-success")).to_have_text(f"Layanan {first} selesai.")

        waiting = page.locator(".waiting-list li", has_text=second)
        expect(waiting).to_contain_text("dari 10 menit")  # first: it is there
        expect(waiting).not_to_contain_text("menunggu pengunjung sebelumnya selesai")
        done = page.locator(".finished-list li", has_text=first)
        expect(done).to_contain_text("Kemiskinan per kecamatan")
        press(page, done.get_by_role("link", name=first))
        expect(page.locator(".record-referral")).to_have_text("Ke permintaan softcopy")
        expect(page.locator(".record-given")).to_contain_text("Tabel P0 2020-2025")
        assert fits_the_width(page)
    finally:
        context.close()


def test_a_full_hd_board_shows_each_services_last_recent_call_whole(
    browser, live_server: str, live_instance: Path, screenshots: Path
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    for n in range(BOARD_CALLS + 1):
        walk_in(live_instance, f"Tamu Layar {n}")
        walk_in(live_instance, f"Tamu Meja {n}", service="consultation")
    with live_uow(live_instance) as uow:
        staff = uow.session.scalars(select(User).where(User.email == email)).one()
        now = dt.datetime.now(dt.UTC)
        for n in range(BOARD_CALLS + 1):  # one counter a call: each counter calls one visitor at a time
            call_next(uow, staff, OFFICE, "library", f"Loket Perpustakaan {n + 1}", now)
            call_next(uow, staff, OFFICE, "consultation", f"Meja Konsultasi {n + 1}", now)
        uow.commit()
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    try:
        board = context.new_page()
        board.goto(live_server + "/antrean")
        calls = board.locator(".service-board .calls li")
        expect(calls).to_have_count(2 * BOARD_CALLS)
        shoot(board, screenshots / "board-1920-full.png")
        clipped = board.evaluate(
            """() => [...document.querySelectorAll('.service-board')].map(box => {
                 const edge = parseFloat(getComputedStyle(box).borderBottomWidth);
                 const inner = box.getBoundingClientRect().bottom - edge;
                 const last = box.querySelector('.calls li:last-child').getBoundingClientRect();
                 return last.bottom > inner + 0.5 || last.bottom > window.innerHeight;
               })"""
        )
        assert clipped == [False, False], "a recent call is cut off at the bottom of its service"
    finally:
        context.close()
