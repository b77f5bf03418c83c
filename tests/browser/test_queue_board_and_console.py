"""The waiting-room board follows the consoles without reloading; the console works on a desk and a phone."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from library.db import make_engine, make_session_factory
from library.models import Role
from library.people.users import check_create_user
from library.permissions import SYSTEM
from library.settings import Settings
from library.uow import UnitOfWork
from tests.browser.navigation import wait_until
from tests.integration.library.queue_helpers import arrive

PASSWORD = "antrean pagi yang panjang"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


@contextmanager
def live_uow(live_instance: Path) -> Iterator[UnitOfWork]:
    """Open a unit of work on the live server's database."""
    engine = make_engine(Settings.from_env({}, instance_dir=live_instance).sqlalchemy_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            yield uow
    finally:
        engine.dispose()


def make_staff(live_instance: Path, role: Role) -> str:
    """Create a member of staff in the live instance; return their email."""
    email = f"loket-{secrets.token_hex(4)}@bps.go.id"
    with live_uow(live_instance) as uow:
        check_create_user(
            uow, SYSTEM, email=email, name="Rudi Loket", roles=[role], password=PASSWORD, email_verified=True
        )
        uow.commit()
    return email


def walk_in(live_instance: Path, name: str, minutes_ago: float = 0, service: str = "library") -> str:
    """Record a visitor who filled in the guest book `minutes_ago`; return their ticket's code."""
    with live_uow(live_instance) as uow:
        when = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
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


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    """Tell whether the page fits its viewport's width."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash with small scrypt parameters."""
    monkeypatch.setattr("library.people.passwords._N", 2**12)


@pytest.fixture
def board_shots() -> Path:
    """Return the folder the queue's screenshots go to."""
    folder = Path("/tmp/shots-queue")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_board_shows_a_call_from_a_console_without_reloading(
    browser, live_server: str, live_instance: Path, quick_passwords, screenshots: Path, board_shots: Path
) -> None:
    email = make_staff(live_instance, Role.FRONT_OFFICE)
    walk_in(live_instance, "Dewi Board")
    walk_in(live_instance, "Eko Board")
    board_context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    staff_context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        board = board_context.new_page()
        board.goto(live_server + "/antrean")
        assert board.get_by_text("Ketuk atau klik di mana saja untuk menyalakan bel panggilan.").is_visible()
        board.evaluate("window.loadedOnce = 'yes'")  # gone if the page reloads
        board.locator("body").click()
        assert board.get_by_text("Suara menyala").is_visible()
        board.screenshot(path=str(board_shots / "board-1920-before.png"))

        console = staff_context.new_page()
        sign_in(console, live_server, email)
        console.goto(live_server + "/loket/perpustakaan")
        console.get_by_label("Loket Anda").fill("Loket 7")
        press(console, console.get_by_role("button", name="Mulai bertugas di loket ini"))
        press(console, console.get_by_role("button", name="Panggil berikutnya"))
        called = console.locator(".flash-success").inner_text()
        code = called.split()[0]
        assert called == f"{code} dipanggil ke Loket 7."

        wait_until(board, "code => document.getElementById('now-code').textContent === code", code, 15)
        assert board.locator("#now-counter").inner_text() == "Loket 7"
        assert board.evaluate("window.loadedOnce") == "yes"
        assert "fresh" in (board.locator(".now").get_attribute("class") or "")
        first_call = board.locator('[data-service="library"] .calls li').first.inner_text()
        assert code in first_call and "Loket 7" in first_call
        board.screenshot(path=str(board_shots / "board-1920-called.png"))
        board.screenshot(path=str(screenshots / "queue-board-1920.png"))

        board.set_viewport_size({"width": 1024, "height": 768})
        assert board.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
        assert no_sideways_scroll(board)
        board.screenshot(path=str(board_shots / "board-1024.png"))
        board.set_viewport_size(PHONE)
        assert no_sideways_scroll(board)
        board.screenshot(path=str(board_shots / "board-360.png"), full_page=True)
    finally:
        board_context.close()
        staff_context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_librarian_calls_serves_and_explains_a_late_start(
    browser,
    live_server: str,
    live_instance: Path,
    quick_passwords,
    board_shots: Path,
    viewport: dict[str, int],
) -> None:
    email = make_staff(live_instance, Role.LIBRARIAN)
    size = f"{viewport['width']}"
    context = browser.new_context(viewport=viewport, locale="id-ID")
    try:
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(live_server + "/loket/perpustakaan")
        assert page.get_by_role("heading", name="Di loket mana Anda bertugas?").is_visible()
        page.get_by_label("Loket Anda").fill("Meja Baca")
        press(page, page.get_by_role("button", name="Mulai bertugas di loket ini"))
        # Close whoever earlier tests left waiting, so this visitor is next.
        while page.locator(".waiting-list li").count():
            press(page, page.get_by_role("button", name="Panggil berikutnya"))
            card = page.locator(".ticket-card.status-called").first
            press(page, card.get_by_role("button", name="Tidak hadir"))

        late = walk_in(live_instance, f"Fajar {size}", minutes_ago=7)
        page.reload()
        row = page.locator(".waiting-list li", has_text=late)
        assert "Lewat target" in row.inner_text() and "7 dari 5 menit" in row.inner_text()
        page.screenshot(path=str(board_shots / f"console-{size}-waiting.png"), full_page=True)
        assert no_sideways_scroll(page)

        press(page, page.get_by_role("button", name="Panggil berikutnya"))
        assert page.locator(".flash-success").inner_text() == f"{late} dipanggil ke Meja Baca."
        card = page.locator(".ticket-card", has_text=late)
        press(page, card.get_by_role("button", name="Mulai layanan"))
        reason = page.get_by_label("Alasan keterlambatan")
        assert reason.is_visible()
        assert "melewati target 5 menit" in page.locator(".reason-form").inner_text()
        reason.fill("Printer macet, petugas membantu pengunjung lain")
        other = walk_in(live_instance, f"Gita {size}")
        page.wait_for_timeout(12_000)  # longer than the list's refresh: it must have waited for the form
        assert reason.input_value() == "Printer macet, petugas membantu pengunjung lain"
        assert page.locator(".waiting-list li", has_text=other).count() == 0
        page.screenshot(path=str(board_shots / f"console-{size}-reason.png"), full_page=True)
        assert no_sideways_scroll(page)
        press(page, page.locator(".reason-form").get_by_role("button", name="Mulai layanan"))
        assert page.locator(".flash-success").inner_text() == f"Layanan {late} dimulai."
        serving = page.locator(".ticket-card", has_text=late)
        assert "Sedang dilayani" in serving.inner_text() and "Lewat target" in serving.inner_text()

        # The waiting list refreshes itself (no form in use now) and shows a visitor who came since.
        newcomer = walk_in(live_instance, f"Hadi {size}")
        page.locator(".waiting-list li", has_text=newcomer).wait_for(timeout=20_000)
        press(page, page.locator(".ticket-card", has_text=late).get_by_role("button", name="Selesai"))
        assert page.locator(".flash-success").inner_text() == f"Layanan {late} selesai."
        page.screenshot(path=str(board_shots / f"console-{size}-done.png"), full_page=True)
        assert no_sideways_scroll(page)
    finally:
        context.close()


def test_a_consultant_calls_records_and_finishes_and_the_next_clock_starts(
    browser, live_server: str, live_instance: Path, quick_passwords, board_shots: Path
) -> None:
    email = make_staff(live_instance, Role.CONSULTANT)
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(live_server + "/loket/konsultasi")
        page.get_by_label("Loket Anda").fill("Meja Konsultasi 2")
        press(page, page.get_by_role("button", name="Mulai bertugas di loket ini"))
        # Close whoever earlier tests left waiting, so these visitors are next.
        while page.locator(".waiting-list li").count():
            press(page, page.get_by_role("button", name="Panggil berikutnya"))
            press(
                page,
                page.locator(".ticket-card.status-called").first.get_by_role("button", name="Tidak hadir"),
            )

        first = walk_in(live_instance, "Indah Konsultasi", minutes_ago=2, service="consultation")
        second = walk_in(live_instance, "Joko Konsultasi", minutes_ago=1, service="consultation")
        page.reload()
        assert (
            "menunggu pengunjung sebelumnya selesai"
            in page.locator(".waiting-list li", has_text=second).inner_text()
        )
        press(page, page.get_by_role("button", name="Panggil berikutnya"))
        assert page.locator(".flash-success").inner_text() == f"{first} dipanggil ke Meja Konsultasi 2."
        press(page, page.locator(".ticket-card", has_text=first).get_by_role("button", name="Mulai layanan"))

        card = page.locator(".ticket-card", has_text=first)
        press(page, card.get_by_role("button", name="Selesai"))  # no topic yet
        assert "Tulis topik konsultasi" in page.locator(".record-form").inner_text()
        card = page.locator(".ticket-card", has_text=first)
        card.get_by_label("Topik").fill("Kemiskinan per kecamatan")
        card.get_by_label("Yang diberikan").fill("Tabel P0 2020-2025")
        card.get_by_label("Rujukan").select_option(label="Ke permintaan softcopy")
        page.wait_for_timeout(12_000)  # longer than the list's refresh: the typed record must stay
        assert card.get_by_label("Topik").input_value() == "Kemiskinan per kecamatan"
        page.screenshot(path=str(board_shots / "consultation-360-record.png"), full_page=True)
        assert no_sideways_scroll(page)
        press(page, card.get_by_role("button", name="Selesai"))
        assert page.locator(".flash-success").inner_text() == f"Layanan {first} selesai."

        waiting = page.locator(".waiting-list li", has_text=second).inner_text()
        assert "menunggu pengunjung sebelumnya selesai" not in waiting and "dari 10 menit" in waiting
        done = page.locator(".finished-list li", has_text=first)
        assert "Kemiskinan per kecamatan" in done.inner_text()
        press(page, done.get_by_role("link", name=first))
        assert page.locator(".record-referral").inner_text() == "Ke permintaan softcopy"
        assert "Tabel P0 2020-2025" in page.locator(".record-given").inner_text()
        assert no_sideways_scroll(page)
    finally:
        context.close()
