"""An invisible code of a reading id, tiled over a reader's page picture so any crop carries it whole.

A tile of TILE x TILE pixels is cut into cells of CELL x CELL (the blocks JPEG encodes, so the
code survives its compression: a cell only moves the block's mean, which JPEG keeps). Half
the cells are a fixed pattern (the sync), the other half spell the id's 40 bits, each bit in
several cells scattered over the tile. A dark cell is DEPTH grey levels darker than the page
(3 of 255: nobody sees it; over ink it changes nothing visible either).

Reading a picture or a crop: its light paper pixels (not the page's ink, not the faint diagonal
copies) are folded onto one tile (pixel (x, y) on (x mod TILE, y mod TILE)) and averaged, so
every whole or partial tile in the crop adds to one; the sync says where the tile starts (a
cyclic correlation), and each bit is the sign of its cells. A read whose check character fails
is dropped: the code never names anyone by a misread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from watermark.marks.mark import ALPHABET, READING_ID_LENGTH, is_delivery_id
from watermark.marks.tile_layout import TileSpec, cell_layout

if TYPE_CHECKING:  # the pictures read: what stamps never loads Pillow
    from PIL import Image

_Float = TypeVar("_Float", np.float32, np.float64)
CELL = 8  # pixels a side of a cell: one JPEG block
CELLS = 24  # cells a side of the tile
TILE = CELL * CELLS  # 192 pixels: a table-sized crop holds several tiles
DEPTH = 3  # grey levels a dark cell takes off the page
BITS = 5 * READING_ID_LENGTH
_SEED = 20250305
_PAPER = 200  # lighter than this is paper the code can be read on
_AROUND = 17  # pixels a side of the square a pixel's paper is measured on
_DOUBTS = 2  # the bits least sure, tried both ways
_FLIPS = ((), (0,), (1,))  # which of them are turned, in the order tried


READER = TileSpec(CELLS, BITS, _SEED)  # the reader's page pictures' code


@lru_cache(maxsize=4)
def layout(
    spec: TileSpec = READER,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int8], npt.NDArray[np.int16], npt.NDArray[np.int8]]:
    """Return (is sync, sync value ±1, bit of each payload cell, its whitening ±1), fixed for all tiles."""
    cells = cell_layout(spec)
    is_sync = np.array(cells.is_sync, dtype=bool)
    sync = np.array(cells.sync, dtype=np.int8)
    bit_of = np.array(cells.bit_of, dtype=np.int16)
    whitening = np.array(cells.whitening, dtype=np.int8)
    return is_sync, sync, bit_of, whitening


def _bits(reading_id: str) -> npt.NDArray[np.int8]:
    """Return the id's bits as ±1, five a character."""
    values = [ALPHABET.index(ch) for ch in reading_id]
    return np.array([1 if value >> (4 - k) & 1 else -1 for value in values for k in range(5)], dtype=np.int8)


def code_tile(reading_id: str) -> npt.NDArray[np.uint8]:
    """Return the tile (TILE x TILE) of grey levels taken off the page to carry a reading id."""
    if len(reading_id) != READING_ID_LENGTH or not is_delivery_id(reading_id):
        raise ValueError(f"not a reading id: {reading_id!r}")
    is_sync, sync, bit_of, whitening = layout()
    signs = np.where(is_sync, sync, _bits(reading_id)[np.maximum(bit_of, 0)] * whitening)
    cells = ((signs > 0) * DEPTH).astype(np.uint8).reshape(CELLS, CELLS)
    return np.kron(cells, np.ones((CELL, CELL), dtype=np.uint8))


