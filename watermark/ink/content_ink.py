"""A page's ink read from its content stream, without rendering it.

A render decodes every picture a page places (5.7 ms for one 1400 x 900 photo); reading
where the content puts it costs 0.2 ms. `content_ink` follows the content stream (text,
paths, pictures, forms, annotations) and marks every cell that an operation could darken:
glyphs as the font's box times the string's length, strokes widened by their width and
joins, pictures and forms where they are placed. Clipping is ignored and nothing is ever
subtracted, so the result covers at least every cell a render finds inked, and more (the
rectangles become the grid's cells in `watermark.ink.inked_rects`). For a page of text and
rules MuPDF's render is faster than this reading, so `watermark.ink.pageinks` reads only pages
that place pictures (`worth_reading`). A first stamp reads every page's foot the same way in
compiled code instead (`watermark.ink.content_foot`).

What it cannot bound cheaply it declines (returns None) and the caller renders the page:
shadings, inline images, Type 3 and vertical fonts, blend modes and transfer functions that
could darken white, and any page whose painted or pictured area is a large part of the page
(a scan, a coloured background: there the paper is only found in the pixels).
"""

from __future__ import annotations

import math
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from watermark.ink.content_fonts import FontBounds, Unmeasurable, font_bounds
from watermark.ink.content_ops import (
    NEW_LINE,
    PATH_POINTS,
    GraphicsState,
    Matrix,
    invert,
    invisible,
    is_light,
    light_in,
    line_matrix,
    multiply,
    next_line,
    operations,
    path_extent,
    shown_strings,
    stretch,
)
from watermark.ink.inked_rects import InkedRects
from watermark.ink.room import Ink
from watermark.pdf.pagebox import PageBox

MAX_DEPTH = 8  # forms nested deeper than this are left to the render
# What reading a page's content may raise: content only a render bounds, or a broken page.
UNREADABLE = (
    Unmeasurable,
    pikepdf.PdfError,
    ValueError,
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    ZeroDivisionError,
    RecursionError,
)
SHORT_CONTENT = 4096  # bytes of stored content beyond which a page is rendered, pictures or not


def content_ink(page: pikepdf.Dictionary, box: PageBox) -> Ink | None:
    """Return the ink of a page (as displayed in `box`) from its content, or None if it must be rendered."""
    try:
        return _Reader(box).page(page)
    except UNREADABLE:
        return None  # a broken page, or what only a render bounds: the render (or 'all ink') decides


