"""Metadata suggestions: BPS identifiers from the colophon, titles, years and language."""

from __future__ import annotations

import pytest

from ingest.metadata import (
    SuggestedMetadata,
    guess_language,
    katalog_bps_from_filename,
    suggest_metadata,
    valid_isbn,
    valid_issn,
)

COVER = """BADAN PUSAT STATISTIK
BPS KOTA METRO
https://metrokota.bps.go.id
PUBLIKASI
Kota Metro Dalam Angka 2024
Metro Municipality in Figures 2024
2024
"""
COLOPHON = """KOTA METRO DALAM ANGKA 2024
Metro Municipality in Figures 2024
Katalog BPS / BPS Catalogue: 1102001.1872
Nomor Publikasi / Publication Number: 18720.2401
ISSN: 0215-2177
ISBN: 978-602-438-123-3
Ukuran Buku / Book Size: 21 cm x 29,7 cm
Naskah / Manuscript: BPS Kota Metro
Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau menggandakan sebagian
atau seluruh isi buku ini untuk tujuan komersial tanpa izin tertulis dari Badan Pusat
Statistik.
"""
# PyMuPDF reads a colophon laid out as a two-column table one cell per line.
TABLE_COLOPHON = "Katalog\n:\n6301001.1872\nNomor Publikasi\n:\n18720.1904\nISSN\n:\n2477-538X\n"
FOREWORD = """KATA PENGANTAR
Publikasi ini menyajikan jumlah penduduk menurut kecamatan dan jenis kelamin di Kota Metro
tahun 2023 yang bersumber dari hasil proyeksi penduduk dan registrasi dari instansi lain.
"""
ENGLISH = """FOREWORD
This publication presents the population of Metro by district and sex in 2023, compiled from
the population projection and from the registers of other agencies.
"""


def test_a_bps_colophon_yields_every_identifier() -> None:
    suggested = suggest_metadata({}, [COVER, COLOPHON, FOREWORD])
    assert suggested == SuggestedMetadata(
        title="Kota Metro Dalam Angka 2024",
        katalog_bps="1102001.1872",
        nomor_publikasi="18720.2401",
        issn="0215-2177",
        isbn="978-602-438-123-3",
        year=2024,
        language="id",
    )


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("Katalog/Catalog : 4102004.18", "katalog_bps", "4102004.18"),
        ("Katalog BPS: 1101002.1872", "katalog_bps", "1101002.1872"),
        ("Katalog BPS : 1101002.18.72", "katalog_bps", "1101002.18.72"),
        ("Katalog BPS: 1102001.1872030", "katalog_bps", "1102001.1872030"),
        ("Katalog BPS: 1101001", "katalog_bps", "1101001"),
        ("No. Publikasi/Publication Number: 18720.23.01", "nomor_publikasi", "18720.23.01"),
        ("Nomor Publikasi: 18720.2301", "nomor_publikasi", "18720.2301"),
        ("ISSN: 2087-1236", "issn", "2087-1236"),
        ("ISSN 2477-538x", "issn", "2477-538X"),
        ("p-ISSN: 0215-2177", "issn", "0215-2177"),
        ("ISBN 0-306-40615-2", "isbn", "0-306-40615-2"),
        ("ISBN: 978 602 438 123 3", "isbn", "978 602 438 123 3"),
        (TABLE_COLOPHON, "katalog_bps", "6301001.1872"),
        (TABLE_COLOPHON, "nomor_publikasi", "18720.1904"),
        (TABLE_COLOPHON, "issn", "2477-538X"),
    ],
)
def test_colophon_identifiers_are_found_as_printed(text: str, field: str, expected: str) -> None:
    assert getattr(suggest_metadata({}, ["Sampul", text]), field) == expected


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ISSN: 2087-1234", "issn"),  # check digit should be 6
        ("ISSN: 20871236", "issn"),  # not written NNNN-NNNN
        ("ISBN: 978-602-438-123-4", "isbn"),  # check digit should be 3
        ("ISBN 0-306-40615-3", "isbn"),
        ("Katalog BPS: 11010021", "katalog_bps"),  # eight digits
        ("Nomor Publikasi: 1872.2301", "nomor_publikasi"),
    ],
)
def test_malformed_identifiers_are_not_suggested(text: str, field: str) -> None:
    assert getattr(suggest_metadata({}, [text]), field) == ""


