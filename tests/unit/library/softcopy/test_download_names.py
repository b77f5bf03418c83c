"""A downloaded copy is saved under the publication's title: UTF-8 as written, and a safe ASCII slug."""

from __future__ import annotations

import pytest

from library.softcopy.file_names import download_names


@pytest.mark.parametrize(
    ("title", "utf8", "ascii"),
    [
        (
            "Kota Metro Dalam Angka 2024",
            "Kota Metro Dalam Angka 2024 - PS-20261122-00001.pdf",
            "kota-metro-dalam-angka-2024-PS-20261122-00001.pdf",
        ),
        (
            "Statistik Daerah: Metro/Lampung — Édition «spéciale»",
            "Statistik Daerah Metro Lampung — Édition «spéciale» - PS-20261122-00001.pdf",
            "statistik-daerah-metro-lampung-edition-speciale-PS-20261122-00001.pdf",
        ),
        ('"\\/..', "PS-20261122-00001.pdf", "PS-20261122-00001.pdf"),
        ("統計", "統計 - PS-20261122-00001.pdf", "PS-20261122-00001.pdf"),
    ],
)
def test_a_title_becomes_a_file_name_in_utf8_and_in_ascii(title: str, utf8: str, ascii: str) -> None:
    names = download_names(title, "PS-20261122-00001")
    assert (names.utf8, names.ascii) == (utf8, ascii)


def test_a_long_title_is_cut_to_a_file_name_a_file_system_accepts() -> None:
    names = download_names("Tabel " * 100, "PS-20261122-00001")
    assert len(names.utf8.encode()) < 255 and len(names.ascii) < 255
