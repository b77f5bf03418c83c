"""A scanned page's ink: the cells its one picture covers, the picture never decoded.

A first stamp measures a page it cannot read from its content by drawing it (PDFium, at
`MEASURE_DPI`), and a page that is one picture costs the picture's decoding: 27 ms an A4 page
scanned at 200 dpi, where a stamp by qpdf copies the JPEG as it is (about 1 ms a page). Even
libjpeg-turbo at an eighth of the size reads every coefficient (2.7 ms a page). So a page that
draws one picture and nothing else is taken as inked wherever the picture lies, the cells it
touches grown as a render's are: nothing of a scan is ever covered (a faint pencil note, a
stamp in the margin), the stamp goes on the paper round the picture where there is room, and a
scan that fills its page gets its stamp on a band added below (`watermark.marks.placement`).
Anything else on the page (text, paths, an annotation, a second picture, a turned page or
picture) and the page is drawn as before: None.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from pikepdf import Array, Dictionary, Name, Stream

from watermark.ink.content_ink import drawn_annotations
from watermark.ink.content_ops import Matrix, multiply
from watermark.ink.inked_rects import grid
from watermark.ink.room import Ink
from watermark.pdf.pagebox import PageBox

if TYPE_CHECKING:
    import pikepdf

MAX_CONTENT = 4096  # bytes of a scanned page's content: a longer one draws more than its picture
# Operators that paint nothing and change nothing a picture is drawn with (text state, colours,
# line style, marked content), besides q, Q, cm and the one Do.
_QUIET = frozenset(
    b"BT ET Tf TL Tc Tw Tz Td TD Tm T* Tr Ts w J j M d ri i g G rg RG k K cs CS sc SC scn SCN "
    b"BMC BDC EMC MP DP".split()
)
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")


def scan_ink(page: pikepdf.Dictionary, box: PageBox) -> Ink | None:
    """Return the ink of a page that only draws one picture: the cells the picture covers; None otherwise."""
    a, b, c, d, x0, y0 = box.matrix
    if (a, b, c, d) != (1, 0, 0, 1) or drawn_annotations(page):
        return None
    drawn = _one_picture(page)
    if drawn is None:
        return None
    sx, _, _, sy, ex, ey = drawn
    rows, cols = grid(box)
    cell_w, cell_h = box.width / cols, box.height / rows
    # The cells the picture touches, and their neighbours (grown as a render's cells are: `grown`),
    # as integer rows (the leftmost cell the highest bit), row 0 the lowest: NumPy is not needed.
    down, across = _span(ey - y0, sy, cell_h, rows), _span(ex - x0, sx, cell_w, cols)
    if down.stop == down.start or across.stop == across.start:
        return Ink.of_rows([0] * rows, cols, cell_w, cell_h)
    first, last = max(0, across.start - 1), min(cols, across.stop + 1)
    row = ((1 << (last - first)) - 1) << (cols - last)
    low, high = max(0, down.start - 1), min(rows, down.stop + 1)
    return Ink.of_rows([row if low <= r < high else 0 for r in range(rows)], cols, cell_w, cell_h)


def _span(start: float, length: float, side: float, cells: int) -> slice:
    """Return the cells along one axis that the picture, from `start` for `length` points, touches."""
    first = max(0, math.floor(start / side))
    return slice(first, max(first, min(cells, math.ceil((start + length) / side))))


def _one_picture(page: pikepdf.Dictionary) -> Matrix | None:
    """Return the matrix the page's one picture is drawn with, if it draws nothing else."""
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
    a, b, c, d, _, _ = found[1]
    if not _is_picture(page, found[0]) or b != 0 or c != 0 or a <= 0 or d <= 0:
        return None
    return found[1]


def _is_picture(page: pikepdf.Dictionary, name: bytes) -> bool:
    """Tell whether `name` is an image XObject of the page's resources."""
    resources = page.get(Name.Resources)
    group = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
    target = group.get(name.decode("latin-1")) if isinstance(group, Dictionary) else None
    return isinstance(target, Stream) and target.get(Name.Subtype) == Name.Image
