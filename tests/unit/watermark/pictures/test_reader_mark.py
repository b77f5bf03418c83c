"""The reader's mark, drawn once per reader and page size, laid over any page of that size."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageChops

from watermark.errors import WatermarkError
from watermark.pictures import mark_overlay
from watermark.pictures.image import PlainPage, encode_jpeg
from watermark.pictures.mark_overlay import SHADE, reader_mark

TEXT = "Dibaca oleh Budi Santoso <b***@g***.com> · BPS Kota Metro · 5 Maret 2025 14.05 WIB"
SIZE = (455, 643)  # A4 at 55 dpi: small and quick


def white(mode: str) -> Image.Image:
    """Return an empty page."""
    return Image.new(mode, SIZE, 255 if mode == "L" else (255, 255, 255))


def test_the_diagonal_copies_darken_a_white_page_towards_their_grey_by_their_opacity() -> None:
    mark = reader_mark(TEXT, SIZE)
    marked = np.asarray(mark.apply(white("L"))).reshape(-1)
    touched, opacity = mark.shade_at, mark.shade[::3].astype(int)
    above_band = touched < mark.band_top * SIZE[0]
    expected = (255 * (255 - opacity) + SHADE * opacity + 127) // 255
    assert np.array_equal(marked[touched[above_band]], expected[above_band])
    untouched = np.ones(SIZE[0] * mark.band_top, dtype=bool)
    untouched[touched[above_band]] = False
    assert (marked[: SIZE[0] * mark.band_top][untouched] == 255).all()  # nothing else changed
    assert 0.01 < len(touched) / (SIZE[0] * SIZE[1]) < 0.2  # faint copies, not a veil


def test_the_footer_band_runs_along_the_bottom_of_a_blank_page_with_dark_text_on_it() -> None:
    mark = reader_mark(TEXT, SIZE)
    marked = mark.apply(white("L"))
    assert marked.size == SIZE
    band = np.asarray(marked.crop((0, mark.band_top, *SIZE)))
    assert mark.band_top > SIZE[1] * 0.9
    assert band.min() < 60  # the text on it is dark


def test_a_page_with_no_blank_strip_gets_the_band_below_it_and_stays_whole() -> None:
    mark = reader_mark(TEXT, SIZE)
    marked = np.asarray(mark.apply(Image.new("L", SIZE, 0)))  # a black page: ink everywhere
    rows = SIZE[1] - mark.band_top
    assert marked.shape == (SIZE[1] + rows, SIZE[0])
    assert marked[: SIZE[1]].max() < 30  # only the faint copies touch the page
    band = marked[SIZE[1] :]
    assert band.mean() > 150 and band.min() < 60  # white band, dark text


def test_the_band_moves_above_a_pages_own_foot_and_hides_none_of_it() -> None:
    page = white("L")
    foot = (40, SIZE[1] - 22, SIZE[0] - 40, SIZE[1] - 12)  # a running footer along the bottom
    page.paste(0, foot)
    mark = reader_mark(TEXT, SIZE)
    marked = np.asarray(mark.apply(page))
    assert marked.shape == (SIZE[1], SIZE[0])  # there was room above the foot
    assert marked[foot[1] : foot[3], foot[0] : foot[2]].max() < 30
    rows = SIZE[1] - mark.band_top
    above = marked[foot[1] - rows - 10 : foot[1]]
    assert above.min() < 60  # the band's text sits just above the foot


def test_a_grey_page_and_the_same_page_in_rgb_get_the_same_grey_mark() -> None:
    mark = reader_mark(TEXT, SIZE)
    grey = Image.linear_gradient("L").resize(SIZE)
    as_grey = mark.apply(grey)
    as_rgb = mark.apply(grey.convert("RGB"))
    assert as_grey.mode == "L" and as_rgb.mode == "RGB"
    assert ImageChops.difference(as_grey.convert("RGB"), as_rgb).getbbox() is None


def test_laying_the_mark_leaves_the_page_it_was_given_as_it_was() -> None:
    page = PlainPage.of(white("RGB"))
    reader_mark(TEXT, SIZE).apply(page)
    assert page == PlainPage.of(white("RGB"))


def test_two_readers_marks_differ() -> None:
    budi = reader_mark(TEXT, SIZE).apply(white("L"))
    siti = reader_mark(TEXT.replace("Budi Santoso <b", "Siti Aminah <s"), SIZE).apply(white("L"))
    assert ImageChops.difference(budi, siti).getbbox() is not None


@pytest.mark.parametrize(
    ("picture", "code"),
    [(Image.new("L", (643, 455), 255), "bad_mark"), (Image.new("RGBA", SIZE), "bad_mark")],
)
def test_a_mark_is_laid_only_over_a_page_of_its_size_in_grey_or_rgb(picture: Image.Image, code: str) -> None:
    with pytest.raises(WatermarkError) as caught:
        reader_mark(TEXT, SIZE).apply(picture)
    assert caught.value.code == code


def test_a_mark_of_an_a4_page_holds_under_a_megabyte() -> None:
    assert reader_mark(TEXT, (910, 1287)).nbytes < 2**20


@pytest.mark.parametrize("seed", range(6))
def test_the_band_looked_for_from_the_foot_up_lands_where_the_whole_page_says(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages inked in bands of random heights with blank strips between, some far up the page:
    # the search a slice at a time from the foot gives the place a look at the whole page gives.
    rng = np.random.default_rng(seed)
    tall = (455, 1400)
    page = np.full((tall[1], tall[0], 3), 255, dtype=np.uint8)
    row = 0
    while row < tall[1]:
        ink = int(rng.integers(20, 400))
        page[row : row + ink : 7, 10:300] = rng.integers(0, 120)
        row += ink + int(rng.integers(10, 90))
    mark = reader_mark(TEXT, tall)
    found = mark.band_place(page)
    monkeypatch.setattr(mark_overlay, "FOOT_ROWS", 10**6)  # the whole page at once
    assert found == mark.band_place(page)


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_marked_page_is_encoded_as_a_jpeg_of_its_pixels(mode: str) -> None:
    mark = reader_mark(TEXT, SIZE)
    page = PlainPage.of(Image.linear_gradient("L").resize(SIZE).convert(mode))
    laid = mark.lay(page)
    decoded = Image.open(io.BytesIO(encode_jpeg(laid, quality=80)))
    assert decoded.format == "JPEG" and decoded.mode == mode and decoded.size == SIZE
    error = np.abs(np.asarray(decoded, dtype=int).reshape(laid.shape) - laid)
    assert error.mean() < 2  # what JPEG loses at quality 80, no more
    assert np.array_equal(np.asarray(mark.apply(page)).reshape(laid.shape), laid)
