"""A visitor reads the office's standards, switches language, browses and opens a publication."""

from __future__ import annotations

from pathlib import Path

from tests.browser.navigation import follow_menu


def test_the_home_page_shows_the_library_standard(page, live_server: str, screenshots: Path) -> None:
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Layanan Perpustakaan").is_visible()
    assert page.get_by_text("dilayani paling lama 5 menit setelah mengisi buku tamu").is_visible()
    page.screenshot(path=str(screenshots / "home-id.png"), full_page=True)


def test_the_english_switch_translates_the_page(page, live_server: str, screenshots: Path) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Library Service").is_visible()
    page.screenshot(path=str(screenshots / "home-en.png"), full_page=True)
    page.get_by_role("link", name="Catalogue").first.click()
    assert page.get_by_role("heading", name="Catalogue").is_visible()


def test_a_reader_browses_the_catalogue_and_opens_a_publication(
    page, live_server: str, screenshots: Path
) -> None:
    page.goto(live_server + "/")
    follow_menu(page, "Katalog")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Katalog").is_visible()
    covers = page.locator(".card img")
    assert covers.count() > 0
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", covers.first.element_handle())
    page.screenshot(path=str(screenshots / "catalogue.png"), full_page=True)
    title = page.locator(".card-title").first.inner_text()
    page.locator(".card a").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_text("Katalog BPS").is_visible()
    page.screenshot(path=str(screenshots / "publication.png"), full_page=True)


def test_the_office_filter_narrows_the_catalogue(page, live_server: str) -> None:
    page.goto(live_server + "/katalog/")
    before = page.locator(".card").count()
    page.get_by_label("Kantor penerbit").select_option("1600")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    after = page.locator(".card").count()
    assert 0 < after < before
    assert all("Sumatera Selatan" in t for t in page.locator(".card .meta").all_inner_texts())


def test_the_keyboard_reaches_the_skip_link_first(page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Langsung ke isi"


def test_a_missing_page_is_explained_in_indonesian(page, live_server: str) -> None:
    response = page.goto(live_server + "/katalog/999999")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Tidak ditemukan").is_visible()
