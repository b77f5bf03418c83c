"""An online consultation in Chromium, from the search the form offers first to the SKM rating.

A reader searches, then asks with an attachment; a consultant (in a second browser) takes it,
asks for clarification, marks it clear and complete after the reader's reply, proposes a video
meeting the reader accepts from the emailed link, and answers; on a phone (360 px) the reader
marks the answer helpful, which closes it, and rates the service from the closing email. What
each side sees is checked at every step, and the reader's page 360 px wide. The module serves
its own copy of the demo as built; the emails land in that instance's outbox. Screenshots go to
`build/screenshots/` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, LocatorAssertions, Page, expect
from sqlalchemy import select

from library.models import Role, SurveyResponse
from tests.browser.pictures import shoot
from tests.browser.screen_width import no_sideways_scroll
from tests.browser.softcopy_helpers import LiveServer, make_person, sign_in
from tests.functional.accounts.helpers import outbox
from tests.serving import serve

READER = "dewi.konsultasi@example.id"
CONSULTANT = "budi.konsultan@metrokota.bps.go.id"
NUMBER = re.compile(r"KS-\d{8}-\d{5}")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
QUESTION = "Berapa persentase penduduk miskin Kota Metro menurut kecamatan, dari tahun ke tahun?"
ASK = "Data kecamatan mana saja yang Anda perlukan, dan untuk tahun berapa?"
REPLY = "Kelima kecamatan, tahun 2020 sampai 2024. Contoh tabel yang saya maksud terlampir."
MEETING = "https://meet.example.id/konsultasi-kemiskinan"
ANSWER = "Persentase penduduk miskin per kecamatan ada di tabel 3.1 publikasi Kota Metro Dalam Angka."
COMMENT = "Konsultan menjelaskan dengan sabar."
PICKS = {"U1": 3, "U2": 3, "U3": 2, "U4": 3, "U5": 3, "U6": 2, "U7": 3, "U8": 3, "U9": 2}


@pytest.fixture(scope="module")
def journey_server(app_as_built: Callable[[str], Flask]) -> Iterator[LiveServer]:
    """Serve a copy of the demo site as built, with a verified reader and a consultant."""
    app = app_as_built("consultation")
    make_person(app, READER, "Dewi Lestari")
    make_person(app, CONSULTANT, "Budi Konsultan", (Role.CONSULTANT,))
    with serve(app) as url:
        yield LiveServer(url, app)


def open_browser(browser: Browser, width: int, height: int) -> Page:
    """Open a fresh browser (no cookies) with a window of this size."""
    return browser.new_context(viewport={"width": width, "height": height}, locale="id-ID").new_page()


def newest_mail(server: LiveServer, to: str) -> EmailMessage:
    """Return the newest email the app sent to this address."""
    mails = [mail for mail in outbox(server.app) if mail["To"] == to]
    assert mails, f"no email to {to}"
    return mails[-1]


def link_in(mail: EmailMessage, path: str) -> str:
    """Return the local part of the first link in the email's text to a path under `path`."""
    text = mail.get_body(preferencelist=("plain",))
    assert text is not None, "the email has no text"
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", text.get_content())  # type: ignore[attr-defined]
    assert found, f"no link to {path} in the email"
    return found.group(1)


def status(page: Page) -> LocatorAssertions:
    """Return the consultation's status as the page shows it under its heading."""
    return expect(page.locator(".lead .status"))


def flashed(page: Page, text: str) -> None:
    """Check the page shows this sentence (the message about the step just taken, or what to do)."""
    expect(page.get_by_text(text, exact=True)).to_be_visible()


@dataclass(frozen=True)
class Journey:
    """The site served, and where the journey's pictures and files go."""

    server: LiveServer
    screenshots: Path
    tmp_path: Path

    @property
    def base(self) -> str:
        """Return the site's address."""
        return self.server.url

    def page_of(self, number: str) -> str:
        """Return the address of the consultation's page."""
        return f"{self.base}/konsultasi/{number}"


