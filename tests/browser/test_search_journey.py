"""Searching in Chromium at desktop and 360 px: from the header, a correction when nothing is found,
and inside one publication down to the page in the reader."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from library.models import Role
from library.settings import Settings
from library.uow import UnitOfWork
from tests.browser.live_data import add_account
from tests.browser.pictures import shoot
from tests.conftest import require_service
from tests.demo_fixtures import clone_instance
from tests.serving import serve
from webapp import create_app

EMAIL, PASSWORD = "rina.search@gmail.com", "kopi tubruk pagi hari"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module")
def indexed_server(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[str]:
    """Serve a demo instance whose publications are in the search index, with one reader."""
    require_service("Tesseract", shutil.which("tesseract") is not None)
    instance = clone_instance(indexed_instance, tmp_path_factory.mktemp("search") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    with UnitOfWork(app.extensions["pustaka"].session_factory) as uow:
        add_account(uow, EMAIL, "Rina", PASSWORD, roles=[Role.READER])
        uow.commit()
    with serve(app) as url:
        yield url


@pytest.fixture(params=list(VIEWPORTS))
def device(browser, request):  # type: ignore[no-untyped-def]
    """Open a fresh browser context at a desktop or a 360 px phone width."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    tab = context.new_page()
    tab.device = request.param
    yield tab
    context.close()


def fits(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """Tell whether an element lies within the window's width (nothing to scroll sideways to)."""
    return bool(
        page.evaluate(
            "s => { const e = document.querySelector(s); const r = e.getBoundingClientRect();"
            " return r.left >= 0 && r.right <= window.innerWidth && e.scrollWidth <= e.clientWidth + 1; }",
            selector,
        )
    )


def search_from_header(page, words: str) -> None:  # type: ignore[no-untyped-def]
    """Type words into the header's search box and send them."""
    box = page.locator("#header-q")
    expect(box).to_be_visible()
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/cari/\?q="))


def test_a_visitor_searches_from_the_header_and_sees_covers_years_and_access(
    device, indexed_server: str, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = device
    page.goto(indexed_server + "/katalog/")
    assert fits(page, ".header-search")
    search_from_header(page, "tengkulak")
    hit = page.locator(".hit").first
    expect(hit.locator(".hit-title")).to_have_text("Direktori Pasar dan Pusat Perdagangan Kota Metro 2019")
    expect(hit.locator(".hit-cover img")).to_be_visible()
    expect(hit.locator(".year")).to_have_text("2019")
    expect(hit.locator(".badge")).to_have_text("Terbuka")
    assert fits(page, "main") and fits(page, ".hit")
    if page.device == "phone":  # one column: the results first, the filters after them
        assert hit.bounding_box()["y"] < page.locator(".facets").bounding_box()["y"]
    shoot(page, screenshots / f"search-1-header-{page.device}.png", full_page=True)


def test_nothing_found_offers_a_correction_that_finds_something(
    device, indexed_server: str, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = device
    page.goto(indexed_server + "/")
    search_from_header(page, "penddk")
    expect(page.locator("#results-count")).to_have_text("0 publikasi ditemukan")
    expect(page.locator(".no-results")).to_be_visible()
    assert fits(page, "main")
    shoot(page, screenshots / f"search-2-nothing-{page.device}.png", full_page=True)
    page.locator(".suggestion a").click()
    page.wait_for_url(re.compile(r"q=penduduk"))
    expect(page.locator(".hit")).not_to_have_count(0)


def test_a_reader_searches_inside_a_publication_and_opens_the_page_found(
    device, indexed_server: str, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    page = device
    page.goto(indexed_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    search_from_header(page, "Kota Metro Dalam Angka 2024")
    page.locator(".hit-title", has_text="Kota Metro Dalam Angka 2024").first.click()
    page.wait_for_url(re.compile(r"/katalog/\d+$"))

    box = page.get_by_label("Cari di dalam publikasi ini")
    box.fill("penduduk")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/cari/dalam/\d+\?q=penduduk"))
    hits = page.locator(".page-hit")
    expect(hits.nth(1)).to_be_attached()  # two at least
    expect(hits.first.locator("mark")).not_to_have_count(0)
    assert fits(page, "main")
    shoot(page, screenshots / f"search-3-inside-{page.device}.png", full_page=True)

    link = hits.nth(1).locator(".page-number")
    number = int(re.search(r"halaman=(\d+)", link.get_attribute("href") or "").group(1))
    expect(link).to_have_text(f"Halaman {number}")
    link.click()
    page.wait_for_url(re.compile(rf"/baca/\d+(\?sesi=\w+)?#hal-{number}$"))  # the reading session's id
