"""A series read from titles: editions differing by place, year and month share it."""

from __future__ import annotations

import pytest

from library.browse.series_titles import series_name


@pytest.mark.parametrize(
    ("title", "series"),
    [
        ("Kota Metro Dalam Angka 2024", "Dalam Angka"),
        ("Kecamatan Lubuklinggau Barat I Dalam Angka 2024", "Dalam Angka"),
        ("Provinsi Sumatera Selatan Dalam Angka 2024", "Dalam Angka"),
        ("Statistik Kesejahteraan Rakyat Kota Metro 2023", "Statistik Kesejahteraan Rakyat"),
        ("Keadaan Angkatan Kerja Provinsi Sumatera Selatan Agustus 2024", "Keadaan Angkatan Kerja"),
        (
            "Produk Domestik Regional Bruto Kabupaten Tulang Bawang Menurut Lapangan Usaha 2019-2023",
            "Produk Domestik Regional Bruto Menurut Lapangan Usaha",
        ),
        ("Berita Resmi Statistik: Profil Kemiskinan Kota Metro Maret 2024", "Berita Resmi Statistik"),
        ("Statistik Potensi Kelurahan Kota Metro 2019", "Statistik Potensi Kelurahan"),
        ("Hasil Survei Ekonomi Pertanian 2024 Kota Metro", "Hasil Survei Ekonomi Pertanian"),
    ],
)
def test_a_title_names_the_series_its_editions_share(title: str, series: str) -> None:
    assert series_name(title) == series


def test_a_title_that_is_only_a_year_names_no_series() -> None:
    assert series_name("2024") == ""
