"""The reader's tools in Chromium at desktop and 360 px: zoom, previous/next, arrows, thumbnails, page text;
and the header on a phone: one row with a Menu button, never wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from library.accounts.users import check_create_user
from library.models import Publication, Role
from library.models.base import utcnow
from library.settings import Settings
from runtime.root import Runtime
from tests.browser.navigation import DECODED, wait_in_page
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width

EMAIL, PASSWORD = "baca.alat@example.id", "kopi tubruk pagi hari"
OPEN_KEY = "metro-direktori-pasar-2019"  # four scanned pages
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
TOOLS_SHOWN = "() => !document.querySelector('[data-reader-tools]').hidden"  # the reader's script has run
# How far page `n` starts below the reader's bar (negative: hidden under it).
BELOW_THE_BAR = """n => document.querySelector('#hal-' + n).getBoundingClientRect().top
  - document.querySelector('.reader-bar').getBoundingClientRect().bottom"""
# Page `n` starts below the bar, and less than `within` px below it (unless `within` is null).
LANDED = f"""([n, within]) => {{
  const gap = ({BELOW_THE_BAR})(n);
  return gap >= 0 && (within == null || gap < within);
}}"""
# The width page `n` is shown at, in CSS pixels.
WIDTH = "n => document.querySelector(`#hal-${n} img`).getBoundingClientRect().width"


@pytest.fixture(scope="module")
def publication(live_instance: Path) -> int:
    """Add a verified reader to the live instance; return the id of a four-page open publication."""
    with closing(Runtime(Settings.from_env({}, instance_dir=live_instance))) as rt, rt.uow() as uow:
        found = uow.session.scalar(select(Publication.id).where(Publication.key == OPEN_KEY))
        person = {"email": EMAIL, "name": "Rina Wati", "password": PASSWORD, "email_verified": True}
        check_create_user(uow, None, roles=[Role.READER], **person, now=utcnow())
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
    wait_in_page(page, TOOLS_SHOWN)
    page.width_name = request.param  # for screenshot names
    yield page
    context.close()


def loaded(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the picture under `selector` has arrived and been decoded.

    Up to a minute: a page's picture is rendered when first asked for, and the server may answer
    "not yet" meanwhile (the reader's script then asks again, a little later each time).
    """
    wait_in_page(page, DECODED, selector, 60)


def below_the_bar(page, number: int) -> float:  # type: ignore[no-untyped-def]
    """Return how far page `number` starts below the reader's bar (negative: hidden under it)."""
    return page.evaluate(BELOW_THE_BAR, number)


def lands_below_the_bar(page, number: int, within: float | None = None) -> None:  # type: ignore[no-untyped-def]
    """Wait until page `number` starts below the reader's bar (under `within` px below, if given); check it.

    A few seconds at most: the page is turned when the key or button is pressed, but the bar's
    height, by which the page stops, is measured again by the reader's script when it changes.
    """
    wait_in_page(page, LANDED, [number, within], timeout=5)
    gap = below_the_bar(page, number)
    assert gap >= 0 and (within is None or gap < within), f"page {number} starts {gap} px below the bar"


def picture_width(page, number: int) -> float:  # type: ignore[no-untyped-def]
    """Return the width page `number` is shown at, in CSS pixels."""
    return page.evaluate(WIDTH, number)


def width_when(page, number: int, test: str, value: float) -> float:  # type: ignore[no-untyped-def]
    """Wait until page `number`'s width `w` passes a test against `value` (`v`), e.g. `w > v`; return it."""
    wait_in_page(
        page, f"([n, v]) => {{ const w = ({WIDTH})(n); return {test}; }}", [number, value], timeout=5
    )
    return picture_width(page, number)


def test_next_and_previous_turn_pages_and_land_below_the_bar(reader, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_role("button", name="Halaman berikutnya").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))
    lands_below_the_bar(reader, 2, within=40)
    expect(reader.get_by_label("Ke halaman")).to_have_value("2")
    reader.get_by_role("button", name="Halaman berikutnya").click()
    reader.get_by_role("button", name="Halaman sebelumnya").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))
    lands_below_the_bar(reader, 2, within=40)
    assert fits_the_width(reader)
    shoot(reader, screenshots / f"reader-tools-next-{reader.width_name}.png")


TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
GROW_FIRST_PAGE = """px => { const picture = document.querySelector('#hal-1 img');
  picture.style.height = `${picture.getBoundingClientRect().height + px}px`; }"""


def test_a_page_turned_to_stays_below_the_bar_while_a_picture_above_it_changes_size(reader) -> None:  # type: ignore[no-untyped-def]
    # A picture above arrives late, at another size (a page drawn for the first time, or the
    # picture saying it cannot be drawn): the page being read stays where it landed...
    reader.get_by_role("button", name="Halaman berikutnya").click()
    reader.wait_for_url(re.compile(r"#hal-2$"))
    lands_below_the_bar(reader, 2, within=40)
    reader.evaluate(GROW_FIRST_PAGE, 300)
    lands_below_the_bar(reader, 2, within=40)
    # ...until the reader scrolls on: then where they scrolled to is theirs, not pulled back.
    reader.mouse.move(300, 400)
    reader.mouse.wheel(0, 120)
    wait_in_page(reader, "([n, v]) => (" + BELOW_THE_BAR + ")(n) < v", [2, -60], timeout=5)
    scrolled = below_the_bar(reader, 2)
    reader.evaluate(GROW_FIRST_PAGE, 200)
    reader.evaluate(TWO_FRAMES)  # the size observed and the page laid out again
    assert below_the_bar(reader, 2) == pytest.approx(scrolled, abs=4)


