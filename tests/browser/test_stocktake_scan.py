"""At 360 px a librarian takes stock: barcodes typed as a USB scanner types them, with and without script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from library.models import Holding, Item, Role
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot
from tests.browser.test_printed_copies import assert_fits_the_screen

PASSWORD = "rak besi lantai satu"
EMAIL = "opname.pustaka@bps.go.id"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def places(live_instance: Path) -> dict[str, list[str]]:
    """Make a librarian; return the barcodes of the demo's copies by place."""
    with live_uow(live_instance) as uow:
        add_account(uow, EMAIL, "Opname Pustakawan", PASSWORD, roles=[Role.LIBRARIAN])
        uow.commit()
        rows = uow.session.execute(
            select(Holding.location, Item.barcode).join(Item, Item.holding_id == Holding.id).order_by(Item.id)
        ).all()
    found: dict[str, list[str]] = {}
    for location, barcode in rows:
        found.setdefault(location, []).append(barcode)
    assert len(found) >= 2
    return found


@pytest.fixture
def shelf(places: dict[str, list[str]], javascript: bool) -> tuple[str, list[str], str]:
    """Return a place (one a test: one stock-taking a place at a time), its copies, and one elsewhere."""
    place = (max if javascript else min)(places)
    return place, places[place], next(codes[0] for other, codes in places.items() if other != place)


@pytest.fixture
def phone(browser, javascript: bool) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """Open a fresh browser context the size of a small phone, with or without script."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=javascript)
    yield context.new_page()
    context.close()


def scan(page: Page, barcode: str) -> None:
    """Type a barcode into the focused field and press Enter, as a USB scanner does."""
    page.keyboard.type(barcode)
    page.keyboard.press("Enter")


def count(page: Page, name: str):  # type: ignore[no-untyped-def]
    """Return the locator of one running count."""
    return page.locator(f"[data-count={name}]")


def start_stocktake(page: Page, live_server: str, place: str) -> None:
    """Sign in, open the stock-taking page and start one of the place."""
    page.goto(live_server + "/masuk")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/masuk"))
    page.goto(live_server + "/meja/opname")
    page.locator("select[name=location]").select_option(place)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/meja/opname/\d+$"))


@pytest.mark.parametrize("javascript", [True])
def test_scans_typed_fast_are_each_counted_once_and_the_field_stays_ready(
    phone: Page, live_server: str, shelf: tuple[str, list[str], str], screenshots: Path
) -> None:
    page = phone
    place, barcodes, elsewhere = shelf
    start_stocktake(page, live_server, place)
    expect(page.locator("#barcode")).to_be_focused()
    expect(page.locator("#camera")).to_be_hidden()  # no BarcodeDetector in this browser: typing it is
    for barcode in [barcodes[0], barcodes[0], elsewhere, "TIDAK-ADA-1", *barcodes[1:]]:
        scan(page, barcode)  # no wait between scans: the page sends them one after the other
    expect(count(page, "unknown")).to_have_text("1")
    expect(count(page, "seen")).to_have_text(str(len(barcodes)))
    expect(count(page, "missing")).to_have_text("0")
    expect(count(page, "misplaced")).to_have_text("1")
    expect(page.locator("#barcode")).to_be_focused()
    expect(page.locator("#barcode")).to_have_value("")
    assert_fits_the_screen(page)
    shoot(page, screenshots / "stocktake-scan-360.png", full_page=True)
    page.reload()  # what the page showed is what was stored
    expect(count(page, "seen")).to_have_text(str(len(barcodes)))


@pytest.mark.parametrize("javascript", [False])
def test_without_script_each_scan_comes_back_with_the_field_focused(
    phone: Page, live_server: str, shelf: tuple[str, list[str], str]
) -> None:
    page = phone
    place, barcodes, _ = shelf
    start_stocktake(page, live_server, place)
    expect(page.locator("#barcode")).to_be_focused()
    scan(page, barcodes[0])
    page.wait_for_load_state()
    expect(page.locator("main").get_by_text(barcodes[0])).to_be_visible()
    expect(count(page, "seen")).to_have_text("1")
    expect(page.locator("#barcode")).to_be_focused()
    assert_fits_the_screen(page)
