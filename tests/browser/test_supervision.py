"""The supervisor's view at a desk and on a phone: the counters now, and a counter closed with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from library.frontoffice.queue.actions import call_next, check_open_counter
from library.models import Role, User
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.browser.test_queue_board_and_console import (
    DESKTOP,
    PHONE,
    live_uow,
    make_staff,
    press,
    sign_in,
    walk_in,
)
from tests.integration.library.queue_helpers import OFFICE


def open_counter(live_instance: Path, email: str, counter: str, *, calling: bool = False) -> None:
    """Open a counter for the staff member (and call the next visitor to it)."""
    with live_uow(live_instance) as uow:
        staff = uow.session.scalars(select(User).where(User.email == email)).one()
        now = dt.datetime.now(dt.UTC)
        check_open_counter(uow, staff, OFFICE, "library", counter, now)
        if calling:
            call_next(uow, staff, OFFICE, "library", counter, now)
        uow.commit()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_office_head_sees_the_counters_and_closes_one_its_officer_left_open(
    browser, live_server: str, live_instance: Path, viewport: dict[str, int], screenshots: Path
) -> None:
    size = f"{viewport['width']}"
    officer = make_staff(live_instance, Role.FRONT_OFFICE)
    head = make_staff(live_instance, Role.OFFICE_HEAD)
    walk_in(live_instance, f"Tamu Pengawasan {size}")
    open_counter(live_instance, officer, f"Loket Sibuk {size}", calling=True)
    head_context = browser.new_context(viewport=viewport, locale="id-ID")
    officer_context = browser.new_context(viewport=viewport, locale="id-ID")
    try:
        console = officer_context.new_page()  # the officer works at a counter, then goes home
        sign_in(console, live_server, officer)
        console.goto(live_server + "/loket/perpustakaan")
        console.get_by_label("Loket Anda").fill(f"Loket Lupa {size}")
        press(console, console.get_by_role("button", name="Mulai bertugas di loket ini"))

        page = head_context.new_page()
        sign_in(page, live_server, head)
        page.goto(live_server + "/laporan/loket/")
        busy = page.locator("tr", has_text=f"Loket Sibuk {size}")
        expect(busy).to_contain_text("Buka sejak")
        expect(busy).to_contain_text("Dipanggil")
        expect(page.get_by_role("heading", name="Petugas hari ini")).to_be_visible()
        shoot(page, screenshots / f"supervision-{size}.png", full_page=True)
        assert fits_the_width(page)

        idle = page.locator("tr", has_text=f"Loket Lupa {size}")
        press(page, idle.get_by_role("button", name="Tutup loket ini"))  # no reason yet
        idle = page.locator("tr", has_text=f"Loket Lupa {size}")
        expect(idle.locator(".field-error")).to_contain_text("Tulis alasan")
        idle.get_by_label("Alasan menutup").fill("Petugas sudah pulang")
        press(page, idle.get_by_role("button", name="Tutup loket ini"))
        expect(page.locator(".flash-success")).to_contain_text(f"Loket Lupa {size} ditutup.")
        closed = page.locator("tr", has_text=f"Loket Lupa {size}")
        expect(closed).to_contain_text("Ditutup pukul")
        expect(closed).to_contain_text("Petugas sudah pulang")
        assert fits_the_width(page)

        console.reload()  # the officer's console says who closed their counter, when and why
        told = console.locator(".counter-closed-by")
        expect(told).to_contain_text(f"Loket Lupa {size} ditutup pukul")
        expect(told).to_contain_text("oleh Rudi Loket: Petugas sudah pulang")
        assert fits_the_width(console)
    finally:
        head_context.close()
        officer_context.close()
