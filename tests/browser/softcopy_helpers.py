"""Helpers for the softcopy browser journeys: a live server whose app the test holds, forms, downloads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, Response, expect
from sqlalchemy import select

from library.models import AccessLevel, Publication, Role
from library.settings import Settings
from tests.browser.live_data import add_account
from tests.browser.navigation import follow_menu
from tests.demo_fixtures import clone_instance
from tests.functional.accounts.helpers import PASSWORD, link_in, outbox
from tests.serving import serve
from webapp import create_app

NUMBER = re.compile(r"PS-\d{8}-\d{5}")


@dataclass(frozen=True)
class LiveServer:
    """The app served on loopback, held by the test so it can read its state and move its clock."""

    url: str
    app: Flask

    def reset_clock(self) -> None:
        """Put the app's clock back on the real time."""
        self.app.extensions["pustaka"].now = lambda: dt.datetime.now(dt.UTC)


@contextmanager
def served_copy(source: Path, folder: Path) -> Iterator[LiveServer]:
    """Serve a copy of an instance (made in folder) whose jobs run as queued, until the block ends."""
    instance = clone_instance(source, folder / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    app.extensions["pustaka"].jobs.immediate = True
    try:
        with serve(app) as url:
            yield LiveServer(url, app)
    finally:
        app.extensions["pustaka"].jobs.rt.close()


def make_person(app: Flask, address: str, name: str, roles: tuple[Role, ...] = (Role.READER,)) -> str:
    """Create a verified account directly through the use case; return its email."""
    with app.extensions["pustaka"].uow() as uow:
        add_account(uow, address, name, PASSWORD, roles=roles)
        uow.commit()
    return address


def publication(app: Flask, level: AccessLevel) -> tuple[int, str]:
    """Return the id and title of a demo publication with this access level."""
    with app.extensions["pustaka"].uow() as uow:
        found = uow.session.execute(
            select(Publication.id, Publication.title)
            .where(Publication.access_level == level.value)
            .order_by(Publication.id)
        ).first()
    assert found is not None, f"the demo sample has no {level} publication"
    return found.id, found.title


def verification_path(app: Flask, address: str) -> str:
    """Return the path of the verification link in the newest email the app sent to the address."""
    mails = [mail for mail in outbox(app) if mail["To"] == address]
    assert mails, f"no email to {address}"
    return link_in(mails[-1], "/verifikasi-email/")


def sign_in(page: Page, base: str, address: str) -> None:
    """Sign in through the form and wait for the page that follows."""
    page.goto(base + "/masuk")
    page.get_by_label("Alamat email").fill(address)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    # Attached, not visible: on a phone the account links sit in the closed menu.
    signed_in = page.locator("header.site").get_by_role("button", name="Keluar", include_hidden=True)
    expect(signed_in).to_be_attached()


def find_request_form(page: Page, base: str, pub_id: int, title: str) -> None:
    """Search the publication by its title from the menu, open it and follow its "Minta softcopy" link."""
    follow_menu(page, "Cari")
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill(title)
    search.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/cari/\?q="))
    page.get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url(f"{base}/katalog/{pub_id}")
    page.get_by_role("link", name="Minta softcopy").click()
    page.wait_for_url(f"{base}/katalog/{pub_id}/minta")


def fill_request_form(page: Page) -> None:
    """Fill in the softcopy request form on the current page (whole publication, for research)."""
    page.get_by_label("Seluruh publikasi").check()
    page.get_by_label("Tujuan", exact=True).select_option("research")
    page.get_by_label("Untuk apa data ini akan Anda gunakan?").fill(
        "Tabel penduduk menurut kecamatan untuk penelitian migrasi."
    )
    page.get_by_label("Saya menyetujui ketentuan penggunaan").check()


def send_request(page: Page) -> str:
    """Press "Kirim permintaan", wait for the request's own page and return its number."""
    page.get_by_role("button", name="Kirim permintaan").click()
    page.wait_for_url(re.compile(r"/permintaan/" + NUMBER.pattern + "$"))
    found = NUMBER.search(page.url)
    assert found
    return found.group(0)


def ask_for_softcopy(page: Page, base: str, publication_id: int) -> str:
    """Open a publication's request form, fill it in, send it and return the request number."""
    page.goto(f"{base}/katalog/{publication_id}/minta")
    fill_request_form(page)
    return send_request(page)


def download(page: Page) -> bytes:
    """Press "Unduh PDF" on the current page and return the file the browser saved."""
    with page.expect_download() as info:
        page.get_by_role("main").get_by_role("button", name="Unduh PDF").click()
    saved = info.value.path()
    return Path(saved).read_bytes()


def refused_download(page: Page) -> Response:
    """Press "Unduh PDF" where the server is expected to answer with a page, not a file."""
    with page.expect_response(lambda r: r.url.endswith("/unduh")) as info:
        page.get_by_role("main").get_by_role("button", name="Unduh PDF").click()
    return info.value


def csrf_token(page: Page) -> str:
    """Return the CSRF token of the signed-in session (the sign-out form carries one on every page)."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    return token
