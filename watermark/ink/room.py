"""Where a page is blank: its ink measured on a coarse render, and free spots found in it.

The stamp must never hide what the publication printed. Each page is rendered once, grey, at
`MEASURE_DPI` (a few milliseconds a page for text; more faithful than PyMuPDF's bounding-box
log: a white rectangle is no ink, and a scan's blank margin is blank), and the stamp's footer
and QR code go where no cell holds ink. Measurements are kept and reused (`watermark.ink.inkmap`):
`MEASUREMENT` names how they were made, so a change here makes every kept one stale.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

MEASURE_DPI = 36  # two points a cell: coarse, yet every stroke darkens the cell it crosses
PAPER_FLOOR = 215  # a page darker than this all over has no paper to find: only white is blank
PAPER_MARGIN = 14  # a cell this much darker than the page's paper holds ink
# How an Ink is measured. Kept measurements made another way are measured again, never
# trusted: bump the version whenever `ink_mask` or `Ink.of_picture` change.
MEASUREMENT = f"ink-v1-{MEASURE_DPI}dpi-{PAPER_FLOOR}-{PAPER_MARGIN}"
FIRST_ROWS = 32  # the lowest free spot is looked for in this many rows first, then twice as many


def ink_mask(gray: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Return which pixels of a grey picture hold ink: darker than the page's paper."""
    # The paper is the bright tenth of the picture: white for a printed page, the light
    # grey of a scan's paper, never darker than PAPER_FLOOR.
    sample = gray[::3, ::3]
    paper = max(PAPER_FLOOR, bright_tenth(sample)) if sample.size else 255
    return gray < paper - PAPER_MARGIN


