"""The other ways a typed word is written: numerals, short forms of place kinds and months.

A title says "Kecamatan Lubuklinggau Barat I", "Triwulan II", "Desember 2024"; people type
"kec lubuklinggau barat 1", "triwulan 2", "des 2024". A word of a query also matches the forms
listed here (they are alternatives of its clause, never required), so either way finds the
other. The typed word keeps matching as typed: "sep" stays the Survei Ekonomi Pertanian's
abbreviation while it also matches "september".
"""

from __future__ import annotations

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
SPELLED = ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")

# Short forms as BPS tables and the press write them, mapped to the word a title uses.
SHORT = {
    "kec": ("kecamatan",),
    "kab": ("kabupaten",),
    "prov": ("provinsi",),
    "propinsi": ("provinsi",),
    "kel": ("kelurahan",),
    "ds": ("desa",),
    "jan": ("januari",),
    "feb": ("februari",),
    "mar": ("maret",),
    "apr": ("april",),
    "jun": ("juni",),
    "jul": ("juli",),
    "agu": ("agustus",),
    "agt": ("agustus",),
    "ags": ("agustus",),
    "agus": ("agustus",),
    "sep": ("september",),
    "sept": ("september",),
    "okt": ("oktober",),
    "nov": ("november",),
    "des": ("desember",),
    "tw": ("triwulan",),
    "sem": ("semester",),
}


def _numerals() -> dict[str, tuple[str, ...]]:
    forms: dict[str, tuple[str, ...]] = {}
    for number, roman in enumerate(ROMAN, start=1):
        spelled = (SPELLED[number - 1],) if number <= len(SPELLED) else ()
        forms[str(number)] = (roman,)
        forms[roman] = (str(number),)
        for word in spelled:
            forms[word] = (str(number), roman)
    return forms


FORMS: dict[str, tuple[str, ...]] = {**_numerals(), **SHORT}


def other_forms(word: str) -> tuple[str, ...]:
    """Return the other ways the lower-case word is written (none for most words)."""
    return FORMS.get(word, ())
