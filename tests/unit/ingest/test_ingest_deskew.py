"""Skew estimation on a page of text lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingest.deskew import estimate_skew

FONT = Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """Return an upright A5 page at 150 dpi with lines of Indonesian text, on grey paper."""
    image = Image.new("L", (874, 1240), 238)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 22)
    for line in range(24):
        draw.text(
            (90, 100 + line * 42), "Jumlah penduduk menurut kecamatan dan jenis kelamin", font=font, fill=30
        )
    return image


@pytest.mark.parametrize("degrees", [0.0, 2.5, -3.0, 0.7, 7.5, -9.5])
def test_the_skew_of_a_turned_page_is_estimated_within_a_tenth_of_a_degree(
    page: Image.Image, degrees: float
) -> None:
    turned = page.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=238)
    assert estimate_skew(np.asarray(turned)) == pytest.approx(degrees, abs=0.1)


def test_a_blank_page_has_no_skew() -> None:
    assert estimate_skew(np.full((600, 400), 240, np.uint8)) == 0.0
