"""The guest book kiosk in Chromium: a tablet at 1024×768 and a phone at 360 px, the tickets, the
reset that hides one visitor's ticket from the next, and the status page that updates itself."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from library.models import Ticket
from library.settings import Settings
from runtime.root import Runtime
from tests.browser.pictures import shoot
from tests.browser.screen_width import fits_the_width
from tests.serving import serve
from tests.visits import walk_in
from webapp import create_app

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 360, "height": 740}


class SteppedClock:
    """The kiosk server's clock: the real time plus what the test moved it on by."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.ahead

    def fill_in(self) -> None:
        """Let the half minute a visitor takes to fill in the form pass on the server."""
        self.ahead += dt.timedelta(seconds=30)


@pytest.fixture(scope="module")
def kiosk(live_instance: Path) -> Iterator[tuple[str, SteppedClock, Runtime]]:
    """Serve the demo instance with a clock the test moves (the guest book refuses forms sent in seconds)."""
    clock = SteppedClock()
    rt = Runtime(Settings.from_env({}, instance_dir=live_instance), now=clock)
    with serve(create_app(rt)) as url:
        yield url, clock, rt


def device(browser, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    """Open a touch device of the size in a fresh context, with the page's clock under the test's hand.

    The clock stands still: the ticket's countdown and the status page's refresh move only when the
    test moves them on, however slowly a busy machine gets to its checks.
    """
    context = browser.new_context(viewport=viewport, locale="id-ID", has_touch=True)
    tab = context.new_page()
    tab.clock.install()
    tab.clock.pause_at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    return context, tab


def take_a_number(
    page, clock, name: str, services: tuple[str, ...], lands: str = r"/buku-tamu/tiket/"
) -> None:  # type: ignore[no-untyped-def]
    """Fill in the guest book as a visitor does (after a person's pause) and wait for the ticket."""
    fill_in(page, name, services)
    clock.fill_in()
    page.get_by_role("button", name="Ambil nomor antrean").click()
    page.wait_for_url(re.compile(lands))


# The guest book's questions and a visitor's answers, in each language of the kiosk.
ANSWERS = {
    "id": (
        "Nama lengkap",
        ("Perempuan", "26-35", "D4/S1", "Peneliti/Dosen"),
        "Instansi",
        "Keperluan kunjungan",
    ),
    "en": (
        "Full name",
        ("Female", "26-35", "D4/S1", "Researcher or lecturer"),
        "Institution",
        "Purpose of your visit",
    ),
}


def fill_in(page, name: str, services: tuple[str, ...], language: str = "id") -> None:  # type: ignore[no-untyped-def]
    """Answer every question the way a visitor taps them."""
    full_name, chips, institution, purpose = ANSWERS[language]
    page.get_by_label(full_name).fill(name)
    for chip in chips:
        page.locator(".chip", has_text=chip).click()
    page.get_by_label(institution).fill("Universitas Lampung")
    if language == "id":
        page.get_by_label("Nomor telepon (tidak wajib)").fill("0812 3456 7890")
    page.get_by_label(purpose).fill("Mencari data kemiskinan Kota Metro")
    for service in services:
        page.locator(".service-choice", has_text=service).click()


def test_a_visitor_signs_in_at_the_tablet_and_the_kiosk_forgets_them(
    browser, kiosk, screenshots: Path
) -> None:
    url, clock, _ = kiosk
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    expect(page.get_by_role("heading", name="Selamat datang di PST")).to_be_visible()
    assert fits_the_width(page)
    chip = page.get_by_role("group", name="Jenis kelamin").locator(".chip span").first.bounding_box()
    assert chip is not None and chip["height"] >= 48  # a finger's target
    shoot(page, screenshots / "kiosk-1-tablet-form.png", full_page=True)

    page.get_by_role("button", name="Ambil nomor antrean").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="Ada masalah")).to_be_visible()  # the answer replaces the page
    expect(page.locator("#error-summary")).to_be_focused()
    summary.get_by_role("link", name="Pilih laki-laki atau perempuan.").click()
    shoot(page, screenshots / "kiosk-2-tablet-errors.png", full_page=True)

    fill_in(page, "Rina Marlina", ("Perpustakaan", "Konsultasi Statistik"))
    expect(page.get_by_role("radio", name="Perempuan")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Perpustakaan")).to_be_checked()
    shoot(page, screenshots / "kiosk-3-tablet-filled.png", full_page=True)
    clock.fill_in()
    page.get_by_role("button", name="Ambil nomor antrean").click()
    page.wait_for_url(re.compile(r"/buku-tamu/tiket/"))
    expect(page.get_by_role("heading", name="Terima kasih, Rina!")).to_be_visible()
    expect(page.locator(".ticket-code")).to_have_count(2)  # the two services asked for
    codes = page.locator(".ticket-code").all_inner_texts()
    assert [code[0] for code in codes] == ["P", "K"] and all(re.fullmatch(r"[PK]-\d{3}", c) for c in codes)
    size = page.locator(".ticket-code").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 64
    expect(
        page.get_by_text("Anda akan dilayani paling lama 5 menit setelah mengisi buku tamu.")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Kode QR halaman status Anda")).to_be_visible()
    expect(page.get_by_role("link", name="Cetak tiket")).to_have_attribute(
        "href", re.compile(r"/tiket\.pdf$")
    )
    expect(page.get_by_text("Layar ini kembali ke buku tamu dalam 60 detik.")).to_be_visible()
    assert fits_the_width(page)
    shoot(page, screenshots / "kiosk-4-tablet-ticket.png", full_page=True)
    # The whole ticket screen, its buttons included, fits the tablet without scrolling.
    assert page.evaluate("document.documentElement.scrollHeight") <= TABLET["height"]

    page.clock.run_for(10_000)
    expect(page.get_by_text("Layar ini kembali ke buku tamu dalam 50 detik.")).to_be_visible()
    page.clock.run_for(51_000)
    page.wait_for_url(url + "/buku-tamu")
    expect(page.get_by_label("Nama lengkap")).to_have_value("")
    expect(page.locator(".ticket-code")).to_have_count(0)
    shoot(page, screenshots / "kiosk-5-tablet-reset.png", full_page=True)
    # The kiosk's history holds neither the ticket nor a posted form to send again: Back leads
    # out of the guest book (here: the empty tab it was opened in), never to the visitor's answers.
    page.go_back()
    page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile("/tiket/"))
    expect(page.locator(".ticket-code")).to_have_count(0)
    expect(page.get_by_text("Rina")).to_have_count(0)
    context.close()


def test_done_takes_the_kiosk_back_to_an_empty_form_at_once(browser, kiosk) -> None:
    url, clock, _ = kiosk
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    take_a_number(page, clock, "Ahmad Fauzi", ("Konsultasi Statistik",))
    page.get_by_role("link", name="Selesai").click()
    page.wait_for_url(url + "/buku-tamu")
    expect(page.get_by_label("Nama lengkap")).to_have_value("")
    context.close()


def test_a_visitor_still_reading_the_ticket_asks_for_more_time(browser, kiosk) -> None:
    url, clock, _ = kiosk
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    take_a_number(page, clock, "Dewi Lestari", ("Perpustakaan",))
    page.clock.run_for(50_000)
    expect(page.get_by_text("Layar ini kembali ke buku tamu dalam 10 detik.")).to_be_visible()
    page.get_by_role("button", name="Tambah waktu").click()
    expect(page.get_by_role("status")).to_have_text("Layar ini kembali ke buku tamu dalam 60 detik.")
    page.clock.run_for(30_000)  # past the first minute: the ticket is still there
    expect(page.get_by_text("Layar ini kembali ke buku tamu dalam 30 detik.")).to_be_visible()
    expect(page.locator(".ticket-code")).to_have_count(1)
    page.clock.run_for(31_000)
    page.wait_for_url(url + "/buku-tamu")
    context.close()


def test_the_kiosk_speaks_english_on_request(browser, kiosk, screenshots: Path) -> None:
    url, _, _ = kiosk
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Welcome to the PST")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Library")).to_have_count(1)
    shoot(page, screenshots / "kiosk-6-tablet-english.png")
    context.close()


