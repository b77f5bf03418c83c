"""A librarian scans printed pages for a walk-in visitor (desk and phone); the visitor downloads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.models import Role, User
from library.settings import Settings
from runtime.consumer import start_embedded
from runtime.lanes import Lane
from tests.browser.navigation import follow_menu
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.browser.softcopy_helpers import LiveServer, make_person, sign_in
from tests.demo_fixtures import clone_instance
from tests.integration.ingest import hostile_files
from tests.integration.library.pdf_helpers import tiny_pdf
from tests.serving import serve
from tests.visits import walk_in
from webapp import create_app

NOW = dt.datetime(2026, 11, 23, 3, 15, tzinfo=dt.UTC)  # 10:15 in Kota Metro
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
TITLE = "Kota Metro Dalam Angka 2019, hlm. 10-12"


@pytest.fixture(scope="module")
def scan_server(live_instance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve a copy of the demo instance at 10:15 at the office, its interactive lane consumed."""
    instance = clone_instance(live_instance, tmp_path_factory.mktemp("scans") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    app.extensions["pustaka"].now = lambda: NOW
    jobs = app.extensions["pustaka"].jobs
    with serve(app) as url:
        consuming = start_embedded(jobs, workers={Lane.INTERACTIVE: 1})
        try:
            yield LiveServer(url, app)
        finally:
            # Before `serve` closes the runtime: a consumer's scheduler still polling, or a flush
            # after, would open the queue's connection again, left to the garbage collector.
            consuming.stop(graceful=True)
            jobs.flush()


@pytest.fixture
def server(scan_server: LiveServer) -> LiveServer:
    """Return the module's server."""
    return scan_server


def add_visit(app: Flask, name: str, email: str = "", with_account: bool = False) -> str:
    """Store today's visit with a library ticket, as the guest book would; return the ticket's code."""
    with app.extensions["pustaka"].transaction() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.email == email)) if with_account else None
        arrived = NOW - dt.timedelta(minutes=10)
        _, tickets = walk_in(uow, name, arrived, day=NOW.date(), user_id=user_id, email=email)
        return tickets["library"].code


def open_page(browser: Browser, viewport: dict[str, int]) -> Page:
    """Open a fresh context (no cookies) at a viewport size, in Indonesian."""
    return browser.new_context(viewport=viewport, locale="id-ID").new_page()  # type: ignore[arg-type]


def test_a_librarian_scans_for_a_visitor_who_then_downloads_the_copy(
    server: LiveServer, browser: Browser, screenshots: Path, tmp_path: Path
) -> None:
    base, app = server.url, server.app
    librarian = make_person(app, "rina.pustaka@bps.go.id", "Rina Pustakawan", (Role.LIBRARIAN,))
    visitor = make_person(app, "dewi.lestari@example.id", "Dewi Lestari")
    code = add_visit(app, "Dewi Lestari", visitor, with_account=True)
    page = open_page(browser, DESK)
    sign_in(page, base, librarian)
    follow_menu(page, "Meja pustakawan")
    desk_menu = page.get_by_role("navigation", name="Menu meja")
    desk_menu.get_by_role("link", name="Pindai untuk pengunjung").click()
    expect(page.get_by_role("heading", name="Pindai untuk pengunjung", level=1)).to_be_visible()
    shoot(page, screenshots / "scans-1-desk.png", full_page=True)
    a_hostile_file_is_refused_and_nothing_kept(page, code, screenshots, tmp_path)
    the_picker_names_the_publication_a_number_stands_for(page)
    the_scan_is_stamped_and_sent_to_the_collection(page, base, code, screenshots, tmp_path)
    page.context.close()
    the_visitor_downloads_the_copy_from_her_requests(browser, base, visitor, screenshots, tmp_path)


def a_hostile_file_is_refused_and_nothing_kept(
    page: Page, code: str, screenshots: Path, tmp_path: Path
) -> None:
    """A hostile file is refused on its field, saying why; nothing is kept."""
    encrypted = hostile_files.encrypted_pdf(tmp_path)
    page.get_by_label("Pengunjung", exact=True).select_option(label=f"Dewi Lestari · {code}")
    page.get_by_label("Yang dipindai").fill(TITLE)
    page.get_by_label("Berkas hasil pindai").set_input_files(str(encrypted))
    page.get_by_role("button", name="Kirim hasil pindai").click()
    expect(page.get_by_role("alert")).to_contain_text("dilindungi kata sandi")
    expect(page.get_by_text("Belum ada yang dipindai untuk pengunjung hari ini.")).to_be_visible()
    shoot(page, screenshots / "scans-2-refused.png", full_page=True)


def the_picker_names_the_publication_a_number_stands_for(page: Page) -> None:
    """The publication picker names the catalogue's publication a number stands for."""
    page.get_by_label("Publikasi di katalog (tidak wajib)").fill("Kota Metro")
    expect(page.locator("#publication-choices option").first).to_be_attached()
    first = page.locator("#publication-choices option").first
    number, title = first.get_attribute("value"), first.get_attribute("label")
    page.get_by_label("Publikasi di katalog (tidak wajib)").fill(number or "")
    expect(page.locator("#publication-picked")).to_have_text(title or "")
    page.get_by_label("Publikasi di katalog (tidak wajib)").fill("")


