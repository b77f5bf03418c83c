"""A scanned page's ink read from its JPEG: for a page that draws one JPEG picture and nothing else.

A first stamp measures a page it cannot read from its content by drawing it (PDFium, at
`MEASURE_DPI`), and PDFium decodes the page's whole picture first: 27 ms an A4 page scanned at
200 dpi, where a stamp by qpdf copies the JPEG as it is. libjpeg-turbo (simplejpeg) decodes the
same JPEG at a quarter of its size in 3 ms, to no fewer pixels than the ink grid has cells.

The cells are those of a render, or inked where a render is not: each cell takes the darkest
pixel of the picture within a cell's width of it, where a render averages the pixels under it;
the paper is the bright tenth of the cells' middle pixels, as `watermark.ink.room.ink_mask`
finds it on a render, and the cells are grown as a render's are. Anything else on the page (text, paths, an
annotation, a soft mask, a second picture, a turned page or picture, a CMYK or 16-bit JPEG) and
the page is drawn as before: None.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from pikepdf import Array, Dictionary, Name, Stream

from watermark.ink import content_foot
from watermark.ink.content_ink import drawn_annotations
from watermark.ink.content_ops import Matrix, multiply
from watermark.ink.inked_rects import grid
from watermark.ink.room import PAPER_FLOOR, PAPER_MARGIN, Ink, bright_tenth, grown
from watermark.pdf.pagebox import PageBox

if TYPE_CHECKING:
    import pikepdf

MAX_CONTENT = 4096  # bytes of a scanned page's content: a longer one draws more than its picture
MAX_PIXELS = 16_000_000  # a picture decoded larger than this (a 600 dpi A0 poster) is drawn by PDFium
# Operators that paint nothing and change nothing a picture is drawn with (text state, colours,
# line style, marked content), besides q, Q, cm and the one Do.
_QUIET = frozenset(
    b"BT ET Tf TL Tc Tw Tz Td TD Tm T* Tr Ts w J j M d ri i g G rg RG k K cs CS sc SC scn SCN "
    b"BMC BDC EMC MP DP".split()
)
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
_SOLID = {Name.DeviceGray, Name.DeviceRGB}


def scan_ink(page: pikepdf.Dictionary, box: PageBox) -> Ink | None:
    """Return the ink of a page that only draws one JPEG picture, read from the JPEG; None otherwise."""
    import simplejpeg

    a, b, c, d, x0, y0 = box.matrix
    if (a, b, c, d) != (1, 0, 0, 1) or drawn_annotations(page):
        return None
    drawn = _one_picture(page)
    if drawn is None:
        return None
    picture, (sx, _, _, sy, ex, ey) = drawn
    jpeg = _jpeg(picture)
    if jpeg is None:
        return None
    rows, cols = grid(box)
    cell_w, cell_h = box.width / cols, box.height / rows
    try:
        height, width, colour, _ = simplejpeg.decode_jpeg_header(jpeg)
        wide, tall = math.ceil(sx / cell_w), math.ceil(sy / cell_h)  # a pixel a cell or more
        # libjpeg-turbo decodes at 1/8, 1/4, 1/2 or the whole size: the smallest that is enough.
        scale = next((s for s in (8, 4, 2) if width / s >= wide and height / s >= tall), 1)
        if colour not in ("Gray", "RGB", "YCbCr") or (width / scale) * (height / scale) > MAX_PIXELS:
            return None
        gray = simplejpeg.decode_jpeg(jpeg, colorspace="GRAY", min_width=wide, min_height=tall)[:, :, 0]
    except (ValueError, RuntimeError):  # a JPEG libjpeg-turbo cannot read: PDFium tries it
        return None
    if gray.shape[1] < wide or gray.shape[0] < tall:  # a picture coarser than the cells
        return None
    darkest, middle = _cells(gray, (sx, sy, ex - x0, ey - y0), rows, cols, (cell_w, cell_h))
    paper = max(PAPER_FLOOR, bright_tenth(middle[::3, ::3]))
    return Ink(grown((darkest < paper - PAPER_MARGIN)[::-1]), cell_w, cell_h)  # row 0 the lowest


def _one_picture(page: pikepdf.Dictionary) -> tuple[pikepdf.Stream, Matrix] | None:
    """Return the one picture a page draws and the matrix it is drawn with, if it draws nothing else."""
    contents = page.get(Name.Contents)
    parts = (
        [contents] if isinstance(contents, Stream) else list(contents) if isinstance(contents, Array) else []
    )
    if not parts or not all(isinstance(part, Stream) for part in parts):
        return None
    content = b"\n".join(part.read_bytes() for part in parts)
    if len(content) > MAX_CONTENT or any(ch in content for ch in b"()<>[]{}%"):
        return None
    matrix: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[Matrix] = []
    operands: list[bytes] = []
    found = None
    for token in content.split():
        if _NUMBER.fullmatch(token) or token.startswith(b"/"):
            operands.append(token)
            continue
        if token == b"q":
            saved.append(matrix)
        elif token == b"Q":
            matrix = saved.pop() if saved else matrix
        elif token == b"cm" and len(operands) == 6 and not any(o.startswith(b"/") for o in operands):
            a, b, c, d, e, f = (float(o) for o in operands)
            matrix = multiply((a, b, c, d, e, f), matrix)
        elif token == b"Do" and len(operands) == 1 and found is None:
            found = (operands[0], matrix)
        elif token not in _QUIET or token == b"gs":
            return None
        operands = []
    if found is None:
        return None
    picture = _resource(page, found[0])
    a, b, c, d, _, _ = found[1]
    if picture is None or b != 0 or c != 0 or a <= 0 or d <= 0:
        return None
    return picture, found[1]


def _resource(page: pikepdf.Dictionary, name: bytes) -> pikepdf.Stream | None:
    """Return the image XObject `name` of the page's resources, or None."""
    resources = page.get(Name.Resources)
    group = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
    target = group.get(name.decode("latin-1")) if isinstance(group, Dictionary) else None
    if not isinstance(target, Stream) or target.get(Name.Subtype) != Name.Image:
        return None
    return target


