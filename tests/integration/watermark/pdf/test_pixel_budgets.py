"""Every picture drawn from a page stays within its pixel budget: a poster-sized page is drawn smaller.

The hostile page is the audit's: a PDF of a few hundred bytes whose one page is 14,400 points
square (200 inches). At 110 dpi it is 484 Mpx, at 300 dpi 3.6 Gpx; each path that draws it
must draw it within its budget, and an ordinary A4 page must be drawn exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from ingest.limits import OCR_PIXELS, Limits
from ingest.ocr import render_page
from tests.integration.watermark.conftest import MARK, SECRET
from watermark import stamp_pdf_bytes
from watermark.ink import pageinks
from watermark.ink.inkmap import InkMap
from watermark.ink.pageinks import PageInks
from watermark.marks.fingerprint import MAX_PIXELS, read_file
from watermark.pdf.pagebox import PageBox
from watermark.pdf.pixels import INK_PIXELS, QR_PIXELS, READER_PIXELS, dpi_within, zoom_within
from watermark.pictures.image import page_sizes, render_plain_page
from watermark.trace.reading import read_marks

POSTER = 14_400  # points a side: the largest page PDF allows


def pdf_of(tmp_path: Path, name: str, width: float, height: float) -> Path:
    """Write a one-page PDF of the given size with a line of text."""
    with pymupdf.open() as document:
        page = document.new_page(width=width, height=height)
        page.insert_text((72, 144), "Statistik Daerah", fontsize=min(width, height) / 20)
        path = tmp_path / name
        document.save(path)
    return path


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Record the pixel count of every picture PyMuPDF draws of a page."""
    sizes: list[int] = []
    original = pymupdf.Page.get_pixmap

    def get_pixmap(page: pymupdf.Page, *args: object, **kwargs: object) -> pymupdf.Pixmap:
        pixmap = original(page, *args, **kwargs)
        sizes.append(pixmap.width * pixmap.height)
        return pixmap

    monkeypatch.setattr(pymupdf.Page, "get_pixmap", get_pixmap)
    yield sizes


@pytest.fixture
def poster(tmp_path: Path) -> Path:
    return pdf_of(tmp_path, "poster.pdf", POSTER, POSTER)


def test_an_ordinary_page_keeps_its_resolution() -> None:
    assert zoom_within(595, 842, 300 / 72, OCR_PIXELS) == 300 / 72
    assert dpi_within(595, 842, 110, READER_PIXELS) == 110


def test_a_poster_page_is_drawn_as_large_as_its_budget_allows() -> None:
    for budget in (READER_PIXELS, OCR_PIXELS, QR_PIXELS):
        zoom = zoom_within(POSTER, POSTER, 300 / 72, budget)
        pixels = (POSTER * zoom + 1) ** 2
        assert 0.99 * budget <= pixels <= budget
    assert zoom_within(POSTER, 0, 4.0, 1000) <= 4.0  # a page with no height is not a division by zero
    with pytest.raises(ValueError):
        zoom_within(595, 842, 1.0, 0)


def test_the_reader_draws_a_poster_page_within_its_budget_at_the_size_it_announced(poster: Path) -> None:
    picture = render_plain_page(poster, 0, dpi=110)
    assert picture.width * picture.height <= READER_PIXELS
    assert page_sizes(poster, dpi=110) == [picture.size]


def test_the_reader_draws_an_a4_page_as_before(tmp_path: Path) -> None:
    a4 = pdf_of(tmp_path, "a4.pdf", 595, 842)
    picture = render_plain_page(a4, 0, dpi=110)
    assert picture.size == (910, 1287) and page_sizes(a4, dpi=110) == [picture.size]


def test_ocr_renders_a_poster_page_within_its_budget(poster: Path) -> None:
    with pymupdf.open(poster) as document:
        rendered = render_page(document, 1, 300, Limits(), deskew=False)
    assert rendered.width * rendered.height <= OCR_PIXELS
    assert rendered.dpi < 300


def test_tracing_a_stamped_poster_reads_its_qr_sample_within_budget(tmp_path: Path, drawn: list[int]) -> None:
    with pymupdf.open() as document:
        document.new_page(width=POSTER, height=POSTER).insert_text((72, 144), "Poster", fontsize=400)
        data, _ = stamp_pdf_bytes(document.tobytes(), MARK, SECRET)
    path = tmp_path / "poster-copy.pdf"
    path.write_bytes(data)
    result = read_marks(path, secret=SECRET)
    assert MARK.delivery_id in result.delivery_ids  # still named, by its text and metadata
    assert result.qr_pages == (1,)
    assert drawn and max(drawn) <= QR_PIXELS


def test_the_dot_pattern_reads_a_poster_within_budget(poster: Path, drawn: list[int]) -> None:
    _, pages = read_file(poster, SECRET)
    assert pages == 1 and max(drawn) <= MAX_PIXELS


@pytest.mark.parametrize("read", [True, False], ids=["read from its content", "rendered"])
def test_the_ink_of_a_poster_is_measured_within_budget(
    poster: Path, read: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pageinks, "worth_reading", lambda page: read)
    inks = PageInks(poster, InkMap(1))  # measured to be kept: all over, not its foot alone
    try:
        ink = inks.of_page(0, PageBox(POSTER, POSTER, (1, 0, 0, 1, 0, 0)))
    finally:
        inks.close()
    assert inks.measured == 1 and ink.is_free(POSTER - 600, 72, 400, 400)  # measured, not all ink
    assert ink.inked.size <= INK_PIXELS


def test_the_foot_of_a_poster_is_measured_within_budget(poster: Path) -> None:
    inks = PageInks(poster)  # nothing to keep: its foot alone
    try:
        ink = inks.of_page(0, PageBox(POSTER, POSTER, (1, 0, 0, 1, 0, 0)))
    finally:
        inks.close()
    assert inks.measured == 1 and ink.exact_rows < ink.shape[0] and ink.inked.size <= INK_PIXELS
    assert ink.is_free(POSTER - 600, 72, 100, 100)
