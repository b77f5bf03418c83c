"""Page sizes for the reader: known before any page is drawn, and exactly what is drawn."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.integration.watermark import watermark_samples as samples
from watermark import WatermarkError
from watermark.pictures.image import page_sizes
from watermark.pictures.mark_overlay import render_page_image


@pytest.mark.parametrize("dpi", [72, 110])
def test_every_page_size_is_the_size_of_its_drawn_picture_even_turned_or_cropped(
    born_digital: Path, dpi: int
) -> None:
    sizes = page_sizes(born_digital, dpi=dpi)
    drawn = [
        Image.open(io.BytesIO(render_page_image(born_digital, index, "Budi", dpi=dpi, fmt="png"))).size
        for index in range(len(sizes))
    ]
    assert sizes == drawn
    assert len(set(sizes)) > 1  # the sample's turned and cropped pages really differ


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda d, _: samples.hopeless(d / "hopeless.pdf"), "damaged"),
        (lambda d, s: samples.encrypted(s, d / "locked.pdf", user="rahasia"), "encrypted"),
    ],
)
def test_page_sizes_of_an_unreadable_file_are_refused_with_its_reason(
    make,
    code: str,
    born_digital: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(WatermarkError) as caught:
        page_sizes(make(tmp_path, born_digital))
    assert caught.value.code == code
