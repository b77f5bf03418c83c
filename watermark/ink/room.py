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
from typing import TYPE_CHECKING, Literal, Self, TypeVar

from watermark.ink.cell_rows import (
    any_in_runs,
    array_of_rows,
    or_shifts,
    packed_of_rows,
    rows_of_array,
    rows_of_bytes,
    unpacked_rows,
)

if TYPE_CHECKING:  # the cells are kept as integers: a stamp measures and plans without NumPy
    import numpy as np
    import numpy.typing as npt

MEASURE_DPI = 36  # two points a cell: coarse, yet every stroke darkens the cell it crosses
PAPER_FLOOR = 215  # a page darker than this all over has no paper to find: only white is blank
PAPER_MARGIN = 14  # a cell this much darker than the page's paper holds ink
# How an Ink is measured. Kept measurements made another way are measured again, never
# trusted: bump the version whenever `ink_mask` or `Ink.of_picture` change.
MEASUREMENT = f"ink-v1-{MEASURE_DPI}dpi-{PAPER_FLOOR}-{PAPER_MARGIN}"
FOOT_ROWS = 64  # rows (2 points each at MEASURE_DPI) a measure of a page's foot alone looks at
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
    import numpy as np

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
    import numpy as np

    # Most pages are more than a tenth pure white: then the answer is 255, without the
    # histogram (a sixth of what measuring a page's ink costs beside the render).
    if np.count_nonzero(sample == 255) > 0.1 * sample.size:
        return 255
    counts = np.cumsum(np.bincount(sample.reshape(-1), minlength=256))
    return int(np.searchsorted(counts, 0.9 * counts[-1]))


_Kind = TypeVar("_Kind", bound="Ink")