def test_identifiers_in_the_document_info_keywords_count_when_pages_have_none() -> None:
    info = {"keywords": "Katalog BPS 5101001.1872, Nomor Publikasi 18720.1901, hasil pindai"}
    suggested = suggest_metadata(info, ["", ""])
    assert (suggested.katalog_bps, suggested.nomor_publikasi) == ("5101001.1872", "18720.1901")


@pytest.mark.parametrize(
    "junk",
    [
        "Microsoft Word - Statistik Daerah 2023.docx",
        "untitled",
        "Untitled-1",
        "Document1",
        "statistik_daerah_final_v2",
        "SD2023.pdf",
        "laporan akhir.docx",
        "1234",
    ],
)
def test_a_junk_info_title_gives_way_to_the_cover_title(junk: str) -> None:
    suggested = suggest_metadata({"title": junk}, [COVER], "sd2023.pdf")
    assert suggested.title == "Kota Metro Dalam Angka 2024"


def test_a_real_info_title_is_kept() -> None:
    info = {"title": "Statistik Daerah Kota Metro 2023"}
    assert suggest_metadata(info, [COVER]).title == "Statistik Daerah Kota Metro 2023"


def test_a_cover_title_broken_over_lines_is_joined_up_to_its_year() -> None:
    cover = (
        "BADAN PUSAT STATISTIK\n\nBPS KOTA METRO\n\nDirektori Pasar dan Pusat\n"
        "Perdagangan Kota Metro 2019\n\nKatalog: 6301001.1872\n"
    )
    suggested = suggest_metadata({}, [cover])
    assert suggested.title == "Direktori Pasar dan Pusat Perdagangan Kota Metro 2019"


def test_without_title_or_cover_text_the_file_name_is_humanised() -> None:
    suggested = suggest_metadata({}, ["", ""], "1101002.1872_statistik-daerah-kota-metro.pdf")
    assert suggested.title == "Statistik Daerah Kota Metro"
    assert suggested.katalog_bps == "1101002.1872"


@pytest.mark.parametrize(
    ("title", "created", "year"),
    [
        ("Kota Metro Dalam Angka 2024", "2000-01-01T00:00:00Z", 2024),
        ("Indikator Kesejahteraan Rakyat Tahun 2019-2023", "", 2023),
        ("Statistik Daerah Kota Metro", "2022-09-30T10:00:00+07:00", 2022),
        ("Statistik Daerah Kota Metro", "D:20210105", 2021),
        ("Statistik Daerah Kota Metro", "", None),
    ],
)
def test_the_year_comes_from_the_title_else_the_creation_date(
    title: str, created: str, year: int | None
) -> None:
    assert suggest_metadata({"title": title, "creationDate": created}, []).year == year


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (FOREWORD, "id"),
        (ENGLISH, "en"),
        ("Tabel 3.1", ""),
        (FOREWORD + ENGLISH, "id"),
    ],
)
def test_the_language_is_guessed_from_function_words(text: str, language: str) -> None:
    assert guess_language(text) == language


@pytest.mark.parametrize(
    ("name", "katalog"),
    [
        ("1101002.1872_statistik-daerah.pdf", "1101002.1872"),
        ("Katalog 1101002.1872.pdf", "1101002.1872"),
        ("sd 1101002.18.72 final.pdf", "1101002.18.72"),
        ("/srv/masuk/4102004.18 statistik.pdf", "4102004.18"),
        ("statistik-daerah.pdf", ""),
        ("scan-2024061.pdf", ""),  # seven digits without a region part: not a catalogue number
        ("11010023.1872.pdf", ""),
    ],
)
def test_a_catalogue_number_is_read_from_a_file_name(name: str, katalog: str) -> None:
    assert katalog_bps_from_filename(name) == katalog


@pytest.mark.parametrize(
    ("issn", "valid"), [("0215-2177", True), ("2477-538X", True), ("2087-1234", False), ("0215-217", False)]
)
def test_issn_check_characters_are_verified(issn: str, valid: bool) -> None:
    assert valid_issn(issn) is valid


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        ("978-602-438-123-3", True),
        ("9786024381233", True),
        ("0-306-40615-2", True),
        ("0-8044-2957-X", True),
        ("978-602-438-123-4", False),
        ("0-306-40615-3", False),
        ("978-602-438", False),
    ],
)
def test_isbn_check_digits_are_verified(isbn: str, valid: bool) -> None:
    assert valid_isbn(isbn) is valid
