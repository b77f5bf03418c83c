"""A TrueType face read straight from its bytes: what the stamp measures, and subsets to embed.

The stamp needs little of a font: which characters it has, their advance widths, the few metrics
a PDF font descriptor names, and a subset of its outlines to embed. This module reads those from
the font's tables with `struct`, on demand (a character's glyph is looked up in the cmap when asked
for, not for all 6,000 of them at load), and writes the subset as reportlab's `makeSubset` does:
the kept glyphs (composite glyphs' parts included) renumbered, a one-byte cmap from the codes
given, the hinting tables copied. A subset of the shipped face is byte for byte the one reportlab
writes (tests/unit/watermark/marks/test_truetype.py compares them), without loading reportlab and
Pillow nor parsing the whole face, which cost a first stamp about 40 ms before its first page.
(reportlab writes a scaled advance for the glyphs past a face's last full metric, as in monospaced
faces; this module writes the face's own.)

Outlines in a `glyf` table only (`.ttf`, and the first face of a `.ttc`); a CFF font (`OTTO`), a
face whose licence forbids subsetting, or tables that do not parse raise FontError.
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import cached_property

from watermark.marks.fonts.subset import write_subset

_FORBIDS_SUBSETS = 0x0300  # fsType: no subsetting (0x100), bitmaps only (0x200)
_RESTRICTED = 0x0002
_SPACE, _NO_BREAK_SPACE = 0x20, 0xA0


class FontError(ValueError):
    """The file is not a TrueType face this module can read and subset."""


def _decoded(raw: bytes, encoding: str) -> bytes:
    try:
        return raw.decode(encoding).encode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1").encode("utf-8")


def _within(data: bytes, offset: int, size: int) -> None:
    """Refuse a table whose `size` bytes from `offset` run past the file's end."""
    if offset + max(size, 0) > len(data):
        raise FontError("a table ends early")


def _ushorts(data: bytes, offset: int, count: int) -> array[int]:
    _within(data, offset, 2 * count)
    values = array("H", data[offset : offset + 2 * count])
    values.byteswap()
    return values