class _Reader(InkedRects):
    """Follows one page's content and collects the display rectangles it may ink."""

    def __init__(self, box: PageBox) -> None:
        super().__init__(box)
        self.fonts: dict[tuple[int, int], FontBounds] = {}

    def page(self, page: pikepdf.Dictionary) -> Ink:
        """Return a page's ink: its content followed, then its annotations marked."""
        contents = page.get(Name.Contents)
        if isinstance(contents, Stream):
            data = contents.read_bytes()
        elif isinstance(contents, Array):
            data = b"\n".join(part.read_bytes() for part in contents if isinstance(part, Stream))
        else:
            data = b""
        resources = page.get(Name.Resources)
        start = invert(self.box.matrix)
        self.run(
            data, resources if isinstance(resources, Dictionary) else Dictionary(), GraphicsState(start), 0
        )
        self.annotations(page, start)
        return self.ink()

    def run(self, data: bytes, resources: Dictionary, gs: GraphicsState, depth: int) -> None:  # noqa: C901
        """Follow a content stream from graphics state `gs`, with `resources`.

        Text and paths, most of any content, are followed in this one loop (a new line's matrix in
        `line_matrix`, a path's extent in `path_extent`); `apply` takes the operators that set
        the graphics state or place a picture or form.
        """
        if depth > MAX_DEPTH:
            raise Unmeasurable("forms nested too deep")
        stack: list[GraphicsState] = []
        tm: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # the line matrix; the pen is an interval along it
        pen_lo = pen_hi = 0.0
        path: list[float] | None = None  # x0, y0, x1, y1 of the points so far (current space)
        path_joins = False
        for operands, op, bad in operations().findall(data):
            if bad:
                raise Unmeasurable("content that does not parse")
            if op in (b"Tj", b"'", b'"', b"TJ"):
                if op != b"Tj" and op != b"TJ":
                    tm, operands = next_line(op, operands, gs, tm)
                    pen_lo = pen_hi = 0.0
                pen_lo, pen_hi = self.show(operands, gs, tm, pen_lo, pen_hi)
            elif op in NEW_LINE:
                tm, pen_lo, pen_hi = line_matrix(op, operands, gs, tm), 0.0, 0.0
            elif op == b"ET":
                pass
            elif op in PATH_POINTS:
                path_joins = path_joins or (path is not None and op != b"m")
                path = path_extent(path, op, operands)
            elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
                if path is not None and op != b"n":
                    self.paint(op, path, path_joins, gs)
                path, path_joins = None, False
            elif op == b"q":
                stack.append(gs.copy())
            elif op == b"Q":
                if stack:
                    gs = stack.pop()
            elif op not in (b"h", b"W", b"W*"):  # closing a path and clipping change no ink's extent
                self.apply(op, operands, gs, resources, depth)

    def apply(self, op: bytes, operands: bytes, gs: GraphicsState, resources: Dictionary, depth: int) -> None:  # noqa: C901
        """Apply an operator that sets the graphics state or places a picture or a form.

        Refuse one whose ink only a render can bound; ignore one that changes no ink's extent.
        """
        if op == b"Tf":
            name, size = operands.split()
            gs.font = self.font(resources, name[1:].decode("latin-1"))
            gs.size = float(size)
        elif op == b"TL":
            gs.tl = float(operands)
        elif op == b"Tc":
            gs.tc = float(operands)
        elif op == b"Tw":
            gs.tw = float(operands)
        elif op == b"Tz":
            gs.th = float(operands) / 100
        elif op == b"Ts":
            gs.ts = float(operands)
        elif op == b"Tr":
            mode = float(operands)
            if 0 <= mode < 8:  # a mode out of range is ignored, as PDFium ignores it: the text is drawn
                gs.tr = int(mode)
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands.split())
            gs.ctm = multiply((a, b, c, d, e, f), gs.ctm)
        elif op == b"w":
            gs.width = abs(float(operands))
        elif op == b"M":
            gs.miter = max(1.0, float(operands))
        elif op in (b"g", b"G", b"rg", b"RG", b"k", b"K"):
            light = is_light(op.lower(), operands)
            if op.islower():
                gs.fill_light, gs.spaces["f"] = light, ""
            else:
                gs.stroke_light, gs.spaces["s"] = light, ""
        elif op in (b"cs", b"CS"):
            space = operands.strip()[1:].decode("latin-1")
            if op == b"cs":
                gs.fill_light, gs.spaces["f"] = False, space
            else:
                gs.stroke_light, gs.spaces["s"] = False, space
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            which = "f" if op.islower() else "s"
            light = light_in(gs.spaces.get(which, ""), operands)
            if which == "f":
                gs.fill_light = light
            else:
                gs.stroke_light = light
        elif op == b"Do":
            self.xobject(resources, operands.strip()[1:].decode("latin-1"), gs, depth)
        elif op == b"gs":
            self.graphics_state(resources, operands.strip()[1:].decode("latin-1"), gs)
        elif op in (b"sh", b"BI", b"ID", b"EI", b"d0", b"d1"):
            raise Unmeasurable(f"{op.decode()} is measured by rendering")
        # Anything else (marked content, dashes, joins, caps, intents, compatibility
        # sections, unknown operators) changes no ink's extent.

    def show(
        self, operands: bytes, gs: GraphicsState, tm: Matrix, pen_lo: float, pen_hi: float
    ) -> tuple[float, float]:
        """Mark the glyphs a text-showing operation may draw; return the pen's new interval."""
        font = gs.font
        if font is None:
            raise Unmeasurable("text without a font")
        size, th = gs.size, gs.th
        x0, y0, x1, y1 = font.box
        step_a = (size * font.min_advance + gs.tc + min(gs.tw, 0.0)) * th
        step_b = (size * font.max_advance + gs.tc + max(gs.tw, 0.0)) * th
        step_lo, step_hi = min(step_a, step_b), max(step_a, step_b)
        left, right = pen_lo, pen_hi
        for part in shown_strings().finditer(operands):
            number = part.group(1)
            if number is not None:
                shift = -float(number) / 1000 * size * th
                pen_lo, pen_hi = pen_lo + shift, pen_hi + shift
                left, right = min(left, pen_lo), max(right, pen_hi)
                continue
            text = part.group(0)
            count = len(text) - 2 if text[:1] == b"(" else (len(re.sub(rb"\s", b"", text)) - 1) // 2
            glyphs = math.ceil(max(count, 0) / font.bytes_per_glyph)
            pen_lo, pen_hi = pen_lo + glyphs * min(step_lo, 0.0), pen_hi + glyphs * max(step_hi, 0.0)
            left, right = min(left, pen_lo), max(right, pen_hi)
        if gs.tr in (3, 7) or invisible(gs):
            return pen_lo, pen_hi
        gx0, gx1 = sorted((size * th * x0, size * th * x1))
        gy0, gy1 = sorted((size * y0 + gs.ts, size * y1 + gs.ts))
        rendering = multiply(tm, gs.ctm)
        grow = gs.width * max(stretch(gs.ctm), stretch(rendering)) if gs.tr in (1, 2, 5, 6) else 0.0
        self.mark(left + gx0, gy0, right + gx1, gy1, rendering, grow)
        return pen_lo, pen_hi

    def paint(self, op: bytes, path: list[float], joins: bool, gs: GraphicsState) -> None:
        """Mark a painted path's extent, strokes widened by their half width and joins."""
        fills = op not in (b"S", b"s") and not gs.fill_light
        strokes = op in (b"S", b"s", b"B", b"B*", b"b", b"b*") and not gs.stroke_light
        if not fills and not strokes:
            return
        grow = 0.0
        if strokes:
            # Half the width each side; a miter join may reach `miter` half widths out.
            reach = gs.width / 2 * (gs.miter if joins else math.sqrt(2))
            grow = reach * stretch(gs.ctm)
        if fills:
            self.mark_large(path[0], path[1], path[2], path[3], gs.ctm, grow)
        else:
            self.mark(path[0], path[1], path[2], path[3], gs.ctm, grow)

    def xobject(self, resources: Dictionary, name: str, gs: GraphicsState, depth: int) -> None:
        """Mark an image's placement, or follow a form's content."""
        xobjects = resources.get(Name.XObject)
        if not isinstance(xobjects, Dictionary):
            return
        target = xobjects.get("/" + name)
        if not isinstance(target, Stream):
            return
        subtype = target.get(Name.Subtype)
        if subtype == Name.Image:
            if target.get(Name.ImageMask) is True and gs.fill_light:
                return
            self.mark_large(0.0, 0.0, 1.0, 1.0, gs.ctm)
        elif subtype == Name.Form:
            matrix = target.get(Name.Matrix)
            form_matrix: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            if isinstance(matrix, Array) and len(matrix) == 6:
                form_matrix = tuple(float(v) for v in matrix)  # type: ignore[assignment]
            inner = gs.copy()
            inner.ctm = multiply(form_matrix, gs.ctm)
            own = target.get(Name.Resources)
            self.run(target.read_bytes(), own if isinstance(own, Dictionary) else resources, inner, depth + 1)

    def graphics_state(self, resources: Dictionary, name: str, gs: GraphicsState) -> None:
        """Apply an ExtGState's line width; decline blend modes and transfers that may darken paper."""
        states = resources.get(Name.ExtGState)
        state = states.get("/" + name) if isinstance(states, Dictionary) else None
        if not isinstance(state, Dictionary):
            return
        blend = state.get(Name.BM)
        if isinstance(blend, Array):
            blend = blend[0] if len(blend) else None
        if blend is not None and blend not in (Name.Normal, Name.Compatible):
            raise Unmeasurable("a blend mode")
        if Name.TR in state or Name.TR2 in state or Name.Font in state:
            raise Unmeasurable("a transfer function or a font in a graphics state")
        width = state.get(Name.LW)
        if width is not None:
            gs.width = abs(float(width))
        miter = state.get(Name.ML)
        if miter is not None:
            gs.miter = max(1.0, float(miter))

    def font(self, resources: Dictionary, name: str) -> FontBounds:
        """Return what bounds the glyphs of font `name` of `resources`."""
        fonts = resources.get(Name.Font)
        font = fonts.get("/" + name) if isinstance(fonts, Dictionary) else None
        if not isinstance(font, Dictionary):
            raise Unmeasurable("a font that is not there")
        key = font.objgen
        if key != (0, 0) and key in self.fonts:
            return self.fonts[key]
        found = font_bounds(font)
        if key != (0, 0):
            self.fonts[key] = found
        return found

    def annotations(self, page: pikepdf.Dictionary, start: Matrix) -> None:
        """Mark every annotation a render draws, over its whole rectangle."""
        for x0, y0, x1, y1 in drawn_annotations(page):
            self.mark_large(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), start)