def test_a_consultation_from_the_search_to_the_rating(
    browser: Browser, journey_server: LiveServer, screenshots: Path, tmp_path: Path
) -> None:
    journey = Journey(journey_server, screenshots, tmp_path)
    reader = open_browser(browser, 1280, 900)
    number = the_reader_searches_then_asks_with_an_attachment(journey, reader)
    consultant = open_browser(browser, 1280, 900)
    the_consultant_takes_it_and_asks_for_clarification(journey, consultant, number)
    the_reader_answers_from_the_email(journey, reader, number)
    the_consultant_marks_it_clear_and_proposes_a_video_meeting(journey, consultant)
    phone = open_browser(browser, 360, 740)
    the_reader_accepts_the_meeting_from_the_email(journey, reader, phone, number)
    the_consultant_answers(journey, consultant)
    the_reader_closes_it_as_helpful_on_a_phone(journey, phone, number)
    survey = the_reader_reads_the_answer(journey, reader, phone, number)
    the_reader_rates_the_service_once(journey, reader, survey, number)
    for page in (reader, consultant, phone):
        page.context.close()


def the_reader_searches_then_asks_with_an_attachment(journey: Journey, reader: Page) -> str:
    """1. The reader searches first, then asks with an attachment; return the consultation's number."""
    base = journey.base
    sign_in(reader, base, READER)
    reader.goto(base + "/konsultasi/baru")
    expect(reader.get_by_role("heading", name="Ajukan konsultasi statistik", level=1)).to_be_visible()
    search_first = reader.get_by_role("region", name="Cari di perpustakaan dulu")
    search_first.get_by_label("Kata, judul, nomor Katalog BPS, atau ISSN").fill("kemiskinan kecamatan")
    search_first.get_by_role("button", name="Cari").click()
    expect(reader.get_by_role("heading", name="Cari di koleksi", level=1)).to_be_visible()
    expect(reader.locator("#results-count")).to_contain_text("ditemukan")
    reader.go_back()
    expect(reader.get_by_role("heading", name="Tidak ketemu? Tanyakan kepada konsultan kami")).to_be_visible()
    reader.get_by_label("Topik", exact=True).fill("Kemiskinan per kecamatan")
    reader.get_by_label("Pertanyaan Anda", exact=True).fill(QUESTION)
    reader.get_by_label("Subjek data", exact=True).fill("Kemiskinan")
    reader.get_by_label("Wilayah", exact=True).fill("Kota Metro")
    reader.get_by_label("Periode", exact=True).fill("2020-2024")
    needs = journey.tmp_path / "kebutuhan-data.pdf"
    needs.write_bytes(PDF)
    reader.get_by_label("Lampiran (tidak wajib)").set_input_files(needs)
    reader.get_by_role("button", name="Kirim konsultasi").click()
    reader.wait_for_url(re.compile(r"/konsultasi/" + NUMBER.pattern + "$"))
    found = NUMBER.search(reader.url)
    assert found
    number = found.group(0)
    expect(reader.get_by_role("heading", name=f"Konsultasi {number}", level=1)).to_be_visible()
    flashed(reader, f"Konsultasi {number} Anda sudah kami terima.")
    status(reader).to_have_text("Baru")
    attached = reader.get_by_role("list", name="Lampiran").get_by_role("link", name="kebutuhan-data.pdf")
    expect(attached).to_be_visible()
    opened = reader.context.request.get(base + str(attached.get_attribute("href")))
    assert opened.ok and opened.body() == PDF
    shoot(reader, journey.screenshots / "consultation-journey-1-sent.png", full_page=True)
    return number


def the_consultant_takes_it_and_asks_for_clarification(
    journey: Journey, consultant: Page, number: str
) -> None:
    """2. The consultant (in a second browser) takes it up and asks for clarification."""
    sign_in(consultant, journey.base, CONSULTANT)
    consultant.goto(journey.base + "/meja/konsultasi")
    waiting = (
        consultant.get_by_role("list", name="Konsultasi terbuka")
        .get_by_role("listitem")
        .filter(has_text=number)
    )
    expect(waiting).to_contain_text("Belum ditugaskan")
    waiting.get_by_role("link", name=number).click()
    expect(consultant.get_by_role("heading", name=f"Konsultasi {number}", level=1)).to_be_visible()
    status(consultant).to_have_text("Baru")
    expect(consultant.get_by_role("link", name="kebutuhan-data.pdf")).to_be_visible()
    consultant.get_by_label("Konsultan", exact=True).select_option(label="Budi Konsultan")
    consultant.get_by_role("button", name="Tugaskan").click()
    flashed(consultant, "Konsultasi sudah ditugaskan.")
    consultant.get_by_label("Pesan Anda", exact=True).fill(ASK)
    consultant.get_by_role("button", name="Minta penjelasan").click()
    flashed(consultant, "Pengguna sudah diminta memberi penjelasan.")
    status(consultant).to_have_text("Perlu penjelasan")


