"""A series read from titles: the editions of "Kota Metro Dalam Angka 2024" share "Dalam Angka".

A title's series name is the title without its years, months and place ("Kota Metro",
"Kabupaten Tulang Bawang", "Provinsi Sumatera Selatan", "Kecamatan Metro Pusat"); a
"Berita Resmi Statistik: ..." is in the series before the colon. Titles whose series names
fold to the same text are suggested as one series. Pure text: no database here.
"""

from __future__ import annotations

import re

from catalog_data import fold, slug

_YEARS = re.compile(r"\b(?:19|20)\d{2}(?:\s*[-/–]\s*(?:19|20)\d{2})?\b")
_MONTHS = re.compile(
    r"\b(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|"
    r"Triwulan\s+[IV]+|Semester\s+[I]+)\b",
    re.IGNORECASE,
)
# A place: its kind, then capitalised words up to a word that starts the title's own text again.
_PLACE = re.compile(
    r"\b(?:Kota|Kabupaten|Provinsi|Kecamatan|Province(?:\s+of)?)\s+"
    r"(?:(?!Dalam\b|Menurut\b|Hasil\b|Tahun\b)[A-Z][\w'.-]*\s*)+"
)
_SPACES = re.compile(r"\s+")


def series_name(title: str) -> str:
    """Return the series a title's editions share ('' when nothing is left of it)."""
    head, colon, _rest = title.partition(":")
    if colon and len(head.split()) <= 5:  # "Berita Resmi Statistik: Profil Kemiskinan ..."
        return _SPACES.sub(" ", head).strip()
    text = _PLACE.sub(" ", _MONTHS.sub(" ", _YEARS.sub(" ", title)))
    return _SPACES.sub(" ", text).strip(" -–,.")


def series_key(title: str) -> str:
    """Return the folded series name of a title: equal keys, one series."""
    return fold(series_name(title))


def series_slug(name: str) -> str:
    """Return the address part of a series named so: 'Dalam Angka' is 'dalam-angka'."""
    return slug(name)[:80].strip("-")
