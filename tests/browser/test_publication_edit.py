"""A librarian edits a publication's title and access, withdraws and restores it, at desktop and at 360 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from library.models import Office, Publication, Role
from tests.browser.live_data import add_account, live_uow
from tests.browser.pictures import shoot
from tests.browser.test_printed_copies import assert_fits_the_screen

PASSWORD = "rak buku lantai tiga"
TYPO = "Statistik Kesejahteraan Rakyat Kota Metro 2O24"  # a letter O typed for a zero
FIXED = "Statistik Kesejahteraan Rakyat Kota Metro 2024"
NO_DATE = "Publikasi yang diembargo memerlukan tanggal berakhirnya embargo."
EMAIL = "sari.katalog@bps.go.id"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module")
def librarian(live_instance: Path) -> None:
    with live_uow(live_instance) as uow:
        add_account(uow, EMAIL, "Sari Katalog", PASSWORD, roles=[Role.LIBRARIAN])
        uow.commit()


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def publication(live_instance: Path, size: str) -> int:
    """Store a publication of its own for this test (the live instance is shared); return its id."""
    with live_uow(live_instance) as uow:
        office = uow.session.scalar(select(Office).where(Office.code == "1872"))
        row = Publication(
            key=f"edit-journey-{size}",
            title=TYPO,
            issuing_office=office,
            language="id",
        )
        uow.session.add(row)
        uow.commit()
        return row.id


@pytest.fixture
def tab(browser, size: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=SIZES[size], locale="id-ID")
    yield context.new_page()
    context.close()


def test_a_librarian_edits_withdraws_and_restores_a_publication(
    tab, live_server: str, librarian, publication: int, size: str, screenshots: Path
) -> None:
    page = tab
    the_librarian_opens_the_edit_form(page, live_server, publication)
    an_embargo_without_a_date_is_refused_then_the_edit_saved(page, size, screenshots)
    page.get_by_label("Alasan penarikan").fill("Diganti edisi revisi yang memperbaiki tabel 4.2.")
    page.get_by_role("button", name="Tarik publikasi").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Ditarik")).to_be_visible()
    expect(page.get_by_text("Diganti edisi revisi yang memperbaiki tabel 4.2.").first).to_be_visible()
    assert_fits_the_screen(page)
    shoot(page, screenshots / f"publication-edit-2-withdrawn-{size}.png", full_page=True)

    public = page.context.browser.new_context(viewport=SIZES[size], locale="id-ID").new_page()
    assert public.goto(f"{live_server}/katalog/{publication}").status == 404
    public.context.close()

    page.get_by_role("button", name="Pulihkan publikasi").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Publikasi dipulihkan")).to_be_visible()
    expect(page.get_by_role("button", name="Tarik publikasi")).to_be_visible()
    assert_fits_the_screen(page)
    page.get_by_role("link", name="Kembali ke publikasi").click()
    expect(
        page.get_by_role("heading", level=1, name="Statistik Kesejahteraan Rakyat Kota Metro 2024")
    ).to_be_visible()


def the_librarian_opens_the_edit_form(page: Page, live_server: str, publication: int) -> None:
    """The librarian signs in and opens the publication's edit form from its page."""
    page.goto(live_server + "/masuk")
    page.get_by_label("Alamat email").fill(EMAIL)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/katalog/{publication}")
    page.get_by_role("link", name="Ubah publikasi").click()
    page.wait_for_url(re.compile(rf"/meja/publikasi/{publication}/ubah$"))
    expect(page.get_by_role("heading", level=1, name="Ubah publikasi")).to_be_visible()
    assert_fits_the_screen(page)


def an_embargo_without_a_date_is_refused_then_the_edit_saved(
    page: Page, size: str, screenshots: Path
) -> None:
    """An embargo without its date is refused, naming the field (the title typed kept); "Terbatas" saves."""
    page.get_by_label("Judul", exact=True).fill(FIXED)
    page.get_by_label("Akses", exact=True).select_option(label="Embargo")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    summary.get_by_role(
        "link", name="Publikasi yang diembargo memerlukan tanggal berakhirnya embargo."
    ).click()
    expect(page.locator("#embargo_until")).to_be_focused()
    expect(page.get_by_label("Judul", exact=True)).to_have_value(
        "Statistik Kesejahteraan Rakyat Kota Metro 2024"
    )
    assert_fits_the_screen(page)
    shoot(page, screenshots / f"publication-edit-1-error-{size}.png", full_page=True)

    page.get_by_label("Akses", exact=True).select_option(label="Terbatas")
    page.get_by_role("button", name="Simpan perubahan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("2 isian disimpan.")).to_be_visible()
    history = page.locator(".change-history")
    expect(history.get_by_text(TYPO)).to_be_visible()
    expect(history.get_by_text("Terbatas")).to_be_visible()
    assert_fits_the_screen(page)
