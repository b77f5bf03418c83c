"""An invisible code of a delivery id, tiled over every page of a delivered PDF, read back from any piece.

The tile is `TILE_POINTS` a side, cut into `CELLS` x `CELLS` cells of `CELL_POINTS`; as in the
reader's code (`watermark.marks.tile_code`, whose layout, sync and folding this reuses) half the cells
are a fixed sync pattern and half carry the payload: the 12-character delivery id (60 bits) and
a 16-bit check of it, convolutionally coded (`watermark.marks.conv_code`: 164 coded bits, each in
three or four cells scattered over the tile). A dark cell is faint yellow laid with the Multiply
blend mode: it takes `DEPTH` of the blue off paper and keeps ink as it is (over black nothing
changes). The eye hardly sees yellow on white (the luminance moves by under 1 of 255); a
camera's or renderer's blue channel holds it plainly.

The tile is one tiling pattern per copy, which each page size's fingerprint form fills its page
with: the file grows by about 1.5 KB whatever its length.

Reading a picture (a crop, a print's photo): its yellowness ((red + green) / 2 - blue) less the
local paper's is folded onto one tile. The scale and slant of a photo are unknown, so the tile's
two sides are found first as the strongest repeats of the pattern (the peaks of its
autocorrelation near a tile's length, across and down); each pixel is then taken to its place
in the tile through them, and the sync says where the tile starts. The Viterbi decoder reads
the likeliest id; it is returned only if its 16-bit check and its check character both pass
(one chance in two million for a misread), and the ledger is asked about it only after that.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from watermark.marks import print_tile
from watermark.marks.conv_code import decode
from watermark.marks.mark import is_delivery_id
from watermark.marks.print_tile import CELLS, DEPTH, ID_BITS, SPEC, TILE_POINTS
from watermark.marks.tile_code import (
    extreme,
    spell,
    sync_likeness,
    votes_at,
)

if TYPE_CHECKING:
    from PIL import Image

READ_DPI = 150  # the tile's expected size in pixels is taken at this resolution...
SCALES = (0.7, 1.45)  # ...within these factors of it (then at half the resolution: every scale is looked at)
MAX_PIXELS = 4_000_000  # a larger picture is read at a lower resolution
_SLANT = 0.2  # the tile's side may turn this much (radians) from the picture's axes
_PER_CELL = 4  # samples a cell side when a picture is folded onto the tile
_AROUND = 31  # pixels a side of the square the local paper's yellowness is measured on
_REACH = 2 * _PER_CELL  # samples a block's fold may lie off the whole picture's: two cells
_INK = 0.8  # a pixel this much darker than its surroundings' mean, or near one, is print
_RIDGE = (4, 24)  # pixels either side of a repeat where a line of print's repeats are measured
_COLOURED = 24.0  # red and green further apart than this: coloured ink, not paper


def check_bits(delivery_id: str) -> npt.NDArray[np.bool_]:
    """Return the 16-bit check of a delivery id the code carries beside it."""
    return np.array(print_tile.check_bits(delivery_id), dtype=bool)


def code_cells(delivery_id: str) -> npt.NDArray[np.bool_]:
    """Return which cells of the tile are dark (rows from the top) for a delivery id."""
    return np.array(print_tile.dark_cells(delivery_id), dtype=bool)


def read_print_code(picture: Image.Image) -> list[str]:
    """Return the delivery id a picture's tiled code spells (none, or one)."""
    if picture.width * picture.height > MAX_PIXELS:  # a phone's full photo: read at a lower resolution
        picture = picture.reduce(math.ceil(math.sqrt(picture.width * picture.height / MAX_PIXELS)))
    values, weights = _signal(picture)
    side = TILE_POINTS * READ_DPI / 72
    while min(values.shape) >= SCALES[0] * side * 1.2:
        found = _read_at(values, weights, side)
        if found:
            return found
        if min(values.shape) < 2 * side * SCALES[1]:
            break
        # A large picture (a photo, a fine scan): the tile is looked for at half the size.
        values, weights = _halved(values, weights)
    return []


def _read_at(values: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], side: float) -> list[str]:
    """Return the id read where the tile is about `side` pixels a side, if it is found there.

    The whole picture is folded through the tile's sides found; if that does not read, each
    block of about a tile is folded on its own and moved the little its own sync says before
    they are added: a photo's perspective stretches the tile unevenly across the picture.
    """
    for sides in _tile_sides(values * weights, weights, side):
        fold = _Fold(values * weights, weights, sides)
        whole, seen = fold.whole()
        # Yellow is a dark cell of the reader's code: minus, so the shared decoder's signs hold.
        likeness = sync_likeness(-whole / np.maximum(seen, 1e-9), seen > 0, SPEC, _PER_CELL)
        dy, dx = divmod(int(np.argmax(likeness)), likeness.shape[1])
        for sums, counts in (
            (np.roll(whole, (-dy, -dx), (0, 1)), np.roll(seen, (-dy, -dx), (0, 1))),
            fold.aligned(side),
        ):
            votes = votes_at(-sums / np.maximum(counts, 1e-9), counts > 0, SPEC, _PER_CELL, unseen=True)
            read = _delivery_id(decode(votes)) if votes is not None else None
            if read is not None:
                return [read]
    return []


