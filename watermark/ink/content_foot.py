"""A first stamp's page foot bounded from the page's content in compiled code, without drawing it.

PDFium must interpret a whole page to draw its foot (0.2-0.5 ms a page, most of a first
stamp's cost). `watermark/ink/_footscan.c` reads the page's content as
`watermark.ink.content_ink` does (every cell an operation could darken: glyphs as their font's
box times the string's length, strokes widened, pictures and forms where they are placed) but
keeps only the lowest FOOT_ROWS rows of the ink grid, in 20-60 microseconds a page. It covers
at least every cell a render inks there, never less; a glyph's box is wider than its ink, so
it may find a little less room. Here the page's fonts, graphics states, pictures and forms are
read for it (each font and form once a document), and its answer becomes an `Ink` measured at
its foot, as PDFium's is. A page it declines (a scan, a shading, an inline picture, a Type 3
font, content that does not parse) is drawn as before.

Built when Pustaka is installed (`pyproject.toml`); where no compiler was at hand, `available`
is False and every foot is drawn.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from types import ModuleType

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from watermark.ink.content_fonts import Unmeasurable, font_bounds
from watermark.ink.content_ink import UNREADABLE, drawn_annotations
from watermark.ink.content_ops import invert
from watermark.ink.inked_rects import grid
from watermark.ink.room import FOOT_ROWS, Ink
from watermark.pdf.pagebox import PageBox

_footscan: ModuleType | None
try:
    from watermark.ink import _footscan
except ImportError:  # built without a C compiler: the feet are drawn
    _footscan = None

SAMPLE_PAGES = 8  # pages of a first stamp read to tell whether the rest will read (`sample`)
MAX_DEPTH = 8  # forms nested deeper than this are left to the render (as `content_ink`)
MAX_FORMS = 64  # forms a page may name, read for it; a page naming more is drawn
MAX_CONTENT = 16 << 20  # bytes of a page's content read at most (a bomb's page is left to the drawing)

_RESOURCES, _SUBTYPE, _IMAGE, _IMAGE_MASK = Name.Resources, Name.Subtype, Name.Image, Name.ImageMask
_FORM, _MATRIX, _CONTENTS = Name.Form, Name.Matrix, Name.Contents
_FILTER, _FLATE, _A85, _PARMS = Name.Filter, Name.FlateDecode, Name.ASCII85Decode, Name.DecodeParms
_CATEGORIES = (Name.Font, Name.ExtGState, Name.XObject)  # what `_footscan` asks for: kinds 0, 1, 2
_ESCAPED = re.compile("#([0-9A-Fa-f]{2})")


def sample(
    reader: FootReader, wanted: Sequence[tuple[int, PageBox]], pages: Sequence[pikepdf.Dictionary]
) -> dict[int, tuple[PageBox, Ink]] | None:
    """Read up to SAMPLE_PAGES pages spread through `wanted` ((index, box), `pages` their objects).

    Return those read, by index, if most of them read: the rest will too, and reading a foot
    here costs less than handing its page to another process. None if most did not (a scan).
    """
    chosen = range(0, len(wanted), max(1, len(wanted) // SAMPLE_PAGES))
    read = {}
    for position in chosen:
        index, box = wanted[position]
        ink = reader.ink(pages[position], box)
        if ink is not None:
            read[index] = (box, ink)
    return read if 2 * len(read) >= len(chosen) else None


def available() -> bool:
    """Tell whether the compiled reader was built: else every first stamp's foot is drawn."""
    return _footscan is not None


def unarmoured(data: bytes) -> bytes:
    """Return ASCII85 data decoded up to its '~>' (compiled; ValueError on a stray character)."""
    if _footscan is None:
        raise ValueError("the compiled reader was not built")
    return _footscan.a85(data)