def test_the_arrow_keys_turn_pages(reader) -> None:  # type: ignore[no-untyped-def]
    loaded(reader, "#hal-1 img")  # a person turns pages once they are shown: the layout has settled
    reader.keyboard.press("ArrowRight")
    reader.wait_for_url(re.compile(r"#hal-2$"))
    loaded(reader, "#hal-2 img")
    reader.keyboard.press("ArrowRight")
    reader.wait_for_url(re.compile(r"#hal-3$"))
    reader.keyboard.press("ArrowLeft")
    reader.wait_for_url(re.compile(r"#hal-2$"))
    lands_below_the_bar(reader, 2, within=40)


def test_going_to_a_page_on_the_form_lands_below_the_bar_however_it_wraps(reader) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_label("Ke halaman").fill("3")
    reader.keyboard.press("Enter")
    reader.wait_for_url(re.compile(r"#hal-3$"))
    wait_in_page(reader, TOOLS_SHOWN)
    loaded(reader, "#hal-3 img")
    lands_below_the_bar(reader, 3)
    assert fits_the_width(reader)


def test_zoom_grows_the_pages_without_widening_the_page_and_is_kept_on_the_next_page_opened(
    reader, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    fitted = picture_width(reader, 1)
    reader.get_by_role("button", name="Perbesar").click()
    reader.get_by_role("button", name="Perbesar").click()
    zoomed = width_when(reader, 1, "w > v * 1.2", fitted)
    assert zoomed > fitted * 1.2
    every_page = width_when(reader, 3, "Math.abs(w - v) <= 2", zoomed)
    assert every_page == pytest.approx(zoomed, abs=2)  # every page, not one
    expect(reader.locator("[data-reader-zoom]")).to_have_text(re.compile(r"^\d+%$"))
    assert fits_the_width(
        reader
    )  # a page wider than the screen scrolls inside the reader, not the whole page
    shoot(reader, screenshots / f"reader-tools-zoom-{reader.width_name}.png")

    reader.get_by_label("Ke halaman").fill("3")
    reader.keyboard.press("Enter")  # a new page load: the zoom stays
    reader.wait_for_url(re.compile(r"#hal-3$"))
    wait_in_page(reader, TOOLS_SHOWN)
    assert width_when(reader, 3, "Math.abs(w - v) <= 2", zoomed) == pytest.approx(zoomed, abs=2)
    lands_below_the_bar(reader, 3)

    reader.get_by_role("button", name="Sesuai lebar").click()
    assert width_when(reader, 3, "Math.abs(w - v) <= 2", fitted) == pytest.approx(fitted, abs=2)
    reader.get_by_role("button", name="Perkecil").click()
    assert width_when(reader, 3, "w < v", fitted) < fitted


def test_thumbnails_load_as_one_small_sheet_and_take_the_reader_to_a_page(reader, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    thumbs = reader.locator("[data-reader-thumbs]")
    if reader.width_name == "phone":
        expect(thumbs).to_have_js_property("open", False)  # a phone shows the pages first
        thumbs.locator("summary").click()
    expect(thumbs).to_have_js_property("open", True)
    loaded(reader, ".thumb-sheet img")
    assert reader.evaluate("document.querySelector('.thumb-sheet img').naturalWidth") == 96
    sheets = reader.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/kecil/')).length"
    )
    assert sheets == 1  # one request for all four thumbnails
    shoot(reader, screenshots / f"reader-tools-thumbnails-{reader.width_name}.png")
    reader.locator(".thumb-links a[data-page='4']").click()
    reader.wait_for_url(re.compile(r"#hal-4$"))
    lands_below_the_bar(reader, 4)
    assert fits_the_width(reader)


def test_each_page_has_its_text_one_link_away(reader) -> None:  # type: ignore[no-untyped-def]
    reader.get_by_role("link", name="Teks halaman 2").click()
    reader.wait_for_load_state()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Teks halaman 2 dari 4")
    expect(reader.locator(".page-text")).to_be_visible()
    assert fits_the_width(reader)
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
        expect(page.get_by_role("link", name="Katalog", exact=True).first).not_to_be_visible()
        assert fits_the_width(page)
        shoot(page, screenshots / f"header-{width}-closed.png")
        menu = page.get_by_role("button", name="Menu")
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.locator("header.site").get_by_role("link", name="Katalog")).to_be_visible()
        expect(page.locator("header.site").get_by_role("link", name="Masuk")).to_be_visible()
        assert fits_the_width(page)
        shoot(page, screenshots / f"header-{width}-open.png")
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
    finally:
        context.close()


def test_on_a_desktop_the_header_shows_its_menu_without_a_button(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    expect(page.get_by_role("button", name="Menu")).not_to_be_visible()
    expect(page.locator("header.site").get_by_role("link", name="Katalog")).to_be_visible()
