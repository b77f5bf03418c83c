"""Read the id of a reader's faint diagonal copies by matching the letters' own shapes, not by OCR.

The copies are drawn by this package: their face, size, angle, grey and opacity are known. So
the id is read the way it was drawn: the faint grey is measured as the share of a copy's
grey at each pixel (0 paper, 1 a solid stroke), the picture is turned back by the diagonal's
angle, " · ID " is found by its shape, and the characters after it are chosen one by one
among the id's 32 letters as the line that, drawn there, explains the grey best (a beam of
the best few prefixes). Pixels on or beside the page's own ink are left out of every sum:
a table rule or a figure crossing a copy hides those pixels, but not the rest of the letter.
Every "ID" a crop holds votes on each character, so two copies cut short or crossed by a
table in different places still spell one whole id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter

from watermark.marks.diagonal_layout import SHADE_OPACITY, copy_size_pt
from watermark.marks.fonts import Face, choose_faces
from watermark.marks.lettering import draw_runs, length
from watermark.marks.mark import ALPHABET, READING_ID_LENGTH, is_delivery_id

SHADE = 90  # the grey the copies are drawn in (watermark.pictures.mark_overlay.SHADE)
PAGE_SIZES = ((910, 1287),)  # reader pictures (110 dpi) whose letter size and angle are tried: A4
_INK = 170  # darker than this is the page's own ink
_PAPER = 11  # pixels a side of the square the paper's grey is taken from
_LEAD = " · ID "
_FOUND = 0.55  # the least likeness of a " · ID " to be read on
_PEAKS = 6  # the most places of " · ID " read in one picture
_BEAM = 4

Grid = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Shape:
    """The letters' size in pixels and the angle (degrees, counter-clockwise) of the copies looked for."""

    size: int
    angle: float


def shapes(page_sizes: tuple[tuple[int, int], ...] = PAGE_SIZES) -> tuple[Shape, ...]:
    """Return the shapes of the copies drawn on pictures of these sizes, upright and on their side."""
    found: dict[Shape, None] = {}
    for width, height in page_sizes:
        for w, h in ((width, height), (height, width)):
            found[Shape(copy_size_pt((w, h)), math.degrees(math.atan2(h, w)))] = None
    return tuple(found)


def match_ids(picture: Image.Image, looked_for: tuple[Shape, ...] | None = None) -> list[str]:
    """Return the well-formed ids the faint copies of a picture spell, the best read first.

    Of each shape's reads only the one that explains the grey best among those whose check
    character holds is kept: every other well-formed read is one more chance of a misread.
    """
    share, seen = faint_share(picture.convert("L"))
    found: dict[str, float] = {}
    for shape in looked_for or shapes():
        turned_share = _turn(share, -shape.angle)
        turned_seen = _turn(seen, -shape.angle)
        reads = [
            (gain, read)
            for read, gain in _read(turned_share, turned_seen, shape.size)
            if is_delivery_id(read)
        ]
        if reads:
            gain, read = max(reads)
            found[read] = max(gain, found.get(read, gain))
    return sorted(found, key=lambda read: -found[read])


