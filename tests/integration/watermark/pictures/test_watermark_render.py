"""What a reader sees: the QR code placed upright in the corner of every page, page images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops

from tests.conftest import require_service
from tests.integration.watermark.conftest import MARK, SECRET, run
from watermark import WatermarkError, check_signature, parse_verify_url
from watermark.pictures.mark_overlay import render_page_image

Stamped = tuple[Path, object]


def rendered_pages(path: Path, directory: Path, dpi: int = 150) -> list[Image.Image]:
    """Render every page with poppler as a viewer shows it: turned, cut to the crop box."""
    result = run("pdftoppm", "-cropbox", "-r", str(dpi), "-gray", "-png", path, directory / "page")
    assert result.returncode == 0, result.stderr
    return [Image.open(p) for p in sorted(directory.glob("page-*.png"))]


@pytest.mark.parametrize("sample", ["stamped", "stamped_scan"])
def test_every_page_shows_an_upright_qr_in_its_bottom_right_corner_that_verifies(
    sample: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path, result = request.getfixturevalue(sample)
    pages = rendered_pages(path, tmp_path)
    assert len(pages) == result.page_count
    for number, page in enumerate(pages, start=1):
        codes = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [c.text for c in codes] == [result.verify_url], f"page {number}"
        corner = codes[0].position
        width, height = page.size
        assert corner.top_left.x > 0.7 * width and corner.top_left.y > 0.8 * height, number
        assert abs(codes[0].orientation) < 5, f"page {number} QR is turned"
        side = corner.bottom_right.x - corner.top_left.x
        assert 85 < side < 120, f"page {number}: QR side {side}px, drawn at the wrong scale"
    delivery_id, signature = parse_verify_url(result.verify_url)
    assert delivery_id == MARK.delivery_id
    assert check_signature(delivery_id, signature, SECRET)


@pytest.mark.parametrize("page_number", [2, 3, 4, 5])  # turned 90, 180, 270; crop box
def test_the_footer_reads_upright_along_the_bottom_left_of_the_displayed_page(
    stamped: Stamped, tmp_path: Path, page_number: int
) -> None:
    from watermark.trace.ocr import read_text, tesseract_available

    require_service("tesseract", tesseract_available())
    path, _ = stamped
    run(
        "pdftoppm",
        "-cropbox",
        "-r",
        "200",
        "-gray",
        "-png",
        "-f",
        str(page_number),
        "-l",
        str(page_number),
        path,
        tmp_path / "page",
    )
    page = Image.open(next(tmp_path.glob("page-*.png")))
    width, height = page.size
    footer = page.crop((0, int(height * 0.9), int(width * 0.75), height))
    assert "Diberikan kepada" in read_text(footer)


def test_a_reader_page_image_carries_the_mark_over_the_page(stamped: Stamped, born_digital: Path) -> None:
    marked = Image.open(io.BytesIO(render_page_image(born_digital, 0, "Budi Santoso · Sesi K7P2Q9")))
    plain = Image.open(io.BytesIO(render_page_image(born_digital, 0, "x", fmt="png")))
    assert marked.format == "WEBP" and plain.format == "PNG"
    assert marked.size == plain.size == (910, 1287)  # A4 at 110 dpi
    difference = ImageChops.difference(marked.convert("L"), plain.convert("L"))
    width, height = marked.size
    assert difference.crop((0, int(height * 0.95), width, height)).getbbox() is not None
    assert difference.crop((0, 0, width, height // 2)).getbbox() is not None  # diagonal copies


@pytest.mark.parametrize(
    ("page", "dpi", "code"), [(9, 110, "no_page"), (-1, 110, "no_page"), (0, 600, "bad_request")]
)
def test_reader_images_refuse_missing_pages_and_print_resolutions(
    born_digital: Path, page: int, dpi: int, code: str
) -> None:
    with pytest.raises(WatermarkError) as caught:
        render_page_image(born_digital, page, "Budi", dpi=dpi)
    assert caught.value.code == code
