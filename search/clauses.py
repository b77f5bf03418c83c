"""What a user typed, read as clauses: the first stage of a query, the same for every engine.

A query is a list of clauses that must all match (AND). A clause is a word, a prefix
("penduduk*"), a quoted phrase or a publication identifier (Katalog BPS, Nomor Publikasi,
ISSN, ISBN); the words that only ask for figures or frame a question are left out. What the
clauses match in an index (their words, stems and corrections) is `search/querying.py`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from search.analysis import words
from search.word_forms import read_together, written_out

MIN_PREFIX = 3  # "ke*" would expand to half the vocabulary
# What one query may cost, whatever is typed: of the clauses left once the words asking for
# nothing are out, those beyond the first MAX_CLAUSES are left out too (and at most MAX_READ are
# read), and a prefix beyond the first MAX_PREFIXES is searched as the word it is (the words a
# query looks up for corrections are bounded where they are resolved, `querying.MAX_CORRECTED`).
MAX_CLAUSES = 12
MAX_PREFIXES = 2
# The clauses read before the words asking for nothing are left out: a visitor's greeting and
# thanks around a question ("selamat siang kak, mau tanya ...") must not use up its twelve.
MAX_READ = 4 * MAX_CLAUSES

# Words that ask for figures in general ("angka kemiskinan": poverty figures). Beside a topic they
# say nothing the topic does not, and would rank the "... Dalam Angka" compendia first: they are
# left out of a query that has other words, except as part of a series name ("dalam angka",
# "in figures").
# Question and request words ("berapa ...", "how many ...", "mohon data ...") and their spoken
# particles ("apa saja", "dong") are left out the same way: a visitor's question asks for the topic
# it names. So are "tingkat" (the level of; "rate" in English) and "masyarakat" (the public's):
# "tingkat kesejahteraan masyarakat sumsel" asks for Sumatera Selatan's welfare, which a publication
# need not word so. Nor do words asking whether it is there or may be had ("sudah bisa diakses",
# "can I download", its "release date"), spoken ones ("gak", "ya", "kak", "lagi" in "ekonomi metro
# lagi naik"), nor what the figures are for ("saya butuh data ... buat skripsi", "for my thesis",
# "untuk RPJMD"), nor a greeting, a thanks and the words of asking around a question ("selamat siang
# kak, mau tanya ... makasih").
GENERIC_WORDS = frozenset(
    """
    angka data informasi tingkat masyarakat
    berapa berapakah apa apakah bagaimana bagaimanakah gimana mana manakah dimana dimanakah kapan
    siapa mengapa kenapa lagi kira kira2
    selamat pagi siang sore halo hai permisi assalamualaikum terima kasih terimakasih makasih makasi
    mksh trims thx thanks hello hi tanya bertanya nanya kalau kalo sama ga perpus
    mohon minta tolong cari carikan mencari ingin mau butuh perlu ada adakah tentang mengenai
    terkait seputar sekarang terbaru terkini banyak saja aja sih dong deh nih ya yah kah
    sudah udah sdh bisa bs boleh dapatkah tersedia akses diakses download unduh diunduh lihat liat
    gak nggak ngga enggak gk kak pak bu min
    saya aku kami kita gue gw pengen pingin tahu tau info datanya nilainya publikasi rilis paling
    buat penelitian meneliti riset skripsi tesis disertasi makalah tugas kuliah menyusun dipakai digunakan
    presentasi rapat rpjmd rpjmn rkpd renstra
    how many much what which where when who why there was were do does did find show me please
    about latest current recent can could we need want looking get available my our research thesis rate
    presentation
    release released date
    """.split()
)
SERIES_BEFORE = {"angka": "dalam"}
# A series name's first word is only a preposition when its last word does not follow ("sektor
# terbesar dalam ekonomi tulang bawang"): then it is left out like the words above.
SERIES_FIRST = frozenset(SERIES_BEFORE.values())

# Words people type around an identifier ("ISSN 2089-1234", "katalog 1102001").
IDENTIFIER_LABELS = frozenset({"issn", "isbn", "katalog", "kat", "bps", "nomor", "no", "publikasi"})
_IDENTIFIER = re.compile(
    r"^(?:\d{7}(?:\.\d+)?"  # Katalog BPS, with an optional region suffix
    r"|\d{5}\.\d{4}"  # Nomor Publikasi NNNNN.YYSS
    r"|\d{4}-?\d{3}[\dxX]"  # ISSN, with or without its hyphen
    r"|(?:97[89])?[\d-]{9,17}[\dxX])$"  # ISBN-10/13 with or without hyphens
)
_PIECE = re.compile(r'"([^"]*)"?|([^\s"]+)')  # a quoted phrase (closed or not) or a token

ClauseKind = Literal["word", "prefix", "phrase", "identifier"]


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for; `words` are lower-case exact words.

    `typed` is what was typed for it and `at` where (the typed pieces, counted from 0): a query
    answered without a clause names it as typed (`search.partial`).
    """

    kind: ClauseKind
    words: tuple[str, ...]
    identifiers: tuple[str, ...] = ()
    typed: str = field(default="", compare=False)
    at: tuple[int, ...] = field(default=(), compare=False)


def identifier_variants(value: str) -> tuple[str, ...]:
    """Return the normalised forms an identifier is indexed and searched under."""
    value = value.strip().lower()
    if not value:
        return ()
    variants = {value}
    digits = re.sub(r"[^0-9x]", "", value)
    if len(digits) >= 7:
        variants.add(digits)
    if re.fullmatch(r"\d{7}\.\d+", value):
        variants.add(value.split(".")[0])  # regional editions append the region code
    return tuple(sorted(variants))


