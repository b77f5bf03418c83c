"""Rendering demo PDFs: deterministic bytes, page counts, text layers, outlines and notices."""

from __future__ import annotations

import hashlib
import io
import re

import pymupdf
import pypdf
import pytest

from catalog_data import SAMPLE_NOTICE, DemoPublication, load_demo_catalogue, load_offices, render_demo_pdf
from catalog_data.pdfgen.born_digital import REPRODUCTION_NOTICE
from catalog_data.pdfgen.scanned import scanned_pages

BORN_DIGITAL = "metro-pdrb-pengeluaran-2019-2023"  # 14 pages, one of them landscape
POCKET_BOOK = "metro-buku-saku-2025"  # B5
SCANNED = "metro-hotel-pariwisata-2020"  # 3 pages


@pytest.fixture(scope="module")
def catalogue() -> dict[str, DemoPublication]:
    return {p.key: p for p in load_demo_catalogue()}


@pytest.fixture(scope="module")
def born(catalogue: dict[str, DemoPublication]) -> bytes:
    return render_demo_pdf(catalogue[BORN_DIGITAL])


@pytest.fixture(scope="module")
def scan(catalogue: dict[str, DemoPublication]) -> bytes:
    return render_demo_pdf(catalogue[SCANNED])


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("key", [BORN_DIGITAL, SCANNED])
def test_rendering_twice_gives_the_same_bytes(
    catalogue: dict[str, DemoPublication], born: bytes, scan: bytes, key: str
) -> None:
    first = born if key == BORN_DIGITAL else scan
    again = render_demo_pdf(catalogue[key])
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(first).hexdigest()


@pytest.mark.parametrize("key", [BORN_DIGITAL, SCANNED])
def test_the_pdf_has_the_catalogued_page_count(
    catalogue: dict[str, DemoPublication], born: bytes, scan: bytes, key: str
) -> None:
    data = born if key == BORN_DIGITAL else scan
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == catalogue[key].pages


def test_every_born_digital_page_has_text_and_the_sample_notice(born: bytes) -> None:
    with pymupdf.open(stream=born) as doc:
        texts = [_flat(page.get_text()) for page in doc]
    assert all(len(t) > 100 for t in texts)
    assert [SAMPLE_NOTICE in t for t in texts] == [True] * len(texts)


def test_the_born_digital_outline_lists_every_chapter_on_its_page(born: bytes) -> None:
    with pymupdf.open(stream=born) as doc:
        toc = doc.get_toc()
        chapters = [(title, page) for level, title, page in toc if title.startswith("BAB ")]
        assert len(chapters) >= 2
        for title, page in chapters:
            assert _flat(title) in _flat(doc[page - 1].get_text())
    assert any(level == 2 and title.startswith("Tabel ") for level, title, _ in toc)


def test_the_document_info_names_office_subject_and_katalog(
    catalogue: dict[str, DemoPublication], born: bytes
) -> None:
    pub = catalogue[BORN_DIGITAL]
    with pymupdf.open(stream=born) as doc:
        info = doc.metadata
    assert info["title"] == pub.title
    assert info["author"] == "BPS Kota Metro"
    assert pub.subject in info["subject"]
    assert pub.katalog_bps in info["keywords"] and pub.nomor_publikasi in info["keywords"]
    assert info["creationDate"].startswith("D:2000")  # reportlab's invariant date


def test_the_colophon_carries_identifiers_and_the_reproduction_notice(
    catalogue: dict[str, DemoPublication], born: bytes
) -> None:
    pub = catalogue[BORN_DIGITAL]
    with pymupdf.open(stream=born) as doc:
        colophon = _flat(doc[1].get_text())
    for value in (pub.katalog_bps, pub.nomor_publikasi, pub.issn, REPRODUCTION_NOTICE):
        assert value in colophon


def test_a_publication_turns_a_wide_table_onto_a_landscape_page(born: bytes) -> None:
    with pymupdf.open(stream=born) as doc:
        shapes = [page.rect.width > page.rect.height for page in doc]
    assert 1 <= sum(shapes) <= 2


def test_the_pocket_book_is_printed_on_b5(catalogue: dict[str, DemoPublication]) -> None:
    data = render_demo_pdf(catalogue[POCKET_BOOK])
    with pymupdf.open(stream=data) as doc:
        sizes = {(round(p.rect.width), round(p.rect.height)) for p in doc}
    assert sizes == {(499, 709)}


def test_scanned_pages_have_no_text_layer_and_one_image_each(scan: bytes) -> None:
    with pymupdf.open(stream=scan) as doc:
        assert [page.get_text().strip() for page in doc] == [""] * doc.page_count
        assert [len(page.get_images()) for page in doc] == [1] * doc.page_count


def test_scanned_page_images_are_greyscale_300_dpi_a4_jpegs(scan: bytes) -> None:
    with pymupdf.open(stream=scan) as doc:
        for page in doc:
            xref, _, width, height, bits, space, _, _, encoding, _ = page.get_images(full=True)[0]
            assert (width, height, bits, space, encoding) == (2480, 3508, 8, "DeviceGray", "DCTDecode")
            assert abs(page.rect.width - 595.3) < 1 and abs(page.rect.height - 841.9) < 1


def test_scan_keywords_are_nowhere_in_the_scanned_pdf_metadata(
    catalogue: dict[str, DemoPublication], scan: bytes
) -> None:
    pub = catalogue[SCANNED]
    with pymupdf.open(stream=scan) as doc:
        metadata = " ".join(str(v) for v in doc.metadata.values()).lower()
        assert doc.metadata["title"] == pub.title
    for word in pub.scan_keywords:
        assert word not in metadata
        assert word.encode() not in scan.lower()


def test_scans_are_dated_by_their_release_not_by_the_clock(
    catalogue: dict[str, DemoPublication], scan: bytes
) -> None:
    with pymupdf.open(stream=scan) as doc:
        created = doc.metadata["creationDate"]
    assert created == f"D:{catalogue[SCANNED].scheduled_release:%Y%m%d}000000Z"


@pytest.mark.slow
def test_every_demo_publication_renders_with_its_catalogued_page_count() -> None:
    """Born-digital ones rendered here; a scan's pages planned (each drawn at 300 dpi, 14 s for the
    twelve: the scan above is drawn whole, and `pustaka serve` draws them all when it loads the demo,
    tests/integration/cli/test_serve.py)."""
    catalogue = load_demo_catalogue()
    offices = {office.code: office for office in load_offices()}
    keywords = {w for p in catalogue for w in p.scan_keywords}
    for pub in catalogue:
        if pub.scanned:
            planned = scanned_pages(pub, offices[pub.office])
            assert len(planned) == pub.pages, pub.key
            printed = " ".join(block.text for page in planned for block in page).lower()
            assert all(word in printed for word in pub.scan_keywords), pub.key  # what OCR must find
            continue
        with pymupdf.open(stream=render_demo_pdf(pub)) as doc:
            assert doc.page_count == pub.pages, pub.key
            words = set(re.findall(r"[a-z]+", " ".join(p.get_text() for p in doc).lower()))
            assert words & keywords == set(), pub.key
