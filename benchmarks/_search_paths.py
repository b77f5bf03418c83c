"""The searches the serving benchmarks ask: the common ones, new ones, and what people type."""

from __future__ import annotations

import random
import re
from urllib.parse import quote_plus

from benchmarks._site import ROOT

WORDS = (
    "penduduk",
    "kemiskinan",
    "inflasi",
    "indeks harga konsumen",
    '"dalam angka"',
    "pertanian",
    "angkatan kerja",
    "pendudk",  # a typo: the page offers a correction
    "ekonomi kota metro",
    "pariwisata",
    "produk domestik regional bruto",
    "statistik",
)
EXTRA = ("", "&year=2024", "&halaman=2", "&language=id")


def search_paths() -> list[str]:
    """Return the search pages asked for, in the order wrk cycles through them."""
    return [f"/cari/?q={quote_plus(w)}{extra}" for extra in EXTRA for w in WORDS]


def new_search_paths(count: int = 3000, texts: list[str] | None = None, seed: int = 27) -> list[str]:
    """Return `count` different searches made of the words of these texts (the demo's titles).

    Single words, pairs, prefixes, typos (a letter dropped or two swapped) and filters: wrk
    cycles through more of them than the search engine keeps answers for, so each is
    computed anew (the engine's cold path), as a catalogue's long tail of searches is.
    """
    if texts is None:
        texts = re.findall(
            r'^title = "(.*)"$', (ROOT / "catalog_data" / "demo_catalogue.toml").read_text(), re.M
        )
    vocabulary = sorted({w.lower() for t in texts for w in re.findall(r"[A-Za-z]{4,}", t)})
    chooser = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        word, other = chooser.choice(vocabulary), chooser.choice(vocabulary)
        at = chooser.randrange(1, len(word) - 1)
        text = chooser.choice(
            (
                word,
                f"{word} {other}",
                f"{word[:4]}*",
                word[:at] + word[at + 1 :],
                word[:at] + word[at + 1] + word[at] + word[at + 2 :],
                f"{word} {other} {chooser.choice(vocabulary)}",
            )
        )
        found[f"/cari/?q={quote_plus(text)}{chooser.choice(EXTRA)}"] = None
    return list(found)


def judged_paths() -> tuple[list[str], list[str]]:
    """Return two disjoint lists of new searches made of what people type (the judged queries).

    Each judged query (Indonesian and English topics, places, abbreviations, periods, typos:
    `search_judgments.toml`) with a filter, a second page or the newest first, and once more with
    one of its words misspelt: searches the engine has not answered before, as the site's own
    visitors ask them. Half are timed, the other half warm the server up.
    """
    from benchmarks.search_quality import load_judgments

    chooser = random.Random(59)
    extras = (*EXTRA, "&urut=newest", *(f"&year={year}" for year in range(2018, 2026)))
    found: dict[str, None] = {}
    for query in load_judgments():
        words = query.text.split()
        word = chooser.choice(words)
        at = chooser.randrange(1, len(word) - 1) if len(word) > 4 else 0
        slipped = " ".join(w if w != word else word[:at] + word[at + 1 :] for w in words)
        for text in dict.fromkeys((query.text, slipped)):
            for extra in extras:
                found[f"/cari/?q={quote_plus(text)}{extra}"] = None
    paths = list(found)
    chooser.shuffle(paths)
    return paths[::2], paths[1::2]