def the_reader_answers_from_the_email(journey: Journey, reader: Page, number: str) -> None:
    """The reader opens the emailed link and answers, with an attachment of their own."""
    reader.goto(journey.base + link_in(newest_mail(journey.server, READER), "/konsultasi/"))
    expect(reader).to_have_url(journey.page_of(number))
    status(reader).to_have_text("Perlu penjelasan")
    flashed(reader, "Konsultan memerlukan keterangan tambahan: silakan jawab di bawah.")
    expect(reader.locator(".consult-message.from-staff")).to_contain_text(ASK)
    expect(reader.locator(".silence-close")).to_contain_text("ditutup otomatis pada")  # if Dewi stays silent
    shoot(reader, journey.screenshots / "consultation-journey-1b-clarification.png", full_page=True)
    expect(reader.get_by_text("Lampiran belum dapat dikirim.")).to_have_count(0)  # they can be
    reader.get_by_label("Pesan Anda", exact=True).fill(REPLY)
    example = journey.tmp_path / "contoh-tabel.pdf"
    example.write_bytes(PDF)
    reader.get_by_label("Lampiran (tidak wajib)").set_input_files(example)
    reader.get_by_role("button", name="Kirim pesan").click()
    flashed(reader, "Pesan Anda sudah terkirim.")
    sent = reader.locator(".consult-message").filter(has_text=REPLY)
    expect(sent.get_by_role("link", name="contoh-tabel.pdf")).to_be_visible()
    expect(reader.locator(".silence-close")).to_have_count(0)  # now the consultant owes the next step


def the_consultant_marks_it_clear_and_proposes_a_video_meeting(journey: Journey, consultant: Page) -> None:
    """3. Clear and complete; a video meeting proposed in three days."""
    consultant.goto(journey.base + link_in(newest_mail(journey.server, CONSULTANT), "/meja/konsultasi/"))
    expect(consultant.locator(".consult-message").filter(has_text=REPLY)).to_be_visible()
    consultant.get_by_role("button", name="Tandai jelas dan lengkap").click()
    flashed(consultant, "Ditandai jelas dan lengkap: jawaban kini harus diberikan dalam batas waktu layanan.")
    status(consultant).to_have_text("Jelas dan lengkap")
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date()
    consultant.get_by_label("Jenis", exact=True).select_option("video")
    consultant.get_by_label("Hari", exact=True).fill(day.isoformat())
    consultant.get_by_label("Jam (waktu kantor)").fill("10:00")
    consultant.get_by_label("Lama (menit)").fill("45")
    consultant.get_by_label("Tempat, atau tautan rapat video").fill(MEETING)
    consultant.get_by_role("button", name="Usulkan janji temu").click()
    expect(consultant.get_by_role("list", name="Janji temu")).to_contain_text("Diusulkan")