class TrueTypeFace:
    """One face of a TrueType file: metrics in thousandths of an em, glyph lookup, subsets."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            self._tables = self._directory(data)
            self._read_metrics()
        except (struct.error, IndexError) as exc:
            raise FontError(f"the font's tables do not parse: {exc}") from None

    @staticmethod
    def _directory(data: bytes) -> dict[str, tuple[int, int]]:
        start = 0
        if data[:4] == b"ttcf":  # a collection: its first face
            (start,) = struct.unpack_from(">L", data, 12)
        if data[start : start + 4] == b"OTTO":
            raise FontError("outlines in CFF, not TrueType")
        (count,) = struct.unpack_from(">H", data, start + 4)
        tables = {}
        for entry in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sLLL", data, start + 12 + 16 * entry)
            if offset + length > len(data):
                raise FontError(f"the table {tag!r} lies past the file's end")
            tables[tag.decode("latin-1")] = (offset, length)
        for required in ("head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "post", "name"):
            if required not in tables:
                raise FontError(f"no {required} table")
        return tables

    def table(self, tag: str) -> bytes:
        """Return a table's bytes (KeyError if the face has none)."""
        offset, length = self._tables[tag]
        return self.data[offset : offset + length]

    def has_table(self, tag: str) -> bool:
        """Tell whether the face has the table."""
        return tag in self._tables

    def _at(self, tag: str) -> int:
        return self._tables[tag][0]

    def _read_metrics(self) -> None:
        data, head = self.data, self._at("head")
        if struct.unpack_from(">L", data, head + 12)[0] != 0x5F0F3CF5:
            raise FontError("the head table's magic number is wrong")
        units = struct.unpack_from(">H", data, head + 18)[0]
        if not units:
            raise FontError("zero units per em")
        self._scale = 1.0 if units == 1000 else 1000 / units
        x_min, y_min, x_max, y_max = struct.unpack_from(">4h", data, head + 36)
        self.bbox = [self._scaled(v) for v in (x_min, y_min, x_max, y_max)]
        self._long_loca, glyph_format = struct.unpack_from(">hh", data, head + 50)
        if glyph_format != 0:
            raise FontError("unknown glyph data format")
        weight, cap_height = 500, None
        self.ascent, self.descent = self._scaled(y_max), self._scaled(y_min)
        if "OS/2" in self._tables:
            os2 = self._at("OS/2")
            version, weight, license_bits = struct.unpack_from(">H2xH2xH", data, os2)
            if license_bits == _RESTRICTED or license_bits & _FORBIDS_SUBSETS:
                raise FontError("the font's licence forbids embedding a subset")
            typo_ascender, typo_descender = struct.unpack_from(">hh", data, os2 + 68)
            self.ascent, self.descent = self._scaled(typo_ascender), self._scaled(typo_descender)
            if version > 1:
                cap_height = self._scaled(struct.unpack_from(">h", data, os2 + 88)[0])
        self.capHeight = self.ascent if cap_height is None else cap_height
        self.stemV = 50 + int((weight / 65.0) ** 2)
        angle, fraction = struct.unpack_from(">hH", data, self._at("post") + 4)
        self.italicAngle = angle + fraction / 65536.0
        self.numGlyphs = struct.unpack_from(">H", data, self._at("maxp") + 4)[0]
        metrics = struct.unpack_from(">H", data, self._at("hhea") + 34)[0]
        if not metrics or metrics > self.numGlyphs:
            raise FontError("the horizontal metrics do not match the glyphs")
        pairs = _ushorts(data, self._at("hmtx"), 2 * metrics)
        self._advances = pairs[0::2]  # the last one stands for every glyph after them
        self.defaultWidth = self._scaled(self._advances[0])
        self.name = self._postscript_name()
        self._lookup = self._cmap()

    def _scaled(self, value: float) -> float:
        return value if self._scale == 1.0 else value * self._scale

    def _postscript_name(self) -> bytes:
        data, base = self.data, self._at("name")
        fmt, count, strings = struct.unpack_from(">3H", data, base)
        if fmt != 0:
            raise FontError("unknown name table format")
        found: dict[int, bytes] = {}
        for record in range(count):
            platform, encoding, language, name_id, length, offset = struct.unpack_from(
                ">6H", data, base + 6 + 12 * record
            )
            if name_id not in (1, 4, 6) or name_id in found:
                continue
            raw = data[base + strings + offset : base + strings + offset + length]
            if (platform, encoding, language) == (3, 1, 0x409) and length % 2 == 0:
                found[name_id] = _decoded(raw, "utf-16-be")
            elif (platform, encoding, language) == (1, 0, 0):
                found[name_id] = _decoded(raw, "mac_roman")
        name = (found.get(6) or found.get(4) or found.get(1) or b"").replace(b" ", b"-")
        if not name or any(c > 126 or c in b" [](){}<>/%" for c in name):
            raise FontError(f"no usable PostScript name ({name!r})")
        return name

    def _cmap(self) -> _Cmap:
        """Choose the Unicode subtable as reportlab does: the last of Windows' or Unicode's wins."""
        data, base = self.data, self._at("cmap")
        version, count = struct.unpack_from(">HH", data, base)
        if count == 0 and version != 0:
            count = version
        chosen, preferred = None, False
        for entry in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, base + 4 + 8 * entry)
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                chosen, preferred = offset, True
            elif platform == 1 and encoding == 0 and not preferred:
                chosen = offset
        if chosen is None:
            raise FontError("no Unicode cmap")
        return _Cmap.read(data, base + chosen, self.numGlyphs)

    def glyph(self, code: int) -> int | None:
        """Return the glyph the cmap gives `code` (0 included), or None where it has no entry.

        As in reportlab, a no-break space is drawn as the space, and a face without a space
        draws it as its no-break space.
        """
        if code == _NO_BREAK_SPACE and (space := self._lookup.glyph(_SPACE)) is not None:
            return space
        found = self._lookup.glyph(code)
        if found is None and code == _SPACE:
            return self._lookup.glyph(_NO_BREAK_SPACE)
        return found

    def covers(self, code: int) -> bool:
        """Tell whether the cmap has an entry for `code`."""
        return self.glyph(code) is not None

    def advance(self, code: int) -> float:
        """Return the advance width of `code` in thousandths of an em (glyph 0's where it has none)."""
        glyph = self.glyph(code)
        if glyph is None or glyph >= self.numGlyphs:
            return self.defaultWidth
        return self._scaled(self._advances[min(glyph, len(self._advances) - 1)])

    @cached_property
    def offsets(self) -> Sequence[int]:
        """Where each glyph's outline starts in `glyf` (one more entry: where the last ends)."""
        count, at = self.numGlyphs + 1, self._at("loca")
        if self._long_loca:
            _within(self.data, at, 4 * count)
            return struct.unpack_from(f">{count}L", self.data, at)
        return [2 * v for v in _ushorts(self.data, at, count)]

    def makeSubset(self, codes: Sequence[int]) -> bytes:  # noqa: N802 - the name reportlab's faces have
        """Return a TrueType program holding the glyphs of `codes`, code i showing codes[i]'s glyph."""
        try:
            return write_subset(self, codes)
        except (struct.error, IndexError, KeyError) as exc:
            raise FontError(f"the font's outlines do not parse: {exc!r}") from None


