"""The reader benchmark's baseline for laying a mark: the way it was before whole-array steps.

A copy of `ReaderMark.apply` as it stood (numpy's min over the channel axis, a grey plane
broadcast over the channels, the ink of the whole page judged every time, a picture object
made for Pillow's encoder), laid from a mark drawn now: the same pixels come out, within the
code's 3 grey levels where the diagonal copies cross it (the order of the two changed).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import Image

from watermark.ink.room import PAPER_FLOOR, PAPER_MARGIN, bright_tenth
from watermark.marks.tile_code import TILE
from watermark.pictures.image import PlainPage
from watermark.pictures.mark_overlay import BAND_CLEARANCE, BLOCK, SHADE, ReaderMark


def old_lay_mark(mark: ReaderMark, page: PlainPage) -> Image.Image:
    """Return the page with the mark laid over it, the old way."""
    pixels = np.frombuffer(bytearray(page.pixels), dtype=np.uint8)
    at = (mark.shade_at[:, None] * 3 + np.arange(3)).reshape(-1).astype(np.int32)
    if page.mode == "RGB":
        shade, band, opacity = mark.shade, mark.band, mark.band_opacity[..., :1]
    else:
        at, shade, band, opacity = (
            at[::3] // 3,
            mark.shade[::3],
            mark.band[..., :1],
            mark.band_opacity[..., :1],
        )
    grid = pixels.reshape(page.height, page.width, -1)
    top = _old_band_place(grid, mark.band.shape[:2])
    pixels[at] = _old_blend(pixels[at], SHADE, shade)
    if mark.code is not None:
        reps = (-(-page.height // TILE), -(-page.width // TILE))
        darker = np.tile(mark.code, reps)[: page.height, : page.width, None]
        np.subtract(grid, np.minimum(grid, darker), out=grid)
    rows, columns = mark.band.shape[:2]
    if top is None:
        grown = np.full((page.height + rows, page.width, grid.shape[2]), 255, dtype=np.uint8)
        grown[: page.height] = grid
        grid, top = grown, page.height
    strip = grid[top : top + rows, :columns]
    strip[...] = _old_blend(strip, band, opacity)
    size = (page.width, grid.shape[0])
    return Image.frombuffer(page.mode, size, grid.reshape(-1), "raw", page.mode, 0, 1)


def _old_band_place(grid: npt.NDArray[np.uint8], band: tuple[int, int]) -> int | None:
    height = grid.shape[0]
    rows, columns = band
    area = grid[:, :columns]
    darkest = area.min(axis=2) if area.shape[2] > 1 else area[..., 0]
    tall, wide = -(-height // BLOCK) * BLOCK, -(-columns // BLOCK) * BLOCK
    padded = np.full((tall, wide), 255, dtype=np.uint8)
    padded[:height, : darkest.shape[1]] = darkest
    blocks = padded.reshape(tall // BLOCK, BLOCK, wide // BLOCK, BLOCK).sum(axis=(1, 3), dtype=np.uint16)
    paper = max(PAPER_FLOOR, bright_tenth(darkest[::16, ::16]))
    inked = np.repeat((blocks < (paper - PAPER_MARGIN) * BLOCK * BLOCK).any(axis=1), BLOCK)[:height]
    clear = BAND_CLEARANCE
    inked = np.concatenate((inked, np.zeros(clear, dtype=bool)))
    need = rows + 2 * clear
    if len(inked) < need:
        return None
    counts = np.concatenate(([0], np.cumsum(inked, dtype=np.int32)))
    starts = np.flatnonzero(counts[need:] == counts[:-need])
    return min(height - rows, int(starts[-1]) + clear) if starts.size else None


def _old_blend(
    under: npt.NDArray[np.uint8], over: int | npt.NDArray[np.uint8], opacity: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    weight = opacity.astype(np.uint16)
    mixed = (under * (255 - weight) + np.asarray(over, dtype=np.uint16) * weight + 127) // 255
    return mixed.astype(np.uint8)
