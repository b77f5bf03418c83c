"""Consultation attachments: accepted by what their bytes are, within the count and size limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from library.consultation.attachments import (
    CSV,
    DOCX,
    JPEG,
    MAX_BYTES,
    PDF,
    PNG,
    XLSX,
    Upload,
    check_uploads,
    download_name,
    media_type_of,
)
from library.errors import InvalidField


def office(*parts: str) -> bytes:
    """Return a zip package holding these parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part in parts:
            package.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\xff\xd8\xff\xe0JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n....", PNG),
        (office("[Content_Types].xml", "xl/workbook.xml"), XLSX),
        (office("[Content_Types].xml", "word/document.xml"), DOCX),
        ("\ufeffkecamatan;penduduk\nMetro Pusat;51.000\n".encode(), CSV),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(data: bytes, expected: str) -> None:
    assert media_type_of(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 a Windows program",
        office("[Content_Types].xml", "ppt/presentation.xml"),  # a slide deck
        office("xl/workbook.xml"),  # a zip pretending
        b"PK\x03\x04 not a zip at all",
        b"kolom\x00biner",
        "teks".encode("utf-16"),
        b"   \n",
    ],
)
def test_anything_else_is_refused_whatever_its_name(data: bytes) -> None:
    assert media_type_of(data) is None
    with pytest.raises(InvalidField, match="tabel.csv cannot be attached"):
        check_uploads([Upload("tabel.csv", data)])


def test_a_pdf_named_like_a_picture_is_kept_as_a_pdf() -> None:
    [checked] = check_uploads([Upload("C:\\Users\\ani\\foto.jpg", b"%PDF-1.4")])
    assert (checked.name, checked.media_type) == ("foto.jpg", PDF)
    assert download_name(checked.name, checked.media_type) == "foto.pdf"


def test_at_most_three_files_of_five_megabytes_none_empty() -> None:
    pdf = Upload("a.pdf", b"%PDF-1.4")
    with pytest.raises(InvalidField, match="at most 3 files"):
        check_uploads([pdf] * 4)
    with pytest.raises(InvalidField, match="besar.pdf is larger than 5 MB"):
        check_uploads([Upload("besar.pdf", b"%PDF-" + b"0" * MAX_BYTES)])
    with pytest.raises(InvalidField, match="kosong.pdf is empty"):
        check_uploads([Upload("kosong.pdf", b"")])
    assert len(check_uploads([pdf] * 3 + [Upload("", b"")])) == 3  # an empty file input sends nothing