def grown(cells: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Return the cells with each set one's eight neighbours set too."""
    rows, cols = cells.shape
    padded = np.zeros((rows + 2, cols + 2), dtype=bool)
    padded[1:-1, 1:-1] = cells
    tall = padded[:-2] | padded[1:-1]
    tall |= padded[2:]
    wide = tall[:, :-2] | tall[:, 1:-1]
    wide |= tall[:, 2:]
    return wide


def bright_tenth(sample: npt.NDArray[np.uint8]) -> int:
    """Return the grey level a tenth of the sample's pixels are at least as bright as."""
    # Most pages are more than a tenth pure white: then the answer is 255, without the
    # histogram (a sixth of what measuring a page's ink costs beside the render).
    if np.count_nonzero(sample == 255) > 0.1 * sample.size:
        return 255
    counts = np.cumsum(np.bincount(sample.reshape(-1), minlength=256))
    return int(np.searchsorted(counts, 0.9 * counts[-1]))


class Ink:
    """Which cells of a displayed page hold ink (row 0 at the bottom), in points per cell.

    A kept measurement (`Ink.packed`) is decoded only as far as it is read: a plan reused for
    a page whose foot is inked alike (`watermark.marks.placement.Planner`) reads its lowest rows.
    """

    __slots__ = ("_inked", "_packed", "_seen", "cell_h", "cell_w", "exact_rows", "shape")

    def __init__(
        self, inked: npt.NDArray[np.bool_], cell_w: float, cell_h: float, exact_rows: int | None = None
    ) -> None:
        self._inked: npt.NDArray[np.bool_] | None = inked
        self._packed = b""
        self._seen = 0  # `_packed` holds this many lowest rows' bits alone, the rows above inked (`of_foot`)
        self.shape: tuple[int, ...] = inked.shape
        self.cell_w = cell_w
        self.cell_h = cell_h
        # Rows from the foot up that were measured; those above were taken as ink unseen (a
        # measure of the page's foot alone, `watermark.ink.inkrender.foot_ink`).
        self.exact_rows = inked.shape[0] if exact_rows is None else exact_rows

    @classmethod
    def packed(
        cls, packed: bytes, rows: int, cols: int, cell_w: float, cell_h: float, exact_rows: int | None = None
    ) -> Ink:
        """Return the ink of zlib-compressed `np.packbits` of its cells, decoded when first read.

        Cells that do not decode (a damaged record) read as inked: the stamp then stays off them.
        """
        ink = cls.__new__(cls)
        ink._inked, ink._packed, ink._seen, ink.shape = None, packed, 0, (rows, cols)
        ink.cell_w, ink.cell_h = cell_w, cell_h
        ink.exact_rows = rows if exact_rows is None else exact_rows
        return ink

    @classmethod
    def of_foot(cls, bits: bytes, seen: int, rows: int, cols: int, cell_w: float, cell_h: float) -> Ink:
        """Return the ink of a page measured at its foot: `np.packbits` of its lowest `seen` rows; ink above.

        What `foot_bits` gives: the foot of a page measured ahead travels in a tenth of the
        bytes, and without the zlib stream that cost a fifth of measuring it (`watermark.ink.ahead`).
        """
        ink = cls.packed(bits, rows, cols, cell_w, cell_h, seen - 1)
        ink._seen = seen
        return ink

    def foot_bits(self) -> tuple[bytes, int] | None:
        """Return `np.packbits` of the rows to one above `exact_rows`, and their count, if all above are ink.

        None for a page measured whole, or any whose unseen rows are not all ink: it is packed whole.
        """
        if self._inked is None and self._seen:
            return self._packed, self._seen
        rows = self.shape[0]
        seen = self.exact_rows + 1
        if self._inked is None or seen >= rows or not self._inked[seen:].all():
            return None
        return np.packbits(self._inked[:seen]).tobytes(), seen

    def resized(self, width: float, height: float) -> Ink:
        """Return the same cells on a page `width` x `height` points (a size read a little otherwise).

        PDFium sizes a page in single precision: a page measured at that size is the displayed
        page's, whose cells are its sides over the cells' count, as a measure at the displayed
        size gives them.
        """
        rows, cols = self.shape
        ink = Ink.__new__(Ink)
        ink._inked, ink._packed, ink._seen, ink.shape = self._inked, self._packed, self._seen, self.shape
        ink.cell_w, ink.cell_h = width / max(cols, 1), height / max(rows, 1)
        ink.exact_rows = self.exact_rows
        return ink

    @property
    def inked(self) -> npt.NDArray[np.bool_]:
        if self._inked is None:
            self._inked = self._decoded(self.shape[0], whole=True)
        return self._inked

    def packbits(self) -> bytes:
        """Return the cells as `Ink.packed` takes them: zlib-compressed `np.packbits`, row 0 first."""
        if self._inked is None and not self._seen:
            return self._packed
        # Level 3: a page of text packs to 1.6 KB in 0.09 ms; level 6 to 1.3 KB in 0.23 ms,
        # which was a fifth of what measuring the page cost beside its render.
        return zlib.compress(np.packbits(self.inked).tobytes(), 3)

    def foot(self, rows: int) -> bytes:
        """Return the cells of the lowest `rows` rows packed (`np.packbits`, row 0 first): what a plan read.

        Read from what is kept where it can be: the packed bits' first bytes, the last masked to
        the cells asked for (every page of a first stamp asks, to reuse a plan: `Planner`).
        """
        rows = min(rows, self.shape[0])
        if self._inked is not None:
            return np.packbits(self._inked[:rows]).tobytes()
        cells = rows * self.shape[1]
        need = (cells + 7) // 8
        if self._seen:
            held = self._packed[:need] if rows <= self._seen else b""
        else:
            try:
                held = zlib.decompressobj().decompress(self._packed, need)
            except zlib.error:
                held = b""
        if len(held) != need or (self._seen and len(self._packed) * 8 < self._seen * self.shape[1]):
            return np.packbits(self._decoded(rows, whole=False)).tobytes()
        if cells % 8:
            return held[:-1] + bytes([held[-1] & (0xFF00 >> (cells % 8)) & 0xFF])
        return held

    def _decoded(self, rows: int, *, whole: bool) -> npt.NDArray[np.bool_]:
        """Return the lowest `rows` rows of cells packed (`packed` or `of_foot`)."""
        cols = self.shape[1]
        if not self._seen:
            return _unpacked(self._packed, rows, cols, whole=whole)
        inked = np.ones((rows, cols), dtype=bool)
        seen = min(rows, self._seen)
        if len(self._packed) * 8 < self._seen * cols:
            return inked  # cells missing: all taken as ink, as a damaged record is
        bits = np.unpackbits(np.frombuffer(self._packed, dtype=np.uint8), count=self._seen * cols)
        inked[:seen] = bits.view(np.bool_).reshape(self._seen, cols)[:seen]
        return inked

    @classmethod
    def of_picture(cls, gray: npt.NDArray[np.uint8], width: float, height: float) -> Ink:
        """Return the ink of a grey render (row 0 at the top) of a page `width` x `height` points."""
        rows, cols = gray.shape
        # One cell of clearance all round: antialiasing fades a stroke into its neighbours.
        return cls(grown(ink_mask(gray)[::-1]), width / max(cols, 1), height / max(rows, 1))

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
        self._read(r1)
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
        # Bottom rows are tried in growing bands, lowest first: a spot in the page's foot is
        # found without looking at the rest of the page.
        start, band, last = by0, FIRST_ROWS, by1 - ch + 1
        while start < last:
            stop = min(start + band, last)
            local = self.inked[start : stop + ch - 1, bx0:bx1]
            if taken:
                local = local.copy()
                for tx, ty, tw, th in taken:
                    c0, r0, c1, r1 = self._cells(tx, ty, tw, th)
                    local[max(0, r0 - start) : max(0, r1 - start), max(0, c0 - bx0) : max(0, c1 - bx0)] = True
            # blocked[i, j]: the rectangle whose bottom-left cell is (start + i, bx0 + j) holds ink.
            blocked = _any_in_runs(_any_in_runs(local, ch, axis=0), cw, axis=1)
            free_rows = ~blocked.all(axis=1)
            if free_rows.any():
                row = int(np.argmax(free_rows))
                found = np.flatnonzero(~blocked[row])
                col = int(found[0] if side == "left" else found[-1])
                # The lowest free row decided, and only the rows its rectangle covers: those
                # below it were blocked within them, those above were never needed.
                self._read(start + row + ch)
                return (bx0 + col) * self.cell_w, (start + row) * self.cell_h
            start, band = stop, band * 2
        self._read(rows)  # no spot anywhere: every row decided that
        return None

    def _read(self, rows: int) -> None:
        """Note that an answer given depended on the lowest `rows` rows (for a watching subclass)."""

    def _cells(self, x: float, y: float, width: float, height: float) -> tuple[int, int, int, int]:
        """Return the cells (c0, r0, c1, r1) a rectangle touches, ends exclusive."""
        return (
            math.floor(x / self.cell_w),
            math.floor(y / self.cell_h),
            math.ceil((x + width) / self.cell_w),
            math.ceil((y + height) / self.cell_h),
        )


def _unpacked(packed: bytes, rows: int, cols: int, *, whole: bool) -> npt.NDArray[np.bool_]:
    """Return the first `rows` rows of cells as `Ink.packed` keeps them; all inked if they do not decode."""
    count = rows * cols
    need = (count + 7) // 8
    try:
        if whole:
            data = zlib.decompress(packed)
            good = len(data) == need
        else:  # only as much of the stream as those rows fill
            data = zlib.decompressobj().decompress(packed, need)
            good = len(data) == need
    except zlib.error:
        good = False
    if not good:
        return np.ones((rows, cols), dtype=bool)
    bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), count=count)
    return bits.view(np.bool_).reshape(rows, cols)


def _any_in_runs(cells: npt.NDArray[np.bool_], length: int, axis: int) -> npt.NDArray[np.bool_]:
    """Return, for each cell, whether it or any of the `length` - 1 after it along `axis` is set.

    The result is `length` - 1 cells shorter along `axis`. Runs of 2, 4, 8... cells are ORed
    from two runs of half the length, and the last step from two overlapping runs of the
    largest power of two: a few whole-array operations, however long the run.
    """
    out, span = cells, 1
    while span * 2 <= length:
        out = _or_shifted(out, span, axis)
        span *= 2
    rest = length - span
    return _or_shifted(out, rest, axis) if rest else out


def _or_shifted(cells: npt.NDArray[np.bool_], shift: int, axis: int) -> npt.NDArray[np.bool_]:
    """Return each cell ORed with the one `shift` cells after it along `axis` (0 or 1)."""
    if axis == 0:
        return cells[:-shift] | cells[shift:]
    return cells[:, :-shift] | cells[:, shift:]