def _jpeg(picture: pikepdf.Stream) -> bytes | None:
    """Return a plain 8-bit grey or RGB picture's JPEG data (its ASCII85 armour off), or None."""
    if any(key in picture for key in (Name.SMask, Name.Mask, Name.Decode, Name.ImageMask, Name.DecodeParms)):
        return None
    if picture.get(Name.BitsPerComponent) != 8 or picture.get(Name.ColorSpace) not in _SOLID:
        return None
    named = picture.get(Name.Filter)
    filters = list(named) if isinstance(named, Array) else [named]
    if filters == [Name.DCTDecode]:
        return picture.read_raw_bytes()
    if filters == [Name.ASCII85Decode, Name.DCTDecode] and content_foot.available():
        try:
            return content_foot.unarmoured(picture.read_raw_bytes())
        except ValueError:
            return None
    return None


def _cells(gray, placed, rows, cols, cell):  # noqa: ANN001, ANN202 - NumPy's arrays
    """Return each grid cell's darkest and middle grey, row 0 at the top, paper white round the picture.

    `placed` is the picture's width, height and bottom-left corner on the displayed page (points).
    """
    import numpy as np

    width, height, left, bottom = placed
    tall, wide = gray.shape
    # A render's filter reaches a cell beyond a pixel: each pixel takes the darkest within a
    # cell's width of it (shifted rows, then shifted columns), and each cell the pixel at its
    # middle, whose reach covers the whole cell.
    eroded = gray.copy()
    for shift in range(1, max(1, math.ceil(tall / height * cell[1])) + 1):
        np.minimum(eroded[shift:], gray[:-shift], out=eroded[shift:])
        np.minimum(eroded[:-shift], gray[shift:], out=eroded[:-shift])
    across = eroded.copy()
    for shift in range(1, max(1, math.ceil(wide / width * cell[0])) + 1):
        np.minimum(eroded[:, shift:], across[:, :-shift], out=eroded[:, shift:])
        np.minimum(eroded[:, :-shift], across[:, shift:], out=eroded[:, :-shift])
    xs, x_in = _middles(np.arange(cols), cell[0], left, width, wide)
    ys, y_in = _middles(np.arange(rows - 1, -1, -1), cell[1], bottom, height, tall)
    ys = tall - 1 - ys  # the picture's rows run from its top
    darkest = np.full((rows, cols), 255, dtype=np.uint8)
    middle = np.full((rows, cols), 255, dtype=np.uint8)
    # The cells a picture touches are one run along each axis: slices and `take`, a tenth of the
    # cost of indexing with the masks (0.2 ms against 2 ms a page).
    down, across = _run(y_in), _run(x_in)
    for cells, pixels in ((darkest, eroded), (middle, gray)):
        cells[down, across] = pixels.take(ys[down], axis=0).take(xs[across], axis=1)
    return darkest, middle


def _run(touches):  # noqa: ANN001, ANN202 - NumPy's arrays
    """Return the slice of the cells that touch the picture along one axis (they are consecutive)."""
    import numpy as np

    inside = np.flatnonzero(touches)
    return slice(int(inside[0]), int(inside[-1]) + 1) if len(inside) else slice(0, 0)


def _middles(cells, side, start, length, pixels):  # noqa: ANN001, ANN202 - NumPy's arrays
    """Return, along one axis, each cell's middle pixel (within the picture) and which cells touch it."""
    import numpy as np

    low, high = cells * side, (cells + 1) * side
    touches = (high > start) & (low < start + length)
    at = np.floor(((low + high) / 2 - start) / length * pixels).astype(int)
    return np.clip(at, 0, pixels - 1), touches
