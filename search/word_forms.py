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
    "agst": ("agustus",),
    "agts": ("agustus",),
    "sep": ("september",),
    "sept": ("september",),
    "okt": ("oktober",),
    "nov": ("november",),
    "nop": ("november",),
    "des": ("desember",),
    # English months, as a foreign researcher types them ("poverty rate march 2024")
    "january": ("januari",),
    "february": ("februari",),
    "march": ("maret",),
    "may": ("mei",),
    "june": ("juni",),
    "july": ("juli",),
    "august": ("agustus",),
    "aug": ("agustus",),
    "october": ("oktober",),
    "oct": ("oktober",),
    "december": ("desember",),
    "dec": ("desember",),
    "tw": ("triwulan",),
    "sem": ("semester",),
}


# Words as people shorten them in writing (messages, notes, forms) or say them ("duit", "gawe"), never a
# term of their own: a typed one is the word it stands for ("sumsel dlm angka" is "sumsel dalam
# angka").
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
    "duit": "uang",
    # Javanese and Palembang Malay words of everyday talk in Lampung and South Sumatra
    "gawe": "kerja",
    "wong": "orang",
    "gede": "besar",
    "bocah": "anak",
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
    return "".join(WRITTEN.get(part.lower()) or PLACE_KINDS.get(part.lower(), part) for part in parts)


MONTHS = frozenset(
    """januari februari maret april mei juni juli agustus september oktober november desember nopember
    january february march may june july august october december""".split()
)
# A two-digit year follows a month or "tahun" ("agst 24", "thn 23"), or an apostrophe ("'24").
_YEAR_AFTER = MONTHS | {short for short, (word,) in SHORT.items() if word in MONTHS} | {"tahun", "thn", "th"}
# "2019 sd 2023", "2019 s/d 2023": between two numbers, the word only says "to".
_RANGE_WORDS = frozenset({"sd", "s.d", "s.d.", "s/d", "sampai", "hingga", "until", "to", "-", "–"})
# An identifier typed with a space where the cover prints a dot: Nomor Publikasi "16740 2403",
# Katalog BPS "1102001 1872"; after "issn", its two halves ("2477 538x").
_SPLIT_IDENTIFIERS = (
    (re.compile(r"\d{5}"), re.compile(r"\d{4}"), "."),
    (re.compile(r"\d{7}"), re.compile(r"\d{2}|\d{4}|\d{7}"), "."),
)
_ISSN_HALVES = (re.compile(r"\d{4}"), re.compile(r"\d{3}[\dxX]"))


# A number spoken (and typed by a phone's voice input) in words: "dua ribu dua puluh tiga".
_UNITS = {word: number for number, word in enumerate(SPELLED[:9], start=1)}
_SE = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
_TIMES = {"puluh": 10, "ratus": 100, "ribu": 1000}
_NUMBER_WORDS = frozenset({*_UNITS, *_SE, *_TIMES, "belas"})


def _spoken_numbers(lowered: list[str], read: list[str | None]) -> None:
    """Write each run of number words holding a multiplier ("puluh", "ribu" ...) as its digits."""
    at = 0
    while at < len(lowered):
        end = at
        while end < len(lowered) and lowered[end] in _NUMBER_WORDS:
            end += 1
        run = lowered[at:end]
        if len(run) > 1 and not set(run) <= set(_UNITS) and run[0] in (*_UNITS, *_SE):
            read[at:end] = [str(_value(run)), *([None] * (len(run) - 1))]
        at = max(end, at + 1)


def _value(run: list[str]) -> int:
    """Return the number a run of Indonesian number words says."""
    total = current = 0
    for word in run:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "belas":
            current += 10
        elif word == "seribu":
            total += 1000
        elif word in _SE:
            current += _SE[word]
        elif word == "ribu":
            total, current = total + max(current, 1) * 1000, 0
        else:  # puluh, ratus: the digit before them counts so many tens or hundreds
            current = current - current % 10 + (current % 10 or 1) * _TIMES[word]
    return total + current


