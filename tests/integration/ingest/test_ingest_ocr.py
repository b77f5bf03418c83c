"""OCR of scanned pages with Tesseract, and the invisible text layer that makes them searchable."""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from catalog_data import load_demo_catalogue, render_demo_pdf
from ingest.errors import IngestError
from ingest.limits import Limits
from ingest.ocr import PageOcr, RenderedPage, installed_languages, ocr_pages, recognise_page
from ingest.source import build_base_pdf, inspect
from ingest.textlayer import add_text_layer
from tests.conftest import require_service
from tests.integration.ingest.hostile_files import FONT

DPI = 300
SKEW = 2.5
LINES = (
    "Jumlah penduduk menurut kecamatan di Kota Metro",
    "Luas wilayah dan kepadatan penduduk tahun 2023",
    "Sumber: Badan Pusat Statistik Kota Metro",
)


def _require_tesseract() -> None:
    found = shutil.which("tesseract")
    require_service("Tesseract with ind", found is not None and "ind" in installed_languages(found))


def synthetic_scan(path: Path) -> tuple[float, float]:
    """Write a 300-dpi scan of three lines turned by SKEW degrees with noise; return where
    the first "penduduk" is, in PDF points."""
    size = (2480, 900)
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 50)  # 12 pt at 300 dpi
    for index, line in enumerate(LINES):
        draw.text((200, 200 + index * 110), line, font=font, fill=25)
    left, top, right, bottom = draw.textbbox((200 + font.getlength("Jumlah "), 200), "penduduk", font=font)
    turned = page.rotate(SKEW, resample=Image.Resampling.BILINEAR, fillcolor=242)
    grain = np.random.default_rng(7).normal(0, 12, (size[1], size[0]))
    noisy = np.clip(np.asarray(turned, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
    Image.fromarray(noisy).filter(ImageFilter.GaussianBlur(0.7)).save(path, dpi=(DPI, DPI))
    # Pillow turns counter-clockwise about the centre (y down).
    dx, dy = (left + right) / 2 - size[0] / 2, (top + bottom) / 2 - size[1] / 2
    angle = math.radians(SKEW)
    x = dx * math.cos(angle) + dy * math.sin(angle) + size[0] / 2
    y = -dx * math.sin(angle) + dy * math.cos(angle) + size[1] / 2
    return x * 72 / DPI, y * 72 / DPI


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict, tuple]]:
    """OCR a two-page scan (the synthetic page twice) in two processes, with TMPDIR watched."""
    _require_tesseract()
    folder = tmp_path_factory.mktemp("scan")
    pages = folder / "halaman"
    pages.mkdir()
    where = synthetic_scan(pages / "1.png")
    shutil.copy(pages / "1.png", pages / "2.png")
    base = build_base_pdf(pages, inspect(pages), folder / "base.pdf")
    temp = folder / "tmp"
    temp.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(temp))
        patch.setattr(tempfile, "tempdir", str(temp))
        results = {r.page_number: r for r in ocr_pages(base, [1, 2], processes=2)}
    assert list(temp.iterdir()) == []  # nothing written, not even by Tesseract
    yield base, results, where


def _first(result: PageOcr, text: str):
    return min((w for w in result.words if w.text == text), key=lambda w: w.y0)


def test_every_asked_page_is_read_once(scanned) -> None:
    _, results, _ = scanned
    assert sorted(results) == [1, 2]
    assert results[1].dpi == DPI


def test_ocr_reads_the_indonesian_words_of_a_skewed_noisy_scan(scanned) -> None:
    _, results, _ = scanned
    text = results[1].text
    for word in ("penduduk", "kecamatan", "kepadatan", "Statistik"):
        assert word in text
    assert text.splitlines()[0] == LINES[0]
    assert results[1].mean_confidence > 80


def test_the_skew_is_measured_and_undone_before_ocr(scanned) -> None:
    _, results, _ = scanned
    assert results[1].skew_degrees == pytest.approx(SKEW, abs=0.2)


