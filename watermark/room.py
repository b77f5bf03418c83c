"""Where a page is blank: its ink measured on a coarse render, and free spots found in it.

The stamp must never hide what the publication printed. Each page is rendered once, grey, at
`MEASURE_DPI` (about a millisecond a page for text, as cheap as PyMuPDF's bounding-box log and
more faithful: a white rectangle is no ink, and a scan's blank margin is blank), and the stamp's
footer and QR code go where no cell holds ink.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

from watermark.mupdf import load_pymupdf

MEASURE_DPI = 36  # two points a cell: coarse, yet every stroke darkens the cell it crosses
PAPER_FLOOR = 215  # a page darker than this all over has no paper to find: only white is blank
PAPER_MARGIN = 14  # a cell this much darker than the page's paper holds ink


def ink_mask(gray: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Return which pixels of a grey picture hold ink: darker than the page's paper."""
    # The paper is the bright tenth of the picture: white for a printed page, the light
    # grey of a scan's paper, never darker than PAPER_FLOOR.
    sample = gray[::3, ::3]
    paper = max(PAPER_FLOOR, bright_tenth(sample)) if sample.size else 255
    return gray < paper - PAPER_MARGIN


def bright_tenth(sample: npt.NDArray[np.uint8]) -> int:
    """Return the grey level a tenth of the sample's pixels are at least as bright as."""
    counts = np.cumsum(np.bincount(sample.reshape(-1), minlength=256))
    return int(np.searchsorted(counts, 0.9 * counts[-1]))


@dataclass(frozen=True, eq=False)
class Ink:
    """Which cells of a displayed page hold ink (row 0 at the bottom), in points per cell."""

    inked: npt.NDArray[np.bool_]
    cell_w: float
    cell_h: float

    @classmethod
    def of_picture(cls, gray: npt.NDArray[np.uint8], width: float, height: float) -> Ink:
        """Return the ink of a grey render (row 0 at the top) of a page `width` x `height` points."""
        rows, cols = gray.shape
        inked = ink_mask(gray)[::-1]
        # One cell of clearance all round: antialiasing fades a stroke into its neighbours.
        grown = inked.copy()
        grown[1:] |= inked[:-1]
        grown[:-1] |= inked[1:]
        wide = grown.copy()
        wide[:, 1:] |= grown[:, :-1]
        wide[:, :-1] |= grown[:, 1:]
        return cls(wide, width / max(cols, 1), height / max(rows, 1))

    @classmethod
    def everywhere(cls, width: float, height: float) -> Ink:
        """Return a page taken as inked all over: for a page that could not be measured."""
        return cls(np.ones((1, 1), dtype=bool), max(width, 1.0), max(height, 1.0))

    def is_free(self, x: float, y: float, width: float, height: float) -> bool:
        """Tell whether the rectangle (points, origin bottom-left) holds no ink."""
        c0, r0, c1, r1 = self._cells(x, y, width, height)
        rows, cols = self.inked.shape
        if c0 < 0 or r0 < 0 or c1 > cols or r1 > rows:
            return False
        return not self.inked[r0:r1, c0:c1].any()

    def find(
        self,
        width: float,
        height: float,
        bounds: tuple[float, float, float, float],
        side: Literal["left", "right"],
        taken: Sequence[tuple[float, float, float, float]] = (),
    ) -> tuple[float, float] | None:
        """Return the lowest free spot for a rectangle inside `bounds` (x0, y0, x1, y1), or None.

        Among spots at the lowest height the one furthest to `side` wins; rectangles in `taken`
        (x, y, width, height) count as ink.
        """
        rows, cols = self.inked.shape
        cw, ch = math.ceil(width / self.cell_w), math.ceil(height / self.cell_h)
        bx0, by0 = math.ceil(bounds[0] / self.cell_w), math.ceil(bounds[1] / self.cell_h)
        bx1, by1 = min(cols, int(bounds[2] / self.cell_w)), min(rows, int(bounds[3] / self.cell_h))
        bx0, by0 = max(bx0, 0), max(by0, 0)
        if bx1 - bx0 < cw or by1 - by0 < ch or cw <= 0 or ch <= 0:
            return None
        sums = self._sums
        # The ink under a rectangle whose bottom-left cell is (by0 + i, bx0 + j), for every i, j.
        top, right = slice(by0 + ch, by1 + 1), slice(bx0 + cw, bx1 + 1)
        bottom, left = slice(by0, by1 - ch + 1), slice(bx0, bx1 - cw + 1)
        under = sums[top, right] - sums[bottom, right] - sums[top, left] + sums[bottom, left]
        free = under == 0
        for tx, ty, tw, th in taken:
            c0, r0, c1, r1 = self._cells(tx, ty, tw, th)
            free[
                max(0, r0 - by0 - ch + 1) : max(0, r1 - by0), max(0, c0 - bx0 - cw + 1) : max(0, c1 - bx0)
            ] = False
        any_in_row = free.any(axis=1)
        if not any_in_row.any():
            return None
        row = int(np.argmax(any_in_row))
        columns = np.flatnonzero(free[row])
        col = int(columns[0] if side == "left" else columns[-1])
        return (bx0 + col) * self.cell_w, (by0 + row) * self.cell_h

    @cached_property
    def _sums(self) -> npt.NDArray[np.int32]:
        """Return the summed-area table of the ink: any rectangle's ink in four lookups."""
        rows, cols = self.inked.shape
        sums = np.zeros((rows + 1, cols + 1), dtype=np.int32)
        np.cumsum(np.cumsum(self.inked, axis=1, dtype=np.int32), axis=0, out=sums[1:, 1:])
        return sums

    def _cells(self, x: float, y: float, width: float, height: float) -> tuple[int, int, int, int]:
        """Return the cells (c0, r0, c1, r1) a rectangle touches, ends exclusive."""
        return (
            math.floor(x / self.cell_w),
            math.floor(y / self.cell_h),
            math.ceil((x + width) / self.cell_w),
            math.ceil((y + height) / self.cell_h),
        )


@contextlib.contextmanager
def page_inks(source: str | os.PathLike[str] | bytes) -> Iterator[PageInks]:
    """Open a PDF with PyMuPDF to measure the ink of its pages; a file it cannot open measures nothing."""
    pymupdf = load_pymupdf()
    document = None
    try:
        if isinstance(source, bytes | bytearray):
            document = pymupdf.open(stream=bytes(source), filetype="pdf")
        else:
            document = pymupdf.open(os.fspath(source), filetype="pdf")
        if document.needs_pass and not document.authenticate(""):
            document.close()
            document = None
    except (RuntimeError, ValueError):
        document = None
    try:
        yield PageInks(document)
    finally:
        if document is not None:
            document.close()


class PageInks:
    """Measures the ink of one document's pages, as each page is displayed."""

    def __init__(self, document: object | None) -> None:
        self._document = document

    def of_page(self, index: int, width: float, height: float) -> Ink:
        """Return the ink of page `index` (0-based), displayed `width` x `height` points."""
        pymupdf = load_pymupdf()
        document = self._document
        if document is None:
            return Ink.everywhere(width, height)
        try:
            page = document[index]  # type: ignore[index]
            zoom = MEASURE_DPI / 72
            pixmap = page.get_pixmap(
                matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False, annots=True
            )
        except (RuntimeError, ValueError, IndexError):
            return Ink.everywhere(width, height)
        gray = np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.stride)
        return Ink.of_picture(gray[:, : pixmap.width], width, height)
