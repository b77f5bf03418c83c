"""The stamp never hides what the publication printed: every dark pixel stays dark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import catalog_data
from catalog_data.pdfgen import render_publication
from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark.conftest import MARK, SECRET, page_texts
from watermark import StampResult, stamp_pdf, stamp_pdf_bytes
from watermark.marks.qr import decode_qr
from watermark.pictures.image import render_plain_page
from watermark.pictures.mark_overlay import draw_reader_mark

# Demo publications and the pages checked of each: born-digital with a running footer,
# the pocket book's small pages, and a scanned edition.
DEMO_PAGES = {
    "metro-dalam-angka-2024": (1, 2, 3, 5, 12, 30, 60),
    "metro-buku-saku-2025": (1, 2, 5, 10),
    "metro-direktori-pasar-2019": (1, 2, 3, 4),
}


@pytest.fixture(scope="session")
def corpus(sample_dir: Path) -> Path:
    """The awkward pages: full bleed, corner table, running footers, turns, crop, unit, tiny."""
    return awkward.build(sample_dir / "awkward.pdf")


@pytest.fixture(scope="session")
def stamped_corpus(corpus: Path, sample_dir: Path) -> tuple[Path, StampResult]:
    target = sample_dir / "awkward-stamped.pdf"
    return target, stamp_pdf(corpus, target, MARK, SECRET)


@pytest.mark.parametrize("index", range(len(awkward.AWKWARD_PAGES)), ids=awkward.AWKWARD_PAGES)
def test_no_dark_pixel_of_an_awkward_page_is_hidden_by_the_stamp(
    corpus: Path, stamped_corpus: tuple[Path, StampResult], index: int
) -> None:
    original = awkward.render(corpus, index)
    stamped = awkward.render(stamped_corpus[0], index)
    assert awkward.hidden_ink(original, stamped) == 0


@pytest.mark.parametrize("index", [0, 1, 7])  # full bleed, corner table, tiny
def test_a_page_with_no_blank_room_grows_a_band_below_instead(
    corpus: Path, stamped_corpus: tuple[Path, StampResult], index: int
) -> None:
    original = awkward.render(corpus, index)
    stamped = awkward.render(stamped_corpus[0], index)
    assert stamped.shape[0] > original.shape[0]
    assert stamped.shape[1] >= original.shape[1]


def test_a_page_with_a_blank_strip_above_its_footer_keeps_its_size(
    corpus: Path, stamped_corpus: tuple[Path, StampResult]
) -> None:
    # The running-footer page has a blank strip between its table and its footer.
    assert awkward.render(stamped_corpus[0], 2).shape == awkward.render(corpus, 2).shape


def test_every_awkward_page_still_names_the_recipient(stamped_corpus: tuple[Path, StampResult]) -> None:
    texts = page_texts(stamped_corpus[0])
    assert len(texts) == len(awkward.AWKWARD_PAGES)
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert "Diberikan kepada Ni Luh Putu Ayu Wulandari" in flat, f"page {number}"
        assert f"Halaman {number}/{len(texts)}" in flat, f"page {number}"


def test_every_awkward_page_carries_a_qr_code_that_reads(stamped_corpus: tuple[Path, StampResult]) -> None:
    path, result = stamped_corpus
    for index in range(len(awkward.AWKWARD_PAGES)):
        picture = Image.fromarray(awkward.render(path, index, dpi=150))
        assert decode_qr(picture) == [result.verify_url], f"page {index + 1}"


@pytest.fixture(scope="session")
def demo_pdfs(sample_dir: Path) -> dict[str, Path]:
    """The demo catalogue's PDFs the check runs on, as the generator makes them."""
    records = {r.key: r for r in catalog_data.load_demo_catalogue()}
    paths = {}
    for key in DEMO_PAGES:
        path = paths[key] = sample_dir / f"{key}.pdf"
        path.write_bytes(render_publication(records[key]))
    return paths


@pytest.mark.parametrize("key", DEMO_PAGES)
def test_no_dark_pixel_of_a_demo_publication_is_hidden_by_the_stamp(
    demo_pdfs: dict[str, Path], key: str
) -> None:
    pages = DEMO_PAGES[key]
    data, result = stamp_pdf_bytes(demo_pdfs[key], MARK, SECRET, pages=pages)
    assert result.page_count == len(pages)
    for index, number in enumerate(pages):
        original = awkward.render(demo_pdfs[key], number - 1)
        assert awkward.hidden_ink(original, awkward.render(data, index)) == 0, f"page {number}"


READER_TEXT = "Dibaca oleh Budi Santoso <b***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"


@pytest.mark.parametrize("index", range(len(awkward.AWKWARD_PAGES)), ids=awkward.AWKWARD_PAGES)
def test_no_dark_pixel_of_an_awkward_page_is_hidden_on_the_readers_picture(corpus: Path, index: int) -> None:
    plain = render_plain_page(corpus, index, dpi=110)
    marked = draw_reader_mark(plain, READER_TEXT)
    assert awkward.hidden_ink(np.asarray(plain.convert("L")), np.asarray(marked.convert("L"))) == 0


@pytest.mark.parametrize("key", DEMO_PAGES)
def test_no_dark_pixel_of_a_demo_page_is_hidden_on_the_readers_picture(
    demo_pdfs: dict[str, Path], key: str
) -> None:
    for number in DEMO_PAGES[key]:
        plain = render_plain_page(demo_pdfs[key], number - 1, dpi=110)
        marked = draw_reader_mark(plain, READER_TEXT)
        hidden = awkward.hidden_ink(np.asarray(plain.convert("L")), np.asarray(marked.convert("L")))
        assert hidden == 0, f"page {number}"
