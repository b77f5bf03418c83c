"""A publication analysed into the PostgreSQL search tables' rows (see `search.postgres.tables`).

The text is analysed here, in Python, exactly as the other engines analyse it (our tokens,
stopwords and Sastrawi or English stems), and stored as ready-made lexemes: PostgreSQL's own
configurations never see the words. Each word gives two lexemes, the word as written
(`w:penduduk`) and its stem in the publication's language (`i:penduduk`, `e:unemploy`), and
each two- and three-word sequence one (`q:harga konsumen`), so a query names exactly the forms
it accepts and PostgreSQL only looks them up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from search.analysis import is_english, stem_english, stem_for, stem_indonesian
from search.clauses import identifier_variants
from search.engine import PublicationDoc
from search.glossary import indexed_texts
from search.paged_terms import in_body_exact, is_shingleable
from search.paged_terms import page_words as words

MAX_WORD_BYTES = 600  # a lexeme (three words of a sequence) may not exceed 2 KB: longer words are left out
FACET_COLUMNS = {
    "year": "year",
    "subject": "subject",
    "office": "office",
    "publication_type": "publication_type",
    "language": "language",
    "access_level": "access_level",
}
# What a term weighs in a publication, as the Whoosh engine's boosts: titles 3, abstracts,
# subjects and offices 1, pages 0.6; each saturates as BM25's term frequency does (k1 1.2).
# Pages count by the pages holding the term, so a long publication does not win by length.
TITLE, META, BODY = 3.0, 1.0, 0.6
K1 = 1.2


@dataclass(frozen=True)
class Analysed:
    """One publication's rows."""

    publication: dict
    pages: list[tuple[int, int, bool, str, str]]  # ordinal, number, closed, text, lexemes
    terms: list[tuple[str, float, float]]  # term, weight in open places, weight with closed pages


def analyse(doc: PublicationDoc) -> Analysed:
    """Return the rows that index one publication."""
    stem = stem_for(doc.language)
    tag = "e:" if is_english(doc.language) else "i:"
    counts: dict[str, Counter[str]] = {"title": Counter(), "meta": Counter(), "body": Counter()}
    meta: set[str] = set()
    # As the Whoosh engine: each text's words and sequences once, its stems in each language it
    # is analysed in (`search.glossary.indexed_texts`).
    for place, by_language in indexed_texts(doc).items():
        for _, segment in sorted({part for parts in by_language.values() for part in parts}):
            for lexeme in _terms(words(_clean(segment)), "", None):
                meta.add(lexeme)
                counts[place][lexeme] += 1  # sequences too: typed words side by side rank higher
        for language, parts in by_language.items():
            for _, segment in parts:
                for lexeme in _stems(words(_clean(segment)), language):
                    meta.add(lexeme)
                    counts[place][lexeme] += 1
    body: set[str] = set()
    pages = []
    for ordinal, page in enumerate(doc.pages, 1):
        page_text = _clean(page.text)
        own, scored, sequences = _page_terms(words(page_text), tag, stem)
        # Long figures ("266.759") are found through the pages alone, as in the Whoosh
        # engine: tables hold so many that they would double the publication's vector.
        body |= scored
        body |= sequences
        counts["body"].update(scored)
        pages.append((ordinal, page.number, doc.pages_closed, page_text, vector(own | sequences)))
    values = doc.facet_values()
    publication = {
        "publication_id": doc.publication_id,
        "fingerprint": doc.fingerprint,
        "title": _clean(doc.title),
        "abstract": _clean(doc.abstract),
        "pages_closed": doc.pages_closed,
        **{column: _clean(values[facet]) for facet, column in FACET_COLUMNS.items()},
        "newest": doc.newest_key(),
        "identifiers": sorted(
            {
                variant
                for value in (doc.katalog_bps, doc.nomor_publikasi, doc.issn, doc.isbn)
                for variant in identifier_variants(value)
            }
        ),
        "meta": vector(meta),
        "body": "" if doc.pages_closed else vector(body),
        "closed_body": vector(body) if doc.pages_closed else "",
    }
    return Analysed(publication, pages, _weights(counts, doc.pages_closed))


def _weights(counts: dict[str, Counter[str]], pages_closed: bool) -> list[tuple[str, float, float]]:
    """Return each term's weight in the open places, and with the closed pages too."""
    weighed = []
    for term in sorted(set().union(*counts.values())):
        known = TITLE * _saturated(counts["title"][term]) + META * _saturated(counts["meta"][term])
        pages = BODY * _saturated(counts["body"][term])
        weighed.append((term, known if pages_closed else known + pages, known + pages))
    return weighed