def faint_share(gray: Image.Image) -> tuple[Grid, Grid]:
    """Return, per pixel, the share of a copy's grey (0-1) and whether it can be seen (1) or is by ink (0)."""
    pixels = np.asarray(gray, dtype=np.float32)
    # The paper under a pixel: the lightest around it (the copies' strokes are thinner than _PAPER).
    paper = np.asarray(gray.filter(ImageFilter.MaxFilter(_PAPER)), dtype=np.float32)
    # A copy at full strength is the paper moved this far towards its grey.
    full = (paper - SHADE) * (SHADE_OPACITY / 255)
    share = np.clip((paper - pixels) / np.maximum(full, 1.0), 0.0, 1.5)
    ink = Image.fromarray(((pixels < _INK) * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(7))
    seen = (np.asarray(ink) == 0) & (paper > 2 * SHADE)
    return share.astype(np.float32), seen.astype(np.float32)


def _turn(grid: Grid, angle: float) -> Grid:
    picture = Image.fromarray(grid, mode="F")
    return np.asarray(
        picture.rotate(angle, expand=True, resample=Image.Resampling.BILINEAR), dtype=np.float32
    )


@lru_cache(maxsize=8)
def _faces() -> list[Face]:
    return choose_faces(_LEAD + ALPHABET)


@lru_cache(maxsize=64)
def _drawn(text: str, size: int) -> Grid:
    """Return a line as the copies draw it (0-1 of their grey), softened as turning twice softens it."""
    faces = _faces()
    picture = Image.new("L", (round(length(text, faces, size)) + size, round(size * 1.6)), 0)
    draw_runs(ImageDraw.Draw(picture), (size // 2, size // 4), text, faces, size, 255)
    soft = picture.filter(ImageFilter.GaussianBlur(0.7))
    return (np.asarray(soft, dtype=np.float32) / 255).astype(np.float32)


def _read(share: Grid, seen: Grid, size: int) -> list[tuple[str, float]]:
    """Return the ids read after the " · ID "s found (all voting), with how much of the grey each explains."""
    places = _find_leads(share, seen, size)
    if not places:
        return []
    lead = _drawn(_LEAD, size)
    start = size // 2 + length(_LEAD, _faces(), size)
    width = round(start + READING_ID_LENGTH * size * 0.75) + size
    windows = []
    for y, x in places:
        d = _window(share, y, x, lead.shape[0], width)
        v = _window(seen, y, x, lead.shape[0], width)
        windows.append((d, v))
    beam: list[tuple[float, str]] = [(0.0, "")]
    for _ in range(READING_ID_LENGTH):
        grown = []
        for _, prefix in beam:
            for letter in ALPHABET:
                text = prefix + letter
                grown.append((_gain(_LEAD + text, size, windows, int(start)), text))
        grown.sort(reverse=True)
        beam = grown[:_BEAM]
    return [(text, gain) for gain, text in beam]


def _gain(text: str, size: int, windows: list[tuple[Grid, Grid]], start: int) -> float:
    """Return how much of the grey after " · ID " the line explains: the squared error it removes."""
    drawn = _drawn(text, size)[:, start:]
    total = 0.0
    for d, v in windows:
        width = min(drawn.shape[1], d.shape[1] - start)
        if width <= 0:
            continue
        r = drawn[:, :width]
        part = d[:, start : start + width]
        total += float(np.sum(v[:, start : start + width] * r * (2 * part - r)))
    return total


def _window(grid: Grid, y: int, x: int, height: int, width: int) -> Grid:
    """Return grid[y:y+height, x:x+width], zero outside the grid."""
    out = np.zeros((height, width), dtype=np.float32)
    top, left = max(y, 0), max(x, 0)
    bottom, right = min(y + height, grid.shape[0]), min(x + width, grid.shape[1])
    if bottom > top and right > left:
        out[top - y : bottom - y, left - x : right - x] = grid[top:bottom, left:right]
    return out


def _find_leads(share: Grid, seen: Grid, size: int) -> list[tuple[int, int]]:
    """Return the top left corners where " · ID " is drawn, the likest first."""
    lead = _drawn(_LEAD, size)
    height, width = lead.shape
    if share.shape[0] < height or share.shape[1] < width:
        return []
    visible = share * seen
    numerator = _correlate(visible, lead)
    template_energy = _correlate(seen, lead * lead)
    window_energy = _correlate(visible * share, np.ones_like(lead))
    # At least half the letters must be visible for a place to count.
    enough = template_energy > 0.5 * float(np.sum(lead * lead))
    likeness = np.where(enough, numerator / np.sqrt(np.maximum(template_energy * window_energy, 1e-6)), 0.0)
    places: list[tuple[int, int]] = []
    flat = np.argsort(likeness, axis=None)[::-1]
    for index in flat[:20000]:
        y, x = divmod(int(index), likeness.shape[1])
        if likeness[y, x] < _FOUND or len(places) >= _PEAKS:
            break
        if all(abs(y - py) > height // 2 or abs(x - px) > width // 2 for py, px in places):
            places.append((y, x))
    return places


def _correlate(grid: Grid, template: Grid) -> Grid:
    """Return sum(grid[y + i, x + j] * template[i, j]) for every place the template fits whole."""
    rows, columns = grid.shape[0] + template.shape[0], grid.shape[1] + template.shape[1]
    product = np.fft.irfft2(
        np.fft.rfft2(grid, (rows, columns)) * np.conj(np.fft.rfft2(template, (rows, columns))),
        (rows, columns),
    )
    return product[: grid.shape[0] - template.shape[0] + 1, : grid.shape[1] - template.shape[1] + 1].astype(
        np.float32
    )