def is_identifier(token: str) -> bool:
    """Return whether a typed token looks like a publication identifier."""
    return bool(_IDENTIFIER.match(token)) and sum(c.isdigit() for c in token) >= 7


def parse(text: str) -> list[Clause]:
    """Split typed text into clauses: at most MAX_CLAUSES of them, MAX_PREFIXES of them prefixes.

    The clauses of a text are kept (`_parsed`): a search parses its text in the engine and again
    in the steps after its answer, and the same text comes again and again.
    """
    return list(_parsed(text))


def fitted(text: str, favoured: frozenset[str]) -> str:
    """Return a query of more clauses than MAX_CLAUSES cut down to them, its other words cut first.

    A question typed in full names its place last ("... ada buku statistik yang ringkas dan ada
    grafiknya tentang kota lubuklinggau?"): the clauses with a `favoured` word (the glossary's,
    places' included), a number or an identifier are kept before the others, each in the order
    typed, as are a series' name ("dalam angka"). A query of no more clauses, or with a quoted
    phrase, is returned as typed.
    """
    clauses = _read(text)
    if len(clauses) <= MAX_CLAUSES or '"' in text:
        return text

    def wanted(index: int) -> bool:
        clause = clauses[index]
        if clause.kind == "identifier" or any(w in favoured or w.isdigit() for w in clause.words):
            return True
        before = clauses[index - 1] if index else None
        after = clauses[index + 1] if index + 1 < len(clauses) else None
        return ends_series(before, clause) or (after is not None and ends_series(clause, after))

    first = [index for index in range(len(clauses)) if wanted(index)][:MAX_CLAUSES]
    rest = [index for index in range(len(clauses)) if index not in first]
    chosen = sorted(first + rest[: MAX_CLAUSES - len(first)])
    return " ".join(dict.fromkeys(clauses[index].typed for index in chosen))


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Clause, ...]:
    kept = list(_read(text))
    last = kept[MAX_CLAUSES - 1] if len(kept) > MAX_CLAUSES else None
    if last is not None and last.kind == "word" and last.words[0] in SERIES_FIRST:
        kept = kept[: MAX_CLAUSES - 1]  # the series' last word is cut: its first is a preposition alone
    return tuple(kept[:MAX_CLAUSES])


@lru_cache(maxsize=256)
def _read(text: str) -> tuple[Clause, ...]:
    """Return the clauses of a text, at most MAX_READ read, those asking for nothing left out."""
    clauses: list[Clause] = []
    typed = [match.groups() for match in _PIECE.finditer(text)]
    tokens = read_together([token or "" for _, token in typed])
    for at, ((quoted, _), token) in enumerate(zip(typed, tokens, strict=True)):
        if len(clauses) >= MAX_READ:
            break
        if quoted is not None:
            clauses.extend(_text_clause(quoted, at))
            continue
        if token is None:
            continue
        token = token.strip(",;:()[]{}'’?!.")
        if is_identifier(token):
            variants = identifier_variants(token)
            clauses.append(Clause("identifier", tuple(words(token)), variants, typed=token, at=(at,)))
        elif token.endswith("*") and len(words(token)) == 1 and len(token) > MIN_PREFIX:
            prefixes = sum(c.kind == "prefix" for c in clauses)
            kind: ClauseKind = "prefix" if prefixes < MAX_PREFIXES else "word"
            clauses.append(Clause(kind, tuple(words(token)), typed=token, at=(at,)))
        else:
            clauses.extend(_text_clause(written_out(token), at, token))
    if any(c.kind == "identifier" for c in clauses):
        clauses = [c for c in clauses if c.kind != "word" or c.words[0] not in IDENTIFIER_LABELS]
    return tuple(_without_generic(clauses))


def _without_generic(clauses: list[Clause]) -> list[Clause]:
    """Leave out the words asking for figures in general when the query names something else.

    So is a phrase of such words only ("kira-kira", "terima-kasih"), and "dalam" where "angka"
    does not follow it (a preposition, not the series' name).
    """

    def generic(index: int) -> bool:
        clause = clauses[index]
        if clause.kind == "phrase":
            return set(clause.words) <= GENERIC_WORDS
        if clause.kind != "word":
            return False
        if clause.words[0] in SERIES_FIRST:
            after = clauses[index + 1] if index + 1 < len(clauses) else None
            return after is None or not ends_series(clause, after)
        if clause.words[0] not in GENERIC_WORDS:
            return False
        return not ends_series(clauses[index - 1] if index else None, clause)

    kept = [clause for index, clause in enumerate(clauses) if not generic(index)]
    return kept or clauses


def ends_series(before: Clause | None, clause: Clause) -> bool:
    """Tell whether a word ends a series' name with the clause before it ("dalam angka")."""
    series = SERIES_BEFORE.get(clause.words[0]) if clause.kind == "word" else None
    return series is not None and before is not None and before.words[-1:] == (series,)


def _text_clause(text: str, at: int, typed: str | None = None) -> list[Clause]:
    """Return the clause of text (`typed` so, if not as is): a word, or a phrase of its words (none:
    only stopwords)."""
    found = tuple(words(text))
    if not found:
        return []  # only stopwords or punctuation
    return [Clause("word" if len(found) == 1 else "phrase", found, typed=typed or text, at=(at,))]
