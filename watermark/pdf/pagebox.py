"""The page as a reader sees it: its boxes, turn and unit, and how to grow it for a band."""

from __future__ import annotations

from typing import NamedTuple

import pikepdf
from pikepdf import Array, Name

LETTER: list[float] = [0, 0, 612, 792]  # what viewers assume when a page has no MediaBox


class PageBox(NamedTuple):
    """A page as the reader sees it: displayed size and the map to PDF user space."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]


def page_box(mediabox: list[float], cropbox: list[float] | None, rotate: int, unit: float = 1.0) -> PageBox:
    """Return the displayed page for boxes, /Rotate and /UserUnit, cropbox clipped to mediabox.

    The displayed page is measured in points (1/72 inch) whatever the page's /UserUnit, so
    the stamp is drawn at the same size on every page.
    """
    box = _displayed(mediabox, cropbox, rotate)
    if unit == 1.0:
        return box
    a, b, c, d, e, f = box.matrix
    return PageBox(box.width * unit, box.height * unit, (a / unit, b / unit, c / unit, d / unit, e, f))


def _displayed(mediabox: list[float], cropbox: list[float] | None, rotate: int) -> PageBox:
    mx0, my0, mx1, my1 = _normalized(mediabox)
    x0, y0, x1, y1 = mx0, my0, mx1, my1
    if cropbox is not None:
        cx0, cy0, cx1, cy1 = _normalized(cropbox)
        cx0, cy0, cx1, cy1 = max(cx0, mx0), max(cy0, my0), min(cx1, mx1), min(cy1, my1)
        if cx1 - cx0 > 1 and cy1 - cy0 > 1:  # viewers ignore an empty crop box too
            x0, y0, x1, y1 = cx0, cy0, cx1, cy1
    w, h = x1 - x0, y1 - y0
    rotate = round((rotate % 360) / 90) % 4 * 90
    # Each matrix maps display coordinates (origin bottom-left of what the viewer
    # shows, after turning the page clockwise by /Rotate) to user space.
    if rotate == 90:
        return PageBox(h, w, (0, 1, -1, 0, x1, y0))
    if rotate == 180:
        return PageBox(w, h, (-1, 0, 0, -1, x1, y1))
    if rotate == 270:
        return PageBox(h, w, (0, -1, 1, 0, x0, y1))
    return PageBox(w, h, (1, 0, 0, 1, x0, y0))


def _normalized(box: list[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


# Names made once: pikepdf makes a new Name for each `Name.X` (1-2 us), and looks a missing key up
# four times slower with get() than with `in` (every page of a copy asks for all four).
_MEDIA_BOX, _CROP_BOX, _ROTATE, _USER_UNIT = Name.MediaBox, Name.CropBox, Name.Rotate, Name.UserUnit


def displayed_box(page: pikepdf.Dictionary) -> PageBox:
    """Return the page as displayed: its boxes, turn and unit."""
    return page_box(
        _box(page.get(_MEDIA_BOX)) or LETTER,
        _box(page[_CROP_BOX]) if _CROP_BOX in page else None,
        _rotation(page[_ROTATE]) if _ROTATE in page else 0,
        _unit(page[_USER_UNIT]) if _USER_UNIT in page else 1.0,
    )


def grow_page(page: pikepdf.Dictionary, box: PageBox, band: float, width: float = 0.0) -> PageBox:
    """Add a band of `band` points below the displayed page, widened to `width`; return the new page.

    The page keeps all it showed, where it showed it: the boxes grow downward and to the
    right as the reader sees the page, whatever its /Rotate.
    """
    a, b, c, d, e, f = box.matrix
    width = max(width, box.width)
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (0, width) for y in (-band, box.height)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    shown = [min(xs), min(ys), max(xs), max(ys)]
    media = _box(page.get(Name.MediaBox)) or LETTER
    media = [min(media[0], media[2], shown[0]), min(media[1], media[3], shown[1])] + [
        max(media[0], media[2], shown[2]),
        max(media[1], media[3], shown[3]),
    ]
    page.MediaBox = Array([round(v, 4) for v in media])
    if Name.CropBox in page:
        page.CropBox = Array([round(v, 4) for v in shown])
    return displayed_box(page)


def _unit(value: pikepdf.Object | None) -> float:
    try:
        unit = float(value) if value is not None else 1.0
    except (TypeError, ValueError):
        return 1.0
    return unit if 0.01 <= unit <= 1000 else 1.0


def _box(value: pikepdf.Object | None) -> list[float] | None:
    if isinstance(value, Array) and len(value) == 4:
        try:
            return [float(v) for v in value]
        except (TypeError, ValueError):
            return None
    return None


def _rotation(value: pikepdf.Object | None) -> int:
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0
