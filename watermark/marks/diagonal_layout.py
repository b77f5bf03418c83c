"""The faint diagonal copies of a reader's mark: drawn as an opacity tiled across a page picture.

The copies repeat one short line ("Name · ID XXXXXXXX") at the page's diagonal, so a crop
of a page keeps a copy; `id_runs` says where each copy's "ID …" lies, for measuring how
often a crop holds one whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageDraw

from watermark.marks.fonts import Face, choose_faces
from watermark.marks.lettering import draw_runs, length

SHADE_OPACITY = 40  # the opacity of the copies' grey where a glyph is solid

Point = tuple[float, float]


@dataclass(frozen=True)
class _Copy:
    """One copy's line of text before it is turned: its size, where the text starts, its angle."""

    size_pt: int
    tile: tuple[int, int]  # (width, height) of the line's own picture
    origin: tuple[int, int]  # where its text starts in that picture
    angle: float  # degrees, counter-clockwise: the page's diagonal


def copy_size_pt(size: tuple[int, int]) -> int:
    """Return the size in pixels of the copies' letters on a picture of this size."""
    return max(14, round(math.hypot(*size) / 32))


def _copy(size: tuple[int, int], text: str, faces: list[Face]) -> _Copy:
    width, height = size
    size_pt = copy_size_pt(size)
    text_width = length(text, faces, size_pt) or 1
    tile = (round(text_width) + size_pt, round(size_pt * 1.6))
    return _Copy(size_pt, tile, (size_pt // 2, size_pt // 4), math.degrees(math.atan2(height, width)))


def diagonal_opacity(size: tuple[int, int], text: str, faces: list[Face]) -> npt.NDArray[np.uint8]:
    """Return the opacity of the mark tiled across a picture at the page's diagonal (a crop keeps a copy).

    Only the opacity is drawn (one byte a pixel): the copies are all one grey. Where two copies
    overlap the darker one shows; laying each copy in place (a maximum over its rectangle) costs
    a third of cropping, combining and pasting it back.
    """
    width, height = size
    copy = _copy(size, text, faces)
    tile = Image.new("L", copy.tile, 0)
    draw_runs(ImageDraw.Draw(tile), copy.origin, text, faces, copy.size_pt, SHADE_OPACITY)
    turned = np.asarray(_turned(tile, copy.angle))
    turned_h, turned_w = turned.shape
    opacity = np.zeros((height, width), dtype=np.uint8)
    for x, y in _places(size, (turned_w, turned_h)):
        left, top = max(x, 0), max(y, 0)
        right, bottom = min(x + turned_w, width), min(y + turned_h, height)
        if right <= left or bottom <= top:
            continue
        under = opacity[top:bottom, left:right]
        np.maximum(under, turned[top - y : bottom - y, left - x : right - x], out=under)
    return opacity


def _places(size: tuple[int, int], turned: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """Yield the top left corner of each turned copy: rows of copies, every other row shifted."""
    width, height = size
    turned_w, turned_h = turned
    step_x = max(turned_w // 2, width // 3)
    step_y = max(turned_h // 2, height // 3)
    for y in range(-turned_h // 3, height, step_y):
        offset = (y // step_y % 2) * step_x // 2
        for x in range(-turned_w // 2 + offset, width, step_x):
            yield x, y


def id_runs(size: tuple[int, int], text: str) -> list[tuple[Point, Point, Point, Point]]:
    """Return the corners of the "ID …" at the end of each copy, in the picture's pixels."""
    faces = choose_faces(text)
    copy = _copy(size, text, faces)
    start = text.rfind("ID ")
    if start < 0:
        return []
    left = copy.origin[0] + length(text[:start], faces, copy.size_pt)
    right = copy.origin[0] + length(text, faces, copy.size_pt)
    top, bottom = copy.origin[1], copy.origin[1] + copy.size_pt
    tile_w, tile_h = copy.tile
    cos, sin = math.cos(math.radians(copy.angle)), math.sin(math.radians(copy.angle))
    turned = (math.ceil(tile_w * cos + tile_h * sin), math.ceil(tile_w * sin + tile_h * cos))
    corners = [(u - tile_w / 2, v - tile_h / 2) for u in (left, right) for v in (top, bottom)]
    runs = []
    for x, y in _places(size, turned):
        cx, cy = x + turned[0] / 2, y + turned[1] / 2
        a, b, c, d = ((cx + u * cos + v * sin, cy - u * sin + v * cos) for u, v in corners)
        runs.append((a, b, c, d))
    return runs


def _turned(tile: Image.Image, angle: float, piece: int = 192, pad: int = 4) -> Image.Image:
    """Return the tile turned by `angle` degrees (counter-clockwise), as `rotate(expand=True)` would.

    A long line of text turned to the diagonal fills a small share of its bounding box, but a
    rotation computes every pixel of that box. Turning the line in short pieces, each laid
    where its centre falls, computes about a third of the pixels for the same picture (pieces
    overlap by `pad` and meet by their lighter pixel, so no seam shows).
    """
    full_w, full_h = tile.size
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    size = (
        math.ceil(abs(full_w * cos) + abs(full_h * sin)),
        math.ceil(abs(full_w * sin) + abs(full_h * cos)),
    )
    turned = Image.new("L", size, 0)
    for left in range(0, full_w, piece):
        start, end = max(0, left - pad), min(full_w, left + piece + pad)
        part = tile.crop((start, 0, end, full_h)).rotate(
            angle, expand=True, resample=Image.Resampling.BILINEAR
        )
        offset = (start + end) / 2 - full_w / 2  # from the tile's centre, along its line
        x = round(size[0] / 2 + offset * cos - part.width / 2)
        y = round(size[1] / 2 - offset * sin - part.height / 2)
        box = (x, y, x + part.width, y + part.height)
        turned.paste(ImageChops.lighter(turned.crop(box), part), box)
    return turned
