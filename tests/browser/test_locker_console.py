"""The front office gives lockers, refuses a whole NIK, takes cards back, sees visitors out (desk, phone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.frontoffice.lockers.stock import check_give_locker
from library.models import Locker, Role, User, Visit
from library.settings import Settings
from tests.browser.navigation import follow_menu
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.browser.softcopy_helpers import LiveServer, make_person, sign_in
from tests.demo_fixtures import clone_instance
from tests.serving import serve
from tests.visits import walk_in
from webapp import create_app

NOW = dt.datetime(2026, 11, 23, 3, 15, tzinfo=dt.UTC)  # 10:15 in Kota Metro
NIK = "1872015508990003"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def locker_server(live_instance: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve a copy of the demo instance on a fixed clock (10:15 at the office), with today's visitors."""
    instance = clone_instance(live_instance, tmp_path_factory.mktemp("lockers") / "instance")
    app = create_app(Settings.from_env({}, instance_dir=instance))
    app.extensions["pustaka"].now = lambda: NOW
    with serve(app) as url:
        yield LiveServer(url, app)


@pytest.fixture
def server(locker_server: LiveServer) -> LiveServer:
    """Return the module's server."""
    return locker_server


def add_visit(
    app: Flask, name: str, services: tuple[str, ...], at: dt.datetime, institution: str = ""
) -> int:
    """Store a Kota Metro visit with a ticket per service, as the guest book would; return its id."""
    with app.extensions["pustaka"].transaction() as uow:
        visit, _ = walk_in(uow, name, at, services, day=at.date(), institution=institution)
        uow.session.flush()
        return visit.id


def forgotten_card(app: Flask, staff_email: str) -> None:
    """Leave yesterday's visitor's card in locker A-12: the closing list shows it as overdue."""
    yesterday = NOW - dt.timedelta(days=1, hours=-6)
    visit = add_visit(app, "Rahmat Hidayat", ("library",), yesterday)
    with app.extensions["pustaka"].uow() as uow:
        staff = uow.session.scalar(select(User).where(User.email == staff_email))
        locker = uow.session.scalar(select(Locker.id).where(Locker.label == "A-12"))
        check_give_locker(uow, staff, visit, locker, "sim", "7Q2K", yesterday)
        uow.commit()


def open_page(browser: Browser, viewport: dict[str, int]) -> Page:
    """Open a fresh context (no cookies) at a viewport size, in Indonesian."""
    return browser.new_context(viewport=viewport, locale="id-ID").new_page()  # type: ignore[arg-type]


