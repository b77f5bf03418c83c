"""Word boxes mapped from rendered pixels back to points of the unrotated page."""

from __future__ import annotations

import math

import pytest

from ingest.ocr import RenderedPage, place_box

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _page(zoom: float, to_shown: tuple, derotation: tuple = IDENTITY) -> RenderedPage:
    return RenderedPage(1, b"", 0, 0, zoom, to_shown, derotation, round(zoom * 72))


def test_a_box_at_300_dpi_is_scaled_to_points() -> None:
    zoom = 300 / 72
    page = _page(zoom, (1 / zoom, 0, 0, 1 / zoom, 0, 0))
    assert place_box(300, 600, 150, 60, page=page) == pytest.approx((72, 144, 108, 158.4))


def test_a_box_keeps_its_size_when_the_skew_turn_is_undone() -> None:
    # Rendered turned by 3 degrees about the origin: the centre moves back, the size stays.
    angle = math.radians(3)
    back = (math.cos(angle), -math.sin(angle), math.sin(angle), math.cos(angle), 0, 0)
    x0, y0, x1, y1 = place_box(90, 190, 20, 20, page=_page(1.0, back))
    assert (x1 - x0, y1 - y0) == pytest.approx((20, 20))
    centre = (100 * math.cos(angle) + 200 * math.sin(angle), -100 * math.sin(angle) + 200 * math.cos(angle))
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == pytest.approx(centre)


def test_a_box_on_a_page_shown_with_rotate_90_lands_in_unrotated_space() -> None:
    # An A4 page with /Rotate 90 is shown 842 x 595; PyMuPDF's derotation maps (x, y) to
    # (y, 842 - x).
    page = _page(1.0, IDENTITY, (0.0, -1.0, 1.0, 0.0, 0.0, 842.0))
    assert place_box(80, 45, 40, 10, page=page) == pytest.approx((45, 722, 55, 762))
