"""Someone files a complaint on the website and follows it by its code; staff take it up and answer.

The person's pages are also looked at 360 px wide. Screenshots go to `build/screenshots/` for
a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from library.models import Role
from tests.browser.navigation import follow_menu
from tests.browser.pictures import shoot
from tests.browser.screen_width import nothing_wider_than_the_screen
from tests.browser.softcopy_helpers import LiveServer, make_person, sign_in
from tests.serving import serve

STAFF = "petugas.loket@metrokota.bps.go.id"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
ANSWER = "Mohon maaf atas ketidaknyamanannya. Mulai bulan depan kami menambah petugas pada jam sibuk."


@pytest.fixture(scope="module")
def complaint_server(app_as_built: Callable[[str], Flask]) -> Iterator[LiveServer]:
    """Serve a copy of the demo site as built, with a front-office member of staff."""
    app = app_as_built("complaints")
    make_person(app, STAFF, "Rina Petugas Loket", (Role.FRONT_OFFICE,))
    with serve(app) as url:
        yield LiveServer(url, app)


def phone(browser: Browser) -> Page:
    """Open a fresh context 360 px wide, as a small phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    return context.new_page()


def test_someone_files_a_complaint_and_follows_it_by_code(
    page: Page, browser: Browser, complaint_server: LiveServer, screenshots: Path, tmp_path: Path
) -> None:
    base = complaint_server.url
    code = file_a_complaint_with_a_picture(page, base, screenshots, tmp_path)
    # Later, on a phone: the code typed as it is read out, in small letters with spaces.
    small = phone(browser)
    small.goto(base + "/pengaduan")
    small.get_by_label("Kode pelacakan").fill(code.lower().replace("-", " "))
    small.get_by_role("button", name="Lihat statusnya").click()
    small.wait_for_load_state()
    expect(small.locator(".complaint-code")).to_have_text(code)
    nothing_wider_than_the_screen(small)
    small.goto(base + "/pengaduan/PGD-2222-3333-4444")
    expect(small.get_by_text("Tidak ada pengaduan dengan kode pelacakan ini")).to_be_visible()
    staff = the_staff_classify_handle_and_answer_it(browser, base, code, screenshots)
    small.goto(f"{base}/pengaduan/{code}")
    expect(small.locator(".lead .status")).to_have_text("Dijawab")
    expect(small.locator(".complaint-answer")).to_have_text(ANSWER)
    history = small.locator(".complaint-history")
    expect(history).to_contain_text("Mulai ditangani")
    expect(history).to_contain_text("Jawaban diberikan")
    assert "Rina" not in small.content()
    nothing_wider_than_the_screen(small)
    shoot(small, screenshots / "complaint-status-360.png", full_page=True)
    small.context.close()
    staff.context.close()


def file_a_complaint_with_a_picture(page: Page, base: str, screenshots: Path, tmp_path: Path) -> str:
    """File a complaint from the footer's link, a picture attached; return the tracking code shown."""
    page.goto(base + "/")
    page.locator("footer").get_by_role("link", name="Pengaduan layanan").click()
    expect(page.get_by_role("heading", name="Sampaikan pengaduan", level=1)).to_be_visible()
    page.get_by_label("Nama Anda").fill("Sari Dewi")
    page.get_by_label("Alamat email").fill("sari.dewi@example.id")
    page.get_by_label("Layanan", exact=True).select_option("library")
    page.get_by_label("Perihal pengaduan").fill("Antrean terlalu lama")
    page.get_by_label("Pengaduan Anda").fill("Saya menunggu lebih dari satu jam tanpa dipanggil petugas.")
    picture = tmp_path / "bukti-antrean.png"
    picture.write_bytes(PNG)
    page.get_by_label("Lampiran (tidak wajib)").set_input_files(picture)
    shoot(page, screenshots / "complaint-form.png", full_page=True)
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_load_state()
    shown_code = page.locator(".complaint-code")
    expect(shown_code).to_have_text(re.compile(r"^PGD-.{14}$"))  # 18 characters
    code = shown_code.inner_text()
    assert code.startswith("PGD-") and len(code) == 18
    expect(page.get_by_text("Simpan kode pelacakannya")).to_be_visible()
    expect(page.locator(".lead .status")).to_have_text("Diterima")
    expect(page.get_by_role("link", name="bukti-antrean.png")).to_be_visible()
    shoot(page, screenshots / "complaint-status.png", full_page=True)
    return code


def the_staff_classify_handle_and_answer_it(
    browser: Browser, base: str, code: str, screenshots: Path
) -> Page:
    """The complaint staff classify it by SKM element, take it up and answer; return their page."""
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    sign_in(staff, base, STAFF)
    follow_menu(staff, "Pengaduan")
    staff.get_by_role("link", name=code).click()
    staff.get_by_label("Unsur SKM").select_option("U3")
    staff.get_by_role("button", name="Simpan klasifikasi").click()
    staff.get_by_role("button", name="Mulai tangani").click()
    expect(staff.locator(".lead .status")).to_have_text("Sedang ditangani")
    staff.get_by_label("Jawaban", exact=True).fill(ANSWER)
    staff.get_by_role("button", name="Berikan jawaban").click()
    expect(staff.locator(".lead .status")).to_have_text("Dijawab")
    shoot(staff, screenshots / "complaint-desk.png", full_page=True)
    return staff
