"""A visitor reads the office's standards, switches language, browses and opens a publication."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.navigation import DECODED, follow_menu, wait_in_page
from tests.browser.pictures import shoot


def test_the_home_page_shows_the_library_standard(page, live_server: str, screenshots: Path) -> None:
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Layanan Perpustakaan")).to_be_visible()
    expect(page.get_by_text("dilayani paling lama 5 menit setelah mengisi buku tamu")).to_be_visible()
    shoot(page, screenshots / "home-id.png", full_page=True)


def test_the_english_switch_translates_the_page(page, live_server: str, screenshots: Path) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Library Service")).to_be_visible()
    shoot(page, screenshots / "home-en.png", full_page=True)
    page.get_by_role("link", name="Catalogue").first.click()
    expect(page.get_by_role("heading", name="Catalogue")).to_be_visible()


def test_a_reader_browses_the_catalogue_and_opens_a_publication(
    page, live_server: str, screenshots: Path
) -> None:
    page.goto(live_server + "/")
    follow_menu(page, "Katalog")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Katalog")).to_be_visible()
    covers = page.locator(".card img")
    expect(covers).not_to_have_count(0)
    wait_in_page(page, DECODED, ".card img", timeout=5)  # the first cover has come and been decoded
    shoot(page, screenshots / "catalogue.png", full_page=True)
    title = page.locator(".card-title").first.inner_text()
    page.locator(".card a").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Katalog BPS")).to_be_visible()
    shoot(page, screenshots / "publication.png", full_page=True)


def test_the_office_filter_narrows_the_catalogue(page, live_server: str) -> None:
    page.goto(live_server + "/katalog/")
    expect(page.locator(".card")).not_to_have_count(0)
    before = page.locator(".card").count()  # the catalogue's first page, as served
    page.get_by_label("Kantor penerbit").select_option("1600")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r"[?&]kantor=1600"))  # the filtered catalogue
    expect(page.locator(".card")).not_to_have_count(0)
    after = page.locator(".card").count()
    assert 0 < after < before
    expect(page.locator(".card .meta").filter(has_not_text=re.compile("Sumatera Selatan"))).to_have_count(0)


def test_the_keyboard_reaches_the_skip_link_first(page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Langsung ke isi")


def test_a_missing_page_is_explained_in_indonesian(page, live_server: str) -> None:
    response = page.goto(live_server + "/katalog/999999")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Tidak ditemukan")).to_be_visible()
