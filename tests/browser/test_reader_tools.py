"""The reader's tools in Chromium at desktop and 360 px: zoom, previous/next, arrows, thumbnails, page text;
and the header on a phone: one row with a Menu button, never wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from library.models import Publication, Role
from library.people.users import check_create_user
from library.settings import Settings
from library.uow import UnitOfWork
from tests.browser.navigation import wait_until
from webapp import create_app

EMAIL, PASSWORD = "baca.alat@example.id", "kopi tubruk pagi hari"
OPEN_KEY = "metro-direktori-pasar-2019"  # four scanned pages
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module")
def publication(live_instance: Path) -> int:
    """Add a verified reader to the live instance; return the id of a four-page open publication."""
    app = create_app(Settings.from_env({}, instance_dir=live_instance))
    with UnitOfWork(app.extensions["pustaka"].session_factory) as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == OPEN_KEY))
        person = {"email": EMAIL, "name": "Rina Wati", "password": PASSWORD, "email_verified": True}
        check_create_user(uow, None, roles=[Role.READER], **person)
        uow.commit()
    assert found is not None
    return found


@pytest.fixture(params=sorted(VIEWPORTS))
def reader(request, browser, live_server: str, publication: int) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Sign the reader in at a desktop or a 360 px width and open the reader."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="id-ID")
    page = context.new_page()
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/baca/{publication}")
    wait_until(page, "() => !document.querySelector('[data-reader-tools]').hidden")
    page.width_name = request.param  # for screenshot names
    yield page
    context.close()


def loaded(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the picture under `selector` has arrived and been decoded."""
    wait_until(
        page,
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        selector,
        60,
    )


def below_the_bar(page, number: int) -> float:  # type: ignore[no-untyped-def]
    """Return how far page `number` starts below the reader's bar (negative: hidden under it)."""
    return page.evaluate(
        """n => document.querySelector('#hal-' + n).getBoundingClientRect().top
             - document.querySelector('.reader-bar').getBoundingClientRect().bottom""",
        number,
    )


def fits(page) -> bool:  # type: ignore[no-untyped-def]
    """Tell whether the page needs no horizontal scrolling."""
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def picture_width(page, number: int) -> float:  # type: ignore[no-untyped-def]
    """Return the width page `number` is shown at, in CSS pixels."""
    return page.evaluate("n => document.querySelector(`#hal-${n} img`).getBoundingClientRect().width", number)


def test_next_and_previous_turn_pages_and_land_below_the_bar(reader, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_role("button", name="Halaman berikutnya").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))
    assert 0 <= below_the_bar(reader, 2) < 40
    assert reader.get_by_label("Ke halaman").input_value() == "2"
    reader.get_by_role("button", name="Halaman berikutnya").click()
    reader.get_by_role("button", name="Halaman sebelumnya").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))
    assert 0 <= below_the_bar(reader, 2) < 40
    assert fits(reader)
    reader.screenshot(path=str(screenshots / f"reader-tools-next-{reader.width_name}.png"))


def test_the_arrow_keys_turn_pages(reader) -> None:  # type: ignore[no-untyped-def]
    loaded(reader, "#hal-1 img")  # a person turns pages once they are shown: the layout has settled
    reader.keyboard.press("ArrowRight")
    reader.wait_for_url(re.compile(r"#hal-2$"))
    loaded(reader, "#hal-2 img")
    reader.keyboard.press("ArrowRight")
    reader.wait_for_url(re.compile(r"#hal-3$"))
    reader.keyboard.press("ArrowLeft")
    reader.wait_for_url(re.compile(r"#hal-2$"))
    assert 0 <= below_the_bar(reader, 2) < 40


def test_going_to_a_page_on_the_form_lands_below_the_bar_however_it_wraps(reader) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_label("Ke halaman").fill("3")
    reader.keyboard.press("Enter")
    reader.wait_for_url(re.compile(r"#hal-3$"))
    wait_until(reader, "() => !document.querySelector('[data-reader-tools]').hidden")
    loaded(reader, "#hal-3 img")
    assert below_the_bar(reader, 3) >= 0
    assert fits(reader)


