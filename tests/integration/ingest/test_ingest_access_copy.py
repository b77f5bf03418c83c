"""The access copy of a scan: straight pages, under 300 KB each, the OCR words where they are shown."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from ingest.access import build_access_copy, is_access_copy, is_scan
from ingest.deskew import estimate_skew
from ingest.ocr import installed_languages, ocr_pages
from ingest.source import build_base_pdf, inspect
from ingest.textlayer import add_text_layer
from tests.conftest import require_service
from tests.integration.ingest.scan_pages import MARKER, ScanPage, grey_scan

SKEWS = (-2.0, 0.8)  # either way, a large turn and a small one: each page is OCR'd at 300 dpi
TARGET_BYTES_PER_PAGE = 300_000


@dataclass(frozen=True)
class Built:
    """A synthetic scan taken through OCR and into its access copy, as the ingest job does."""

    master: Path
    master_sha256: str
    pages: list[ScanPage]
    layered: Path  # the scan with its invisible OCR words: the access copy before this change
    access: Path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    found = shutil.which("tesseract")
    require_service("Tesseract with ind", found is not None and "ind" in installed_languages(found))
    folder = tmp_path_factory.mktemp("access")
    master = folder / "scan.pdf"
    pages = grey_scan(master, SKEWS)
    digest = sha256(master)
    facts = inspect(master)
    base = build_base_pdf(master, facts, folder / "base.pdf")
    results = {r.page_number: r for r in ocr_pages(base, facts.image_pages)}
    layered = folder / "layered.pdf"
    add_text_layer(base, layered, {n: r.words for n, r in results.items()})
    access = folder / "access.pdf"
    build_access_copy(
        base,
        access,
        {n: r.words for n, r in results.items()},
        {n: r.skew_degrees for n, r in results.items()},
    )
    yield Built(master, digest, pages, layered, access)


def page_gray(page: pymupdf.Page, dpi: int = 100) -> np.ndarray:
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    rows = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
    return rows[:, : pixmap.width]


def marker_boxes(path: Path) -> list[pymupdf.Rect]:
    with pymupdf.open(path) as doc:
        return [pymupdf.Rect(next(w[:4] for w in page.get_text("words") if w[4] == MARKER)) for page in doc]


@pytest.mark.slow
def test_the_synthetic_master_is_a_heavy_300_dpi_scan(built: Built) -> None:
    # The case reported: a few grey 300-dpi pages delivered as megabytes each.
    assert built.master.stat().st_size / len(SKEWS) > 2_000_000


def test_the_access_copy_of_a_300_dpi_grey_scan_takes_at_most_300_kb_a_page(built: Built) -> None:
    assert built.access.stat().st_size / len(SKEWS) <= TARGET_BYTES_PER_PAGE


def test_the_access_copy_keeps_the_grey_of_a_grey_scan_as_jpeg_at_150_to_200_dpi(built: Built) -> None:
    with pymupdf.open(built.access) as doc:
        for page in doc:
            (image,) = page.get_images(full=True)
            _, _, width, _, bpc, space, _, _, encoding, _ = image
            assert (bpc, space, encoding) == (8, "DeviceGray", "DCTDecode")
            assert page.rect.width / 72 * 150 - 2 <= width <= page.rect.width / 72 * 200 + 2


def test_the_pages_of_the_master_are_turned(built: Built) -> None:
    with pymupdf.open(built.master) as doc:
        measured = [estimate_skew(page_gray(page)) for page in doc]
    assert measured == pytest.approx(list(SKEWS), abs=0.2)


def test_the_pages_of_the_access_copy_are_straight(built: Built) -> None:
    with pymupdf.open(built.access) as doc:
        measured = [estimate_skew(page_gray(page)) for page in doc]
    assert measured == pytest.approx([0.0] * len(SKEWS), abs=0.15)


def test_the_ocr_words_of_the_access_copy_lie_where_the_straight_page_shows_them(built: Built) -> None:
    for found, page in zip(marker_boxes(built.access), built.pages, strict=True):
        printed = pymupdf.Rect(page.marker_box)
        assert abs(found.x0 - printed.x0) < 3 and abs(found.y0 - printed.y0) < 3
        assert abs(found.x1 - printed.x1) < 3 and abs(found.y1 - printed.y1) < 3


def test_the_words_of_the_access_copy_cover_ink(built: Built) -> None:
    with pymupdf.open(built.access) as doc:
        for page, box in zip(doc, marker_boxes(built.access), strict=True):
            gray = page_gray(page, dpi=144)
            x0, y0, x1, y1 = (round(v * 2) for v in box)
            assert gray[y0:y1, x0:x1].min() < 80  # the word's box holds dark strokes


def test_a_copy_built_again_from_the_old_access_copy_finds_the_words_in_its_text_layer(
    built: Built, tmp_path: Path
) -> None:
    again = tmp_path / "again.pdf"
    build_access_copy(built.layered, again)
    for found, page in zip(marker_boxes(again), built.pages, strict=True):
        assert abs(found.x0 - page.marker_box[0]) < 3 and abs(found.y0 - page.marker_box[1]) < 3


def test_building_the_access_copy_leaves_the_master_as_it_was(built: Built) -> None:
    assert sha256(built.master) == built.master_sha256


def test_building_the_same_access_copy_twice_gives_the_same_file(built: Built, tmp_path: Path) -> None:
    build_access_copy(built.layered, tmp_path / "one.pdf")
    build_access_copy(built.layered, tmp_path / "two.pdf")
    assert sha256(tmp_path / "one.pdf") == sha256(tmp_path / "two.pdf")


def test_an_access_copy_is_known_by_its_marker(built: Built) -> None:
    assert is_access_copy(built.access) and not is_access_copy(built.layered)


def picture_pdf(path: Path, image: Image.Image) -> Path:
    """Write a one-page PDF showing the image over an A5 page."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    with pymupdf.open() as doc:
        page = doc.new_page(width=420, height=595)
        page.insert_image(page.rect, stream=buffer.getvalue())
        doc.save(path)
    return path


