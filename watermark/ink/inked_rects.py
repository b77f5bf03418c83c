"""The display rectangles a page's content may ink, and the cells of the ink grid they cover.

`watermark.ink.content_ink` follows a page's content and hands each rectangle an operation
could darken to `InkedRects` (a glyph run's box, a path's extent widened by its stroke, a
picture's or an annotation's place), which keeps those inside the page, refuses paint that
covers too much of it, and turns them into an `Ink` on the grid a render at MEASURE_DPI has,
grown by one cell as a render's is.
"""

from __future__ import annotations

import math

from watermark.ink.cell_rows import grown_rows
from watermark.ink.content_fonts import Unmeasurable
from watermark.ink.content_ops import Matrix
from watermark.ink.room import MEASURE_DPI, Ink
from watermark.pdf.pagebox import PageBox
from watermark.pdf.pixels import INK_PIXELS, zoom_within

MARGIN = 1.0  # points added round every box: glyph positions are rounded, thin strokes widened
LARGE = 0.25  # a single painted area larger than this share of the page is left to the render


def grid(box: PageBox) -> tuple[int, int]:
    """Return the (rows, cols) of the ink grid of a displayed page, as the render at MEASURE_DPI has."""
    zoom = zoom_within(box.width, box.height, MEASURE_DPI / 72, INK_PIXELS)
    return max(1, math.ceil(box.height * zoom - 0.01)), max(1, math.ceil(box.width * zoom - 0.01))


class InkedRects:
    """The display rectangles a page's content may ink, collected for its ink grid."""

    def __init__(self, box: PageBox) -> None:
        self.box = box
        self.rects: list[tuple[float, float, float, float]] = []
        self.area_limit = LARGE * box.width * box.height

    def ink(self) -> Ink:
        """Return the collected rectangles as inked cells, grown by one cell as a render's are."""
        rows, cols = grid(self.box)
        cell_w, cell_h = self.box.width / cols, self.box.height / rows
        inked = [0] * rows  # a row's cells are its bits, the leftmost the highest
        for x0, y0, x1, y1 in self.rects:
            c0 = max(0, math.floor((x0 - MARGIN) / cell_w))
            c1 = min(cols, math.ceil((x1 + MARGIN) / cell_w))
            r0 = max(0, math.floor((y0 - MARGIN) / cell_h))
            r1 = min(rows, math.ceil((y1 + MARGIN) / cell_h))
            if c0 < c1 and r0 < r1:
                across = ((1 << (c1 - c0)) - 1) << (cols - c1)
                for r in range(r0, r1):
                    inked[r] |= across
        return Ink.of_rows(grown_rows(inked, cols), cols, cell_w, cell_h)

    def mark(self, x0: float, y0: float, x1: float, y1: float, m: Matrix, grow: float = 0.0) -> None:
        """Add the rectangle (x0, y0)-(x1, y1) of a space `m` maps to the display, grown by `grow` points."""
        a, b, c, d, e, f = m
        xs = (a * x0 + c * y0, a * x1 + c * y0, a * x0 + c * y1, a * x1 + c * y1)
        ys = (b * x0 + d * y0, b * x1 + d * y0, b * x0 + d * y1, b * x1 + d * y1)
        left, bottom, right, top = (
            min(xs) + e - grow,
            min(ys) + f - grow,
            max(xs) + e + grow,
            max(ys) + f + grow,
        )
        if not (
            math.isfinite(left) and math.isfinite(right) and math.isfinite(bottom) and math.isfinite(top)
        ):
            raise Unmeasurable("a position out of range")
        if right < 0 or top < 0 or left > self.box.width or bottom > self.box.height:
            return
        self.rects.append((left, bottom, right, top))

    def mark_large(self, x0: float, y0: float, x1: float, y1: float, m: Matrix, grow: float = 0.0) -> None:
        """Like `mark`, for paint that may cover much of the page: such a page is left to the render."""
        before = len(self.rects)
        self.mark(x0, y0, x1, y1, m, grow)
        if len(self.rects) > before:
            left, bottom, right, top = self.rects[-1]
            left, bottom = max(left, 0.0), max(bottom, 0.0)
            right, top = min(right, self.box.width), min(top, self.box.height)
            if (right - left) * (top - bottom) > self.area_limit:
                raise Unmeasurable("a painted area too large to call ink")
