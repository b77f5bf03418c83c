"""A page's ink drawn by MuPDF, grey at `MEASURE_DPI`: the whole page, or its foot alone.

`watermark.ink.pageinks` decides which a page needs: a measure to keep is the whole page's; a
first stamp that keeps nothing draws each page's foot and the whole page only for a plan that
reads above it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from watermark.ink.room import FOOT_ROWS, MEASURE_DPI, PAPER_MARGIN, Ink, bright_tenth
from watermark.pdf.mupdf import load_pymupdf
from watermark.pdf.pixels import INK_PIXELS, zoom_within

if TYPE_CHECKING:  # NumPy loads when a page is drawn: a page read from its content needs none
    import numpy as np


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
    import numpy as np

    if not _on_white_paper(gray):
        return None
    cols = gray.shape[1]
    # `ink_mask` on white paper, its brightness found above; row 0 the lowest.
    bits = _grown_foot_bits(np.less(gray[::-1], 255 - PAPER_MARGIN))
    # Kept packed as it travels (`Ink.of_foot`): the rows above, all ink, are never made.
    return Ink.of_foot(bits, FOOT_ROWS, rows, cols, width / cols, height / rows)


def _on_white_paper(gray: np.ndarray) -> bool:
    """Tell whether a foot's paper is white: `bright_tenth` of every third pixel each way is 255.

    Every page's foot asks, and a strided sample costs more to read than the whole foot: most
    feet are all but white, and when the pixels short of white in the whole foot leave more than
    a tenth of the sample white, the sample's own count need not be made.
    """
    import numpy as np

    sample = gray[::3, ::3]
    short = np.count_nonzero(np.less(gray, 255))
    if sample.size - short > 0.1 * sample.size:
        return True
    return bright_tenth(sample) == 255


def _grown_foot_bits(inked: np.ndarray) -> bytes:
    """Return `np.packbits(grown(cells)[:rows])` of a foot's `inked` cells with a row of ink above them.

    The same bits `watermark.ink.room.grown` gives, grown on the foot's bits as one integer:
    a sixth of what eight array operations cost on a foot this small.
    """
    import numpy as np

    rows, cols = inked.shape
    valid, not_first, not_last, top = _foot_masks(rows, cols)
    bits = int.from_bytes(np.packbits(inked).tobytes(), "big")
    # A cell's right neighbour is the next bit down; its left one, the bit above.
    wide = bits | ((bits << 1) & not_last) | ((bits >> 1) & not_first)
    tall = (wide | (wide << cols) | (wide >> cols) | top) & valid
    return tall.to_bytes((rows * cols + 7) // 8, "big")


@functools.lru_cache(maxsize=16)
def _foot_masks(rows: int, cols: int) -> tuple[int, int, int, int]:
    """Return the bit masks of a foot `rows` x `cols` packed as one integer, row 0's first cell highest.

    Every cell, every cell but a row's first, every cell but a row's last, and the top row
    (grown from the unseen row above it, taken as ink).
    """
    pad = -(rows * cols) % 8
    row = (1 << cols) - 1
    every = sum(row << (pad + cols * r) for r in range(rows))
    first = sum(1 << (pad + cols * r + cols - 1) for r in range(rows))
    last = sum(1 << (pad + cols * r) for r in range(rows))
    return every, every & ~first, every & ~last, row << pad


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
    import numpy as np

    samples = np.frombuffer(mupdf.fz_pixmap_samples_memoryview(pixmap), dtype=np.uint8)
    return samples.reshape(pixmap.h(), pixmap.stride())[:, : pixmap.w()]