def test_word_boxes_land_on_the_word_in_page_points(scanned) -> None:
    _, results, (x, y) = scanned
    word = _first(results[1], "penduduk")
    assert ((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2) == pytest.approx((x, y), abs=3)
    assert 45 < word.x1 - word.x0 < 60  # 8 letters at 12 pt
    assert 8 < word.y1 - word.y0 < 16


def test_the_text_layer_makes_the_scan_searchable_where_the_word_is(scanned, tmp_path: Path) -> None:
    base, results, (x, y) = scanned
    target = tmp_path / "akses.pdf"
    add_text_layer(base, target, {1: results[1].words})
    with pymupdf.open(target) as doc:
        assert "kecamatan" in doc[0].get_text()
        hit = min(doc[0].search_for("penduduk"), key=lambda r: r.y0)
        assert ((hit.x0 + hit.x1) / 2, (hit.y0 + hit.y1) / 2) == pytest.approx((x, y), abs=3)
        assert doc[1].get_text() == ""  # a page not given stays as it was
        assert doc[0].get_pixmap().samples == pymupdf.open(base)[0].get_pixmap().samples
    assert target.read_bytes().count(b"%%EOF") == 1  # rewritten, not appended to


def test_a_page_too_large_for_the_pixel_limit_is_read_at_a_lower_dpi(scanned) -> None:
    base, _, (x, y) = scanned
    (result,) = ocr_pages(base, [1], processes=1, limits=Limits(max_pixels=2480 * 900 // 3))
    assert 160 <= result.dpi < 175  # 300 / sqrt(3)
    word = _first(result, "penduduk")
    assert ((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2) == pytest.approx((x, y), abs=3)


def test_a_scan_shown_through_rotate_gets_boxes_in_the_unrotated_page_space(scanned, tmp_path: Path) -> None:
    base, _, (x, y) = scanned
    sideways = tmp_path / "miring.png"
    upright = Image.open(base.parent / "halaman" / "1.png")
    upright.transpose(Image.Transpose.ROTATE_90).save(sideways)  # /Rotate 90 turns it back
    path = tmp_path / "diputar.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page(width=upright.height * 72 / DPI, height=upright.width * 72 / DPI)
        page.insert_image(page.rect, filename=str(sideways))
        page.set_rotation(90)
        doc.save(path)
    (result,) = ocr_pages(path, [1], processes=1)
    target = tmp_path / "akses.pdf"
    add_text_layer(path, target, {1: result.words})
    with pymupdf.open(target) as doc:
        page = doc[0]
        # The first "penduduk" as the reader sees the page: the topmost once turned.
        shown, word = min(
            (
                (pymupdf.Rect(w.x0, w.y0, w.x1, w.y1) * page.rotation_matrix, w)
                for w in result.words
                if w.text == "penduduk"
            ),
            key=lambda pair: pair[0].y0,
        )
        assert ((shown.x0 + shown.x1) / 2, (shown.y0 + shown.y1) / 2) == pytest.approx((x, y), abs=3)
        hit = next(
            r
            for r in page.search_for("penduduk")
            if r.intersects(pymupdf.Rect(word.x0, word.y0, word.x1, word.y1))
        )
        assert (hit.x0, hit.y0, hit.x1, hit.y1) == pytest.approx(
            (word.x0, word.y0, word.x1, word.y1), abs=1.5
        )


def test_a_demo_scan_page_yields_its_scan_keyword(tmp_path: Path) -> None:
    _require_tesseract()
    pub = next(p for p in load_demo_catalogue() if p.key == "metro-direktori-pasar-2019")
    path = tmp_path / "scan.pdf"
    path.write_bytes(render_demo_pdf(pub))
    assert inspect(path).image_pages == (1, 2, 3, 4)
    (result,) = ocr_pages(path, [2], processes=1)
    words = {w.text.strip(".,").casefold() for w in result.words}
    assert set(pub.scan_keywords) <= words


def test_a_missing_tesseract_is_an_ocr_failure_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.ocr.shutil.which", lambda _: None)
    with pytest.raises(IngestError) as caught:
        next(ocr_pages(tmp_path / "any.pdf", [1]))
    assert caught.value.code == "ocr_failed"
    assert "tesseract-ocr-ind" in str(caught.value)


def test_a_missing_language_is_an_ocr_failure_naming_it(tmp_path: Path) -> None:
    _require_tesseract()
    with pytest.raises(IngestError) as caught:
        next(ocr_pages(tmp_path / "any.pdf", [1], languages="ind+xyz"))
    assert (caught.value.code, caught.value.params) == ("ocr_failed", {"languages": ["xyz"]})


def test_a_tesseract_failure_on_a_page_names_the_page() -> None:
    page = RenderedPage(7, bytes(100 * 80), 100, 80, 1.0, (1, 0, 0, 1, 0, 0), (1, 0, 0, 1, 0, 0), DPI)
    with pytest.raises(IngestError) as caught:
        recognise_page(page, command=("false",), env={})
    assert (caught.value.code, caught.value.params) == ("ocr_failed", {"page": 7})