def the_reader_accepts_the_meeting_from_the_email(
    journey: Journey, reader: Page, phone: Page, number: str
) -> None:
    """The invitation carries a calendar file; the reader accepts from its link (the page 360 px wide too)."""
    invitation = newest_mail(journey.server, READER)
    calendars = [part for part in invitation.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert [part.get_filename() for part in calendars] == ["konsultasi.ics"]
    ics = calendars[0].get_payload(decode=True)
    assert b"BEGIN:VCALENDAR" in ics and b"\r\nDTSTART:" in ics and number.encode() in ics
    reader.goto(journey.base + link_in(invitation, "/konsultasi/"))
    status(reader).to_have_text("Jelas dan lengkap")
    meeting = reader.get_by_role("list", name="Janji temu").get_by_role("listitem")
    expect(meeting).to_contain_text("Rapat video · Diusulkan")
    expect(meeting.get_by_role("link", name=MEETING)).to_be_visible()
    sign_in(phone, journey.base, READER)
    phone.goto(journey.page_of(number))
    expect(phone.get_by_role("button", name="Terima janji temu")).to_be_visible()
    no_sideways_scroll(phone)
    shoot(phone, journey.screenshots / "consultation-journey-360-appointment.png", full_page=True)
    meeting.get_by_role("button", name="Terima janji temu").click()
    flashed(reader, "Janji temu diterima.")
    expect(meeting).to_contain_text("Rapat video · Diterima")
    expect(reader.get_by_role("button", name="Terima janji temu")).to_have_count(0)
    shoot(reader, journey.screenshots / "consultation-journey-2-accepted.png", full_page=True)


def the_consultant_answers(journey: Journey, consultant: Page) -> None:
    """4. The consultant sees the meeting accepted and answers."""
    consultant.goto(journey.base + link_in(newest_mail(journey.server, CONSULTANT), "/meja/konsultasi/"))
    expect(consultant.get_by_role("list", name="Janji temu")).to_contain_text("Diterima")
    consultant.get_by_label("Pesan Anda", exact=True).fill(ANSWER)
    consultant.get_by_role("button", name="Kirim pesan sebagai jawaban").click()
    flashed(consultant, "Jawaban sudah dikirim kepada pengguna.")
    status(consultant).to_have_text("Dijawab")
    shoot(consultant, journey.screenshots / "consultation-journey-3-desk-answered.png", full_page=True)


def the_reader_closes_it_as_helpful_on_a_phone(journey: Journey, phone: Page, number: str) -> None:
    """5. On a phone (360 px), the reader marks the answer helpful: it closes, and the survey is offered."""
    phone.goto(journey.page_of(number))
    helpful = phone.get_by_role("region", name="Apakah jawaban kami membantu?")
    expect(helpful).to_be_visible()
    no_sideways_scroll(phone)
    helpful.get_by_role("button", name="Jawaban membantu: tutup konsultasi").click()
    flashed(phone, "Terima kasih! Konsultasi Anda sudah ditutup; mohon nilai layanan kami di halaman ini.")
    status(phone).to_have_text("Ditutup")
    expect(phone.get_by_role("region", name="Bagaimana layanan kami?")).to_be_visible()
    expect(phone.get_by_role("region", name="Apakah jawaban kami membantu?")).to_have_count(0)


def the_reader_reads_the_answer(journey: Journey, reader: Page, phone: Page, number: str) -> str:
    """6. The reader reads the answer; the page invites a rating. Return the closing email's survey link."""
    closing_mail = newest_mail(journey.server, READER)
    mine = journey.page_of(number)
    reader.goto(mine)
    status(reader).to_have_text("Ditutup")
    expect(reader.locator(".consult-message.from-staff").filter(has_text=ANSWER)).to_be_visible()
    expect(reader.get_by_role("list", name="Janji temu")).to_contain_text("Diterima")
    invite = reader.get_by_role("region", name="Bagaimana layanan kami?")
    survey = link_in(closing_mail, "/survei/")
    expect(invite.get_by_role("link", name="Nilai layanan kami")).to_have_attribute("href", survey)
    phone.goto(mine)
    status(phone).to_have_text("Ditutup")
    no_sideways_scroll(phone)
    shoot(phone, journey.screenshots / "consultation-journey-360-closed.png", full_page=True)
    return survey


def the_reader_rates_the_service_once(journey: Journey, reader: Page, survey: str, number: str) -> None:
    """The reader rates the service from the closing email's link; the page asks no more."""
    reader.goto(journey.base + survey)
    expect(reader.get_by_role("heading", name="Nilai layanan kami")).to_be_visible()
    expect(reader.locator("p.lead")).to_contain_text("Konsultasi")
    for code, pick in PICKS.items():
        question = reader.locator(f"fieldset#{code}")
        question.locator("label").nth(pick).click()
        expect(question.locator("input[type=radio]").nth(pick)).to_be_checked()
    reader.get_by_label("Komentar atau saran (tidak wajib)").fill(COMMENT)
    reader.get_by_role("button", name="Kirim penilaian").click()
    expect(reader.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    shoot(reader, journey.screenshots / "consultation-journey-4-thanks.png", full_page=True)
    with journey.server.app.extensions["pustaka"].uow() as uow:
        rated = uow.session.scalars(select(SurveyResponse).where(SurveyResponse.comment == COMMENT)).one()
        assert (rated.service, rated.channel) == ("consultation", "consultation")
    reader.goto(journey.page_of(number))
    expect(reader.get_by_role("region", name="Bagaimana layanan kami?")).to_have_count(0)  # asked once