class Ink:
    """Which cells of a displayed page hold ink (row 0 at the bottom), in points per cell.

    Each row is an integer whose bits are its cells, the leftmost cell the highest bit (as
    `np.packbits` orders them). A kept measurement (`Ink.packed`) is decoded only as far as it
    is read: a plan reused for a page whose foot is inked alike (`watermark.marks.placement.Planner`)
    reads its lowest rows. `inked` gives the cells as a NumPy array, for pictures and tests.
    """

    __slots__ = (
        "_held",
        "_packed",
        "_plain",
        "_prefix",
        "_rows",
        "_seen",
        "cell_h",
        "cell_w",
        "exact_rows",
        "shape",
    )

    def __init__(
        self, inked: npt.NDArray[np.bool_], cell_w: float, cell_h: float, exact_rows: int | None = None
    ) -> None:
        rows, cols = inked.shape
        self._set(rows_of_array(inked), rows, cols, cell_w, cell_h, exact_rows)

    def _set(
        self,
        rows: list[int] | None,
        count: int,
        cols: int,
        cell_w: float,
        cell_h: float,
        exact_rows: int | None,
    ) -> None:
        self._rows, self._packed, self._seen, self.shape = rows, b"", 0, (count, cols)
        # A packed record unpacked (`_plain`; rows from `_held` up are ink), and its rows read so far.
        self._plain: bytes | None = None
        self._held, self._prefix = 0, list[int]()
        self.cell_w, self.cell_h = cell_w, cell_h
        # Rows from the foot up that were measured; those above were taken as ink unseen (a
        # measure of the page's foot alone, `watermark.ink.inkrender.foot_ink`).
        self.exact_rows = count if exact_rows is None else exact_rows

    @classmethod
    def of_rows(
        cls, rows: list[int], cols: int, cell_w: float, cell_h: float, exact_rows: int | None = None
    ) -> Self:
        """Return the ink of rows of cells as integers (the leftmost cell the highest bit), row 0 lowest."""
        ink = cls.__new__(cls)
        ink._set(rows, len(rows), cols, cell_w, cell_h, exact_rows)
        return ink

    @classmethod
    def packed(
        cls, packed: bytes, rows: int, cols: int, cell_w: float, cell_h: float, exact_rows: int | None = None
    ) -> Ink:
        """Return the ink of zlib-compressed `np.packbits` of its cells, decoded when first read.

        Cells that do not decode (a damaged record) read as inked: the stamp then stays off them.
        """
        ink = cls.__new__(cls)
        ink._set(None, rows, cols, cell_w, cell_h, exact_rows)
        ink._packed = packed
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
        if not self._read_whole():
            return (self._packed, self._seen) if self._seen else None
        count, cols = self.shape
        seen = self.exact_rows + 1
        rows = self.rows()
        full = (1 << cols) - 1
        if seen >= count or any(row != full for row in rows[seen:]):
            return None
        return packed_of_rows(rows[:seen], cols), seen

    def resized(self, width: float, height: float) -> Ink:
        """Return the same cells on a page `width` x `height` points (a size read a little otherwise).

        PDFium sizes a page in single precision: a page measured at that size is the displayed
        page's, whose cells are its sides over the cells' count, as a measure at the displayed
        size gives them.
        """
        count, cols = self.shape
        return self._copy(Ink, width / max(cols, 1), height / max(count, 1), self.exact_rows)

    def watched_as(self, kind: type[_Kind]) -> _Kind:
        """Return the same cells, every row taken as measured, as an Ink of a subclass (one that watches).

        A packed record is unpacked whole here, for both: a plan made on a record that does not
        unpack (all ink) is kept under the foot's cells as this ink then reads them (all ink too).
        """
        self._unpack()
        return self._copy(kind, self.cell_w, self.cell_h, None)

    def _copy(self, kind: type[_Kind], cell_w: float, cell_h: float, exact_rows: int | None) -> _Kind:
        """Return an Ink of `kind` sharing these cells (given, packed, or as far as read), sized anew."""
        count, cols = self.shape
        ink = kind.__new__(kind)
        ink._set(self._rows, count, cols, cell_w, cell_h, exact_rows)
        ink._packed, ink._seen = self._packed, self._seen
        ink._plain, ink._held, ink._prefix = self._plain, self._held, self._prefix
        return ink

    def rows(self) -> list[int]:
        """Return every row of cells as an integer (the leftmost cell the highest bit), row 0 lowest."""
        return self._lowest(self.shape[0])

    def _lowest(self, count: int) -> list[int]:
        """Return a list whose first `count` rows (or all there are) are the page's lowest, read.

        A packed measurement is unpacked whole when first read (all ink if it does not unpack
        whole, as a damaged record), but only the rows asked for are read from its bits:
        a free spot in the foot is found on the foot's rows.
        """
        if self._rows is not None:
            return self._rows
        rows, cols = self.shape
        count, prefix = min(count, rows), self._prefix
        if len(prefix) < count:
            plain = self._unpack()
            have, upto = len(prefix), min(count, self._held)
            more = rows_of_bytes(plain, have, upto, cols) if upto > have else []
            # A new list, never one extended in place: a copy or thread sharing the old one sees whole rows.
            prefix = self._prefix = prefix + more + [(1 << cols) - 1] * (count - have - len(more))
        return prefix

    def _read_whole(self) -> bool:
        """Tell whether the cells were given whole or their record was unpacked whole (`_lowest`)."""
        return self._rows is not None or self._plain is not None

    def _unpack(self) -> bytes:
        """Return a packed record unpacked whole, once (its rows are read from it as asked: `_lowest`)."""
        if self._rows is None and self._plain is None:
            self._plain, self._held = self._unpacked_whole()
        return self._plain or b""

    def _unpacked_whole(self) -> tuple[bytes, int]:
        """Return a packed measurement's cells (`np.packbits`) and how many rows they hold (above: ink)."""
        rows, cols = self.shape
        if self._seen:
            return (self._packed, self._seen) if len(self._packed) * 8 >= self._seen * cols else (b"", 0)
        try:
            data = zlib.decompress(self._packed)
        except zlib.error:
            return b"", 0
        return (data, rows) if len(data) == (rows * cols + 7) // 8 else (b"", 0)

    @property
    def inked(self) -> npt.NDArray[np.bool_]:
        """Return the cells as a NumPy array of rows (row 0 the lowest)."""
        return array_of_rows(self.rows(), self.shape[1])

    def packbits(self) -> bytes:
        """Return the cells as `Ink.packed` takes them: zlib-compressed `np.packbits`, row 0 first."""
        if not self._read_whole() and not self._seen:
            return self._packed
        # Level 3: a page of text packs to 1.6 KB in 0.09 ms; level 6 to 1.3 KB in 0.23 ms,
        # which was a fifth of what measuring the page cost beside its render.
        return zlib.compress(packed_of_rows(self.rows(), self.shape[1]), 3)

    def foot(self, rows: int) -> bytes:
        """Return the cells of the lowest `rows` rows packed (`np.packbits`, row 0 first): what a plan read.

        Read from what is kept where it can be: the packed bits' first bytes, the last masked to
        the cells asked for (every page of a first stamp asks, to reuse a plan: `Planner`).
        """
        rows = min(rows, self.shape[0])
        if self._read_whole():  # as read whole: a record that did not unpack whole is all ink
            return packed_of_rows(self._lowest(rows)[:rows], self.shape[1])
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
            return packed_of_rows(self._decoded(rows), self.shape[1])
        if cells % 8:
            return held[:-1] + bytes([held[-1] & (0xFF00 >> (cells % 8)) & 0xFF])
        return held

    def _decoded(self, rows: int) -> list[int]:
        """Return the lowest `rows` rows of cells packed (`packed` or `of_foot`), unpacking only those."""
        cols = self.shape[1]
        if not self._seen:
            return unpacked_rows(self._packed, rows, cols)
        decoded = [(1 << cols) - 1] * rows
        if len(self._packed) * 8 < self._seen * cols:
            return decoded  # cells missing: all taken as ink, as a damaged record is
        seen = min(rows, self._seen)
        decoded[:seen] = rows_of_bytes(self._packed, 0, seen, cols)
        return decoded

    @classmethod
    def of_picture(cls, gray: npt.NDArray[np.uint8], width: float, height: float) -> Ink:
        """Return the ink of a grey render (row 0 at the top) of a page `width` x `height` points."""
        rows, cols = gray.shape
        # One cell of clearance all round: antialiasing fades a stroke into its neighbours.
        return cls(grown(ink_mask(gray)[::-1]), width / max(cols, 1), height / max(rows, 1))

    @classmethod
    def everywhere(cls, width: float, height: float) -> Ink:
        """Return a page taken as inked all over: for a page that could not be measured."""
        return cls.of_rows([1], 1, max(width, 1.0), max(height, 1.0))

    def is_free(self, x: float, y: float, width: float, height: float) -> bool:
        """Tell whether the rectangle (points, origin bottom-left) holds no ink."""
        c0, r0, c1, r1 = self._cells(x, y, width, height)
        rows, cols = self.shape
        self._unpack()  # a spot asked for reads the record whole, as its foot is read after
        if c0 < 0 or r0 < 0 or c1 > cols or r1 > rows:
            return False
        self._read(r1)
        if c1 <= c0:
            return True
        across = ((1 << (c1 - c0)) - 1) << (cols - c1)
        return not any(row & across for row in self._lowest(r1)[r0:r1])

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
        rows, cols = self.shape
        self._unpack()
        cw, ch = math.ceil(width / self.cell_w), math.ceil(height / self.cell_h)
        bx0, by0 = math.ceil(bounds[0] / self.cell_w), math.ceil(bounds[1] / self.cell_h)
        bx1, by1 = min(cols, int(bounds[2] / self.cell_w)), min(rows, int(bounds[3] / self.cell_h))
        bx0, by0 = max(bx0, 0), max(by0, 0)
        if bx1 - bx0 < cw or by1 - by0 < ch or cw <= 0 or ch <= 0:
            return None
        wide = bx1 - bx0
        window = (1 << wide) - 1
        covered = self._covered(taken, bx0, wide)
        # The cells of column j of the bounds are bit (wide - 1 - j) of a row cut to them; rows
        # are cut as the bands reach them.
        cut: list[int] = []

        def cut_to(upto: int) -> list[int]:
            lowest = self._lowest(upto)
            for r in range(len(cut), min(upto, rows)):
                row = (lowest[r] >> (cols - bx1)) & window
                for r0, r1, across in covered:
                    if r0 <= r < r1:
                        row |= across
                cut.append(row)
            return cut

        # A rectangle whose bottom-left cell is (r, j) is free when bit (wide - 1 - j) of
        # `blocked` row r is clear: the rows it covers ORed, then the columns.
        starts = ((1 << (wide - cw + 1)) - 1) << (cw - 1)
        # Bottom rows are tried in growing bands, lowest first: a spot in the page's foot is
        # found without looking at the rest of the page.
        start, band, last = by0, FIRST_ROWS, by1 - ch + 1
        while start < last:
            stop = min(start + band, last)
            for r, tall in enumerate(any_in_runs(cut_to(stop + ch - 1)[start : stop + ch - 1], ch), start):
                free = ~or_shifts(tall, cw) & starts
                if free:
                    bit = free.bit_length() - 1 if side == "left" else (free & -free).bit_length() - 1
                    # The lowest free row decided, and only the rows its rectangle covers: those
                    # below it were blocked within them, those above were never needed.
                    self._read(r + ch)
                    return (bx0 + wide - 1 - bit) * self.cell_w, r * self.cell_h
            start, band = stop, band * 2
        self._read(rows)  # no spot anywhere: every row decided that
        return None

    def _covered(
        self, taken: Sequence[tuple[float, float, float, float]], bx0: int, wide: int
    ) -> list[tuple[int, int, int]]:
        """Return rectangles (x, y, width, height) as the rows they cover and their bits in a cut row."""
        covered = []
        for tx, ty, tw, th in taken:
            c0, r0, c1, r1 = self._cells(tx, ty, tw, th)
            a, b = max(0, c0 - bx0), min(wide, max(0, c1 - bx0))
            if b > a:
                covered.append((max(0, r0), r1, ((1 << (b - a)) - 1) << (wide - b)))
        return covered

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
