"""What a page's content stream is made of, for reading its ink: its operations, matrices and graphics state.

`watermark.ink.content_ink` follows a page's content with these: the operations as the content
stream spells them (operands, then an operator), the matrices that place them (a new text line's
among them), a path's extent as its points are added, and the part of the graphics state that
decides whether (and how widely) an operation inks the page.
"""

from __future__ import annotations

import math
import re
from functools import cache

from watermark.ink.content_fonts import FontBounds, Unmeasurable

Matrix = tuple[float, float, float, float, float, float]

LIGHT = 0.96  # a grey at least this light renders at 245 or more: paper, not ink (ink_mask's cut is 241)

_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_NAME = rb"/[^\s/\[\]()<>{}%]*"
_STRING = rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)"
_HEX = rb"<[0-9A-Fa-f\s]*>"
_ARRAY = rb"\[(?:\s*(?:" + _STRING + rb"|" + _HEX + rb"|" + _NUMBER + rb"|" + _NAME + rb"))*\s*\]"
_DICT = rb"<<(?:[^<>]|<[^<>]*>|<<(?:[^<>]|<[^<>]*>)*>>)*>>"
_OPERAND = rb"(?:" + b"|".join((_NUMBER, _NAME, _STRING, _HEX, _ARRAY, _DICT)) + rb"|true|false|null)"
NEW_LINE = (b"Td", b"TD", b"Tm", b"T*", b"BT")  # the operators that start a line, the pen at its start
PATH_POINTS = (b"m", b"l", b"c", b"v", b"y", b"re")  # the operators that add points to a path


@cache
def operations() -> re.Pattern[bytes]:
    """Return the pattern of one operation a match: its operands and its operator; anything else as `bad`.

    Compiled when first read (3 ms): a first stamp whose pages the compiled foot reader reads
    never needs it.
    """
    return re.compile(
        rb"((?:(?:\s|%[^\r\n]*)*" + _OPERAND + rb")*)(?:\s|%[^\r\n]*)*"
        rb"(?:([A-Za-z'\"][A-Za-z0-9*'\"]*)|(\S))",
        re.S,
    )


@cache
def shown_strings() -> re.Pattern[bytes]:
    """Return the pattern of a text operation's strings and the numbers between them."""
    return re.compile(_STRING + rb"|" + _HEX + rb"|(" + _NUMBER + rb")", re.S)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return m x n (PDF row-vector convention: apply m, then n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def invert(m: Matrix) -> Matrix:
    """Return the matrix that undoes `m`; refuse one that flattens the page."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        raise Unmeasurable("a page box that cannot be inverted")
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def stretch(m: Matrix) -> float:
    """Return an upper bound of how much `m` stretches a length."""
    return math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2] + m[3] * m[3])


def next_line(op: bytes, operands: bytes, gs: GraphicsState, tm: Matrix) -> tuple[Matrix, bytes]:
    """Return the line matrix of the next line, and the string to show, for ' and " (" sets the spacings)."""
    if op == b'"':
        numbers = operands.split(None, 2)
        gs.tw, gs.tc, operands = float(numbers[0]), float(numbers[1]), numbers[2]
    return (tm[0], tm[1], tm[2], tm[3], tm[4] - gs.tl * tm[2], tm[5] - gs.tl * tm[3]), operands


def line_matrix(op: bytes, operands: bytes, gs: GraphicsState, tm: Matrix) -> Matrix:
    """Return the line matrix a new line starts at (Td, TD, Tm, T* or BT; TD sets the leading too)."""
    if op == b"Td" or op == b"TD":
        tx, ty = (float(v) for v in operands.split())
        if op == b"TD":
            gs.tl = -ty
        x, y = tx * tm[0] + ty * tm[2] + tm[4], tx * tm[1] + ty * tm[3] + tm[5]
        return (tm[0], tm[1], tm[2], tm[3], x, y)
    if op == b"Tm":
        a, b, c, d, e, f = (float(v) for v in operands.split())
        return (a, b, c, d, e, f)
    if op == b"T*":
        return (tm[0], tm[1], tm[2], tm[3], tm[4] - gs.tl * tm[2], tm[5] - gs.tl * tm[3])
    return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # BT


def path_extent(path: list[float] | None, op: bytes, operands: bytes) -> list[float]:
    """Return a path's extent (x0, y0, x1, y1) grown by the points of one of `PATH_POINTS`."""
    values = [float(v) for v in operands.split()]
    if op == b"re":  # a rectangle: two opposite corners
        x, y, w, h = values
        values = [x, y, x + w, y + h]
    xs, ys = values[0::2], values[1::2]
    if path is None:
        return [min(xs), min(ys), max(xs), max(ys)]
    path[0], path[1] = min(path[0], *xs), min(path[1], *ys)
    path[2], path[3] = max(path[2], *xs), max(path[3], *ys)
    return path


class GraphicsState:
    """The graphics state the ink depends on (text state included: q and Q keep it)."""

    __slots__ = (
        "ctm",
        "fill_light",
        "stroke_light",
        "width",
        "miter",
        "font",
        "size",
        "tc",
        "tw",
        "th",
        "tl",
        "tr",
        "ts",
        "spaces",
    )

    def __init__(self, ctm: Matrix) -> None:
        self.ctm = ctm
        self.fill_light = False
        self.stroke_light = False
        self.width = 1.0
        self.miter = 10.0
        self.font: FontBounds | None = None
        self.size = 0.0
        self.tc = self.tw = self.ts = self.tl = 0.0
        self.th = 1.0
        self.tr = 0
        self.spaces: dict[str, str] = {}  # colour space of fill ('f') and stroke ('s')

    def copy(self) -> GraphicsState:
        """Return a copy, as `q` saves it."""
        other = GraphicsState(self.ctm)
        for slot in self.__slots__:
            setattr(other, slot, getattr(self, slot))
        other.spaces = dict(self.spaces)
        return other


def invisible(gs: GraphicsState) -> bool:
    """Tell whether text in this state paints only light colours."""
    fill = gs.tr in (0, 2, 4, 6) and not gs.fill_light
    stroke = gs.tr in (1, 2, 5, 6) and not gs.stroke_light
    return not (fill or stroke)


def is_light(op: bytes, operands: bytes) -> bool:
    """Tell whether a device colour (g, rg or k) renders as paper."""
    values = [float(v) for v in operands.split()]
    if op == b"g":
        return values[0] >= LIGHT
    if op == b"rg":
        return min(values) >= LIGHT
    return max(values) <= 1 - LIGHT


def light_in(space: str, operands: bytes) -> bool:
    """Tell whether a colour in a named space renders as paper: only device spaces are trusted."""
    op = {"DeviceGray": b"g", "DeviceRGB": b"rg", "DeviceCMYK": b"k"}.get(space)
    if op is None or b"/" in operands:
        return False
    return is_light(op, operands)
