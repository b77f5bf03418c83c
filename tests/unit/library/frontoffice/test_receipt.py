"""Queue tickets on 80 mm receipt paper: one page each, readable, and unbreakable by what people type."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pymupdf
import pytest
from PIL import Image
from pypdf import PdfReader

from library.frontoffice.receipt import MARGIN, PAGE_WIDTH, TicketPrint, render_ticket, render_tickets
from watermark.marks.qr import decode_qr

URL = "https://pst.example.go.id/kunjungan/status/Xk3vQ9aZ-7bLm2Pq"
TICKET = TicketPrint(
    office_name="BPS Kabupaten Nias Selatan",
    service_name="Perpustakaan",
    service_name_en="Library",
    code="P-007",
    issued_at=dt.datetime(2026, 11, 22, 2, 15, tzinfo=dt.UTC),  # Sunday 09:15 in Jakarta
    status_url=URL,
    visitor_name="Siti Nurhaliza",
    people_ahead=3,
    target="Dilayani paling lama 5 menit setelah mengisi buku tamu",
    target_en="Served within 5 minutes of signing the guest book",
)
RECEIPT_PRINTER_DPI = 203


def ticket(**changes: object) -> TicketPrint:
    return dataclasses.replace(TICKET, **changes)


def page_text(pdf: bytes, number: int = 0) -> str:
    with pymupdf.open(stream=pdf) as doc:
        return doc[number].get_text()


def test_the_page_is_80_mm_wide_and_opens_in_pypdf_and_pymupdf() -> None:
    pdf = render_ticket(TICKET)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    with pymupdf.open(stream=pdf) as doc:
        assert doc.page_count == 1
        assert doc[0].rect.width == pytest.approx(226.77, abs=0.01)
    assert float(box.width) == pytest.approx(226.77, abs=0.01)
    assert 100 < float(box.height) < 842  # as tall as the ticket, far short of an A4 page


def test_the_ticket_shows_its_code_service_and_office() -> None:
    text = page_text(render_ticket(TICKET))
    for words in ("P-007", "Perpustakaan", "Library", "BPS Kabupaten Nias Selatan", "NOMOR ANTREAN"):
        assert words in text


@pytest.mark.parametrize(
    ("zone", "indonesian", "english"),
    [
        ("Asia/Jakarta", "Minggu, 22 November 2026 09:15 WIB", "Sunday, 22 November 2026 09:15 WIB"),
        ("Asia/Makassar", "Minggu, 22 November 2026 10:15 WITA", "Sunday, 22 November 2026 10:15 WITA"),
        ("Asia/Jayapura", "Minggu, 22 November 2026 11:15 WIT", "Sunday, 22 November 2026 11:15 WIT"),
        ("No/Such_Zone", "Minggu, 22 November 2026 09:15 WIB", "Sunday, 22 November 2026 09:15 WIB"),
    ],
)
def test_the_issue_time_is_printed_in_the_office_zone_in_both_languages(
    zone: str, indonesian: str, english: str
) -> None:
    text = page_text(render_ticket(ticket(timezone=zone)))
    assert indonesian in text
    assert english in text
    assert text.index(indonesian) < text.index(english)


def test_the_qr_code_opens_the_status_page_when_printed_at_receipt_resolution() -> None:
    with pymupdf.open(stream=render_ticket(TICKET)) as doc:
        pixmap = doc[0].get_pixmap(dpi=RECEIPT_PRINTER_DPI, colorspace=pymupdf.csGRAY)
    picture = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    assert decode_qr(picture) == [URL]


def test_the_status_url_is_printed_under_the_qr_code() -> None:
    assert URL in page_text(render_ticket(TICKET))


def test_several_tickets_make_one_page_each_in_order() -> None:
    consultation = ticket(code="K-012", service_name="Konsultasi Statistik", service_name_en="Consultation")
    pdf = render_tickets([TICKET, consultation])
    with pymupdf.open(stream=pdf) as doc:
        assert doc.page_count == 2
        assert all(page.rect.width == pytest.approx(226.77, abs=0.01) for page in doc)
    assert "P-007" in page_text(pdf, 0) and "K-012" not in page_text(pdf, 0)
    assert "K-012" in page_text(pdf, 1) and "Konsultasi Statistik" in page_text(pdf, 1)


def test_no_tickets_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        render_tickets([])


def test_only_the_visitor_first_name_is_printed() -> None:
    text = page_text(render_ticket(TICKET))
    assert "Siti" in text
    assert "Nurhaliza" not in text


def test_a_ticket_without_a_name_prints_no_name_line() -> None:
    assert "Atas nama" not in page_text(render_ticket(ticket(visitor_name="")))


@pytest.mark.parametrize(
    ("ahead", "indonesian", "english"),
    [
        (0, "Tidak ada antrean di depan Anda", "No one is ahead of you"),
        (1, "Antrean di depan Anda: 1 orang", "1 person ahead of you"),
        (12, "Antrean di depan Anda: 12 orang", "12 people ahead of you"),
    ],
)
def test_the_queue_ahead_is_told_in_both_languages(ahead: int, indonesian: str, english: str) -> None:
    text = page_text(render_ticket(ticket(people_ahead=ahead)))
    assert indonesian in text
    assert english in text


def test_an_unknown_queue_prints_no_queue_line() -> None:
    assert "di depan Anda" not in page_text(render_ticket(ticket(people_ahead=None)))


def test_the_page_grows_with_its_content() -> None:
    def height(pdf: bytes) -> float:
        return float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)

    bare = render_ticket(ticket(visitor_name="", people_ahead=None, target="", target_en=""))
    assert height(bare) < height(render_ticket(TICKET))


@pytest.mark.parametrize(
    "changes",
    [
        {"issued_at": dt.datetime(2026, 11, 22, 9, 15)},
        {"people_ahead": -1},
        {"code": "  "},
        {"status_url": ""},
    ],
    ids=["naive issue time", "negative queue", "blank code", "blank url"],
)
def test_a_ticket_that_cannot_be_printed_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ticket(**changes)


LONG = "Badan Pusat Statistik Kabupaten Kepulauan Siau Tagulandang Biaro " * 20
HOSTILE = [
    ("office_name", LONG),
    ("office_name", "X" * 5000),
    ("service_name", "Konsultasi\x00\x07\x1b[31m dengan\u202e petugas\r\n\t😀🇮🇩 " * 10),
    ("service_name_en", "\u200b\u200d\ufeff" * 100),
    ("visitor_name", "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft Jr."),
    ("visitor_name", "Z\u0337\u0322\u031b\u0301\u0308\u0327a\u0338\u0353\u035d" * 40),
    ("visitor_name", "张伟 \U0001f600"),
    ("visitor_name", "\x00\x01\x02"),
    ("code", "P-007-" + "9" * 80),
    ("code", "K-012\n\x1b[2J"),
    ("target", "W" * 3000),
    ("target_en", "Ⅻ ﷽ ẞ ǅ Ꙭ " * 50),
    ("status_url", URL + "/" + "a" * 300),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=[f"{f}-{n}" for n, (f, _) in enumerate(HOSTILE)])
def test_hostile_text_stays_on_one_page_within_the_margins(field: str, value: str) -> None:
    pdf = render_ticket(ticket(**{field: value}))
    with pymupdf.open(stream=pdf) as doc:
        assert doc.page_count == 1
        spans = [
            span
            for block in doc[0].get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        ]
    assert spans
    for span in spans:
        left, _, right, _ = span["bbox"]
        assert MARGIN - 1 <= left and right <= PAGE_WIDTH - MARGIN + 1, span["text"]
        assert not any(ord(ch) < 32 for ch in span["text"])


def test_a_value_too_long_for_its_lines_ends_with_an_ellipsis() -> None:
    text = page_text(render_ticket(ticket(office_name=LONG)))
    office_lines = text.split("\n")[:3]
    assert office_lines[1].endswith("\u2026")
    assert office_lines[2] == "Perpustakaan"  # two lines at most, then the service


def test_characters_the_font_lacks_are_left_out() -> None:
    text = page_text(render_ticket(ticket(visitor_name="Siti\U0001f600\u4f1f")))
    assert "\nSiti\n" in text