class _Fold:
    """A picture's signal taken onto the tile through the tile's two sides (in pixels)."""

    def __init__(
        self,
        signal: npt.NDArray[np.float64],
        weights: npt.NDArray[np.float64],
        sides: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    ) -> None:
        count = CELLS * _PER_CELL
        inverse = np.linalg.inv(np.array(sides).T)  # pixels (x, y) to tiles (u, v)
        rows, columns = np.indices(signal.shape, dtype=np.float64)
        u = inverse[0, 0] * columns + inverse[0, 1] * rows
        v = inverse[1, 0] * columns + inverse[1, 1] * rows
        self.index = (np.floor((v % 1.0) * count).astype(np.int64) % count) * count + (
            np.floor((u % 1.0) * count).astype(np.int64) % count
        )
        self.signal, self.weights, self.count = signal, weights, count

    def whole(self, rows: slice = slice(None), columns: slice = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """Return the folded sums of signal and of weights of a block of the picture (all by default)."""
        index, size = self.index[rows, columns].ravel(), self.count * self.count
        sums = np.bincount(index, self.signal[rows, columns].ravel(), size)
        counts = np.bincount(index, self.weights[rows, columns].ravel(), size)
        return sums.reshape(self.count, self.count), counts.reshape(self.count, self.count)

    def aligned(self, side: float) -> tuple[np.ndarray, np.ndarray]:
        """Return the folds of blocks of about a tile, each moved to where its own sync is best, added."""
        sums, counts = self.whole()
        likeness = sync_likeness(-sums / np.maximum(counts, 1e-9), counts > 0, SPEC, _PER_CELL)
        at = np.array(divmod(int(np.argmax(likeness)), self.count))
        height, width = self.index.shape
        down, across = max(1, round(height / side)), max(1, round(width / side))
        total_sums, total_counts = np.zeros_like(sums), np.zeros_like(counts)
        near = np.arange(-_REACH, _REACH + 1)
        for row in range(down):
            for column in range(across):
                block = (
                    slice(row * height // down, (row + 1) * height // down),
                    slice(column * width // across, (column + 1) * width // across),
                )
                part, weight = self.whole(*block)
                here = sync_likeness(-part / np.maximum(weight, 1e-9), weight > 0, SPEC, _PER_CELL)
                # Only near the whole picture's shift: perspective moves a block a little, never far.
                window = here[np.ix_((at[0] + near) % self.count, (at[1] + near) % self.count)]
                dy, dx = np.unravel_index(int(np.argmax(window)), window.shape)
                shift = (-(at[0] + near[dy]), -(at[1] + near[dx]))
                total_sums += np.roll(part, shift, axis=(0, 1))
                total_counts += np.roll(weight, shift, axis=(0, 1))
        return total_sums, total_counts


def _delivery_id(bits: npt.NDArray[np.bool_]) -> str | None:
    read = spell(bits[:ID_BITS])
    if not is_delivery_id(read) or not np.array_equal(bits[ID_BITS:], check_bits(read)):
        return None
    return read


def _signal(picture: Image.Image) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return each pixel's yellowness above its paper's (per unit of light), and how much it counts."""
    rgb = np.asarray(picture.convert("RGB"), dtype=np.float64)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    light = (red + green) / 2
    yellow = light - blue
    # Under Multiply the yellow is as strong as the light under it: read it per unit of light.
    level = np.maximum(light, 16.0)
    relative = yellow / level
    # Near print a JPEG's colour is smeared: its edges would repeat with the print, not the tile.
    near_ink = extreme(light, 5, np.min) < _INK * _box_mean(light, _AROUND)
    weights = (light / 255.0) ** 2 * (np.abs(red - green) <= _COLOURED) * ~near_ink
    paper = _box_mean(relative * weights, _AROUND) / np.maximum(_box_mean(weights, _AROUND), 1e-9)
    values = relative - paper
    weights = weights * (np.abs(values) < 3 * DEPTH)  # a yellow or blue print, not the code
    values -= float(np.sum(values * weights) / max(float(np.sum(weights)), 1e-9))
    return values, weights


def _box_mean(grid: npt.NDArray[np.float64], side: int) -> npt.NDArray[np.float64]:
    """Return the mean of each pixel's square of `side` pixels (edges repeated)."""
    half = side // 2
    padded = np.pad(grid, half, mode="edge")
    summed = np.zeros((padded.shape[0] + 1, padded.shape[1] + 1))
    summed[1:, 1:] = padded.cumsum(axis=0).cumsum(axis=1)
    height, width = grid.shape
    box = (
        summed[side : side + height, side : side + width]
        - summed[:height, side : side + width]
        - summed[side : side + height, :width]
        + summed[:height, :width]
    )
    return box / (side * side)


def _halved(
    values: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    height, width = (values.shape[0] // 2) * 2, (values.shape[1] // 2) * 2
    w = weights[:height, :width].reshape(height // 2, 2, width // 2, 2).sum(axis=(1, 3))
    vw = (values * weights)[:height, :width].reshape(height // 2, 2, width // 2, 2).sum(axis=(1, 3))
    return vw / np.maximum(w, 1e-9), w / 4


def _tile_sides(
    signal: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], side: float
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    """Return the tile's two sides in pixels (across, then down) the pattern's strongest repeats may be.

    The likeliest pair comes first; each pair is of two nearly square, nearly equal sides.
    """
    height, width = signal.shape
    reach = int(side * SCALES[1]) + 2  # padded as far as a repeat is looked for: no wrap-around
    shape = (_fast_length(height + reach), _fast_length(width + reach))
    power = np.fft.irfft2(np.abs(np.fft.rfft2(signal, shape)) ** 2, shape)
    overlap = np.fft.irfft2(np.abs(np.fft.rfft2(weights, shape)) ** 2, shape)
    likeness = power / np.maximum(overlap, 0.05 * float(overlap[0, 0]))
    pairs = []
    for across in _peaks(likeness, signal.shape, side, 0.0):
        for down in _peaks(likeness, signal.shape, side, np.pi / 2):
            lengths = np.hypot(*across), np.hypot(*down)
            square = abs(float(np.dot(across, down))) / (lengths[0] * lengths[1]) < 0.15
            if square and 0.85 < lengths[0] / lengths[1] < 1.18:
                pairs.append((across, down))
    return pairs


def _fast_length(length: int) -> int:
    """Return the least length at or above `length` with no prime factor above 5: a fast FFT's."""
    while True:
        rest = length
        for factor in (2, 3, 5):
            while rest % factor == 0:
                rest //= factor
        if rest == 1:
            return length
        length += 1


@lru_cache(maxsize=16)
def _window(shape: tuple[int, int], side: float, angle: float) -> tuple[npt.NDArray[np.intp], ...]:
    """Return the offsets (dx, dy) where one of the tile's sides may lie in a picture of `shape`."""
    height, width = shape
    reach = int(side * SCALES[1]) + 2
    dy, dx = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    length = np.hypot(dx, dy)
    turn = np.angle(np.exp(1j * (np.arctan2(dy, dx) - angle)))
    inside = (length >= side * SCALES[0]) & (length <= side * SCALES[1]) & (np.abs(turn) <= _SLANT)
    inside &= (np.abs(dx) < width) & (np.abs(dy) < height)
    return dx[inside], dy[inside]


def _peaks(
    likeness: npt.NDArray[np.float64], shape: tuple[int, ...], side: float, angle: float
) -> list[npt.NDArray[np.float64]]:
    """Return the offsets (dx, dy), to a fraction of a pixel, of the strongest repeats near `angle`.

    First the strongest; then, if elsewhere, the strongest above the mean likeness beside it
    across and down (the larger): a ruled line repeats along itself at every offset, a ridge
    that may pass over the tile's peak.
    """
    dx, dy = _window((shape[0], shape[1]), side, angle)
    if dx.size == 0:
        return []
    height, width = likeness.shape
    beside = np.concatenate([np.arange(-_RIDGE[1], -_RIDGE[0] + 1), np.arange(_RIDGE[0], _RIDGE[1] + 1)])
    across = likeness[dy[:, None] % height, (dx[:, None] + beside) % width].mean(axis=1)
    down = likeness[(dy[:, None] + beside) % height, dx[:, None] % width].mean(axis=1)
    raw = likeness[dy % height, dx % width]
    found: list[npt.NDArray[np.float64]] = []
    for at in (int(np.argmax(raw)), int(np.argmax(raw - np.maximum(across, down)))):
        x, y = int(dx[at]), int(dy[at])
        if any(np.hypot(x - p[0], y - p[1]) < 4 for p in found):
            continue
        row = tuple(float(likeness[y % height, (x + k) % width]) for k in (-1, 0, 1))
        column = tuple(float(likeness[(y + k) % height, x % width]) for k in (-1, 0, 1))
        found.append(np.array([x + _vertex(*row), y + _vertex(*column)]))
    return found


def _vertex(low: float, middle: float, high: float) -> float:
    """Return where the parabola through three samples (at -1, 0, 1) peaks, 0 if it does not."""
    bend = low - 2 * middle + high
    return 0.0 if bend >= 0 else 0.5 * (low - high) / bend