# How a range of codes finds its glyphs: (how, value, delta, limit).
_DELTA, _SEQUENTIAL, _CONSTANT, _BYTES, _ARRAY = range(5)
Finder = tuple[int, int, int, int]


class _Cmap:
    """A cmap subtable as ranges of codes, each with its way to its glyphs, looked up by bisection."""

    def __init__(self, ranges: list[tuple[int, int, Finder]], data: bytes) -> None:
        self._firsts = [first for first, _last, _finder in ranges]
        self._lasts = [last for _first, last, _finder in ranges]
        self._finders = [finder for _first, _last, finder in ranges]
        self._data = data

    @classmethod
    def read(cls, data: bytes, at: int, glyphs: int) -> _Cmap:
        fmt = struct.unpack_from(">H", data, at)[0]
        if fmt == 4:
            return cls(_format4(data, at), data)
        if fmt in (12, 13):  # groups of codes: glyphs in sequence (12) or one glyph (13)
            (groups,) = struct.unpack_from(">L", data, at + 12)
            how = _SEQUENTIAL if fmt == 12 else _CONSTANT
            found = sorted(struct.unpack_from(">3L", data, at + 16 + 12 * g) for g in range(groups))
            return cls([(first, last, (how, glyph, 0, 0)) for first, last, glyph in found], data)
        if fmt == 0:  # a byte per code, 0-255
            count = min(256, glyphs, struct.unpack_from(">H", data, at + 2)[0] - 6)
            _within(data, at + 6, count)
            return cls([(0, count - 1, (_BYTES, at + 6, 0, 0))] if count > 0 else [], data)
        if fmt == 6:  # codes first..first+count-1, their glyphs listed
            first, count = struct.unpack_from(">HH", data, at + 6)
            _within(data, at + 10, 2 * count)
            return cls(
                [(first, first + count - 1, (_ARRAY, at + 10 - 2 * first, 0, 0))] if count else [], data
            )
        raise FontError(f"cmap format {fmt} is not read")

    def glyph(self, code: int) -> int | None:
        n = bisect_left(self._lasts, code)
        if n == len(self._lasts) or code < self._firsts[n]:
            return None
        how, value, delta, limit = self._finders[n]
        if how == _DELTA:
            return (code + value) & 0xFFFF
        if how == _SEQUENTIAL:
            return code - self._firsts[n] + value
        if how == _CONSTANT:
            return value
        if how == _BYTES:
            return self._data[value + code]
        where = value + 2 * code
        if limit and where >= limit:  # format 4 reads past its table's end as glyph 0, as reportlab does
            return 0
        glyph = int(struct.unpack_from(">H", self._data, where)[0])
        return (glyph + delta) & 0xFFFF if glyph and limit else glyph


def _format4(data: bytes, at: int) -> list[tuple[int, int, Finder]]:
    """Return format 4's segments: the code plus a delta, or a glyph read from the array plus the delta."""
    length, _language, doubled = struct.unpack_from(">3H", data, at + 2)
    count = doubled // 2
    ends = _ushorts(data, at + 14, count)
    starts = _ushorts(data, at + 16 + 2 * count, count)
    deltas = struct.unpack_from(f">{count}h", data, at + 16 + 4 * count)
    offsets_at = at + 16 + 6 * count
    offsets = _ushorts(data, offsets_at, count)
    limit = min(at + length, len(data) - 1)  # a glyph read at or past it is glyph 0, in the file or not
    ranges: list[tuple[int, int, Finder]] = []
    for n in range(count):
        if starts[n] > ends[n]:
            continue
        if offsets[n] == 0:
            finder = (_DELTA, deltas[n], 0, 0)
        else:
            finder = (_ARRAY, offsets_at + 2 * n + offsets[n] - 2 * starts[n], deltas[n], limit)
        ranges.append((starts[n], ends[n], finder))
    return ranges