class FootReader:
    """Bounds the feet of one document's pages from their content; what it read of the document is kept."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, int], tuple | None] = {}
        self._forms: dict[tuple[int, int], tuple | None] = {}
        self.budget = MAX_FORMS
        # Content streams' data with their ASCII85 armour off, by stream: the stamper drops the
        # armour next (`watermark.pdf.page_objects.unarmour`) and takes it from here.
        self.unarmoured: dict[tuple[int, int], bytes] = {}

    def ink(self, page: pikepdf.Dictionary, box: PageBox) -> Ink | None:
        """Return the ink of a page (displayed in `box`) measured at its foot, or None if it must be drawn."""
        if _footscan is None:
            return None
        rows, cols = grid(box)
        if rows <= 2 * FOOT_ROWS:
            return None  # a short page: drawn whole, as PDFium's measure does
        try:
            self.budget = MAX_FORMS
            names = _Names(self, page.get(_RESOURCES), 0)
            start = invert(box.matrix)
            content, annots = self._content(page), drawn_annotations(page)
            bits = _footscan.foot(content, names, start, box.width, box.height, rows, cols, FOOT_ROWS, annots)
        except UNREADABLE:
            return None  # a broken page: the render decides
        if bits is None:
            return None
        return Ink.of_foot(bits, FOOT_ROWS, rows, cols, box.width / cols, box.height / rows)

    def _content(self, page: pikepdf.Dictionary) -> bytes:
        """Return a page's content, its streams joined."""
        contents = page.get(_CONTENTS)
        if isinstance(contents, Stream):
            return self._decoded(contents)
        if isinstance(contents, Array):
            parts, size = [], 0
            for part in contents:
                if isinstance(part, Stream):
                    parts.append(self._decoded(part))
                    size += len(parts[-1])
                    if size > MAX_CONTENT:
                        raise Unmeasurable("a content too large to read")
            return b"\n".join(parts)
        return b""

    def _decoded(self, stream: pikepdf.Stream) -> bytes:
        """Return a content stream decoded: Flate, armoured in ASCII85 or not, here (a third of qpdf's cost).

        Anything else, or data these cannot decode whole, is qpdf's to decode (it recovers what it can).
        """
        filters = stream.get(_FILTER)
        if isinstance(filters, Array) and len(filters) == 1:
            filters = filters[0]
        try:
            if filters == _FLATE:
                if _PARMS not in stream:
                    return _inflated(stream.read_raw_bytes())
            elif isinstance(filters, Array) and len(filters) == 2 and filters[0] == _A85:
                if filters[1] == _FLATE and _PARMS not in stream and _footscan is not None:
                    inner = _footscan.a85(stream.read_raw_bytes())
                    data = _inflated(inner)
                    if stream.is_indirect:
                        self.unarmoured[stream.objgen] = inner
                    return data
        except (zlib.error, ValueError):
            pass
        return stream.read_bytes()

    def font(self, font: object) -> tuple | None:
        """Return what bounds a font's glyphs (as `_footscan` takes it), or None: text in it is drawn."""
        if not isinstance(font, Dictionary):
            return None
        key = font.objgen
        if key in self._fonts:
            return self._fonts[key]
        try:
            bounds = font_bounds(font)
            found: tuple | None = (
                bounds.min_advance,
                bounds.max_advance,
                *bounds.box,
                bounds.bytes_per_glyph,
            )
        except UNREADABLE:
            found = None
        if key != (0, 0):
            self._fonts[key] = found
        return found

    def xobject(self, target: object, depth: int) -> object:
        """Return 0 for a picture, 1 for a stencil mask, a form's (content, matrix, names), () for no ink."""
        if not isinstance(target, Stream):
            return ()
        subtype = target.get(_SUBTYPE)
        if subtype == _IMAGE:
            return 1 if target.get(_IMAGE_MASK) is True else 0
        if subtype != _FORM:
            return ()
        self.budget -= 1
        if depth >= MAX_DEPTH or self.budget < 0:
            return None  # drawn instead
        key = target.objgen
        if key != (0, 0) and key in self._forms:
            return self._forms[key]
        matrix = target.get(_MATRIX)
        placed: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        if isinstance(matrix, Array) and len(matrix) == 6:
            placed = tuple(float(v) for v in matrix)
        own = target.get(_RESOURCES)
        # A form without resources of its own draws with its page's (None: `_footscan` passes them on).
        form = (target.read_bytes(), placed, None if own is None else _Names(self, own, depth + 1))
        if key != (0, 0):
            self._forms[key] = form
        return form


class _Names:
    """The resources of a page or form, each read when its content first names it (`_footscan` asks)."""

    __slots__ = ("depth", "reader", "resources")

    def __init__(self, reader: FootReader, resources: object, depth: int) -> None:
        self.reader = reader
        self.resources = resources if isinstance(resources, Dictionary) else None
        self.depth = depth

    def __call__(self, kind: int, name: bytes) -> object:
        """Return what resource `name` of `kind` (0 font, 1 graphics state, 2 xobject) is, for `_footscan`."""
        try:
            category = self.resources.get(_CATEGORIES[kind]) if self.resources is not None else None
            key = name.decode("latin-1")
            if "#" in key:  # a character written as #xx, as the dictionary's names are not
                key = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), key)
            target = category.get("/" + key) if isinstance(category, Dictionary) else None
            if kind == 0:
                return self.reader.font(target)
            if kind == 1:
                return _state(target)
            return self.reader.xobject(target, self.depth)
        except UNREADABLE:
            return None


def _inflated(data: bytes) -> bytes:
    """Return Flate data inflated; refuse more than MAX_CONTENT bytes (a bomb), or data cut short (qpdf's)."""
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(data, MAX_CONTENT)
    if inflater.unconsumed_tail:
        raise Unmeasurable("a content too large to read")
    if not inflater.eof:
        raise zlib.error("cut short: qpdf recovers what it can")
    return inflated


def _state(state: object) -> tuple[float | None, float | None] | None:
    """Return a graphics state's (line width, miter limit), or None if it may darken paper (drawn)."""
    if not isinstance(state, Dictionary):
        return (None, None)
    blend = state.get(Name.BM)
    if isinstance(blend, Array):
        blend = blend[0] if len(blend) else None
    if blend is not None and blend not in (Name.Normal, Name.Compatible):
        return None
    if Name.TR in state or Name.TR2 in state or Name.Font in state:
        return None
    width, miter = state.get(Name.LW), state.get(Name.ML)
    found = (None if width is None else float(width), None if miter is None else float(miter))
    if not all(v is None or math.isfinite(v) for v in found):
        return None
    return found
