"""A piece of a delivered page names the delivery by its tiled code: cut out, or photographed in print."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pikepdf
import pymupdf
import pytest
from PIL import Image

from benchmarks._photo import simulate_photo
from tests.integration.watermark.conftest import MARK, SECRET
from watermark import StampResult, stamp_pdf
from watermark.marks.print_code import DEPTH, MAX_PIXELS, TILE_POINTS, code_cells, read_print_code
from watermark.trace.reading import read_marks

OTHER = MARK._replace(delivery_id="M2X4D9R0T5KZ")


def page_picture(path: Path, page: int) -> Image.Image:
    """Return a page (from 1) rendered at 150 dpi in colour, as a reader's viewer shows it."""
    with pymupdf.open(path) as document:
        pixmap = document[page - 1].get_pixmap(dpi=150, alpha=False)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def quarter(picture: Image.Image, where: tuple[float, float], size: tuple[float, float]) -> Image.Image:
    """Return the region of the picture at `where` (shares of its sides) of `size` (shares of its sides)."""
    width, height = round(picture.width * size[0]), round(picture.height * size[1])
    x, y = round((picture.width - width) * where[0]), round((picture.height - height) * where[1])
    return picture.crop((x, y, x + width, y + height))


@pytest.fixture(scope="module")
def other_copy(born_digital: Path, sample_dir: Path) -> tuple[Path, StampResult]:
    """The born-digital sample stamped for another delivery."""
    target = sample_dir / "born-digital-other.pdf"
    return target, stamp_pdf(born_digital, target, OTHER, SECRET)


def test_other_ids_are_well_formed_and_their_codes_differ() -> None:
    assert OTHER.delivery_id != MARK.delivery_id
    assert (code_cells(OTHER.delivery_id) != code_cells(MARK.delivery_id)).sum() > 50


@pytest.mark.parametrize(
    ("page", "where", "size"),
    [
        (1, (0.5, 0.4), (0.5, 0.5)),  # the middle of a table: no footer, no QR
        (1, (0.0, 0.0), (0.36, 0.7)),  # a tall strip of the top left corner
        (2, (1.0, 0.5), (0.7, 0.36)),  # a wide strip of a /Rotate 90 page
        (8, (0.3, 0.6), (0.5, 0.5)),  # a scanned page's grey paper
    ],
)
def test_a_quarter_page_crop_at_150_dpi_names_its_delivery(
    stamped: tuple[Path, StampResult], page: int, where: tuple[float, float], size: tuple[float, float]
) -> None:
    crop = quarter(page_picture(stamped[0], page), where, size)
    assert read_print_code(crop) == [MARK.delivery_id]


@pytest.mark.parametrize("seed", [3, 11])
def test_a_phone_photo_of_a_printed_quarter_page_names_its_delivery(
    stamped: tuple[Path, StampResult], seed: int
) -> None:
    rng = random.Random(seed)
    crop = quarter(page_picture(stamped[0], 1), (rng.random(), rng.random()), (0.55, 0.55))
    assert read_print_code(simulate_photo(crop, rng)) == [MARK.delivery_id]


def test_the_same_piece_of_another_copy_names_that_copy_only(
    stamped: tuple[Path, StampResult], other_copy: tuple[Path, StampResult]
) -> None:
    rng = random.Random(5)
    crops = [quarter(page_picture(path, 1), (0.4, 0.6), (0.5, 0.5)) for path in (stamped[0], other_copy[0])]
    assert [read_print_code(simulate_photo(crop, rng)) for crop in crops] == [
        [MARK.delivery_id],
        [OTHER.delivery_id],
    ]


def test_pages_without_the_code_name_nobody(born_digital: Path) -> None:
    rng = random.Random(7)
    for page in (1, 8):
        crop = quarter(page_picture(born_digital, page), (0.5, 0.5), (0.6, 0.6))
        assert read_print_code(crop) == []
        assert read_print_code(simulate_photo(crop, rng)) == []


def test_the_code_is_faint_yellow_that_leaves_black_ink_black(stamped: tuple[Path, StampResult]) -> None:
    picture = np.asarray(page_picture(stamped[0], 1), dtype=np.int16)
    red, green, blue = picture[..., 0], picture[..., 1], picture[..., 2]
    paper = (red == 255) & (green == 255)
    # On white paper only the blue is taken off: the code's depth (twice where two cells' edges meet).
    assert blue[paper].min() >= 255 * (1 - DEPTH) ** 2 - 1
    dark = blue[paper][blue[paper] < 250]
    assert abs(float(np.median(dark)) - 255 * (1 - DEPTH)) <= 1.5
    assert dark.size > 0.2 * blue[paper].size  # the dark cells are there, over a good share of the paper
    assert picture.min() == 0  # the table's black ink stays black under it


def test_the_copy_carries_one_small_pattern_of_the_code_whatever_its_page_count(
    stamped: tuple[Path, StampResult],
) -> None:
    with pikepdf.open(stamped[0]) as pdf:
        patterns = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and "/PatternType" in obj]
        assert len(patterns) == 1  # one tile per copy, filled in by every page size's form
        assert float(patterns[0].XStep) == TILE_POINTS
        assert len(patterns[0].read_raw_bytes()) < 4000
        shown = [page for page in pdf.pages if b"/Pattern cs" in _forms_content(page)]
        assert len(shown) == len(pdf.pages)


def _forms_content(page: pikepdf.Page) -> bytes:
    """Return the content of the forms a page's resources hold, and of the forms those hold."""
    found, pending = [], [page.obj]
    while pending:
        forms = pending.pop().get("/Resources", {}).get("/XObject", {})
        for form in forms.values():
            if form.get("/Subtype") == "/Form":
                found.append(form.read_bytes())
                pending.append(form)
    return b"".join(found)


def test_a_trace_of_a_photographed_crop_names_the_delivery_by_its_code(
    stamped: tuple[Path, StampResult], tmp_path: Path
) -> None:
    rng = random.Random(2)
    path = tmp_path / "foto.jpg"
    simulate_photo(quarter(page_picture(stamped[0], 1), (0.5, 0.5), (0.5, 0.5)), rng).save(path)
    result = read_marks(path, ocr=False)
    assert result.delivery_ids == (MARK.delivery_id,)
    assert result.kinds() == {"print_code"}


def test_a_pdf_of_pictures_of_a_copy_names_the_delivery_by_its_code(
    stamped: tuple[Path, StampResult], tmp_path: Path
) -> None:
    # A print scanned back to PDF: no text, no metadata, the QR cut off; the code is still there.
    path = tmp_path / "pindaian.pdf"
    picture = quarter(page_picture(stamped[0], 1), (0.5, 0.4), (0.6, 0.6))
    picture.save(path, "PDF", resolution=150)
    result = read_marks(path, qr="never")
    assert result.delivery_ids == (MARK.delivery_id,)
    assert result.kinds() == {"print_code"}


def test_a_phone_photo_of_a_whole_printed_page_at_a_finer_resolution_names_its_delivery(
    stamped: tuple[Path, StampResult],
) -> None:
    with pymupdf.open(stamped[0]) as document:
        pixmap = document[0].get_pixmap(dpi=270, alpha=False)  # a 9 Mpx photo: read at half of it
        page = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    assert page.width * page.height > MAX_PIXELS
    assert read_print_code(simulate_photo(page, random.Random(9))) == [MARK.delivery_id]
