"""Rows of an ink grid's cells as integers: each row's cells its bits, the leftmost cell the highest.

`watermark.ink.room.Ink` keeps a page's cells so: a free spot is found by ORing whole rows and
shifting them (a few operations a row, whatever its width), without NumPy, which a first stamp
then never loads. The rows convert to and from `np.packbits` of the cells (what is kept and sent
between processes) and to and from NumPy arrays (pictures, tests).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def grown_rows(rows: list[int], cols: int) -> list[int]:
    """Return rows of cells (integers) with each set cell's eight neighbours set too: `grown`."""
    full, last = (1 << cols) - 1, len(rows) - 1
    out = []
    for r, row in enumerate(rows):
        tall = row | (rows[r - 1] if r else 0) | (rows[r + 1] if r < last else 0)
        out.append((tall | tall << 1 | tall >> 1) & full)
    return out


def unpacked_rows(packed: bytes, rows: int, cols: int) -> list[int]:
    """Return the first `rows` rows of cells as `Ink.packed` keeps them; all inked if they do not decode.

    Only as much of the stream is unpacked as those rows fill (a record read whole: `Ink._unpack`).
    """
    need = (rows * cols + 7) // 8
    try:
        data = zlib.decompressobj().decompress(packed, need)
    except zlib.error:
        data = b""
    if len(data) != need:
        return [(1 << cols) - 1] * rows
    return rows_of_bytes(data, 0, rows, cols)


def rows_of_bytes(data: bytes, first: int, past: int, cols: int) -> list[int]:
    """Return rows `first` to `past` - 1 of `cols` cells from `np.packbits` of them (rows unpadded)."""
    mask, out = (1 << cols) - 1, []
    for r in range(first, past):
        start, end = r * cols, (r + 1) * cols
        low, high = start >> 3, (end + 7) >> 3
        out.append((int.from_bytes(data[low:high], "big") >> (high * 8 - end)) & mask)
    return out


def packed_of_rows(rows: list[int], cols: int) -> bytes:
    """Return `np.packbits` of rows of cells: row after row, the last byte padded with zeros."""
    out = bytearray()
    for first in range(0, len(rows), 8):  # eight rows fill whole bytes
        group = rows[first : first + 8]
        value = 0
        for row in group:
            value = value << cols | row
        bits = len(group) * cols
        pad = -bits % 8
        out += (value << pad).to_bytes((bits + pad) // 8, "big")
    return bytes(out)


def rows_of_array(inked: npt.NDArray[np.bool_]) -> list[int]:
    """Return a NumPy array's rows of cells as integers."""
    import numpy as np

    packed = np.packbits(inked.astype(bool, copy=False), axis=1)
    width, pad = packed.shape[1], packed.shape[1] * 8 - inked.shape[1]
    data = packed.tobytes()
    return [int.from_bytes(data[r * width : (r + 1) * width], "big") >> pad for r in range(inked.shape[0])]


def array_of_rows(rows: list[int], cols: int) -> npt.NDArray[np.bool_]:
    """Return rows of cells (integers) as a NumPy array."""
    import numpy as np

    width = (cols + 7) // 8
    pad = width * 8 - cols
    data = b"".join((row << pad).to_bytes(width, "big") for row in rows)
    packed = np.frombuffer(data, dtype=np.uint8).reshape(len(rows), width)
    return np.unpackbits(packed, axis=1, count=cols).astype(bool)


def any_in_runs(rows: list[int], length: int) -> list[int]:
    """Return, for each row, it ORed with the `length` - 1 rows after it (`length` - 1 rows fewer).

    Runs of 2, 4, 8... rows are ORed from two runs of half the length, and the last step from
    two overlapping runs of the largest power of two: a few passes, however long the run.
    """
    out, span = rows, 1
    while span * 2 <= length:
        out = [a | b for a, b in zip(out, out[span:], strict=False)]
        span *= 2
    rest = length - span
    return [a | b for a, b in zip(out, out[rest:], strict=False)] if rest else out


def or_shifts(row: int, length: int) -> int:
    """Return a row with each cell ORed with the `length` - 1 cells right of it (lower bits), as runs are."""
    span = 1
    while span * 2 <= length:
        row |= row << span
        span *= 2
    rest = length - span
    return row | row << rest if rest else row