def lay_code(
    grid: npt.NDArray[np.uint8], tile: npt.NDArray[np.uint8], out: npt.NDArray[np.uint8] | None = None
) -> npt.NDArray[np.uint8]:
    """Darken a picture (rows, columns, channels) by the tile repeated from its top left.

    The result goes to `out` (the same shape; `grid` itself by default) and is returned: with a
    new array, the copy a caller needs to draw on is made in the same pass. One band of TILE
    rows is built as wide as the picture with its channels (contiguous: numpy broadcasting a
    grey plane over the channels was 30x slower) and laid over each band of rows as
    max(pixel, darker) - darker, a subtraction that stops at black.
    """
    target = grid if out is None else out
    height, width, channels = grid.shape
    row = np.ascontiguousarray(np.tile(tile[:, :, None], (1, -(-width // TILE), channels))[:, :width])
    for top in range(0, height, TILE):
        rows = target[top : top + TILE]
        darker = row[: rows.shape[0]]
        np.maximum(grid[top : top + TILE], darker, out=rows)
        np.subtract(rows, darker, out=rows)
    return target


def read_code(picture: Image.Image) -> list[str]:
    """Return the reading id the tiled code of a picture spells (none, or one)."""
    gray = picture.convert("L")
    if gray.width < TILE or gray.height < TILE:
        return []
    pixels = np.asarray(gray, dtype=np.float32)
    # A scan's grain averaged away a little (the cells are larger than this).
    smooth = extreme(pixels, 3, np.mean)
    # The paper under each pixel: a closing (the lightest around, then the darkest of those)
    # takes away the dark cells, the faint copies and thin print, and keeps the edges of shaded
    # table rows where they are. Only light paper away from the page's print is read.
    paper = extreme(extreme(smooth, _AROUND, np.max), _AROUND, np.min)
    ink = extreme(pixels, 5, np.min)
    values = smooth - paper
    weights = ((ink >= _PAPER) & (values >= -3 * DEPTH)).astype(np.float32)
    values -= float(np.sum(values * weights) / max(float(np.sum(weights)), 1.0))  # light +, dark -
    folded, counts = _fold(values, weights)
    mean = folded / np.maximum(counts, 1.0)
    return _decode(mean, counts > 0)


def extreme(grid: npt.NDArray[_Float], side: int, pick: Callable[..., Any]) -> npt.NDArray[_Float]:
    """Return the largest (np.max), smallest (np.min) or mean pixel of each square of `side` pixels."""
    half = side // 2
    padded = np.pad(grid, half, mode="edge")
    rows = pick(sliding_window_view(padded, side, axis=0), axis=-1)
    return pick(sliding_window_view(rows, side, axis=1), axis=-1)


def _fold(
    values: npt.NDArray[np.float32], weights: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the sums of values and of weights folded onto one tile."""
    height, width = values.shape
    tall, wide = -(-height // TILE) * TILE, -(-width // TILE) * TILE
    padded_v = np.zeros((tall, wide), dtype=np.float64)
    padded_w = np.zeros((tall, wide), dtype=np.float64)
    padded_v[:height, :width] = values * weights
    padded_w[:height, :width] = weights
    shape = (tall // TILE, TILE, wide // TILE, TILE)
    return padded_v.reshape(shape).sum(axis=(0, 2)), padded_w.reshape(shape).sum(axis=(0, 2))


def _decode(mean: npt.NDArray[np.float64], known: npt.NDArray[np.bool_]) -> list[str]:
    """Return the id in a folded tile, found at the shift where the sync agrees best."""
    read = votes_of(mean, known, READER, CELL)
    return [] if read is None else first_valid(read, _reading_id)


def votes_of(
    mean: npt.NDArray[np.float64], known: npt.NDArray[np.bool_], spec: TileSpec, per_cell: int
) -> npt.NDArray[np.float64] | None:
    """Return each bit's vote (+: a 1) in a folded tile of `per_cell` samples a cell side, or None.

    The tile is found at the shift where the sync agrees best; None when some bit has no cell seen.
    """
    side = spec.cells * per_cell
    dy, dx = divmod(int(np.argmax(sync_likeness(mean, known, spec, per_cell))), side)
    # mean[(v + dy) % side, (u + dx) % side] is the tile's sample (v, u): turn it back.
    return votes_at(
        np.roll(mean, (-dy, -dx), axis=(0, 1)), np.roll(known, (-dy, -dx), axis=(0, 1)), spec, per_cell
    )


def sync_likeness(
    mean: npt.NDArray[np.float64], known: npt.NDArray[np.bool_], spec: TileSpec, per_cell: int
) -> npt.NDArray[np.float64]:
    """Return how well the sync agrees with a folded tile at each cyclic shift (rows, columns)."""
    cells = spec.cells
    is_sync, sync, _, _ = layout(spec)
    # Dark is 1: a cell's value is negative where dark, so the template is minus the sign.
    template = np.kron(np.where(is_sync, -sync, 0).reshape(cells, cells), np.ones((per_cell, per_cell)))
    spectrum = np.fft.rfft2(np.where(known, mean, 0.0)) * np.conj(np.fft.rfft2(template))
    return np.fft.irfft2(spectrum, mean.shape)


def votes_at(
    tile: npt.NDArray[np.float64],
    seen: npt.NDArray[np.bool_],
    spec: TileSpec,
    per_cell: int,
    *,
    unseen: bool = False,
) -> npt.NDArray[np.float64] | None:
    """Return each bit's vote in a folded tile that starts at its first sample.

    None if a bit is unseen, unless `unseen` (its vote is then 0: a decoder that weighs votes
    takes it as erased).
    """
    cells = spec.cells
    _, _, bit_of, whitening = layout(spec)
    cell_sum = tile.reshape(cells, per_cell, cells, per_cell).sum(axis=(1, 3)).reshape(-1)
    cell_count = seen.reshape(cells, per_cell, cells, per_cell).sum(axis=(1, 3)).reshape(-1)
    cell_mean = np.where(cell_count > 0, cell_sum / np.maximum(cell_count, 1), 0.0)
    votes = np.zeros(spec.bits)
    counts = np.zeros(spec.bits)
    payload = bit_of >= 0
    np.add.at(votes, bit_of[payload], -cell_mean[payload] * whitening[payload])
    np.add.at(counts, bit_of[payload], cell_count[payload] > 0)
    return None if np.any(counts == 0) and not unseen else votes


def first_valid(
    votes: npt.NDArray[np.float64], accept: Callable[[npt.NDArray[np.bool_]], str | None]
) -> list[str]:
    """Return the id `accept` makes of the bits the votes spell (none, or one).

    The bits least sure are tried the other way too: the check tells the right one.
    """
    weakest = np.argsort(np.abs(votes))[:_DOUBTS]
    for flips in _FLIPS:
        chosen = votes > 0
        chosen[weakest[list(flips)]] ^= True
        read = accept(chosen)
        if read is not None:
            return [read]
    return []


def spell(bits: npt.NDArray[np.bool_]) -> str:
    """Return the characters five bits each spell, the first bit the highest."""
    return "".join(
        ALPHABET[int("".join("1" if b else "0" for b in bits[k : k + 5]), 2)] for k in range(0, bits.size, 5)
    )


def _reading_id(bits: npt.NDArray[np.bool_]) -> str | None:
    read = spell(bits)
    return read if is_delivery_id(read) else None
