"""What a process measuring ahead sends of a page (`watermark.ink.ahead`), and what is made of it here.

Apart from `ahead`, which a command line loads before it forks those processes: this needs NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from watermark.ink.pdfium_ink import SIZE_SLACK
from watermark.ink.room import Ink

if TYPE_CHECKING:  # pikepdf: the processes measuring ahead start before it is loaded
    from watermark.pdf.pagebox import PageBox

# rows, cols, cell size, packed cells, exact rows, rows of a foot's bits (0: all cells, zlib);
# None: the page could not be measured
Measured = tuple[int, int, float, float, bytes, int, int] | None
# A child's answer for a page: the size (points) it was measured at, and its ink.
Sized = tuple[float, float, Measured]


def fitted(box: PageBox, width: float, height: float, ink: Ink | None) -> tuple[bool, Ink | None]:
    """Return whether a page measured at `width` x `height` is the page displayed in `box`, and its ink so.

    A size within SIZE_SLACK of the box's is PDFium's reading of it (single precision): the
    cells are the same, sized on the box (`Ink.resized`). A size further off is another page.
    """
    if (width, height) == (box.width, box.height):
        return True, ink
    if abs(width - box.width) > SIZE_SLACK or abs(height - box.height) > SIZE_SLACK:
        return False, None
    return True, None if ink is None else ink.resized(box.width, box.height)


def packing(ink: Ink | None) -> Measured:
    """Return a page's ink as a child sends it: its foot's bits alone when only the foot was measured."""
    if ink is None:
        return None
    rows, cols = ink.shape
    foot = ink.foot_bits()
    if foot is not None:
        return rows, cols, ink.cell_w, ink.cell_h, foot[0], ink.exact_rows, foot[1]
    return rows, cols, ink.cell_w, ink.cell_h, ink.packbits(), ink.exact_rows, 0


def unpacked(measured: Measured) -> Ink | None:
    """Return the ink a child sent (`packing`)."""
    if measured is None:
        return None
    rows, cols, cell_w, cell_h, packed, exact_rows, seen = measured
    if seen:
        return Ink.of_foot(packed, seen, rows, cols, cell_w, cell_h)
    return Ink.packed(packed, rows, cols, cell_w, cell_h, exact_rows)
