"""Indonesian (and English) text analysis shared by every engine: tokens, stopwords, stems.

Everything here is a plain module-level function or constant on purpose: the Whoosh
analyzers refer to these functions and Whoosh pickles its analyzers into the index, so
they must be importable by name (no lambdas, no bound methods, no stemmer object).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words with optional inner dots ("1.234", "1102001.1872"); hyphens split words, so
# "rata-rata" is two tokens and a query "rata-rata" becomes the phrase "rata rata".
TOKEN_PATTERN = re.compile(r"\w+(?:\.\w+)*")

# A short list of our own. Generic Indonesian lists drop words statisticians search for:
# "jumlah", "tahun", "per", "menurut", "dalam" ("... Dalam Angka" is a series name),
# "tidak"/"bukan" ("bukan angkatan kerja") all stay searchable.
STOPWORDS = frozenset(
    """
    yang dan di ke dari dengan untuk pada ini itu atau oleh sebagai adalah akan juga
    telah tersebut bahwa secara serta
    the of and in to for on by a an is are
    """.split()
)

# Words Sastrawi stems into a different concept; each stays as written.
NO_STEM = frozenset(
    {
        "pengangguran",  # unemployment -> "anggur" (grape)
        "kecamatan",  # the subdistrict (an area in every table) -> "camat", its head
        "kelurahan",  # the urban village -> "lurah", its head
        "menurut",  # "by/according to" in table titles -> "turut" (to take part)
        "perkebunan",  # estate crops, a statistics subject of its own -> "kebun" (garden)
        "pendapatan",  # income -> "dapat", the everyday verb "can/get"
        "pengeluaran",  # expenditure -> "keluar" (to go out, to issue)
        "pembangunan",  # development (Indeks Pembangunan Manusia) -> "bangun", buildings
        "angkatan",  # "angkatan kerja", the labour force -> "angkat" (to lift)
        "penumpang",  # passengers -> "tumpang" ("tumpang sari", intercropping)
    }
)

# Words Sastrawi gets wrong, mapped to the stem they should share with their family.
STEM_OVERRIDES = {
    # Sastrawi gives "duduk" (to sit), which also catches "kedudukan" (position).
    "penduduk": "penduduk",
    "kependudukan": "penduduk",
    "berpenduduk": "penduduk",
    # Sastrawi gives "terna" and "perban" (bandage): neither meets "ternak" or "bank".
    "peternakan": "ternak",
    "perbankan": "bank",
}


@lru_cache(maxsize=1)
def _sastrawi():
    """Return the Sastrawi stemmer, built on first use (loading it takes a moment)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem_indonesian(word: str) -> str:
    """Return the Indonesian stem of a lower-case word."""
    if word in NO_STEM:
        return word
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    # Numbers, codes and short words have no affixes worth stripping.
    if len(word) <= 3 or not word.isalpha():
        return word
    return _sastrawi().stem(word) or word


@lru_cache(maxsize=1)
def _snowball_english():
    """Return Whoosh's Snowball (Porter2) English stemmer."""
    # Porter2 rather than Whoosh's default Porter: Porter gives "unemployed" ->
    # "unemploi" but "unemployment" -> "unemploy", so the two would never meet.
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language("en")


@lru_cache(maxsize=200_000)
def stem_english(word: str) -> str:
    """Return the English (Snowball) stem of a lower-case word."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _snowball_english()(word)


def load_stemmers() -> None:
    """Load both stemmers now (their modules and Sastrawi's dictionary), before a first search needs them."""
    _sastrawi()
    _snowball_english()


def stem_for(language: str):
    """Return the stem function for a publication language code."""
    return stem_english if is_english(language) else stem_indonesian


def is_english(language: str) -> bool:
    """Return whether text in this language gets English stemming."""
    return language.lower().startswith("en")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Return (lower-case word, start, end) for each non-stopword of the text."""
    return [
        (word, match.start(), match.end())
        for match in TOKEN_PATTERN.finditer(text)
        if (word := match.group().lower()) not in STOPWORDS
    ]


def words(text: str) -> list[str]:
    """Return the lower-case non-stopwords of the text, in order."""
    return [word for word, _, _ in tokens(text)]
