"""The stamp's own TrueType reader measures and subsets as reportlab did, and refuses what it cannot read."""

from __future__ import annotations

import io
import random
import struct

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from watermark.marks.fonts import PRIMARY_FONT
from watermark.marks.fonts.truetype import FontError, TrueTypeFace
from watermark.pdf.mupdf import load_pymupdf

SHIPPED = PRIMARY_FONT.read_bytes()


def cjk_program() -> bytes:
    return bytes(load_pymupdf().Font("cjk").buffer)


def code_tables(codes: list[int], count: int) -> list[list[int]]:
    """Return `count` one-byte code tables of 255 characters drawn from `codes` (code 0 unused)."""
    chooser = random.Random(7)
    return [[0, *chooser.sample(codes, min(255, len(codes)))] for _ in range(count)]


@pytest.mark.parametrize("program", [SHIPPED, pytest.param(None, id="cjk")], ids=["shipped", "cjk"])
def test_metrics_glyphs_and_subsets_are_reportlabs(program: bytes | None) -> None:
    data = program or cjk_program()
    ours, theirs = TrueTypeFace(data), TTFontFile(io.BytesIO(data))
    for name in ("name", "bbox", "ascent", "descent", "capHeight", "stemV", "italicAngle", "defaultWidth"):
        assert getattr(ours, name) == getattr(theirs, name), name
    codes = list(theirs.charToGlyph)
    assert all(ours.glyph(code) == glyph for code, glyph in theirs.charToGlyph.items())
    assert all(ours.advance(code) == theirs.charWidths.get(code, theirs.defaultWidth) for code in codes)
    absent = [code for code in range(0, 0x30000, 97) if code not in theirs.charToGlyph]
    assert absent and not any(ours.covers(code) for code in absent)
    assert all(ours.advance(code) == theirs.defaultWidth for code in absent)
    for table in code_tables(codes, 4):  # composite glyphs among them: their parts are kept and renumbered
        assert ours.makeSubset(table) == theirs.makeSubset(table)


def test_a_subset_reads_back_with_each_code_on_its_glyph() -> None:
    face = TrueTypeFace(SHIPPED)
    text = "Ni Luh Putu Ayu Wulandari · Đức Å ñ"
    table = [0, *sorted({ord(ch) for ch in text})]
    subset = TrueTypeFace(face.makeSubset(table))  # its cmap: one byte codes, format 6
    assert subset.numGlyphs < 60
    assert all(subset.glyph(code) for code in range(1, len(table)))
    assert [subset.advance(code) for code in range(len(table))] == [face.advance(code) for code in table]
    assert not subset.covers(len(table))


def test_the_first_face_of_a_collection_is_read() -> None:
    # A one-face collection: the TTC header, then the face's own bytes moved 16 bytes on.
    header = b"ttcf" + struct.pack(">HHLL", 1, 0, 1, 16)
    moved = bytearray(SHIPPED)
    count = struct.unpack_from(">H", SHIPPED, 4)[0]
    for entry in range(count):
        at = 12 + 16 * entry + 8
        struct.pack_into(">L", moved, at, struct.unpack_from(">L", SHIPPED, at)[0] + 16)
    face = TrueTypeFace(header + bytes(moved))
    assert face.name == TrueTypeFace(SHIPPED).name and face.covers(ord("A"))
    assert face.makeSubset([0, ord("A")]) == TrueTypeFace(SHIPPED).makeSubset([0, ord("A")])


def with_license(bits: int) -> bytes:
    face = TrueTypeFace(SHIPPED)
    data = bytearray(SHIPPED)
    struct.pack_into(">H", data, face._tables["OS/2"][0] + 8, bits)  # noqa: SLF001
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"OTTO" + SHIPPED[4:], "CFF"),
        (SHIPPED[:40_000], "past the file's end"),
        (SHIPPED[:10], "parse"),
        (b"\0" * 64, "no head table"),
        (with_license(0x0002), "licence"),
        (with_license(0x0200), "licence"),
    ],
    ids=["cff", "cut", "tiny", "zeros", "restricted", "bitmaps-only"],
)
def test_what_cannot_be_read_or_subset_is_refused_with_a_reason(data: bytes, said: str) -> None:
    with pytest.raises(FontError, match=said):
        TrueTypeFace(data)


def test_editable_embedding_is_allowed() -> None:
    assert TrueTypeFace(with_license(0x0008)).covers(ord("A"))


def first_cmap_subtable(data: bytes | bytearray, only: bool = False) -> int:
    """Return where the cmap's first subtable starts; with `only`, make it the one the reader may choose."""
    base = TrueTypeFace(bytes(data))._tables["cmap"][0]  # noqa: SLF001
    if only:
        struct.pack_into(">H", data, base + 2, 1)
    return base + struct.unpack_from(">L", data, base + 8)[0]


def test_a_cmap_that_runs_past_the_file_is_refused_or_read_as_glyph_0() -> None:
    # The subset's cmap is format 6, its glyph list at the file's end: a count past it is refused.
    subset = TrueTypeFace(SHIPPED).makeSubset([0, ord("A"), ord("B")])
    at = first_cmap_subtable(subset)
    assert struct.unpack_from(">H", subset, at)[0] == 6
    longer = bytearray(subset)
    struct.pack_into(">H", longer, at + 8, 0xFFFF)
    with pytest.raises(FontError, match="ends early"):
        TrueTypeFace(bytes(longer))
    # Format 4, its cmap moved to the file's end, its length and a segment's array pointing past it:
    # the glyphs it would read there are glyph 0, not an error.
    face = TrueTypeFace(SHIPPED)
    cmap_at, cmap_length = face._tables["cmap"]  # noqa: SLF001
    moved = bytearray(SHIPPED + SHIPPED[cmap_at : cmap_at + cmap_length])
    entry = next(12 + 16 * n for n in range(64) if SHIPPED[12 + 16 * n : 16 + 16 * n] == b"cmap")
    struct.pack_into(">L", moved, entry + 8, len(SHIPPED))
    at = first_cmap_subtable(moved, only=True)  # Unicode's, format 4
    assert struct.unpack_from(">H", moved, at)[0] == 4
    segments = struct.unpack_from(">H", moved, at + 6)[0] // 2
    struct.pack_into(">H", moved, at + 2, 0xFFFF)  # the subtable's length
    offsets_at = at + 16 + 6 * segments  # the first segment's array offset: 10 bytes past the file
    struct.pack_into(">H", moved, offsets_at, len(moved) - offsets_at + 10)
    end, first = (struct.unpack_from(">H", moved, at + 14 + n)[0] for n in (0, 2 + 2 * segments))
    far = TrueTypeFace(bytes(moved))
    assert [far.glyph(code) for code in range(first, end + 1)] == [0] * (end - first + 1)
