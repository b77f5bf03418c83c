"""Each page's ink is measured once and kept: a kept measurement is reused, a stale one is not trusted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pikepdf
import pytest

from tests.integration.watermark import awkward_pages as awkward
from tests.integration.watermark.conftest import MARK, SECRET
from tests.integration.watermark.watermark_samples import simple
from watermark import stamp_pdf, stamp_pdf_bytes
from watermark.ink import inkmap as inkmap_module
from watermark.ink.inkmap import InkMap
from watermark.ink.pageinks import measure_pages
from watermark.ink.room import Ink
from watermark.pdf.pagebox import PageBox


@pytest.fixture(scope="module")
def corpus(sample_dir: Path) -> Path:
    """The awkward pages: full bleed, corner table, running footers, turns, crop, unit, tiny."""
    return awkward.build(sample_dir / "kept-ink-awkward.pdf")


@pytest.fixture(scope="module")
def kept(corpus: Path) -> bytes:
    """The corpus's ink, measured once, as the file it is kept in."""
    ink = InkMap(0)
    assert measure_pages(corpus, ink) == len(awkward.AWKWARD_PAGES)
    return ink.to_bytes()


def read(data: bytes) -> InkMap:
    ink = InkMap.from_bytes(data)
    assert ink is not None
    return ink


def test_a_kept_measurement_is_used_and_no_page_is_rendered(corpus, kept, renders, tmp_path) -> None:
    ink = read(kept)
    stamp_pdf(corpus, tmp_path / "stamped.pdf", MARK, SECRET, ink=ink)
    assert renders == []
    assert not ink.changed


def test_a_copy_with_kept_ink_looks_exactly_like_one_measured_afresh(corpus, kept, tmp_path) -> None:
    stamp_pdf(corpus, tmp_path / "fresh.pdf", MARK, SECRET, ink=InkMap(0))
    stamp_pdf(corpus, tmp_path / "kept.pdf", MARK, SECRET, ink=read(kept))
    stamp_pdf(corpus, tmp_path / "first.pdf", MARK, SECRET)  # keeps nothing: feet read from the content
    for index in range(len(awkward.AWKWARD_PAGES)):
        fresh = awkward.render(tmp_path / "fresh.pdf", index)
        reused = awkward.render(tmp_path / "kept.pdf", index)
        assert np.array_equal(fresh, reused), awkward.AWKWARD_PAGES[index]
        original = awkward.render(corpus, index)
        assert awkward.hidden_ink(original, reused) == 0
        assert awkward.hidden_ink(original, awkward.render(tmp_path / "first.pdf", index)) == 0


def test_a_copy_renders_only_the_pages_it_lacks_and_adds_them(corpus, renders) -> None:
    ink = InkMap(0)
    stamp_pdf_bytes(corpus, MARK, SECRET, pages=(2, 3), ink=ink)
    assert renders == [1, 2] and len(ink) == 2 and ink.changed
    stamp_pdf_bytes(corpus, MARK, SECRET, pages=(3, 4, 2), ink=read(ink.to_bytes()))
    assert renders == [1, 2, 3]


def test_a_measurement_kept_for_another_page_count_is_dropped(kept, renders, sample_dir) -> None:
    other = simple(sample_dir / "kept-ink-other.pdf", pages=3)
    ink = read(kept)
    data, result = stamp_pdf_bytes(other, MARK, SECRET, ink=ink)
    assert result.page_count != len(awkward.AWKWARD_PAGES)
    assert renders == list(range(result.page_count))
    assert ink.page_count == result.page_count and len(ink) == result.page_count


def test_a_page_whose_box_changed_is_measured_again_and_its_ink_kept_clear(
    corpus, kept, renders, tmp_path
) -> None:
    # Page 3 (running footer) cropped to its lower half: the kept cells no longer fit it.
    cropped = tmp_path / "cropped.pdf"
    with pikepdf.open(corpus) as pdf:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[2].mediabox)
        pdf.pages[2].obj.CropBox = pikepdf.Array([x0, y0, x1, (y0 + y1) / 2])
        pdf.save(cropped)
    data, _ = stamp_pdf_bytes(cropped, MARK, SECRET, ink=read(kept))
    assert renders == [2]
    assert awkward.hidden_ink(awkward.render(cropped, 2), awkward.render(data, 2)) == 0


def damaged(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


@pytest.mark.parametrize(
    "spoil",
    [damaged, lambda data: data[: len(data) - 9], lambda data: b"", lambda data: b"%PDF-1.7\n" + data],
    ids=["a flipped byte", "cut short", "empty", "another format"],
)
def test_a_damaged_kept_file_reads_as_no_measurement(kept, spoil) -> None:
    assert InkMap.from_bytes(spoil(kept)) is None


def test_a_file_kept_by_another_way_of_measuring_reads_as_no_measurement(kept, monkeypatch) -> None:
    monkeypatch.setattr(inkmap_module, "MEASUREMENT", "ink-v2-36dpi-215-14")
    assert InkMap.from_bytes(kept) is None


def test_a_kept_file_names_the_file_it_was_measured_on() -> None:
    ink = InkMap(3, "ab" * 32, 12345)
    again = read(ink.to_bytes())
    assert (again.page_count, again.source_sha256, again.source_size) == (3, "ab" * 32, 12345)
    assert again.missing() == [0, 1, 2]


def test_a_page_too_large_to_keep_is_left_to_be_measured_each_time() -> None:
    ink = InkMap(2)
    box = PageBox(4200.0, 4200.0, (1, 0, 0, 1, 0, 0))
    ink.add(0, box, Ink(np.zeros((2100, 2100), dtype=bool), 2.0, 2.0))
    ink.add(1, box, Ink(np.zeros((10, 70_000), dtype=bool), 0.06, 420.0))
    assert len(ink) == 0 and ink.missing() == [0, 1]
