"""The reader's page pictures: rendered once in a worker, kept on disk, each reader's mark laid over."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from library.catalogue.page_cache import PageCache
from library.catalogue.page_pictures import WARM_MARK, WARM_SIZE, PageNotReady, PagePictures
from tests.integration.watermark import watermark_samples as samples
from tests.waiting import wait_until
from watermark.errors import WatermarkError
from watermark.pictures.image import encode_picture, page_sizes, render_plain_page
from watermark.pictures.pages import unpack

DPI = 110
BUDI = "Dibaca oleh Budi Santoso <b***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"
SITI = "Dibaca oleh Siti Aminah <s***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The nine awkward pages: turned, cropped, a scan among them."""
    return samples.born_digital(tmp_path_factory.mktemp("pictures") / "born-digital.pdf")


@pytest.fixture
def pictures(tmp_path: Path) -> Iterator[PagePictures]:
    """Page pictures with a cache of their own, stopped after the test."""
    made = PagePictures(PageCache(tmp_path / "cache", 64 * 2**20))
    yield made
    made.close()


def opened(data: bytes) -> Image.Image:
    """Return the picture in encoded bytes, in greyscale."""
    return Image.open(io.BytesIO(data)).convert("L")


def darkened_share(marked: Image.Image, plain: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Return the share of 8x8 blocks in `box` that `marked` shows darker than `plain`.

    Averaging blocks hides what JPEG does around letters; the faint mark is broad, so it stays.
    """
    darker = ImageChops.subtract(plain.crop(box).reduce(8), marked.crop(box).reduce(8))
    blocks = darker.point(lambda v: 255 if v >= 4 else 0).histogram()[255]
    return blocks / (darker.width * darker.height)


def test_every_page_carries_the_mark_over_the_page_even_turned_cropped_or_scanned(
    sample: Path, pictures: PagePictures
) -> None:
    for index, (width, height) in enumerate(page_sizes(sample, dpi=DPI)):
        plain = render_plain_page(sample, index, dpi=DPI).convert("L")
        marked = opened(pictures.picture(sample, "sample", index, DPI, BUDI))
        unmarked = opened(encode_picture(render_plain_page(sample, index, dpi=DPI)))
        assert marked.size == plain.size == (width, height), index
        footer = (0, int(height * 0.96), width, height)
        upper = (0, 0, width, height // 2)
        assert darkened_share(marked, plain, footer) > 0.1, f"page {index + 1}: no footer band"
        assert darkened_share(marked, plain, upper) > 0.02, f"page {index + 1}: no diagonal copies"
        # The measure sees a mark, not JPEG: a page encoded with no mark shows next to nothing.
        assert max(darkened_share(unmarked, plain, footer), darkened_share(unmarked, plain, upper)) < 0.005


def test_a_page_is_rendered_once_and_each_reader_gets_their_own_mark_over_it(
    sample: Path, pictures: PagePictures, tmp_path: Path
) -> None:
    source = tmp_path / "copy.pdf"
    shutil.copyfile(sample, source)
    budi = opened(pictures.picture(source, "copy", 0, DPI, BUDI))
    assert pictures.cache is not None
    assert pictures.cache.path_for("copy", 0, DPI).exists()
    source.unlink()  # from now on only the cache can give the page
    siti = opened(pictures.picture(source, "copy", 0, DPI, SITI))
    budi_again = opened(pictures.picture(source, "copy", 0, DPI, BUDI))
    assert ImageChops.difference(budi, siti).getbbox() is not None
    assert ImageChops.difference(budi, budi_again).getbbox() is None


def test_a_damaged_cache_file_is_rendered_again(sample: Path, pictures: PagePictures) -> None:
    first = opened(pictures.picture(sample, "sample", 0, DPI, BUDI))
    assert pictures.cache is not None
    path = pictures.cache.path_for("sample", 0, DPI)
    path.write_bytes(path.read_bytes()[:1000])  # a write cut short by a crash
    again = opened(pictures.picture(sample, "sample", 0, DPI, BUDI))
    assert ImageChops.difference(first, again).getbbox() is None
    unpack(path.read_bytes())  # whole again


def test_a_render_that_takes_longer_than_a_request_may_wait_is_finished_for_the_next_ask(
    sample: Path, tmp_path: Path
) -> None:
    cache = PageCache(tmp_path / "cache", 64 * 2**20)
    pictures = PagePictures(cache, wait=0, start_wait=0)
    try:
        with pytest.raises(PageNotReady):
            pictures.picture(sample, "sample", 2, DPI, BUDI)
        # the worker goes on and keeps the page
        wait_until(cache.path_for("sample", 2, DPI).exists, timeout=30, message="the page was never kept")
        assert opened(pictures.picture(sample, "sample", 2, DPI, BUDI)).size == page_sizes(sample)[2]
    finally:
        pictures.close()


def test_readers_asking_for_the_same_new_page_at_once_share_one_render(
    sample: Path, pictures: PagePictures
) -> None:
    first = pictures._render(sample, ("sample", 4, DPI))
    second = pictures._render(sample, ("sample", 4, DPI))
    assert first is second
    first.result(timeout=60)
    assert pictures._render(sample, ("sample", 5, DPI)) is not first


def test_a_page_the_file_does_not_have_is_refused_by_the_worker(sample: Path, pictures: PagePictures) -> None:
    with pytest.raises(WatermarkError) as caught:
        pictures.picture(sample, "sample", 99, DPI, BUDI)
    assert caught.value.code == "no_page"


def test_pages_are_drawn_without_a_cache_too(sample: Path) -> None:
    pictures = PagePictures(None)
    try:
        assert opened(pictures.picture(sample, "sample", 0, DPI, BUDI)).size == page_sizes(sample)[0]
    finally:
        pictures.close()


def test_a_mark_is_drawn_once_and_the_marks_kept_stay_within_their_bound() -> None:
    pictures = PagePictures(None, marks_bytes=1)
    first = pictures.mark(BUDI, (300, 400))
    assert pictures.mark(BUDI, (300, 400)) is first  # the same picture, not drawn again
    pictures.mark(SITI, (300, 400))
    pictures.mark(SITI, (400, 300))
    assert pictures.mark(BUDI, (300, 400)) is not first  # dropped to stay within the bound, drawn again


def cached_pages(cache: PageCache, document: str, count: int) -> set[int]:
    """Return the 0-based pages of a document kept in the cache."""
    return {index for index in range(count) if cache.path_for(document, index, DPI).exists()}


def settle(pictures: PagePictures) -> None:
    """Wait until no render is under way (each render ends, with a page or an error)."""
    for future in list(pictures._rendering.values()):
        future.exception(timeout=60)


def test_the_pages_after_one_sent_are_rendered_ahead_for_the_reader_turning_to_them(
    sample: Path, pictures: PagePictures
) -> None:
    assert pictures.cache is not None
    pictures.picture(sample, "sample", 3, DPI, BUDI, page_count=9)
    settle(pictures)
    assert cached_pages(pictures.cache, "sample", 9) == {3, 4, 5}


def test_the_last_page_renders_nothing_ahead(sample: Path, pictures: PagePictures) -> None:
    assert pictures.cache is not None
    pictures.picture(sample, "sample", 8, DPI, BUDI, page_count=9)
    settle(pictures)
    assert cached_pages(pictures.cache, "sample", 9) == {8}


def test_nothing_is_rendered_ahead_while_every_worker_draws_a_page_somebody_waits_for(
    sample: Path, tmp_path: Path
) -> None:
    cache = PageCache(tmp_path / "cache", 64 * 2**20)
    pictures = PagePictures(cache, processes=1)
    try:
        waited_for = pictures._render(sample, ("sample", 0, DPI))
        pictures.ahead(sample, "sample", range(1, 3), DPI)
        assert set(pictures._rendering) == {("sample", 0, DPI)}
        waited_for.result(timeout=60)
        pictures.ahead(sample, "sample", range(1, 3), DPI)  # free now: one page at a time goes ahead
        settle(pictures)
        assert cached_pages(cache, "sample", 9) == {0, 1}
    finally:
        pictures.close()


def test_opening_the_reader_starts_its_first_pages_and_draws_the_readers_mark(
    sample: Path, pictures: PagePictures
) -> None:
    assert pictures.cache is not None
    size = page_sizes(sample, dpi=DPI)[6]
    pictures.prepare(sample, "sample", range(6, 8), DPI, BUDI, size)
    settle(pictures)
    assert pictures._marker is not None
    pictures._marker.submit(lambda: None).result(timeout=60)  # the mark is drawn before this runs
    assert cached_pages(pictures.cache, "sample", 9) == {6, 7}
    assert (BUDI, *size) in pictures._marks
    pictures.prepare(sample, "sample", range(6, 8), DPI, BUDI, size)  # drawn already: nothing to do


def test_warming_up_starts_the_mark_drawing_thread_with_its_fonts_loaded(pictures: PagePictures) -> None:
    pictures.warm()
    assert pictures._marker is not None
    pictures._marker.submit(lambda: None).result(timeout=60)  # the throwaway mark is drawn before this
    assert (WARM_MARK, *WARM_SIZE) in pictures._marks
