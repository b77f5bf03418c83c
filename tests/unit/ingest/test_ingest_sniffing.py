"""Telling sources apart by their bytes, and the rules for a folder of page images."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CODES, IngestError
from ingest.source import SourceKind, natural_key, sniff, source_files

MAGIC = {
    "scan.jpg": (b"\xff\xd8\xff\xe0\0\x10JFIF\0", SourceKind.JPEG),
    "scan.png": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", SourceKind.PNG),
    "intel.tif": (b"II*\0\x08\0\0\0", SourceKind.TIFF),
    "motorola.tif": (b"MM\0*\0\0\0\x08", SourceKind.TIFF),
    "big.tif": (b"II+\0\x08\0\0\0", SourceKind.TIFF),
    "doc.pdf": (b"%PDF-1.7\n%\xe2\xe3", SourceKind.PDF),
    "late-header.pdf": (b"\r\n\xef\xbb\xbf junk %PDF-1.4\n", SourceKind.PDF),
    "photo.pdf": (b"\xff\xd8\xff\xe1\0\x10Exif", SourceKind.JPEG),
    "book.jpg": (b"%PDF-1.5\n", SourceKind.PDF),
}


@pytest.mark.parametrize("name", sorted(MAGIC))
def test_the_kind_comes_from_the_magic_bytes_never_the_name(tmp_path: Path, name: str) -> None:
    head, kind = MAGIC[name]
    (tmp_path / name).write_bytes(head)
    assert sniff(tmp_path / name) is kind


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"Laporan bulanan PST", "unsupported_type"),
        (b"PK\x03\x04 a zip or docx", "unsupported_type"),
        (b"GIF89a", "unsupported_type"),
    ],
)
def test_empty_and_unknown_files_are_refused(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(content)
    with pytest.raises(IngestError) as caught:
        sniff(path)
    assert caught.value.code == code
    assert "laporan.pdf" in str(caught.value)


def _folder(tmp_path: Path, names: list[str], head: bytes = b"\xff\xd8\xff\xe0") -> Path:
    folder = tmp_path / "pindaian"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(head)
    return folder


def test_a_folder_of_page_images_is_one_source_in_natural_name_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["10.jpg", "2.jpg", "1.jpg", "hal-9.jpg", "Hal-10.jpg"])
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    assert sniff(folder) is SourceKind.IMAGES
    assert [p.name for p in source_files(folder)] == ["1.jpg", "2.jpg", "10.jpg", "hal-9.jpg", "Hal-10.jpg"]


def test_natural_order_compares_digit_runs_by_value() -> None:
    names = ["page10.png", "page2.png", "page1.png", "page02b.png"]
    assert sorted(names, key=lambda n: natural_key(Path(n))) == [
        "page1.png",
        "page2.png",
        "page02b.png",
        "page10.png",
    ]


@pytest.mark.parametrize("intruder", ["catatan.txt", "lampiran.pdf"])
def test_a_folder_holding_other_files_is_mixed(tmp_path: Path, intruder: str) -> None:
    folder = _folder(tmp_path, ["1.jpg", "2.jpg"])
    (folder / intruder).write_bytes(b"%PDF-1.7" if intruder.endswith("pdf") else b"catatan")
    with pytest.raises(IngestError) as caught:
        sniff(folder)
    assert (caught.value.code, caught.value.params["file"]) == ("mixed_folder", intruder)


def test_a_folder_holding_a_subfolder_is_mixed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["1.jpg"])
    (folder / "bab-2").mkdir()
    with pytest.raises(IngestError) as caught:
        source_files(folder)
    assert caught.value.code == "mixed_folder"


def test_a_folder_without_images_is_empty(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [".hidden.jpg"])
    with pytest.raises(IngestError) as caught:
        sniff(folder)
    assert caught.value.code == "empty_folder"


def test_an_error_carries_its_code_and_the_values_for_a_translated_message() -> None:
    error = IngestError("big.pdf is 812 MB.", code="too_large", limit_mb=500, size_mb=812)
    assert (str(error), error.code, error.params) == (
        "big.pdf is 812 MB.",
        "too_large",
        {"limit_mb": 500, "size_mb": 812},
    )
    assert "mixed_folder" in CODES


def test_an_error_with_an_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown ingest error code"):
        IngestError("?", code="exploded")