def image_of(path: Path) -> tuple[int, str]:
    with pymupdf.open(path) as doc:
        (image,) = doc[0].get_images(full=True)
        return image[4], image[5]


def test_a_colour_scan_keeps_its_colour(tmp_path: Path) -> None:
    picture = Image.new("RGB", (1167, 1654), (240, 240, 236))
    picture.paste((200, 30, 30), (100, 100, 600, 500))
    source = picture_pdf(tmp_path / "colour.pdf", picture)
    build_access_copy(source, tmp_path / "access.pdf")
    assert image_of(tmp_path / "access.pdf") == (8, "DeviceRGB")


def test_a_black_and_white_scan_stays_black_and_white(tmp_path: Path) -> None:
    picture = Image.new("1", (1167, 1654), 1)
    picture.paste(0, (100, 100, 600, 140))
    source = picture_pdf(tmp_path / "bilevel.pdf", picture)
    build_access_copy(source, tmp_path / "access.pdf")
    assert image_of(tmp_path / "access.pdf") == (1, "DeviceGray")
    with pymupdf.open(tmp_path / "access.pdf") as doc:
        gray = page_gray(doc[0], dpi=72)
    assert gray[40, 100] < 50 and gray[200, 100] > 200  # the bar is black, the paper white


def test_a_page_of_drawn_text_is_not_taken_for_a_scan(tmp_path: Path) -> None:
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Statistik Daerah")
        doc.save(tmp_path / "digital.pdf")
    assert not is_scan(tmp_path / "digital.pdf")


PEAK_RSS = """
import resource, sys
from pathlib import Path
from ingest.access import build_access_copy
build_access_copy(Path(sys.argv[1]), Path(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory_kb(source: Path, target: Path) -> int:
    """Build the access copy in a fresh process; return its peak resident memory in KB."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(source), str(target)], capture_output=True, text=True, check=True
    )
    return int(done.stdout.split()[-1])


@pytest.mark.slow
def test_building_an_access_copy_takes_the_memory_of_a_page_not_of_the_file(
    built: Built, tmp_path: Path
) -> None:
    four, twenty = tmp_path / "four.pdf", tmp_path / "twenty.pdf"
    with pymupdf.open(built.master) as scan, pymupdf.open() as longer:
        for _ in range(5):
            longer.insert_pdf(scan)
        longer.save(twenty)
    shutil.copyfile(built.master, four)
    # 16 more pages of about 6 MB each: held, they would add some 90 MB.
    assert peak_memory_kb(twenty, tmp_path / "a.pdf") < peak_memory_kb(four, tmp_path / "b.pdf") + 40_000