def read_together(tokens: list[str]) -> list[str | None]:
    """Return typed tokens as read beside their neighbours (None: the token says nothing).

    Joins an identifier typed in two tokens (into the first), writes a two-digit year after a month
    or an apostrophe in full and a number said in words in digits ("dua ribu dua puluh tiga"), and
    drops the "to" of a range of numbers ("2019 sd 2023").
    """
    read: list[str | None] = list(tokens)
    lowered = [token.lower() for token in tokens]
    _spoken_numbers(lowered, read)
    for at, token in enumerate(lowered):
        before = lowered[at - 1] if at else ""
        after = lowered[at + 1] if at + 1 < len(tokens) else ""
        if read[at] is None:
            continue
        if run := _isbn_groups(lowered, at):
            read[at : at + run[1]] = [run[0], *([None] * (run[1] - 1))]
        elif joined := _identifier(before, token, after):
            read[at], read[at + 1] = joined, None
        elif re.fullmatch(r"['’]\d{2}", token) or (re.fullmatch(r"\d{2}", token) and before in _YEAR_AFTER):
            read[at] = "20" + token[-2:]
        elif token in _RANGE_WORDS and before.isdigit() and after.isdigit():
            read[at] = None
    return read


def _isbn_groups(lowered: list[str], at: int) -> tuple[str, int] | None:
    """Return an ISBN typed in its groups from `at` ("isbn 978 623 1352 96 5"), joined, and its token count.

    The groups are read after "isbn", or from a 978 or 979 prefix: digit groups making 13 digits in
    two tokens or more, or after "isbn" 10 (Indonesia's older "979-8064-16-X", its last perhaps X).
    """
    after_word = at > 0 and lowered[at - 1] == "isbn"
    if not (after_word or lowered[at] in ("978", "979")):
        return None
    digits, end, found = "", at, None
    while end < len(lowered) and len(digits) < 13 and re.fullmatch(r"\d+|\d*x", lowered[end]):
        digits += lowered[end]
        end += 1
        if "x" in digits[:-1]:
            break
        if end - at > 1 and (len(digits) == 13 or (len(digits) == 10 and after_word)):
            found = digits.upper(), end - at  # an ISBN-10 unless the groups go on to 13 digits
    return found


def _identifier(before: str, token: str, after: str) -> str | None:
    """Return the identifier `token` and `after` make together, if they make one."""
    for first, second, glue in _SPLIT_IDENTIFIERS:
        if first.fullmatch(token) and second.fullmatch(after):
            return token + glue + after
    if before == "issn" and _ISSN_HALVES[0].fullmatch(token) and _ISSN_HALVES[1].fullmatch(after):
        return token + "-" + after
    return None


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
PLACE_KINDS = {short: SHORT[short][0] for short in ("kec", "kab", "prov", "kel", "ds")}


def other_forms(word: str) -> tuple[str, ...]:
    """Return the other ways the lower-case word is written (none for most words)."""
    return FORMS.get(word, ())


# A range of years a title names ("Proyeksi Penduduk 2020-2035", "2019 s.d. 2023"), and the longest
# whose years inside are indexed (`years_within`).
_YEAR_RANGE = re.compile(
    r"\b((?:19|20)\d{2})\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai|hingga|to)\s*((?:19|20)\d{2})\b", re.IGNORECASE
)
MAX_YEARS_WITHIN = 50


def years_within(*texts: str) -> list[str]:
    """Return the years inside each range of years the texts name, its ends excepted (they are written).

    A publication of 2020-2035 holds figures of 2025: a query naming 2025 finds it (its title's
    ends are words of it already). A range of more than MAX_YEARS_WITHIN years names none.
    """
    found: dict[str, None] = {}
    for text in texts:
        for start, end in _YEAR_RANGE.findall(text or ""):
            if 1 < int(end) - int(start) <= MAX_YEARS_WITHIN:
                found.update((str(year), None) for year in range(int(start) + 1, int(end)))
    return list(found)
