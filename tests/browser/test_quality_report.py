"""The office head opens the month's service quality report, reads its charts and downloads the PDF.

The site lived through the seeded November 2026 of the functional report tests (walk-ins,
requests, copies, searches, surveys) and is read on 2 December. Screenshots at desktop width
and at 360 px go to `build/screenshots/` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from library.models import Office, Role, SurveyChannel, User
from library.quality.survey import invite, submit_survey
from tests.browser.navigation import follow_menu
from tests.browser.pictures import shoot, wanted
from tests.browser.screen_width import nothing_wider_than_the_screen
from tests.browser.softcopy_helpers import LiveServer, make_person, sign_in
from tests.functional.reports.month import NOW, generate
from tests.serving import serve

HEAD = "kepala.kantor@metrokota.bps.go.id"


@pytest.fixture(scope="module")
def month_server(app_as_built: Callable[[str], Flask]) -> Iterator[LiveServer]:
    """Serve a copy of the demo site after the seeded month, its clock on 2 December 2026.

    The copy starts from the demo as built: tickets other tests took on the real today (which
    falls in the seeded month) would otherwise be called first and move the month's clocks.
    """
    app = app_as_built("month")
    staff = make_person(
        app, "loket@bps.go.id", "Petugas Loket", (Role.FRONT_OFFICE, Role.LIBRARIAN, Role.CONSULTANT)
    )
    reader = make_person(app, "pembaca@example.id", "Pembaca")
    make_person(app, HEAD, "Kepala BPS Kota Metro", (Role.OFFICE_HEAD,))
    with app.extensions["pustaka"].uow() as uow:
        ids = dict(uow.session.execute(select(User.email, User.id)).all())
    generate(app, ids[staff], ids[reader])
    one_browsers_answers(app, 3)
    app.extensions["pustaka"].now = lambda: NOW
    with serve(app) as url:
        yield LiveServer(url, app)


def one_browsers_answers(app: Flask, count: int) -> None:
    """Rate `count` walk-in services from one browser on 27 November: the third on is flagged."""
    rt = app.extensions["pustaka"]
    when = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
    with rt.uow() as uow:
        office_id = uow.session.scalar(select(Office.id).where(Office.code == "1872"))
        assert office_id is not None
        for n in range(count):
            token = invite(
                uow,
                office_id=office_id,
                service="library",
                channel=SurveyChannel.VISIT,
                event_key=f"ticket:browser-{n}",
                now=when,
            )
            submit_survey(uow, token, {f"U{e}": "4" for e in range(1, 10)}, "", when, browser="one-browser")
        uow.commit()


def open_november(page: Page, base: str) -> None:
    """Sign in as the office head, open the report from the menu and choose November 2026."""
    sign_in(page, base, HEAD)
    follow_menu(page, "Laporan")
    page.wait_for_load_state()
    page.get_by_label("Periode", exact=True).select_option("bulan")
    page.get_by_label("Salah satu harinya").fill("2026-11-17")
    page.get_by_role("button", name="Tampilkan laporan").click()
    page.wait_for_load_state()


def test_the_office_head_reads_the_month_and_downloads_the_pdf(
    page: Page, month_server: LiveServer, screenshots: Path, tmp_path: Path
) -> None:
    open_november(page, month_server.url)
    expect(page.locator("#report-period")).to_have_text("November 2026")
    expect(page.get_by_role("heading", name="Layanan tatap muka")).to_be_visible()
    chart = page.get_by_role("img", name="Pengunjung yang dilayani tepat waktu (%)")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Perpustakaan:")
    expect(page.locator("#table-walk_in tbody tr")).to_have_count(2)
    shoot(page, screenshots / "report-1-desktop.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh seluruh laporan (PDF)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "laporan-pelayanan-1872-20261101-20261130.pdf"
    with pymupdf.open(saved) as pdf:
        text = " ".join(" ".join(p.get_text().split()) for p in pdf)
        for number in range(min(3, pdf.page_count) if wanted() else 0):
            pdf[number].get_pixmap(dpi=90).save(str(screenshots / f"report-2-pdf-page-{number + 1}.png"))
    for words in ("Laporan kualitas pelayanan", "BPS Kota Metro (1872)", "November 2026", "Mutu"):
        assert words in text


@pytest.fixture
def phone(browser: Browser, month_server: LiveServer) -> Iterator[Page]:
    """Return a page 360 px wide, in Indonesian, on which the office head opened November's report."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    try:
        open_november(page, month_server.url)
        yield page
    finally:
        context.close()


def test_the_report_fits_a_phone_of_360_px(phone: Page, screenshots: Path) -> None:
    page = phone
    expect(page.locator("#report-period")).to_have_text("November 2026")  # the report is shown
    nothing_wider_than_the_screen(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, screenshots / "report-3-phone-360.png", full_page=True)


def test_the_office_head_sets_a_flagged_answer_aside_on_a_phone(phone: Page, screenshots: Path) -> None:
    page = phone
    page.get_by_role("link", name="Tinjau jawaban yang ditandai dan disisihkan dalam periode ini").click()
    answer = page.locator(".review-answer").filter(has_text="Banyak jawaban dari satu peramban")
    expect(answer).to_have_count(1)
    nothing_wider_than_the_screen(page)
    answer.get_by_label("Alasan").fill("Satu orang mengisi tiga kali dari ponselnya")
    answer.get_by_role("button", name="Sisihkan").click()
    expect(page.get_by_text("Jawaban disisihkan: tidak lagi dihitung dalam indeks.")).to_be_visible()
    done = page.locator(".review-answer").filter(has_text="Banyak jawaban dari satu peramban")
    expect(done).to_contain_text("Disisihkan oleh petugas")
    expect(done).to_contain_text("Satu orang mengisi tiga kali dari ponselnya")
    expect(done.get_by_role("button", name="Hitung kembali")).to_be_visible()
    shoot(page, screenshots / "report-4-review-phone-360.png", full_page=True)