def _saturated(frequency: int) -> float:
    return frequency * (K1 + 1) / (frequency + K1)


def _terms(text_words: list[str], tag: str, stem) -> Iterator[str]:
    """Yield the lexemes of a text: each word as written, its stem, and the sequences ending there.

    The two- and three-word sequences of words that take part in them (`is_shingleable`, as the
    Whoosh engine's) find phrases through the GIN indexes alone, with no positions to check.
    What a word gives is worked out once per distinct word (`_word_lexemes`).
    """
    known = _known_words(tag if stem is not None else "")
    run: list[str] = []
    for word in text_words:
        found = known.get(word)
        if found is None:
            found = known[word] = _word_lexemes(word, tag, stem)
        if found is _TOO_LONG:
            run = []
            continue
        yield from found[0]
        if not found[1]:
            run = []
            continue
        run = [*run[-2:], word]
        if len(run) >= 2:
            yield "q:" + run[-2] + " " + word
            if len(run) == 3:
                yield "q:" + run[0] + " " + run[1] + " " + word


def _page_terms(page_words: list[str], tag: str, stem) -> tuple[set[str], set[str], set[str]]:
    """Return a page's lexemes as `_terms` yields them: its words' own, those scored, its sequences.

    The scored ones leave out long figures (`in_body_exact`). A page's words are looked at once
    each (`_word_lexemes`), its sequences made from runs of words that take part in them.
    """
    known = _known_words(tag)
    own: set[str] = set()
    scored: set[str] = set()
    for word in set(page_words):
        found = known.get(word)
        if found is None:
            found = known[word] = _word_lexemes(word, tag, stem)
        if found is not _TOO_LONG:
            own.update(found[0])
            scored.update(found[2])
    sequences: set[str] = set()
    for takes_part, group in groupby(page_words, key=lambda word: known[word][1:2] == (True,)):
        if takes_part:
            run = list(group)
            sequences.update([f"q:{a} {b}" for a, b in zip(run, run[1:], strict=False)])
            sequences.update([f"q:{a} {b} {c}" for a, b, c in zip(run, run[1:], run[2:], strict=False)])
    return own, scored, sequences


_TOO_LONG: tuple = ()
_KNOWN: dict[str, dict[str, tuple]] = {}
KNOWN_WORDS = 200_000  # distinct words kept per tag, as the stemmers' own caches


def _known_words(tag: str) -> dict[str, tuple]:
    """Return the kept lexemes of the words already seen with this tag ("" for none), emptied when full."""
    known = _KNOWN.setdefault(tag, {})
    if len(known) > KNOWN_WORDS:
        known.clear()
    return known


def _word_lexemes(word: str, tag: str, stem) -> tuple:
    """Return a word's own lexemes (as written, its stem), whether it makes sequences, those scored."""
    if len(word.encode("utf-8")) > MAX_WORD_BYTES:
        return _TOO_LONG
    own = ("w:" + word, tag + stem(word)) if stem is not None and word.isalpha() else ("w:" + word,)
    scored = own if in_body_exact(word) else own[1:]  # long figures are not scored (nor their stems: none)
    return own, is_shingleable(word), scored


def _stems(text_words: list[str], language: str) -> Iterator[str]:
    """Yield the stem lexeme of each word of a text analysed in a language ("id" or "en")."""
    tag, stem = ("e:", stem_english) if language == "en" else ("i:", stem_indonesian)
    for word in text_words:
        if word.isalpha() and len(word.encode("utf-8")) <= MAX_WORD_BYTES:
            yield tag + stem(word)


def _clean(value: str) -> str:
    """Return the text without NUL characters, which PostgreSQL's text cannot hold."""
    return value.replace("\x00", "")


def vector(lexemes: set[str]) -> str:
    """Return a tsvector's text: its lexemes, each quoted."""
    if not lexemes:
        return ""
    plain = " ".join(lexemes)
    if "'" in plain or "\\" in plain:  # a lexeme to escape (no word holds one): one at a time
        return " ".join(quote(lexeme) for lexeme in lexemes)
    return "'" + "' '".join(lexemes) + "'"


def quote(lexeme: str) -> str:
    """Return a lexeme quoted for a tsvector's or tsquery's text."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