def test_zoom_grows_the_pages_without_widening_the_page_and_is_kept_on_the_next_page_opened(
    reader, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    fitted = picture_width(reader, 1)
    reader.get_by_role("button", name="Perbesar").click()
    reader.get_by_role("button", name="Perbesar").click()
    zoomed = picture_width(reader, 1)
    assert zoomed > fitted * 1.2
    assert picture_width(reader, 3) == pytest.approx(zoomed, abs=2)  # every page, not one
    assert re.fullmatch(r"\d+%", reader.locator("[data-reader-zoom]").inner_text())
    assert fits(reader)  # a page wider than the screen scrolls inside the reader, not the whole page
    reader.screenshot(path=str(screenshots / f"reader-tools-zoom-{reader.width_name}.png"))

    reader.get_by_label("Ke halaman").fill("3")
    reader.keyboard.press("Enter")  # a new page load: the zoom stays
    reader.wait_for_url(re.compile(r"#hal-3$"))
    wait_until(reader, "() => !document.querySelector('[data-reader-tools]').hidden")
    assert picture_width(reader, 3) == pytest.approx(zoomed, abs=2)
    assert below_the_bar(reader, 3) >= 0

    reader.get_by_role("button", name="Sesuai lebar").click()
    assert picture_width(reader, 3) == pytest.approx(fitted, abs=2)
    reader.get_by_role("button", name="Perkecil").click()
    assert picture_width(reader, 3) < fitted


def test_thumbnails_load_as_one_small_sheet_and_take_the_reader_to_a_page(reader, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    thumbs = reader.locator("[data-reader-thumbs]")
    if reader.width_name == "phone":
        assert not thumbs.evaluate("d => d.open")  # a phone shows the pages first
        thumbs.locator("summary").click()
    assert thumbs.evaluate("d => d.open")
    loaded(reader, ".thumb-sheet img")
    assert reader.evaluate("document.querySelector('.thumb-sheet img').naturalWidth") == 96
    sheets = reader.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/kecil/')).length"
    )
    assert sheets == 1  # one request for all four thumbnails
    reader.screenshot(path=str(screenshots / f"reader-tools-thumbnails-{reader.width_name}.png"))
    reader.locator(".thumb-links a[data-page='4']").click()
    reader.wait_for_url(re.compile(r"#hal-4$"))
    assert below_the_bar(reader, 4) >= 0
    assert fits(reader)


def test_each_page_has_its_text_one_link_away(reader) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_role("link", name="Teks halaman 2").click()
    reader.wait_for_load_state()
    assert reader.get_by_role("heading", level=1).inner_text() == "Teks halaman 2 dari 4"
    assert reader.locator(".page-text").is_visible()
    assert fits(reader)
    reader.get_by_role("link", name="Gambar halaman 2").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))


@pytest.mark.parametrize("width", [360, 390])
def test_on_a_phone_the_header_is_the_name_and_menu_over_the_search_box_and_nothing_scrolls_sideways(
    browser, live_server: str, width: int, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        rows = page.evaluate(
            """() => {
                const tops = [...document.querySelectorAll('header.site a, header.site button')]
                    .filter(e => e.getClientRects().length && e.getBoundingClientRect().width > 0)
                    .map(e => e.getBoundingClientRect().top).sort((a, b) => a - b);
                let rows = 0, start = -Infinity;  // a row: controls whose tops are within 24 px
                for (const top of tops) if (top - start > 24) { rows += 1; start = top; }
                return rows;
            }"""
        )
        assert rows <= 2
        assert not page.get_by_role("link", name="Katalog", exact=True).first.is_visible()
        assert fits(page)
        page.screenshot(path=str(screenshots / f"header-{width}-closed.png"))
        menu = page.get_by_role("button", name="Menu")
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.locator("header.site").get_by_role("link", name="Katalog").is_visible()
        assert page.locator("header.site").get_by_role("link", name="Masuk").is_visible()
        assert fits(page)
        page.screenshot(path=str(screenshots / f"header-{width}-open.png"))
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
    finally:
        context.close()


def test_on_a_desktop_the_header_shows_its_menu_without_a_button(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.locator("header.site").get_by_role("link", name="Katalog").is_visible()