def the_scan_is_stamped_and_sent_to_the_collection(
    page: Page, base: str, code: str, screenshots: Path, tmp_path: Path
) -> None:
    """The scan is sent, stamped by the job, opened for printing, then offered to the collection."""
    scan = tmp_path / "pindaian.pdf"
    scan.write_bytes(tiny_pdf("Kota Metro Dalam Angka 2019", 3))
    page.get_by_label("Pengunjung", exact=True).select_option(label=f"Dewi Lestari · {code}")
    page.get_by_label("Yang dipindai").fill(TITLE)
    page.get_by_label("Berkas hasil pindai").set_input_files(str(scan))
    page.get_by_role("button", name="Kirim hasil pindai").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    # The scan job really runs (a consumer stamps the pages): longer than the default 5 s.
    expect(page.locator(".state h2")).to_have_text("Siap", timeout=30_000)  # the page refreshes itself
    expect(page.get_by_text("dewi.lestari@example.id")).to_be_visible()
    copy = page.get_by_role("link", name="Buka salinan untuk dicetak atau diserahkan")
    response = page.request.get(base + (copy.get_attribute("href") or ""))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    shoot(page, screenshots / "scans-3-ready.png", full_page=True)

    page.get_by_role("button", name="Tambahkan hasil pindai ini ke koleksi").click()
    expect(page.locator(".flash-success")).to_contain_text("Hasil pindai dikirim ke pemasukan")
    expect(page.get_by_role("link", name="Pekerjaan pemasukan")).to_be_visible()
    shoot(page, screenshots / "scans-4-to-collection.png", full_page=True)
    page.get_by_role("link", name="Pindai untuk pengunjung").first.click()
    expect(page.locator("table.scans-list tbody tr")).to_have_count(1)
    expect(page.locator("table.scans-list")).to_contain_text(TITLE)


def the_visitor_downloads_the_copy_from_her_requests(
    browser: Browser, base: str, visitor: str, screenshots: Path, tmp_path: Path
) -> None:
    """Dewi finds the copy on "My requests" and downloads it."""
    mine = open_page(browser, DESK)
    sign_in(mine, base, visitor)
    mine.goto(base + "/permintaan/")
    expect(mine.get_by_role("heading", name="Halaman yang dipindai untuk Anda di PST")).to_be_visible()
    with mine.expect_download() as downloading:
        mine.get_by_role("button", name=f"Unduh PDF {TITLE}").click()
    saved = tmp_path / "unduhan.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    shoot(mine, screenshots / "scans-5-my-requests.png", full_page=True)
    mine.context.close()


def test_a_librarian_scans_by_ticket_code_on_a_phone_for_a_visitor_without_email(
    server: LiveServer, browser: Browser, screenshots: Path, tmp_path: Path
) -> None:
    base, app = server.url, server.app
    librarian = make_person(app, "yuni.pustaka@bps.go.id", "Yuni Pustakawan", (Role.LIBRARIAN,))
    code = add_visit(app, "Budi Santoso")
    page = open_page(browser, PHONE)
    sign_in(page, base, librarian)
    page.goto(base + "/meja/pindai")
    assert fits_the_width(page)
    shoot(page, screenshots / "scans-6-phone-desk.png", full_page=True)

    page.get_by_label("atau kode tiket").fill(code.lower())
    page.get_by_label("Yang dipindai").fill("ab")
    page.get_by_role("button", name="Kirim hasil pindai").click()
    expect(page.get_by_role("alert")).to_contain_text("Sebutkan apa yang dipindai")
    expect(page.get_by_role("alert")).to_contain_text("Pilih berkas hasil pindai")
    assert fits_the_width(page)
    shoot(page, screenshots / "scans-7-phone-refused.png", full_page=True)

    images = []
    for number in (1, 2):
        path = tmp_path / f"halaman-{number}.jpg"
        hostile_files.page_image(620, 877).save(path, format="JPEG", quality=60)
        images.append(str(path))
    page.get_by_label("atau kode tiket").fill(code)
    page.get_by_label("Yang dipindai").fill("Statistik Daerah Kota Metro 2018, hlm. 3-4")
    page.get_by_label("Berkas hasil pindai").set_input_files(images)
    page.get_by_role("button", name="Kirim hasil pindai").click()
    # The scan job really runs (a consumer stamps the pages): longer than the default 5 s.
    expect(page.locator(".state h2")).to_have_text("Siap", timeout=30_000)  # the page refreshes itself
    expect(page.get_by_text("tidak memberikan alamat email")).to_be_visible()
    expect(page.get_by_text("2 halaman", exact=False).first).to_be_visible()
    assert fits_the_width(page)
    shoot(page, screenshots / "scans-8-phone-ready.png", full_page=True)
    page.context.close()