def drawn_annotations(page: pikepdf.Dictionary) -> list[tuple[float, float, float, float]]:
    """Return the rectangles (in the page's space) of the annotations a render draws."""
    annots = page.get(Name.Annots)
    if not isinstance(annots, Array):
        return []
    rects = []
    for annot in annots:
        if not isinstance(annot, Dictionary):
            continue
        flags = annot.get(Name.F)
        if isinstance(flags, int) and flags & (2 | 32):  # hidden, no view
            continue
        if annot.get(Name.Subtype) in (Name.Link, Name.Popup) and Name.AP not in annot:
            continue
        rect = annot.get(Name.Rect)
        if isinstance(rect, Array) and len(rect) == 4:
            x0, y0, x1, y1 = (float(v) for v in rect)
            rects.append((x0, y0, x1, y1))
    return rects


def worth_reading(page: pikepdf.Dictionary) -> bool:
    """Tell whether reading a page's content for its ink costs less than rendering it.

    Only for a short content that places pictures (a figure's page, a cover): a render
    decodes every picture (5.7 ms for one 1400 x 900 photo, against 0.2 ms to read where it
    goes), while text and rules render faster than Python reads them (a ruled table of 22
    rows: 0.5 ms against 2.0 ms).
    """
    try:
        contents = page.get(Name.Contents)
        streams = [contents] if isinstance(contents, pikepdf.Stream) else contents
        if not isinstance(streams, list | pikepdf.Array):
            return False
        size = 0
        for stream in streams:
            length = stream.get(Name.Length) if isinstance(stream, pikepdf.Stream) else None
            if not isinstance(length, int):
                return False
            size += length
        if size > SHORT_CONTENT:
            return False
        resources = page.get(Name.Resources)
        xobjects = resources.get(Name.XObject) if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            return False
        if not any(
            isinstance(xobject, pikepdf.Stream) and xobject.get(Name.Subtype) == Name.Image
            for xobject in xobjects.values()
        ):
            return False
        # Resources shared by every page hold pictures many pages never place.
        return any(b"Do" in stream.read_bytes() for stream in streams)
    except pikepdf.PdfError:
        return False  # a damaged page: the render decides
