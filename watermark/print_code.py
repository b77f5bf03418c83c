"""An invisible code of a delivery id, tiled over every page of a delivered PDF, read back from any piece.

The tile is `TILE_POINTS` a side, cut into `CELLS` x `CELLS` cells of `CELL_POINTS`; as in the
reader's code (`watermark.tile_code`, whose layout and decoder this reuses) half the cells are a
fixed sync pattern and half spell the payload: the 12-character delivery id (60 bits) and a
16-bit check of it, each bit in several cells scattered over the tile. A dark cell is faint
yellow laid with the Multiply blend mode: it takes `DEPTH` of the blue off paper and keeps ink
as it is (over black nothing changes). The eye hardly sees yellow on white (the luminance
changes by about 3 of 255); a camera's or renderer's blue channel holds it plainly.

One form draws the tile, made once per copy; each page size's fingerprint form shows it at
every tile position, so the file grows by a few kilobytes whatever its length.

Reading a picture (a crop, a print's photo): its yellowness ((red + green) / 2 - blue) less the
local paper's is folded onto one tile. The scale and slant of a photo are unknown, so the tile's
two sides are found first as the strongest repeats of the pattern (the peaks of its
autocorrelation near a tile's length, across and down); each pixel is then taken to its place
in the tile through them. A read whose 16-bit check and check character both pass is the only
one returned: a misread names nobody, and the ledger is asked about it only after that.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from PIL import Image

from watermark.mark import DELIVERY_ID_LENGTH, is_delivery_id
from watermark.tile_code import TileSpec, first_valid, layout, spell, votes_of

if TYPE_CHECKING:
    import pikepdf

CELLS = 32  # cells a side of the tile
CELL_POINTS = 4.0  # a cell's side: about 8 pixels at 150 dpi, 1.4 mm on paper
TILE_POINTS = CELLS * CELL_POINTS
DEPTH = 0.04  # share of the blue a dark cell takes off paper
ID_BITS = 5 * DELIVERY_ID_LENGTH
CHECK_BITS = 16
SPEC = TileSpec(CELLS, ID_BITS + CHECK_BITS, 20261125)
READ_DPI = 150  # the tile's expected size in pixels is taken at this resolution...
SCALES = (0.75, 1.35)  # ...within these factors of it
_SLANT = 0.2  # the tile's side may turn this much (radians) from the picture's axes
_PER_CELL = 4  # samples a cell side when a picture is folded onto the tile
_AROUND = 31  # pixels a side of the square the local paper's yellowness is measured on
_COLOURED = 24.0  # red and green further apart than this: coloured ink, not paper


def check_bits(delivery_id: str) -> npt.NDArray[np.bool_]:
    """Return the 16-bit check of a delivery id the code carries beside it."""
    digest = hashlib.sha256(b"pustaka-print-code:" + delivery_id.encode()).digest()
    value = int.from_bytes(digest[:2], "big")
    return np.array([value >> (CHECK_BITS - 1 - k) & 1 for k in range(CHECK_BITS)], dtype=bool)


def code_cells(delivery_id: str) -> npt.NDArray[np.bool_]:
    """Return which cells of the tile are dark (rows from the top) for a delivery id."""
    if len(delivery_id) != DELIVERY_ID_LENGTH or not is_delivery_id(delivery_id):
        raise ValueError(f"not a delivery id: {delivery_id!r}")
    from watermark.mark import ALPHABET

    values = [ALPHABET.index(ch) for ch in delivery_id]
    id_bits = [value >> (4 - k) & 1 for value in values for k in range(5)]
    bits = np.array(id_bits + [int(b) for b in check_bits(delivery_id)], dtype=np.int8) * 2 - 1
    is_sync, sync, bit_of, whitening = layout(SPEC)
    signs = np.where(is_sync, sync, bits[np.maximum(bit_of, 0)] * whitening)
    return (signs > 0).reshape(CELLS, CELLS)


def tile_content(delivery_id: str, state: str) -> bytes:
    """Return the content of the tile's form: its dark cells as yellow runs, laid with `state`.

    `state` names an ExtGState with the Multiply blend mode in the form's resources.
    """
    cells = code_cells(delivery_id)
    runs = []
    for row in range(CELLS):
        y = TILE_POINTS - (row + 1) * CELL_POINTS  # the tile's first row is its top
        column = 0
        while column < CELLS:
            if not cells[row, column]:
                column += 1
                continue
            end = column
            while end < CELLS and cells[row, end]:
                end += 1
            runs.append(f"{column * CELL_POINTS:g} {y:g} {(end - column) * CELL_POINTS:g} {CELL_POINTS:g} re")
            column = end
    return f"q /{state} gs 1 1 {1 - DEPTH:g} rg {' '.join(runs)} f Q\n".encode()


def tiles_content(form: str, width: float, height: float) -> bytes:
    """Return content showing the tile's form `form` over a page of `width` x `height` points."""
    across, down = int(-(-width // TILE_POINTS)), int(-(-height // TILE_POINTS))
    shown = [
        f"q 1 0 0 1 {i * TILE_POINTS:g} {j * TILE_POINTS:g} cm /{form} Do Q"
        for j in range(down)
        for i in range(across)
    ]
    return ("\n".join(shown) + "\n").encode()


def tile_form(pdf: pikepdf.Pdf, delivery_id: str, multiply: pikepdf.Object, state: str) -> pikepdf.Object:
    """Return a new form drawing the copy's tile; `multiply` is the Multiply ExtGState, named `state`."""
    from pikepdf import Array, Dictionary, Name

    from watermark.streams import flate_stream

    return pdf.make_indirect(
        flate_stream(
            pdf,
            tile_content(delivery_id, state),
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=Array([0, 0, TILE_POINTS, TILE_POINTS]),
            Resources=Dictionary(ExtGState=Dictionary({"/" + state: multiply})),
        )
    )


def read_print_code(picture: Image.Image) -> list[str]:
    """Return the delivery id a picture's tiled code spells (none, or one)."""
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
    """Return the id read where the tile is about `side` pixels a side, if it is found there."""
    sides = _tile_sides(values * weights, weights, side)
    if sides is None:
        return []
    across, down = sides
    count = CELLS * _PER_CELL
    inverse = np.linalg.inv(np.array([across, down]).T)  # pixels (x, y) to tiles (u, v)
    rows, columns = np.indices(values.shape, dtype=np.float64)
    u = inverse[0, 0] * columns + inverse[0, 1] * rows
    v = inverse[1, 0] * columns + inverse[1, 1] * rows
    index = (np.floor((v % 1.0) * count).astype(np.int64) % count) * count + (
        np.floor((u % 1.0) * count).astype(np.int64) % count
    )
    sums = np.bincount(index.ravel(), (values * weights).ravel(), count * count).reshape(count, count)
    counts = np.bincount(index.ravel(), weights.ravel(), count * count).reshape(count, count)
    mean = sums / np.maximum(counts, 1e-9)
    # Yellow is a dark cell of the reader's code: minus, so the shared decoder's signs hold.
    votes = votes_of(-mean, counts > 0, SPEC, _PER_CELL)
    return [] if votes is None else first_valid(votes, _delivery_id)


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
    weights = (light / 255.0) ** 2 * (np.abs(red - green) <= _COLOURED)
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
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """Return the tile's two sides in pixels (across, then down), the pattern's strongest repeats."""
    height, width = signal.shape
    shape = (2 * height, 2 * width)  # padded: no wrap-around
    power = np.fft.irfft2(np.abs(np.fft.rfft2(signal, shape)) ** 2, shape)
    overlap = np.fft.irfft2(np.abs(np.fft.rfft2(weights, shape)) ** 2, shape)
    likeness = power / np.maximum(overlap, 0.05 * float(overlap[0, 0]))
    found = []
    for angle in (0.0, np.pi / 2):
        peak = _peak(likeness, side, angle)
        if peak is None:
            return None
        found.append(peak)
    across, down = found
    lengths = np.hypot(*across), np.hypot(*down)
    square = abs(float(np.dot(across, down))) / (lengths[0] * lengths[1]) < 0.15
    if not square or not 0.85 < lengths[0] / lengths[1] < 1.18:
        return None
    return across, down


@lru_cache(maxsize=16)
def _window(shape: tuple[int, int], side: float, angle: float) -> tuple[npt.NDArray[np.intp], ...]:
    """Return the offsets (dx, dy) where one of the tile's sides may lie, as indexes and values."""
    height, width = shape
    reach = int(side * SCALES[1]) + 2
    dy, dx = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    length = np.hypot(dx, dy)
    turn = np.angle(np.exp(1j * (np.arctan2(dy, dx) - angle)))
    inside = (length >= side * SCALES[0]) & (length <= side * SCALES[1]) & (np.abs(turn) <= _SLANT)
    inside &= (np.abs(dx) < width // 2) & (np.abs(dy) < height // 2)
    return dx[inside], dy[inside]


def _peak(likeness: npt.NDArray[np.float64], side: float, angle: float) -> npt.NDArray[np.float64] | None:
    """Return the offset (dx, dy), to a fraction of a pixel, of the strongest repeat near `angle`."""
    dx, dy = _window(likeness.shape, side, angle)
    if dx.size == 0:
        return None
    height, width = likeness.shape
    at = int(np.argmax(likeness[dy % height, dx % width]))
    x, y = int(dx[at]), int(dy[at])

    def refined(offsets: tuple[int, int, int]) -> float:
        low, mid, high = offsets
        bend = low - 2 * mid + high
        return 0.0 if bend >= 0 else 0.5 * (low - high) / bend

    row = tuple(float(likeness[y % height, (x + k) % width]) for k in (-1, 0, 1))
    column = tuple(float(likeness[(y + k) % height, x % width]) for k in (-1, 0, 1))
    return np.array([x + refined(row), y + refined(column)])  # type: ignore[arg-type]