def test_the_front_office_runs_lockers_from_the_console_on_a_desk_screen(
    server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    base, app = server.url, server.app
    email = make_person(app, "dewi.loket@bps.go.id", "Dewi Loket", (Role.FRONT_OFFICE,))
    forgotten_card(app, email)
    budi = add_visit(
        app, "Budi Santoso", ("library", "consultation"), NOW - dt.timedelta(minutes=20), "Unila"
    )
    add_visit(app, "Sari Wulandari", ("library",), NOW - dt.timedelta(minutes=5), "SMAN 1 Metro")
    page = open_page(browser, DESK)
    sign_in(page, base, email)
    follow_menu(page, "Loker")
    expect(page.get_by_role("heading", name="Loker dan kartu identitas", level=1)).to_be_visible()
    shoot(page, screenshots / "lockers-1-console.png", full_page=True)

    # A whole NIK is refused, saying why, and is not written back into the form.
    page.get_by_label("Pengunjung").select_option(label="Budi Santoso · P-001 · K-001")
    page.get_by_label("Loker", exact=True).select_option(label="A-02")
    page.get_by_label("Kartu identitas", exact=True).select_option(label="KTP")
    page.get_by_label("Empat angka atau huruf terakhir kartu").fill(NIK)
    page.get_by_role("button", name="Berikan loker").click()
    expect(page.get_by_role("alert")).to_contain_text("data pribadi dan tidak pernah disimpan")
    expect(page.get_by_label("Empat angka atau huruf terakhir kartu")).to_have_value("")
    assert NIK not in page.content()
    shoot(page, screenshots / "lockers-2-nik-refused.png", full_page=True)

    page.get_by_label("Pengunjung").select_option(label="Budi Santoso · P-001 · K-001")
    page.get_by_label("Loker", exact=True).select_option(label="A-02")
    page.get_by_label("Empat angka atau huruf terakhir kartu").fill("0003")
    page.get_by_role("button", name="Berikan loker").click()
    expect(page.locator(".flash-success")).to_contain_text("Loker A-02 diberikan kepada Budi Santoso")
    held = page.locator("table.held tbody tr")
    expect(held).to_have_count(2)
    expect(held.nth(0)).to_contain_text("Rahmat Hidayat")  # oldest first: yesterday's card
    expect(held.nth(0)).to_contain_text("dari hari sebelumnya")
    expect(held.nth(1)).to_contain_text("····0003")
    shoot(page, screenshots / "lockers-3-given.png", full_page=True)

    # Budi leaves: the card goes back and the tickets still waiting close as no-shows.
    page.get_by_role("button", name="Budi Santoso pulang").first.click()
    expect(page.locator(".flash-success").first).to_contain_text("Budi Santoso sudah pulang.")
    expect(page.locator(".flashes")).to_contain_text("Kembalikan KTP berakhiran 0003 dari loker A-02.")
    expect(page.locator(".flashes")).to_contain_text("ditutup sebagai tidak hadir")
    expect(page.locator("table.visits tbody tr.gone")).to_contain_text("Pulang pukul")
    shoot(page, screenshots / "lockers-4-left.png", full_page=True)

    page.get_by_role("link", name="Daftar tutup loket").click()
    expect(page.get_by_role("heading", name="Kartu identitas yang masih dipegang")).to_be_visible()
    expect(page.locator("table.held tbody tr")).to_have_count(1)
    expect(page.get_by_role("button", name="Cetak daftar ini")).to_be_visible()
    shoot(page, screenshots / "lockers-5-closing.png", full_page=True)
    page.emulate_media(media="print")
    shoot(page, screenshots / "lockers-6-closing-print.png", full_page=True)
    page.context.close()
    with app.extensions["pustaka"].uow() as uow:
        assert uow.session.scalar(select(Visit.left_at).where(Visit.id == budi)) == NOW


def test_the_console_and_the_lockers_list_fit_a_phone(
    server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    base, app = server.url, server.app
    email = make_person(app, "rina.loket@bps.go.id", "Rina Loket", (Role.FRONT_OFFICE,))
    add_visit(
        app, "Tono Prasetyo Wibowo Saputra", ("library",), NOW - dt.timedelta(minutes=2), "Dinas Pendidikan"
    )
    page = open_page(browser, PHONE)
    sign_in(page, base, email)
    page.goto(base + "/loket/loker")
    shoot(page, screenshots / "lockers-7-phone-console.png", full_page=True)
    assert fits_the_width(page)

    ticket = page.locator("table.visits tbody tr", has_text="Tono Prasetyo").locator(".ticket").first
    expect(ticket).to_be_visible()
    code = ticket.inner_text()
    page.get_by_label("atau kode tiket").fill(code.split()[0].lower())
    page.get_by_label("Loker", exact=True).select_option(label="A-05")
    page.get_by_label("Kartu identitas", exact=True).select_option(label="Kartu pelajar/mahasiswa")
    page.get_by_label("Empat angka atau huruf terakhir kartu").fill("b7c9")
    page.get_by_role("button", name="Berikan loker").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Loker A-05 diberikan kepada Tono Prasetyo Wibowo Saputra"
    )
    shoot(page, screenshots / "lockers-8-phone-given.png", full_page=True)
    assert fits_the_width(page)

    page.get_by_role(
        "button", name="Kembalikan kartu Tono Prasetyo Wibowo Saputra (loker A-05)"
    ).first.click()
    expect(page.locator(".flash-success")).to_contain_text("loker A-05 kosong")

    page.goto(base + "/loket/loker/tutup")
    shoot(page, screenshots / "lockers-9-phone-closing.png", full_page=True)
    assert fits_the_width(page)
    page.context.close()

    # An administrator's header is wider than a phone on every page (a menu entry per role), so
    # here the page's own content is what must fit.
    page = open_page(browser, PHONE)
    sign_in(page, base, make_person(app, "kepala.loket@bps.go.id", "Kepala Kantor", (Role.ADMIN,)))
    page.goto(base + "/admin/loker")
    page.get_by_label("Loker yang ditambahkan").fill("B-01..B-04")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Loker ditambahkan (4): B-01, B-02, B-03, B-04.")
    page.get_by_role("button", name="Nonaktifkan (B-04)").click()
    expect(page.locator(".flash-success")).to_contain_text("Loker B-04 dinonaktifkan")
    shoot(page, screenshots / "lockers-10-phone-admin.png", full_page=True)
    assert fits_the_width(page, "main")
    page.set_viewport_size(DESK)  # type: ignore[arg-type]
    shoot(page, screenshots / "lockers-11-admin.png", full_page=True)
    page.context.close()