def test_a_ticket_with_people_ahead_fits_the_tablet_in_english(browser, kiosk, screenshots: Path) -> None:
    url, clock, rt = kiosk
    with rt.transaction() as uow:  # a busy morning: the wait, its basis and the promise all show
        for name in ("Andi", "Bayu", "Cici", "Dodi"):
            walk_in(uow, name, clock(), ("library", "consultation"))
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    fill_in(page, "Rina Kartika", ("Library", "Statistical consultation"), language="en")
    clock.fill_in()
    page.get_by_role("button", name="Take my queue number").click()
    page.wait_for_url(re.compile(r"/buku-tamu/tiket/"))
    expect(page.get_by_text("Estimated wait").first).to_be_visible()
    terminal = page.locator(".terminal-code strong")
    expect(terminal).to_have_text(re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}$"))
    assert terminal.evaluate("e => e.getClientRects().length") == 1  # typed as one word: on one line
    shoot(page, screenshots / "kiosk-7-tablet-busy-english.png", full_page=True)
    expect(page.get_by_role("link", name="Done", exact=True)).to_be_in_viewport()
    shoot(page, screenshots / "kiosk-7-tablet-busy-english.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollHeight") <= TABLET["height"]
    context.close()


def test_a_visitor_on_their_phone_follows_the_queue_on_the_status_page(
    browser, kiosk, screenshots: Path
) -> None:
    url, clock, rt = kiosk
    context, page = device(browser, PHONE)
    page.goto(url + "/buku-tamu?ponsel=1")
    assert fits_the_width(page)
    shoot(page, screenshots / "kiosk-7-phone-form.png", full_page=True)
    take_a_number(
        page, clock, "Dedi Kurniawan", ("Perpustakaan", "Konsultasi Statistik"), lands=r"/kunjungan/[\w-]+$"
    )
    expect(page.get_by_role("heading", name="Kunjungan Anda")).to_be_visible()
    expect(page.locator(".ticket-status").first).to_have_text("Menunggu")
    assert fits_the_width(page)
    shoot(page, screenshots / "kiosk-8-phone-status.png", full_page=True)

    library = page.locator(".ticket-code").first.inner_text()
    with rt.uow() as uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.code == library).order_by(Ticket.id.desc()))
        assert ticket is not None
        ticket.status, ticket.counter = "called", "Meja Perpustakaan"
        uow.commit()
    page.evaluate("window.scrollTo(0, 200)")
    page.clock.run_for(16_000)
    expect(page.get_by_text("Silakan menuju: Meja Perpustakaan")).to_be_visible()
    assert page.evaluate("window.scrollY") == 200  # the page was not reloaded
    expect(page.locator(".ticket-status").first).to_have_text("Dipanggil: silakan menuju loket")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, screenshots / "kiosk-9-phone-called.png", full_page=True)
    context.close()


