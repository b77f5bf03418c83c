"""Inspecting real sources: every hostile file refused with a clear reason, the rest described."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.source import SourceKind, build_base_pdf, inspect
from tests.integration.ingest import hostile_files as hostile

# factory, code, words the message must hold (the file and what to do about it)
REFUSED = [
    (hostile.decompression_bomb_png, "too_many_pixels", ["100,000 × 100,000", "Scan that page"]),
    (hostile.garbage_pdf, "damaged", ["acak.pdf", "cannot be repaired", "export it again"]),
    (hostile.truncated_pdf, "damaged", ["terpotong.pdf", "cut short", "export it again"]),
    (hostile.encrypted_pdf, "encrypted", ["terkunci.pdf", "password", "without protection"]),
    (hostile.zero_pages_pdf, "no_pages", ["tanpa-halaman.pdf", "without pages"]),
    (hostile.text_renamed_pdf, "unsupported_type", ["laporan.pdf", "not a PDF", "export it"]),
    (hostile.empty_file, "empty_file", ["kosong.pdf", "0 bytes", "download it again"]),
    (hostile.huge_page_tree_pdf, "too_many_pages", ["10,000,000 pages", "Split it"]),
]


@pytest.mark.parametrize(("make", "code", "phrases"), REFUSED, ids=[make.__name__ for make, _, _ in REFUSED])
def test_a_hostile_file_is_refused_with_its_code_and_a_message_saying_what_to_do(
    tmp_path: Path, make: Callable[[Path], Path], code: str, phrases: list[str]
) -> None:
    with pytest.raises(IngestError) as caught:
        inspect(make(tmp_path))
    assert caught.value.code == code
    for phrase in phrases:
        assert phrase in str(caught.value)
    assert str(tmp_path) not in str(caught.value)  # no server paths for the uploader


def test_a_pdf_with_a_broken_xref_is_repaired_not_refused(tmp_path: Path) -> None:
    facts = inspect(hostile.broken_xref_pdf(tmp_path))
    assert (facts.kind, facts.page_count, facts.repaired) == (SourceKind.PDF, 6, True)
    assert facts.text_pages == (1, 2, 3, 4, 5, 6)
    assert facts.origin == "born_digital"


def test_a_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    facts = inspect(hostile.empty_password_pdf(tmp_path))
    assert (facts.page_count, facts.encrypted, facts.repaired) == (6, True, False)
    assert facts.info["title"] == "Kota Metro Dalam Angka 2024"


def test_a_jpeg_named_pdf_is_taken_in_as_a_scanned_page(tmp_path: Path) -> None:
    facts = inspect(hostile.jpeg_renamed_pdf(tmp_path))
    assert (facts.kind, facts.media_type, facts.page_count) == (SourceKind.JPEG, "image/jpeg", 1)
    assert (facts.text_pages, facts.image_pages, facts.origin) == ((), (1,), "scanned")
    assert facts.info == {}


def test_an_image_past_pillows_own_bomb_threshold_but_within_the_limit_passes(tmp_path: Path) -> None:
    # Pillow warns at 89 M pixels (an error under pytest); the header is read without it.
    assert inspect(hostile.png_claiming(tmp_path, 10_000, 10_000)).page_count == 1


def test_a_born_digital_pdf_is_described_with_its_info(tmp_path: Path) -> None:
    facts = inspect(hostile.text_pdf(tmp_path))
    assert (facts.media_type, facts.page_count, facts.origin) == ("application/pdf", 6, "born_digital")
    assert facts.info["title"] == "Kota Metro Dalam Angka 2024"
    assert "author" not in facts.info  # reportlab's "anonymous" is no author


def test_text_and_image_pages_of_a_mixed_pdf_are_told_apart(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.png"
    hostile.page_image().save(scan)
    path = tmp_path / "campuran.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in (1, 2, 3):
        if number == 2:
            pdf.drawImage(str(scan), 0, 0, *A4)
            pdf.drawString(550, 20, "2")  # a page number alone is no text layer
        else:
            pdf.drawString(72, 760, "Jumlah penduduk menurut kecamatan di Kota Metro, 2023")
        pdf.showPage()
    pdf.save()
    facts = inspect(path)
    assert (facts.text_pages, facts.image_pages, facts.origin) == ((1, 3), (2,), "mixed")


def test_a_file_over_the_size_limit_is_too_large(tmp_path: Path) -> None:
    path = hostile.text_pdf(tmp_path)
    with pytest.raises(IngestError) as caught:
        inspect(path, Limits(max_bytes=1024))
    assert caught.value.code == "too_large"
    assert caught.value.params["limit_mb"] == 0
    assert caught.value.params["name"] == "publikasi.pdf"


@pytest.mark.parametrize("source", ["pdf", "tiff", "folder"])
def test_more_pages_than_the_limit_are_refused(tmp_path: Path, source: str) -> None:
    if source == "pdf":
        path = hostile.text_pdf(tmp_path)
    elif source == "tiff":
        path = tmp_path / "jilid.tif"
        page = hostile.page_image(200, 280)
        page.save(path, save_all=True, append_images=[page] * 5)
    else:
        path = tmp_path / "pindaian"
        path.mkdir()
        for number in range(1, 7):
            hostile.page_image(200, 280).save(path / f"{number}.png")
    with pytest.raises(IngestError) as caught:
        inspect(path, Limits(max_pages=4))
    assert (caught.value.code, caught.value.params["limit"]) == ("too_many_pages", 4)


def test_a_folder_of_jpeg_png_and_tiff_pages_counts_every_frame(tmp_path: Path) -> None:
    folder = tmp_path / "pindaian"
    folder.mkdir()
    page = hostile.page_image(300, 420)
    page.save(folder / "1.jpg")
    page.save(folder / "2.png")
    page.save(folder / "3.tif", save_all=True, append_images=[page])
    facts = inspect(folder)
    assert (facts.kind, facts.page_count, facts.image_pages) == (SourceKind.IMAGES, 4, (1, 2, 3, 4))


def _pdf_with_image(path: Path, width: int, height: int, page_size: float = 595) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(page_size, page_size))
    image = pikepdf.Stream(pdf, b"\xff" * (width * height))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 500 0 0 500 0 0 cm /Im0 Do Q")
    pdf.save(path)
    return path


def test_a_pdf_page_holding_an_oversized_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = _pdf_with_image(tmp_path / "peta.pdf", 1000, 800)
    with pytest.raises(IngestError) as caught:
        inspect(path, Limits(max_pixels=500_000))
    assert caught.value.code == "too_many_pixels"
    assert caught.value.params == {"page": 1, "width": 1000, "height": 800, "limit_megapixels": 0}


def test_a_huge_pdf_page_is_noted_for_a_lower_ocr_resolution_not_refused(tmp_path: Path) -> None:
    # 5,000 pt square at 300 dpi would be 434 M pixels: OCR renders it below 300 dpi.
    path = _pdf_with_image(tmp_path / "baliho.pdf", 10, 10, page_size=5000)
    facts = inspect(path)
    assert facts.reduced_dpi_pages == (1,)
    assert facts.image_pages == (1,)


def test_a_page_image_too_large_for_300_dpi_is_noted(tmp_path: Path) -> None:
    # 20,000 × 14,000 pixels at 72 dpi: 280 M pixels as stored, 4.9 G once drawn at 300 dpi.
    path = hostile.png_claiming(tmp_path, 20_000, 14_000, dpi=72)
    assert inspect(path).reduced_dpi_pages == (1,)
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # Pillow's global limit untouched


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data.replace(b"/Kids", b"/Kidz", 1),  # the page tree lost, its pages intact
        lambda data: data.replace(b"trailer\n<<", b"trailer\n<< /Encrypt 1 0 R", 1),  # encrypts nothing
    ],
    ids=["lost_page_tree", "stale_encryption"],
)
def test_damage_mupdf_reads_as_pageless_or_locked_is_repaired_and_said(
    tmp_path: Path, spoil: Callable[[bytes], bytes]
) -> None:
    damaged = tmp_path / "rusak.pdf"
    damaged.write_bytes(spoil(hostile.text_pdf(tmp_path).read_bytes()))
    facts = inspect(damaged)
    assert (facts.page_count, facts.repaired, facts.encrypted) == (6, True, False)
    assert facts.text_pages == (1, 2, 3, 4, 5, 6)
    base = build_base_pdf(damaged, facts, tmp_path / "base.pdf")
    with pikepdf.open(base) as pdf:
        assert len(pdf.pages) == 6


def _pdf_with_inflating_stream(path: Path, inflated: int) -> Path:
    """Write a one-page PDF that also holds a Flate stream of `inflated` zero bytes (a few KB on disk)."""
    import zlib

    pdf = pikepdf.new()
    pdf.add_blank_page()
    bomb = pikepdf.Stream(pdf, zlib.compress(b"\0" * inflated, 9))
    bomb["/Filter"] = pikepdf.Name.FlateDecode
    pdf.Root["/PieceInfo"] = pdf.make_indirect(bomb)  # reachable, so kept and copied into every copy
    pdf.save(path)
    return path


def test_a_stream_that_inflates_past_the_limit_is_refused_without_inflating_it_whole(tmp_path: Path) -> None:
    limits = Limits(max_stream_bytes=2**20)
    with pytest.raises(IngestError) as refused:
        inspect(_pdf_with_inflating_stream(tmp_path / "bom.pdf", 64 * 2**20), limits)
    assert refused.value.code == "stream_too_large" and refused.value.params["limit_mb"] == 1
    assert "print it to a new PDF" in refused.value.message
    inspect(_pdf_with_inflating_stream(tmp_path / "ok.pdf", 2**19), limits)  # within the limit: taken
