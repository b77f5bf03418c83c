"""Online users ask for softcopies in the browser; a librarian answers; the download link holds its limits.

The copy is made by the "deliver" job. Here the app's Huey queue runs in immediate mode: a
queued job runs at once, inside the request that queued it, so the request page a browser
lands on after sending (or after a librarian approves) already shows the copy as ready, and
no test waits on a consumer thread. The queue, the job body and the stamping are the same code
`pustaka serve` runs; only the moment the job runs differs.

These tests serve their own app (not the session's `live_server`) so that they can hold it:
to switch the queue to immediate mode, and to move the app's clock past the link's expiry.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from playwright.sync_api import Browser, Page, expect

from library.models import AccessLevel, Role
from library.models.delivery import SAME_DOWNLOAD
from tests.browser.pictures import shoot
from tests.browser.softcopy_helpers import (
    LiveServer,
    ask_for_softcopy,
    csrf_token,
    download,
    fill_request_form,
    find_request_form,
    make_person,
    publication,
    refused_download,
    send_request,
    served_copy,
    sign_in,
    verification_path,
)
from tests.functional.accounts.helpers import PASSWORD, move_clock


@pytest.fixture(scope="module")
def softcopy_server(tmp_path_factory: pytest.TempPathFactory, indexed_instance: Path) -> Iterator[LiveServer]:
    """Serve an indexed demo instance, its copy jobs run as they are queued, for this module."""
    with served_copy(indexed_instance, tmp_path_factory.mktemp("softcopy")) as server:
        yield server


@pytest.fixture
def server(softcopy_server: LiveServer) -> Iterator[LiveServer]:
    """Return the module's server and, after the test, put back the real clock."""
    yield softcopy_server
    softcopy_server.reset_clock()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Open pages in fresh browser contexts, so two people can use the site side by side."""
    contexts = []

    def opened() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def _ready_request(server: LiveServer, page: Page, address: str, name: str) -> str:
    """Sign a new person in and send a request for an open publication; return its number."""
    make_person(server.app, address, name)
    sign_in(page, server.url, address)
    number = ask_for_softcopy(page, server.url, publication(server.app, AccessLevel.OPEN)[0])
    expect(page.get_by_text("Siap diunduh").first).to_be_visible()
    return number


def test_a_new_user_registers_finds_an_open_publication_and_downloads_a_copy_with_their_name_on_every_page(
    server: LiveServer, new_page: Callable[[], Page], screenshots: Path
) -> None:
    page, base = new_page(), server.url
    address, name = "wulan.sari@example.id", "Wulan Sari Dewanti"
    page.goto(base + "/daftar")
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ketik ulang kata sandi").fill(PASSWORD)
    page.get_by_label("Instansi").fill("Universitas Muhammadiyah Metro")
    page.get_by_label("Pekerjaan").select_option(label="Peneliti/Dosen")
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", name="Periksa email Anda")).to_be_visible()
    page.goto(base + verification_path(server.app, address))
    expect(page.get_by_role("heading", name="Alamat email terverifikasi")).to_be_visible()
    sign_in(page, base, address)

    pub_id, title = publication(server.app, AccessLevel.OPEN)
    find_request_form(page, base, pub_id, title)
    fill_request_form(page)
    shoot(page, screenshots / "softcopy-1-request-form.png", full_page=True)
    number = send_request(page)
    expect(page.get_by_text(f"Permintaan {number} telah kami terima.")).to_be_visible()
    expect(page.get_by_text("Siap diunduh").first).to_be_visible()

    page.get_by_role("link", name="Permintaan saya").first.click()
    page.wait_for_url(f"{base}/permintaan/")
    expect(page.get_by_role("row", name=number).get_by_role("button", name="Unduh PDF")).to_be_visible()
    shoot(page, screenshots / "softcopy-2-my-requests-ready.png", full_page=True)
    pdf_bytes = download(page)

    with pymupdf.open(stream=io.BytesIO(pdf_bytes), filetype="pdf") as pdf:
        assert pdf.page_count > 0
        unnamed = [p.number + 1 for p in pdf if name not in p.get_text()]
    assert unnamed == [], f"pages without the requester's name: {unnamed}"


def test_a_restricted_publication_is_approved_by_a_librarian_on_the_desk_and_then_downloads(
    server: LiveServer, new_page: Callable[[], Page], screenshots: Path
) -> None:
    reader, librarian = new_page(), new_page()
    make_person(server.app, "bayu@example.id", "Bayu Pratama")
    make_person(server.app, "rina@bps.go.id", "Rina Pustakawan", roles=(Role.LIBRARIAN,))
    sign_in(reader, server.url, "bayu@example.id")
    number = ask_for_softcopy(reader, server.url, publication(server.app, AccessLevel.RESTRICTED)[0])
    expect(reader.get_by_text("Menunggu pustakawan").first).to_be_visible()
    expect(reader.get_by_role("button", name="Unduh PDF")).to_have_count(0)

    sign_in(librarian, server.url, "rina@bps.go.id")
    librarian.goto(server.url + "/meja/permintaan")
    queued = librarian.get_by_role("row", name=number)
    expect(queued.get_by_text("Bayu Pratama")).to_be_visible()
    shoot(librarian, screenshots / "softcopy-3-desk-queue.png", full_page=True)
    queued.get_by_role("link", name=number).click()
    librarian.wait_for_url(f"{server.url}/meja/permintaan/{number}")
    shoot(librarian, screenshots / "softcopy-4-desk-request.png", full_page=True)
    librarian.get_by_role("button", name="Setujui dan buat salinan").click()
    librarian.wait_for_url(server.url + "/meja/permintaan")
    expect(librarian.get_by_text(f"Permintaan {number} disetujui")).to_be_visible()

    reader.reload()
    expect(reader.get_by_text("Siap diunduh").first).to_be_visible()
    shoot(reader, screenshots / "softcopy-5-request-ready.png", full_page=True)
    assert download(reader).startswith(b"%PDF")


def test_a_second_user_cannot_reach_the_first_users_request_or_file_by_guessing_its_number(
    server: LiveServer, new_page: Callable[[], Page]
) -> None:
    first, second = new_page(), new_page()
    number = _ready_request(server, first, "citra@example.id", "Citra Maharani")
    make_person(server.app, "dodi@example.id", "Dodi Kurniawan")
    sign_in(second, server.url, "dodi@example.id")

    opened = second.goto(f"{server.url}/permintaan/{number}")
    assert opened is not None and opened.status == 404
    assert "Citra Maharani" not in second.content()
    stolen = second.request.post(
        f"{server.url}/permintaan/{number}/unduh", form={"csrf_token": csrf_token(second)}
    )
    assert stolen.status == 404
    assert not stolen.body().startswith(b"%PDF")
    desk = second.goto(f"{server.url}/meja/permintaan/{number}")
    assert desk is not None and desk.status == 403
    second.goto(server.url + "/permintaan/")
    expect(second.get_by_role("main")).not_to_contain_text(number)


def test_an_expired_download_link_is_refused_with_a_page_that_says_so(
    server: LiveServer, new_page: Callable[[], Page], screenshots: Path
) -> None:
    page = new_page()
    number = _ready_request(server, page, "eka@example.id", "Eka Putri")
    move_clock(server.app, dt.timedelta(days=7, minutes=1))  # the server runs in this process

    refused = refused_download(page)

    assert refused.status == 410
    expect(page.get_by_role("heading", level=1, name="Tautan unduhan ini sudah kedaluwarsa")).to_be_visible()
    expect(page.get_by_text(f"Tautan unduhan permintaan {number} sudah kedaluwarsa.")).to_be_visible()
    shoot(page, screenshots / "softcopy-6-link-expired.png", full_page=True)


def test_a_fourth_download_is_refused_with_a_page_that_says_the_downloads_are_spent(
    server: LiveServer, new_page: Callable[[], Page], screenshots: Path
) -> None:
    page = new_page()
    number = _ready_request(server, page, "fajar@example.id", "Fajar Nugroho")
    for n in range(1, 4):
        assert download(page).startswith(b"%PDF")
        move_clock(server.app, SAME_DOWNLOAD * n)  # the next is a download of its own, not this one again

    refused = refused_download(page)

    assert refused.status == 410
    expect(page.get_by_role("heading", level=1, name="Jatah unduhan habis")).to_be_visible()
    expect(page.get_by_text(f"Softcopy permintaan {number} sudah diunduh 3 kali")).to_be_visible()
    shoot(page, screenshots / "softcopy-7-downloads-spent.png", full_page=True)
