"""The dot fingerprint: two recipients who pool their copies are still named, and nobody else."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pymupdf
import pytest
from PIL import Image

from tests.integration.watermark import watermark_samples as samples
from tests.integration.watermark.conftest import MARK, SECRET
from watermark.marks import fingerprint
from watermark.marks.mark import new_delivery_id
from watermark.stamping.copies import stamp_pdf_bytes

Page = npt.NDArray[np.uint8]
RECIPIENTS = 24


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A born-digital publication with text, a table and pictures."""
    return samples.born_digital(tmp_path_factory.mktemp("fingerprint") / "source.pdf")


@pytest.fixture(scope="module")
def delivered(source: Path) -> dict[str, list[Page]]:
    """The first two pages of each recipient's stamped copy, as 150 dpi grey pictures."""
    copies = {}
    for _ in range(RECIPIENTS):
        delivery_id = new_delivery_id()
        data, _ = stamp_pdf_bytes(source, MARK._replace(delivery_id=delivery_id), SECRET, pages=[1, 2])
        with pymupdf.open(stream=data) as document:
            copies[delivery_id] = [grey_picture(page) for page in document]
    return copies


def grey_picture(page: pymupdf.Page) -> Page:
    """Return a page rendered in grey at 150 dpi."""
    pixmap = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width).copy()


def jpeg(page: Page, quality: int = 75) -> Page:
    """Return the page after a round trip through JPEG."""
    out = io.BytesIO()
    Image.fromarray(page).save(out, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())))


def average(a: Page, b: Page) -> Page:
    return ((a.astype(np.uint16) + b) // 2).astype(np.uint8)


def top_from_a(a: Page, b: Page) -> Page:
    half = a.shape[0] // 2
    return np.concatenate([a[:half], b[half:]])


def checkerboard(a: Page, b: Page) -> Page:
    rows, columns = np.indices(a.shape)
    return np.where((rows // 64 + columns // 64) % 2 == 0, a, b)


def named(pages: list[Page], candidates: list[str]) -> set[str]:
    """Return the delivery ids the pages' dots name."""
    signal = fingerprint.pooled(fingerprint.read_page(page, SECRET) for page in pages)
    return {accusation.delivery_id for accusation in fingerprint.accuse(signal, SECRET, candidates)}


def test_a_single_copy_names_its_recipient_and_nobody_else(delivered: dict[str, list[Page]]) -> None:
    ids = list(delivered)
    assert named(delivered[ids[0]], ids) == {ids[0]}


@pytest.mark.parametrize(
    "pool",
    [average, top_from_a, checkerboard, np.minimum, np.maximum],
    ids=["averaged", "top-and-bottom", "checkerboard", "darkest-of-both", "lightest-of-both"],
)
def test_two_recipients_pooling_their_pages_are_named_and_never_a_third(
    delivered: dict[str, list[Page]], pool: Callable[[Page, Page], Page]
) -> None:
    ids = list(delivered)
    for first, second in [(ids[0], ids[1]), (ids[2], ids[3]), (ids[4], ids[5])]:
        pages = [pool(a, b) for a, b in zip(delivered[first], delivered[second], strict=True)]
        found = named(pages, ids)
        assert found, f"nobody named for {pool}"
        assert found <= {first, second}


def test_pooled_pages_saved_as_jpeg_still_name_a_recipient(delivered: dict[str, list[Page]]) -> None:
    ids = list(delivered)
    pages = [jpeg(average(a, b)) for a, b in zip(delivered[ids[6]], delivered[ids[7]], strict=True)]
    found = named(pages, ids)
    assert found and found <= {ids[6], ids[7]}


def test_pages_taken_alternately_from_two_copies_name_a_recipient(delivered: dict[str, list[Page]]) -> None:
    ids = list(delivered)
    found = named([delivered[ids[8]][0], delivered[ids[9]][1]], ids)
    assert found and found <= {ids[8], ids[9]}


def test_a_page_without_dots_names_nobody(source: Path, delivered: dict[str, list[Page]]) -> None:
    with pymupdf.open(source) as document:
        pages = [grey_picture(document[0]), grey_picture(document[1])]
    assert named(pages, list(delivered)) == set()


def test_the_dots_never_hide_ink(source: Path) -> None:
    data, _ = stamp_pdf_bytes(source, MARK, SECRET, pages=[1])
    with pymupdf.open(source) as original, pymupdf.open(stream=data) as stamped:
        plain, marked = grey_picture(original[0]), grey_picture(stamped[0])
    ink = plain < 60
    assert ink.any()
    assert (marked[ink] < 110).mean() > 0.99  # dark stays dark (the faint diagonal is translucent too)


def test_a_suspect_pdf_is_read_from_its_first_pages_only(source: Path, tmp_path: Path) -> None:
    data, _ = stamp_pdf_bytes(source, MARK, SECRET)
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    signal, pages = fingerprint.read_file(path, SECRET, max_pages=2)
    assert pages == 2
    found = fingerprint.accuse(signal, SECRET, [MARK.delivery_id, new_delivery_id()])
    assert [a.delivery_id for a in found] == [MARK.delivery_id]


def test_a_damaged_picture_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(fingerprint.WatermarkError, match="The picture cannot be read"):
        fingerprint.read_file(path, SECRET)
