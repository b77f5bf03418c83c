"""The other ways a typed word is written: numerals, short forms of place kinds and months, words
shortened in writing.

A title says "Kecamatan Lubuklinggau Barat I", "Triwulan II", "Desember 2024"; people type
"kec lubuklinggau barat 1", "triwulan 2", "des 2024". A word of a query also matches the forms
listed here (they are alternatives of its clause, never required), so either way finds the
other. The typed word keeps matching as typed: "sep" stays the Survei Ekonomi Pertanian's
abbreviation while it also matches "september".
"""

from __future__ import annotations

import re

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


# Words as people shorten them in writing (messages, notes, forms), never a term of their own:
# a typed one is the word it stands for ("sumsel dlm angka" is "sumsel dalam angka").
WRITTEN = {
    "dlm": "dalam",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "kpd": "kepada",
    "ttg": "tentang",
    "sbg": "sebagai",
    "krn": "karena",
    "spt": "seperti",
    "tsb": "tersebut",
    "thn": "tahun",
    "jml": "jumlah",
    "pddk": "penduduk",
    "bln": "bulan",
    "brp": "berapa",
    "gmn": "bagaimana",
    "bgmn": "bagaimana",
    "hrg": "harga",
}
# "se-Lampung", "se-Indonesia": the whole of a place, which is that place to search for.
WHOLE_OF = "se-"


def written_out(token: str) -> str:
    """Return a typed token with its shortened words written out ("kab/kota": "kabupaten/kota").

    A word joined by "-" or "/" to others is written out alone; "se-" before a word is left out.
    """
    lowered = token.lower()
    if lowered.startswith(WHOLE_OF) and lowered[len(WHOLE_OF) :].isalpha():
        return token[len(WHOLE_OF) :]
    parts = re.split(r"([/-])", token)
    if len(parts) == 1:
        return WRITTEN.get(lowered, token)
    # Joined, a place kind's short form is written out too: "kab/kota" is "kabupaten/kota" (a
    # phrase, whose words match only as written; typed alone, "kab" matches either way: SHORT).
    return "".join(WRITTEN.get(part.lower()) or _PLACE_KINDS.get(part.lower(), part) for part in parts)


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
_PLACE_KINDS = {short: SHORT[short][0] for short in ("kec", "kab", "prov", "kel", "ds")}


def other_forms(word: str) -> tuple[str, ...]:
    """Return the other ways the lower-case word is written (none for most words)."""
    return FORMS.get(word, ())
