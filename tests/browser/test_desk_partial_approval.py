"""A librarian approves only some of the pages a reader asked for; the reader sees which, and why.

The reader's request is made through the use case (the request form has its own journeys);
the librarian's side runs in the browser: the waiting count in the desk's menu, the request
page, a refused range, the narrowed approval. The copy job runs in immediate mode, inside the
approval, so the reader's page already offers the copy. At desktop width and at 360 px.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from library.models import AccessLevel, Role, User
from library.softcopy.request_checks import SoftcopyRequestDetails
from library.softcopy.requests import check_submit_request
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.browser.softcopy_helpers import (
    LiveServer,
    download,
    make_person,
    publication,
    served_copy,
    sign_in,
)

REASON = "Halaman 4-5 memuat angka sementara yang belum dirilis."
WIDTHS = {"desktop": 1280, "phone": 360}


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Iterator[LiveServer]:
    """Serve a demo instance whose copy jobs run as they are queued, for this module."""
    with served_copy(demo_instance, tmp_path_factory.mktemp("desk-approval")) as server:
        yield server


@pytest.fixture
def server(desk_server: LiveServer) -> LiveServer:
    return desk_server


def ask_for_pages(server: LiveServer, reader: str, pages: str) -> str:
    """Send a reader's request for some pages of a restricted publication; return its number."""
    rt = server.app.extensions["pustaka"]
    publication_id, _ = publication(server.app, AccessLevel.RESTRICTED)
    with rt.uow() as uow:
        person = uow.session.scalar(select(User).where(User.email == reader))
        wanted = SoftcopyRequestDetails(
            publication_id=publication_id,
            scope="pages",
            pages=pages,
            purpose="research",
            intended_use="Tabel penduduk menurut kecamatan untuk penelitian migrasi.",
            agreed=True,
        )
        number = check_submit_request(uow, person, wanted, rt.request_rules(), rt.jobs, rt.now())
        uow.commit()
    return number


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_librarian_approves_some_pages_and_the_reader_gets_those_pages_with_the_reason(
    server: LiveServer, browser: Browser, width: int, screenshots: Path
) -> None:
    reader = make_person(server.app, f"ani.{width}@example.id", "Ani Suryani")
    librarian = make_person(server.app, f"lestari.{width}@bps.go.id", "Lestari", (Role.LIBRARIAN,))
    number = ask_for_pages(server, reader, "2-5")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    desk = context.new_page()
    sign_in(desk, server.url, librarian)

    desk.goto(server.url + "/meja/")
    menu_link = desk.locator(".desk-nav").get_by_role("link", name=re.compile("Permintaan softcopy"))
    expect(menu_link.locator(".waiting-count")).to_have_text(re.compile(r"^\d+"))
    menu_link.click()
    desk.get_by_role("link", name=number).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text(number)
    pages = desk.get_by_label("Halaman yang disetujui (opsional)")
    note = desk.get_by_label(re.compile("Catatan untuk pemohon"))
    approve = desk.get_by_role("button", name="Setujui dan buat salinan")
    assert fits_the_width(desk)

    pages.fill("1-3")  # page 1 was not asked for
    note.fill(REASON)
    approve.click()
    expect(desk.locator("#approve-pages-error")).to_contain_text("Halaman 1 tidak diminta")
    expect(desk.get_by_label("Halaman yang disetujui (opsional)")).to_have_value("1-3")

    desk.get_by_label("Halaman yang disetujui (opsional)").fill("2-3")
    desk.get_by_role("button", name="Setujui dan buat salinan").click()
    expect(desk.locator(".flashes")).to_contain_text(f"Permintaan {number} disetujui")
    shoot(desk, screenshots / f"desk-partial-approval-{width}.png", full_page=True)
    context.close()

    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    mine = context.new_page()
    sign_in(mine, server.url, reader)
    mine.goto(f"{server.url}/permintaan/{number}")
    approved = mine.locator("dt", has_text="Halaman yang disetujui").locator("xpath=following-sibling::dd[1]")
    expect(approved).to_contain_text("2-3")
    expect(approved).to_contain_text(REASON)
    assert fits_the_width(mine)
    with pymupdf.open(stream=io.BytesIO(download(mine)), filetype="pdf") as copy:
        assert copy.page_count == 2
    shoot(mine, screenshots / f"reader-partial-approval-{width}.png", full_page=True)
    context.close()
