"""Fonts of the stamp (codes, subsets, fallbacks) and the QR code round trip."""

from __future__ import annotations

import re

import pikepdf
import pytest
from PIL import Image

from watermark.marks.fonts import PAGE_SLOT, PRIMARY_FONT, FontSet, choose_faces, load_face
from watermark.marks.qr import QUIET_MODULES, decode_qr, qr_image, qr_matrix

URL = "https://metrokota.bps.go.id/pustaka/verifikasi/7K3M9QPXW2RM/ABCDEFGHJKMNPQRS"


@pytest.fixture(autouse=True)
def no_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep unit tests off external programs: fall back to PyMuPDF's built-in CJK face."""
    import watermark.marks.fonts

    monkeypatch.setattr(watermark.marks.fonts, "_fontconfig_files", lambda ch: ())


def test_the_shipped_font_covers_indonesian_and_latin_diacritics() -> None:
    face = load_face(str(PRIMARY_FONT))
    assert all(face.covers(ch) for ch in "Ni Luh Putu Ñúñez Ðorđe Łukasz Şükrü Nguyễn Ωμέγα Жанна")


def test_characters_of_other_scripts_bring_a_fallback_face_that_has_them() -> None:
    faces = choose_faces("Budi 王小明")
    assert len(faces) == 2
    assert all(faces[1].covers(ch) for ch in "王小明")


def test_a_latin_name_needs_no_fallback_face() -> None:
    assert len(choose_faces("Ni Luh Putu Ayu Wulandari")) == 1


def test_each_document_gets_its_own_random_codes() -> None:
    first = FontSet.for_text("Budi Santoso", "A")
    second = FontSet.for_text("Budi Santoso", "A")
    assert first.encode_primary("Budi") != second.encode_primary("Budi") or (
        first.encode_primary("Santoso") != second.encode_primary("Santoso")
    )


def test_shown_text_escapes_string_delimiters_and_marks_the_page_slot() -> None:
    # 300 different characters use every one-byte code, delimiters' codes included.
    text = "".join(chr(c) for c in range(0x21, 0x7F)) + "".join(chr(c) for c in range(0x100, 0x17F))
    text += "".join(chr(c) for c in range(0x400, 0x450))
    fonts = FontSet.for_text(text, "F")
    shown = fonts.show(text + PAGE_SLOT, 6)
    # An escape (a backslash and the byte after it) is one unit: a string ending in an escaped
    # backslash (the codes are random) still ends at its own closing parenthesis.
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\)Tj", shown, re.S)
    assert b"\0" in shown and b"/FF1 6 Tf" in shown  # the text overflowed into a 2nd subset
    decoded = b"".join(re.sub(rb"\\(.)", rb"\1", raw) for raw in strings)
    assert len(decoded) == len(text) + 1


def test_embedded_subsets_map_every_code_back_to_its_character() -> None:
    text = "Ni Luh Putu Ñúñez 王小明 0123456789"
    fonts = FontSet.for_text(text, "Pk")
    with pikepdf.new() as pdf:
        embedded = fonts.embed(pdf)
        assert len(embedded) == 2  # the shipped face and the CJK fallback
        for font in embedded.values():
            descriptor = font.FontDescriptor
            assert Name_is(font.Subtype, "/TrueType")
            assert len(descriptor.FontFile2.read_bytes()) == int(descriptor.FontFile2.Length1)
            cmap = font.ToUnicode.read_bytes().decode()
            assert "beginbfchar" in cmap
        cmap_text = "".join(f.ToUnicode.read_bytes().decode() for f in embedded.values())
        for ch in set(text) - {" "}:
            assert f"<{ch.encode('utf-16-be').hex().upper()}>" in cmap_text


def Name_is(value: object, name: str) -> bool:  # noqa: N802 - reads as a sentence
    return str(value) == name


def test_a_frozen_font_set_refuses_new_characters() -> None:
    fonts = FontSet.for_text("abc", "F")
    with pikepdf.new() as pdf:
        fonts.embed(pdf)
    with pytest.raises(Exception, match="is not registered"):
        fonts.add("z")


def test_the_qr_matrix_is_a_square_of_dark_and_light_modules() -> None:
    rows = qr_matrix(URL)
    assert len(rows) == len(rows[0]) >= 21
    assert any(any(row) for row in rows) and not all(all(row) for row in rows)


def test_the_qr_image_decodes_back_to_the_url() -> None:
    with pikepdf.new() as pdf:
        image, side = qr_image(pdf, URL)
        assert side == len(qr_matrix(URL)) + 2 * QUIET_MODULES
        picture = pikepdf.PdfImage(image).as_pil_image().convert("L")
    enlarged = picture.resize((side * 4, side * 4), Image.Resampling.NEAREST)
    assert decode_qr(enlarged) == [URL]


def test_a_picture_without_a_qr_code_decodes_to_nothing() -> None:
    assert decode_qr(Image.new("L", (200, 200), 255)) == []
