"""What bounds a font's glyphs, for reading a page's ink from its content (`watermark.ink.content_ink`).

Widths come from the font's /Widths (or a composite font's /W and /DW), the glyph box from its
descriptor's /FontBBox, each widened to a generous default where the font says less: a box
too small would let a glyph's ink escape the cells marked for it.
"""

from __future__ import annotations

from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name

DEFAULT_BOX = (-0.25, -0.35, 1.15, 1.05)  # a glyph's box (per unit of font size) when the font gives less


class Unmeasurable(Exception):
    """The content holds something whose ink is only known by rendering it."""


class FontBounds(NamedTuple):
    """What bounds a font's glyphs: advance widths and glyph box per unit of size, bytes a glyph."""

    min_advance: float
    max_advance: float
    box: tuple[float, float, float, float]
    bytes_per_glyph: int


def font_bounds(font: pikepdf.Dictionary) -> FontBounds:
    """Return the advance widths and glyph box of a font, generous where the font says little."""
    subtype = font.get(Name.Subtype)
    if subtype == Name.Type3:
        raise Unmeasurable("a Type 3 font")
    bytes_per_glyph = 1
    widths: list[float] = []
    descriptor = font.get(Name.FontDescriptor)
    if subtype == Name.Type0:
        encoding = font.get(Name.Encoding)
        if isinstance(encoding, Name) and str(encoding).endswith("-V"):
            raise Unmeasurable("a vertical font")
        if not isinstance(encoding, Name):
            raise Unmeasurable("an embedded CMap")
        if str(encoding) in ("/Identity-H",):
            bytes_per_glyph = 2
        descendants = font.get(Name.DescendantFonts)
        descendant = descendants[0] if isinstance(descendants, Array) and len(descendants) else None
        if not isinstance(descendant, Dictionary):
            raise Unmeasurable("a composite font without its descendant")
        descriptor = descendant.get(Name.FontDescriptor)
        default = descendant.get(Name.DW)
        widths.append(float(default) if default is not None else 1000.0)
        widths.extend(_cid_widths(descendant.get(Name.W)))
    else:
        listed = font.get(Name.Widths)
        if isinstance(listed, Array) and len(listed):
            widths.extend(float(v) for v in listed)
        else:
            widths.append(1100.0)  # a standard font: none of its glyphs is wider
        if isinstance(descriptor, Dictionary) and descriptor.get(Name.MissingWidth) is not None:
            widths.append(float(descriptor.MissingWidth))
    box = list(DEFAULT_BOX)
    if isinstance(descriptor, Dictionary):
        declared = descriptor.get(Name.FontBBox)
        if isinstance(declared, Array) and len(declared) == 4:
            bx0, by0, bx1, by1 = (float(v) / 1000 for v in declared)
            box = [min(box[0], bx0, bx1), min(box[1], by0, by1), max(box[2], bx0, bx1), max(box[3], by0, by1)]
    max_advance = max(widths) / 1000
    box[2] = max(box[2], max_advance + 0.15)
    return FontBounds(
        min(0.0, min(widths) / 1000), max_advance, (box[0], box[1], box[2], box[3]), bytes_per_glyph
    )


def _cid_widths(listed: object) -> list[float]:
    """Return the widths a composite font's /W array gives (c [w ...] and c_first c_last w entries)."""
    if not isinstance(listed, Array):
        return []
    items, at = list(listed), 0
    widths: list[float] = []
    while at < len(items):
        if at + 1 < len(items) and isinstance(items[at + 1], Array):
            widths.extend(float(v) for v in items[at + 1])
            at += 2
        elif at + 2 < len(items):
            widths.append(float(items[at + 2]))
            at += 3
        else:
            raise Unmeasurable("a broken /W array")
    return widths
