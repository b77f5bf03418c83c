"""A reader follows a search hit into the in-browser reader and lands on the page that matched."""

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
from tests.browser.navigation import DECODED, wait_in_page
from tests.browser.pictures import shoot
from tests.conftest import require_service
from tests.demo_fixtures import clone_instance
from tests.serving import serve
from webapp import create_app

EMAIL, PASSWORD = "dewi.lestari@gmail.com", "teh manis hangat sore"
# Page `n` of the reader starts at the top of the window (under 150 px down).
AT_THE_TOP = """n => {
  const top = document.querySelector('#hal-' + n).getBoundingClientRect().top;
  return 0 <= top && top < 150;
}"""


@pytest.fixture(scope="module")
def indexed_server(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[str]:
    """Serve a demo instance whose publications went through ingest and the search index."""
    require_service("Tesseract", shutil.which("tesseract") is not None)
    instance = clone_instance(indexed_instance, tmp_path_factory.mktemp("reader") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    with UnitOfWork(app.extensions["pustaka"].session_factory) as uow:
        add_account(uow, EMAIL, "Dewi Lestari", PASSWORD, roles=[Role.READER])
        uow.commit()
    with serve(app) as url:
        yield url


def loaded(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the picture under `selector` has arrived and been decoded."""
    wait_in_page(page, DECODED, selector)


def test_a_search_hit_opens_the_reader_on_that_page_with_the_readers_name_on_it(
    page,
    indexed_server: str,
    screenshots: Path,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(indexed_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    page.goto(indexed_server + "/cari/?q=tengkulak")
    hit = page.locator(".found-on a[href*='/baca/']").first
    number = int(re.search(r"halaman=(\d+)", hit.get_attribute("href") or "").group(1))
    hit.click()
    page.wait_for_url(re.compile(rf"/baca/\d+\?sesi=[0-9A-Z]{{8}}#hal-{number}$"))

    target = f"#hal-{number} img"
    loaded(page, target)
    wait_in_page(page, AT_THE_TOP, number, timeout=5)  # the reader's script scrolls there as the page opens
    top = page.evaluate(f"document.querySelector('#hal-{number}').getBoundingClientRect().top")
    assert 0 <= top < 150, f"page {number} should be at the top of the window, not {top}px down"
    expect(page.locator(target)).to_have_attribute("alt", f"Halaman {number}")
    natural = page.evaluate(
        "s => { const i = document.querySelector(s); return [i.naturalWidth, i.naturalHeight]; }", target
    )
    reserved = [int(page.locator(target).get_attribute(side) or 0) for side in ("width", "height")]
    assert natural == reserved  # the box kept for the picture before it came was its real size
    shoot(page, screenshots / "reader-1-search-hit.png")

    page.get_by_label("Ke halaman").fill("1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/baca/\d+\?sesi=[0-9A-Z]{8}#hal-1$"))
    loaded(page, "#hal-1 img")
    shoot(page, screenshots / "reader-2-first-page.png")
    shoot(page.locator("#hal-1"), screenshots / "reader-3-whole-page-1.png")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, screenshots / "reader-4-top.png")

    page.get_by_role("navigation", name="Jejak navigasi").get_by_role("link").nth(1).click()
    page.wait_for_load_state()
    read = page.locator(".actions").get_by_role("link", name="Baca")
    expect(read).to_be_visible()
    shoot(page, screenshots / "reader-5-publication.png")
    read.click()
    page.wait_for_url(re.compile(r"/baca/\d+$"))


def test_someone_signed_out_on_a_phone_sees_the_first_page_of_an_open_publication_without_scrolling(
    browser,
    indexed_server: str,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(indexed_server + "/cari/?q=tengkulak")  # an open publication: its pages are read by anyone
        page.locator(".hit-title").first.click()
        page.get_by_role("link", name="Baca", exact=True).click()
        first = page.locator("#hal-1 img")
        loaded(page, "#hal-1 img")
        expect(first).to_be_in_viewport(ratio=0.3)
        assert page.evaluate("window.scrollY") == 0
    finally:
        context.close()
