"""The delivered PDF's printed code as a stamp lays it: the tile's dark cells and its pattern, without NumPy.

`watermark.marks.print_code` explains the code and reads it back from pictures (with NumPy);
this module is what stamping needs of it: which cells of a delivery id's tile are dark (the
layout drawn as NumPy draws it, `watermark.marks.tile_layout`; the bits coded by
`watermark.marks.conv_code.encoded`), and the tiling pattern that repeats them over a page.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from watermark.marks.conv_code import coded_length, encoded
from watermark.marks.mark import ALPHABET, DELIVERY_ID_LENGTH, is_delivery_id
from watermark.marks.tile_layout import TileSpec, cell_layout

if TYPE_CHECKING:
    import pikepdf

CELLS = 32  # cells a side of the tile
CELL_POINTS = 4.0  # a cell's side: about 8 pixels at 150 dpi, 1.4 mm on paper
TILE_POINTS = CELLS * CELL_POINTS
DEPTH = 0.03  # share of the blue a dark cell takes off paper
ID_BITS = 5 * DELIVERY_ID_LENGTH
CHECK_BITS = 16
SPEC = TileSpec(CELLS, coded_length(ID_BITS + CHECK_BITS), 20261125)


def check_bits(delivery_id: str) -> list[bool]:
    """Return the 16-bit check of a delivery id the code carries beside it."""
    digest = hashlib.sha256(b"pustaka-print-code:" + delivery_id.encode()).digest()
    value = int.from_bytes(digest[:2], "big")
    return [value >> (CHECK_BITS - 1 - k) & 1 == 1 for k in range(CHECK_BITS)]


def dark_cells(delivery_id: str) -> list[list[bool]]:
    """Return which cells of the tile are dark, rows from the top, for a delivery id."""
    if len(delivery_id) != DELIVERY_ID_LENGTH or not is_delivery_id(delivery_id):
        raise ValueError(f"not a delivery id: {delivery_id!r}")
    values = [ALPHABET.index(ch) for ch in delivery_id]
    message = [value >> (4 - k) & 1 == 1 for value in values for k in range(5)]
    bits = [1 if bit else -1 for bit in encoded(message + check_bits(delivery_id))]
    signs = cell_layout(SPEC).signs(bits)
    return [[sign > 0 for sign in signs[row * CELLS : (row + 1) * CELLS]] for row in range(CELLS)]


def tile_content(delivery_id: str) -> bytes:
    """Return the content of the tile's pattern cell: its dark cells as faint yellow runs."""
    cells = dark_cells(delivery_id)
    runs = []
    for row in range(CELLS):
        y = TILE_POINTS - (row + 1) * CELL_POINTS  # the tile's first row is its top
        column = 0
        while column < CELLS:
            if not cells[row][column]:
                column += 1
                continue
            end = column
            while end < CELLS and cells[row][end]:
                end += 1
            runs.append(f"{column * CELL_POINTS:g} {y:g} {(end - column) * CELL_POINTS:g} {CELL_POINTS:g} re")
            column = end
    return f"1 1 {1 - DEPTH:g} rg {' '.join(runs)} f\n".encode()


def tiles_content(pattern: str, width: float, height: float, state: str) -> bytes:
    """Return content filling a page of `width` x `height` points with the tile's pattern `pattern`.

    `state` names an ExtGState with the Multiply blend mode: the tile darkens, never hides.
    """
    return f"q /{state} gs /Pattern cs /{pattern} scn 0 0 {width:g} {height:g} re f Q\n".encode()


def tile_pattern(pdf: pikepdf.Pdf, delivery_id: str) -> pikepdf.Object:
    """Return a new tiling pattern of the copy's tile, repeated every `TILE_POINTS` both ways.

    A renderer draws the cell once and repeats it: drawn as shapes or a picture at each tile's
    place, the cells made a page two to three times slower to render.
    """
    from pikepdf import Array, Dictionary, Name

    from watermark.pdf.streams import flate_stream

    return pdf.make_indirect(
        flate_stream(
            pdf,
            tile_content(delivery_id),
            Type=Name.Pattern,
            PatternType=1,
            PaintType=1,
            TilingType=1,
            BBox=Array([0, 0, TILE_POINTS, TILE_POINTS]),
            XStep=TILE_POINTS,
            YStep=TILE_POINTS,
            Resources=Dictionary(),
        )
    )
