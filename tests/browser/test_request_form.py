"""The softcopy request form switches its pages box with the scope, and the request page updates itself.

The server here does not make copies by itself (no job consumer runs): a request for an open
publication stays "being made" until the test runs the copy job, as a worker would, while the
browser keeps the request page open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.models import AccessLevel, SoftcopyRequest
from library.settings import Settings
from library.softcopy.copies import prepare_copy
from tests.browser.pictures import shoot
from tests.browser.softcopy_helpers import LiveServer, make_person, publication, send_request, sign_in
from tests.demo_fixtures import clone_instance
from tests.serving import serve
from webapp import create_app

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def request_server(tmp_path_factory: pytest.TempPathFactory, demo_instance: Path) -> Iterator[LiveServer]:
    """Serve a demo instance whose copy jobs wait in the queue until a test runs them."""
    instance = clone_instance(demo_instance, tmp_path_factory.mktemp("request-form") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    with serve(app) as url:
        yield LiveServer(url, app)


@pytest.fixture
def server(request_server: LiveServer) -> LiveServer:
    """Return the module's server."""
    return request_server


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh browser contexts of a given size, with or without JavaScript."""
    contexts = []

    def opened(viewport: dict[str, int] = DESKTOP, javascript: bool = True) -> Page:
        context = browser.new_context(viewport=viewport, locale="id-ID", java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def _fill_reasons(page: Page) -> None:
    """Fill in the purpose, the intended use and the agreement."""
    page.get_by_label("Tujuan", exact=True).select_option("research")
    page.get_by_label("Untuk apa data ini akan Anda gunakan?").fill(
        "Tabel penduduk menurut kecamatan untuk penelitian migrasi."
    )
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()


def _make_copy(server: LiveServer, number: str) -> None:
    """Run the copy job of a request, as the worker would."""
    rt = server.app.extensions["pustaka"]
    with rt.uow() as uow:
        request_id = uow.session.scalar(select(SoftcopyRequest.id).where(SoftcopyRequest.number == number))
    assert request_id is not None
    prepare_copy(rt.copy_worker(), request_id)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_the_pages_box_shows_only_for_some_pages_and_keeps_what_was_typed(
    server: LiveServer, new_page: Callable[..., Page], viewport: dict[str, int], screenshots: Path
) -> None:
    page = new_page(viewport)
    address = f"sinta.{viewport['width']}@example.id"
    make_person(server.app, address, "Sinta Lestari")
    sign_in(page, server.url, address)
    page.goto(f"{server.url}/katalog/{publication(server.app, AccessLevel.OPEN)[0]}/minta")
    pages = page.get_by_label("Halaman", exact=True)

    expect(page.get_by_label("Seluruh publikasi")).to_be_checked()
    expect(pages).to_be_hidden()
    page.get_by_label("Sebagian halaman saja").check()
    expect(pages).to_be_visible()
    pages.fill("2-3")
    page.get_by_label("Seluruh publikasi").check()
    expect(pages).to_be_hidden()
    page.get_by_label("Sebagian halaman saja").check()
    expect(pages).to_have_value("2-3")
    _fill_reasons(page)
    shoot(page, screenshots / f"request-form-pages-{viewport['width']}.png", full_page=True)
    send_request(page)

    details = page.get_by_role("main").locator("dl")
    expect(details.locator("dt", has_text="Halaman").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "2-3"
    )


def test_a_whole_copy_is_sent_without_the_pages_once_typed_and_hidden(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    make_person(server.app, "tono@example.id", "Tono Wijaya")
    sign_in(page, server.url, "tono@example.id")
    page.goto(f"{server.url}/katalog/{publication(server.app, AccessLevel.OPEN)[0]}/minta")
    page.get_by_label("Sebagian halaman saja").check()
    page.get_by_label("Halaman", exact=True).fill("2-3")
    page.get_by_label("Seluruh publikasi").check()
    _fill_reasons(page)
    send_request(page)

    details = page.get_by_role("main").locator("dl")
    expect(details.locator("dt", has_text="Halaman").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "Seluruh publikasi"
    )


def test_without_javascript_pages_typed_with_the_whole_publication_are_refused_not_dropped(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page(javascript=False)
    make_person(server.app, "umi@example.id", "Umi Kalsum")
    sign_in(page, server.url, "umi@example.id")
    page.goto(f"{server.url}/katalog/{publication(server.app, AccessLevel.OPEN)[0]}/minta")
    pages = page.get_by_label("Halaman", exact=True)
    expect(pages).to_be_visible()
    pages.fill("2-3")
    _fill_reasons(page)
    page.get_by_role("button", name="Kirim permintaan").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Anda memilih seluruh publikasi tetapi juga menulis halaman"
    )
    expect(pages).to_have_value("2-3")


def test_the_request_page_shows_the_copy_ready_without_a_reload(
    server: LiveServer, new_page: Callable[..., Page], screenshots: Path
) -> None:
    page = new_page()
    make_person(server.app, "vina@example.id", "Vina Anggraini")
    sign_in(page, server.url, "vina@example.id")
    page.goto(f"{server.url}/katalog/{publication(server.app, AccessLevel.OPEN)[0]}/minta")
    _fill_reasons(page)
    number = send_request(page)
    badge = page.get_by_role("main").locator(".lead .status")
    expect(badge).to_have_text("Disetujui, salinan sedang dibuat")
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again

    _make_copy(server, number)

    expect(badge).to_have_text("Siap diunduh", timeout=20_000)
    expect(page.get_by_role("main").get_by_role("button", name="Unduh PDF")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Siap diunduh")).to_have_count(1)
    assert page.evaluate("window.sameDocument") is True
    shoot(page, screenshots / "request-ready-by-itself.png", full_page=True)


@pytest.mark.parametrize("width", [360, 390])
def test_the_request_form_and_my_requests_fit_a_phone_without_sideways_scrolling(
    server: LiveServer, new_page: Callable[..., Page], width: int, screenshots: Path
) -> None:
    page = new_page({"width": width, "height": 800})
    address = f"wulan.{width}@example.id"
    make_person(server.app, address, "Wulan Sari")
    sign_in(page, server.url, address)
    page.goto(f"{server.url}/katalog/{publication(server.app, AccessLevel.OPEN)[0]}/minta")
    page.get_by_label("Sebagian halaman saja").check()
    expect(page.get_by_label("Halaman", exact=True)).to_be_visible()  # the form as it is now laid out
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.get_by_label("Halaman", exact=True).fill("1-2")
    _fill_reasons(page)
    send_request(page)
    page.goto(f"{server.url}/permintaan/")
    shoot(page, screenshots / f"my-requests-{width}.png", full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    expect(page.get_by_role("main").get_by_role("link", name=re.compile(r"^PS-"))).to_be_visible()
