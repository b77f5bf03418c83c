"""At 360 px a librarian records where printed copies are and a visitor reads it, not scrolling sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from library.models import Publication, Role
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot

PASSWORD = "lemari arsip lantai dua"
EMAIL = "wulan.pustaka@bps.go.id"
PHONE = {"width": 360, "height": 740}
# A location a librarian might paste: long, with a code longer than a phone's line and no place to break it.
LOCATION = (
    "Ruang baca PST lantai 2, lemari kaca sebelah kanan, rak ke-3 dari atas "
    "(kode RAKPSTMETRO00000000000000000001)"
)

WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const spills = (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible';
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 || spills(el))
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def assert_fits_the_screen(page) -> None:  # type: ignore[no-untyped-def]
    """Fail, naming the widest elements, when the page scrolls sideways."""
    fit = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert fit["scroll"] <= fit["width"], (
        f"the page is {fit['scroll']} px wide on a {fit['width']} px screen: {fit['wide']}"
    )


@pytest.fixture
def librarian(live_instance: Path) -> None:
    with live_uow(live_instance) as uow:
        add_account(uow, EMAIL, "Wulan Pustakawan", PASSWORD, roles=[Role.LIBRARIAN])
        uow.commit()


@pytest.fixture
def publication(live_instance: Path) -> tuple[int, str]:
    """Return the id and title of a demo publication with no printed copy recorded."""
    with live_uow(live_instance) as uow:
        row = uow.session.scalars(
            select(Publication).where(~Publication.holdings.any()).order_by(Publication.id)
        ).first()
        assert row is not None
        found = (row.id, row.title)
    return found


@pytest.fixture
def phone(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Open a fresh browser context the size of a small phone."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    yield context.new_page()
    context.close()


def test_printed_copies_are_kept_and_read_on_a_phone_without_scrolling_sideways(
    phone, live_server: str, librarian, publication: tuple[int, str], screenshots: Path
) -> None:
    page = phone
    pid, title = publication
    page.goto(f"{live_server}/katalog/{pid}")
    expect(
        page.get_by_text("Hanya digital: perpustakaan tidak memiliki salinan cetak publikasi ini.")
    ).to_be_visible()
    assert_fits_the_screen(page)
    the_librarian_opens_the_printed_copies_of(page, live_server, pid)
    a_wrong_count_is_named_then_the_copies_are_added(page, screenshots)
    the_edit_form_shows_the_copies_then_is_left(page, pid)
    the_publication_page_says_where_the_copies_are(page, live_server, pid, title, screenshots)
    page.get_by_role("link", name="Kelola salinan cetak").click()
    page.get_by_role("button", name=f"Hapus salinan di {LOCATION}").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Salinan cetak di {LOCATION} sudah dihapus dari catatan.")).to_be_visible()
    page.goto(f"{live_server}/katalog/{pid}")
    expect(
        page.get_by_text("Hanya digital: perpustakaan tidak memiliki salinan cetak publikasi ini.")
    ).to_be_visible()


def the_librarian_opens_the_printed_copies_of(page: Page, live_server: str, pid: int) -> None:
    """The librarian signs in and opens the publication's printed copies from its page."""
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/masuk"))  # signed in: the form led elsewhere
    page.goto(f"{live_server}/katalog/{pid}")
    page.get_by_role("link", name="Kelola salinan cetak").click()
    page.wait_for_url(re.compile(rf"/meja/katalog/{pid}/salinan-cetak$"))
    expect(page.get_by_role("heading", level=1, name="Salinan cetak")).to_be_visible()
    assert_fits_the_screen(page)


def a_wrong_count_is_named_then_the_copies_are_added(page: Page, screenshots: Path) -> None:
    """A count of 1000 is named in the error summary, whose link leads to the field; 2 are added."""
    page.get_by_label("Nomor panggil").fill("310.598 MET x 2024")
    page.get_by_label("Lokasi").fill(LOCATION)
    page.get_by_label("Jumlah eksemplar").fill("1000")
    page.get_by_role("button", name="Tambahkan salinan cetak").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="Ada masalah")).to_be_visible()
    summary.get_by_role("link", name="Jumlah eksemplar berupa bilangan bulat dari 1 sampai 999.").click()
    expect(page.locator("#copies")).to_be_focused()
    assert_fits_the_screen(page)
    shoot(page, screenshots / "printed-copies-1-error-360.png", full_page=True)

    page.get_by_label("Jumlah eksemplar").fill("2")
    page.get_by_label("Catatan (opsional)").fill("Edisi revisi; mintalah kepada petugas PST.")
    page.get_by_role("button", name="Tambahkan salinan cetak").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Salinan cetak di {LOCATION} sudah dicatat.")).to_be_visible()
    assert_fits_the_screen(page)
    shoot(page, screenshots / "printed-copies-2-desk-360.png", full_page=True)


def the_edit_form_shows_the_copies_then_is_left(page: Page, pid: int) -> None:
    """The copies' edit form shows what was kept; "Batal" leads back to the list."""
    page.get_by_role("link", name=f"Ubah salinan di {LOCATION}").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1, name="Ubah salinan cetak")).to_be_visible()
    expect(page.get_by_label("Jumlah eksemplar")).to_have_value("2")
    assert_fits_the_screen(page)
    page.get_by_role("link", name="Batal").click()
    page.wait_for_url(re.compile(rf"/meja/katalog/{pid}/salinan-cetak$"))


def the_publication_page_says_where_the_copies_are(
    page: Page, live_server: str, pid: int, title: str, screenshots: Path
) -> None:
    """The publication's page names the copies' place and call number, read in the reading room only."""
    page.get_by_role("link", name=title).click()
    page.wait_for_url(f"{live_server}/katalog/{pid}")
    printed = page.get_by_role("region", name="Salinan cetak")
    expect(printed.get_by_text(LOCATION)).to_be_visible()
    expect(printed.get_by_text("310.598 MET x 2024")).to_be_visible()
    expect(printed.get_by_text("Hanya dibaca di ruang baca PST; tidak dipinjamkan.")).to_be_visible()
    expect(page.get_by_role("link", name="2 salinan cetak: lihat lokasinya")).to_be_visible()
    assert_fits_the_screen(page)
    shoot(page, screenshots / "printed-copies-3-publication-360.png", full_page=True)
