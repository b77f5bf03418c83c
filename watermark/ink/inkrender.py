"""A page's ink drawn by MuPDF, grey at `MEASURE_DPI`: the whole page, or its foot alone.

`watermark.ink.pageinks` decides which a page needs: a measure to keep is the whole page's; a
first stamp that keeps nothing draws each page's foot and the whole page only for a plan that
reads above it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from watermark.ink.room import MEASURE_DPI, PAPER_MARGIN, Ink, bright_tenth, grown
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pixels import INK_PIXELS, zoom_within

FOOT_ROWS = 64  # rows (2 points each at MEASURE_DPI) a measure of a page's foot alone looks at


def render_ink(document: object, index: int, width: float, height: float) -> Ink | None:
    """Render page `index` of a PyMuPDF document grey at MEASURE_DPI; return its ink, None on failure."""
    pymupdf = load_pymupdf()
    mupdf = pymupdf.mupdf
    try:
        page = document[index]  # type: ignore[index]
        # Drawn straight onto the pixmap, page and annotations, as `get_pixmap(annots=True)`
        # draws them: that records a display list and then plays it, a third more work.
        matrix, bbox = _measuring(mupdf, page)
        pixmap = _white(mupdf, bbox)
        device = mupdf.fz_new_draw_device(mupdf.FzMatrix(), pixmap)
        try:
            mupdf.fz_run_page(page.this, device, matrix, mupdf.FzCookie())
        finally:
            mupdf.fz_close_device(device)
        return Ink.of_picture(_grey(mupdf, pixmap), width, height)
    except (RuntimeError, ValueError, IndexError, mupdf.FzErrorBase):
        return None


def foot_ink(document: object, index: int, width: float, height: float) -> Ink | None:
    """Measure page `index`'s foot (its lowest FOOT_ROWS rows) alone; None if the page must be rendered whole.

    MuPDF records the page once (a display list: its interpretation, most of a render's cost)
    and draws only what falls in the foot, on the very pixels the whole page's render gives
    there, so the cells below the top row of the foot are the render's, paper taken as white
    (a page mostly darker than white paper may read more ink in its foot, never less). The rows above are
    taken as ink unseen (`Ink.exact_rows`): a plan that reads them asks for the whole page
    (`PageInks.of_whole_page`). A page whose foot is not white paper (a scan's grey) is
    rendered whole: its paper is found in the whole page's pixels.
    """
    pymupdf = load_pymupdf()
    mupdf = pymupdf.mupdf
    try:
        page = document[index]  # type: ignore[index]
        matrix, whole = _measuring(mupdf, page)
        rows, cols = whole.y1 - whole.y0, whole.x1 - whole.x0
        if rows <= 2 * FOOT_ROWS or cols <= 0:
            return None  # a short page: its render costs little more
        foot = mupdf.FzIrect(whole.x0, whole.y1 - FOOT_ROWS, whole.x1, whole.y1)
        recorded = mupdf.fz_new_display_list_from_page(page.this)
        pixmap = _white(mupdf, foot)
        device = mupdf.fz_new_draw_device(mupdf.FzMatrix(), pixmap)
        try:
            area = mupdf.fz_rect_from_irect(foot)
            mupdf.fz_run_display_list(recorded, device, matrix, area, mupdf.FzCookie())
        finally:
            mupdf.fz_close_device(device)
        return ink_of_foot(_grey(mupdf, pixmap), rows, width, height)
    except (RuntimeError, ValueError, IndexError, mupdf.FzErrorBase):
        return None


def ink_of_foot(gray: np.ndarray, rows: int, width: float, height: float) -> Ink | None:
    """Return a page's ink from its foot's pixels (the lowest FOOT_ROWS of `rows`); None if not white paper.

    The foot's cells and one unseen row above are grown as a render's; the rows above are ink.
    """
    if bright_tenth(gray[::3, ::3]) != 255:
        return None
    cols = gray.shape[1]
    seen = np.ones((FOOT_ROWS + 1, cols), dtype=bool)
    # `ink_mask` on white paper, its brightness found above: every page's foot asks (4 us of 20)
    np.less(gray[::-1], 255 - PAPER_MARGIN, out=seen[:FOOT_ROWS])
    # Kept packed as it travels (`Ink.of_foot`): the rows above, all ink, are never made.
    bits = np.packbits(grown(seen)[:FOOT_ROWS]).tobytes()
    return Ink.of_foot(bits, FOOT_ROWS, rows, cols, width / cols, height / rows)


def _measuring(mupdf: Any, page: Any) -> tuple[Any, Any]:
    """Return the matrix a page is measured at (MEASURE_DPI, within INK_PIXELS) and its pixel box."""
    zoom = zoom_within(page.rect.width, page.rect.height, MEASURE_DPI / 72, INK_PIXELS)
    matrix = mupdf.FzMatrix(zoom, 0, 0, zoom, 0, 0)
    return matrix, mupdf.fz_round_rect(mupdf.fz_transform_rect(mupdf.fz_bound_page(page.this), matrix))


def _white(mupdf: Any, bbox: Any) -> Any:
    """Return a white grey pixmap covering `bbox`, to draw a page's part on."""
    pixmap = mupdf.fz_new_pixmap_with_bbox(mupdf.fz_device_gray(), bbox, mupdf.FzSeparations(), 0)
    mupdf.fz_clear_pixmap_with_value(pixmap, 255)
    return pixmap


def _grey(mupdf: Any, pixmap: Any) -> np.ndarray:
    """Return a grey pixmap's samples, row 0 at the top (no copy)."""
    samples = np.frombuffer(mupdf.fz_pixmap_samples_memoryview(pixmap), dtype=np.uint8)
    return samples.reshape(pixmap.h(), pixmap.stride())[:, : pixmap.w()]
