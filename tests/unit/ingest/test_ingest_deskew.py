"""Skew estimation on a page of text lines, and mapping points back from a turned image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.deskew import estimate_skew, unturn_point

FONT = Path(__file__).resolve().parents[3] / "watermark" / "fonts" / "DejaVuSansCondensed.ttf"


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """Return an upright A5 page at 150 dpi with lines of Indonesian text, on grey paper."""
    image = Image.new("L", (874, 1240), 238)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 22)
    for line in range(24):
        draw.text((90, 100 + line * 42), "Jumlah penduduk menurut kecamatan dan jenis kelamin",
                  font=font, fill=30)
    return image


@pytest.mark.parametrize("degrees", [0.0, 2.5, -3.0, 0.7, 7.5, -9.5])
def test_the_skew_of_a_turned_page_is_estimated_within_a_tenth_of_a_degree(
        page: Image.Image, degrees: float) -> None:
    turned = page.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=238)
    assert estimate_skew(np.asarray(turned)) == pytest.approx(degrees, abs=0.1)


def test_a_blank_page_has_no_skew() -> None:
    assert estimate_skew(np.full((600, 400), 240, np.uint8)) == 0.0


@pytest.mark.parametrize("degrees", [-3.0, 2.5, 9.0])
def test_a_point_of_a_turned_image_maps_back_to_where_it_was(degrees: float) -> None:
    image = Image.new("L", (400, 300), 255)
    image.paste(0, (99, 49, 102, 52))  # a 3-pixel dot centred on (100.5, 50.5)
    turned = image.rotate(degrees, expand=True, fillcolor=255)
    ys, xs = np.nonzero(np.asarray(turned) < 128)
    x, y = unturn_point(xs.mean() + 0.5, ys.mean() + 0.5, degrees, turned.size, image.size)
    assert (x, y) == pytest.approx((100.5, 50.5), abs=1.0)