def test_the_status_page_works_without_javascript(browser, kiosk) -> None:
    url, clock, _ = kiosk
    context, page = device(browser, PHONE)
    page.goto(url + "/buku-tamu?ponsel=1")
    take_a_number(page, clock, "Sri Wahyuni", ("Perpustakaan",), lands=r"/kunjungan/[\w-]+$")
    status = page.url
    context.close()
    plain = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    page = plain.new_page()
    page.goto(status)
    expect(page.locator("noscript").first).to_be_attached()  # at least one
    page.get_by_role("link", name="Perbarui sekarang").click()
    page.wait_for_load_state()
    expect(page).to_have_url(status)
    expect(page.get_by_role("heading", name="Kunjungan Anda")).to_be_visible()
    plain.close()


def test_an_unknown_visit_is_a_page_in_indonesian(browser, kiosk, screenshots: Path) -> None:
    url, _, _ = kiosk
    context, page = device(browser, PHONE)
    response = page.goto(url + "/kunjungan/bukan-kunjungan")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Tidak ada kunjungan dengan alamat ini")).to_be_visible()
    assert fits_the_width(page)
    shoot(page, screenshots / "kiosk-10-phone-unknown.png", full_page=True)
    context.close()


def test_an_elderly_visitor_is_offered_priority_and_their_ticket_says_so(
    browser, kiosk, screenshots: Path
) -> None:
    url, clock, _ = kiosk
    context, page = device(browser, TABLET)
    page.goto(url + "/buku-tamu")
    fill_in(page, "Harun Elderly", ("Perpustakaan",))
    expect(page.get_by_role("radio", name="Tidak perlu prioritas")).to_be_checked()
    page.locator(".chip", has_text="Di atas 65").click()  # the oldest age band ticks "Lansia"
    expect(page.get_by_role("radio", name="Lansia (60 tahun ke atas)")).to_be_checked()
    shoot(page, screenshots / "kiosk-priority-tablet.png", full_page=True)
    clock.fill_in()
    page.get_by_role("button", name="Ambil nomor antrean").click()
    page.wait_for_url(re.compile(r"/buku-tamu/tiket/"))
    expect(page.locator(".ticket-priority")).to_have_text("★ Prioritas")
    assert page.evaluate("document.documentElement.scrollHeight") <= TABLET["height"]
    context.close()
