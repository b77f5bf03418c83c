"""Publications analysed into the text of COPY's rows, for a rebuild of the PostgreSQL search tables.

A rebuild loads its tables with COPY (`search.postgres.rebuild`); the analysis
(`search.postgres.analysis.analyse`) and the formatting of its rows run here, in the processes
that analyse, so that the process writing to PostgreSQL only hands their text on. The values
are those `search.postgres.tables.store` writes, row for row: the weights are rounded to
`real` here exactly as PostgreSQL rounds the double precision values `store` sends.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from search.engine import PublicationDoc
from search.postgres.analysis import Analysed, analyse

PUBLICATION_COLUMNS = (
    "publication_id",
    "fingerprint",
    "title",
    "abstract",
    "pages_closed",
    "year",
    "subject",
    "office",
    "publication_type",
    "language",
    "access_level",
    "newest",
    "identifiers",
    "meta",
    "body",
    "closed_body",
)
PAGE_COLUMNS = ("publication_id", "ordinal", "number", "closed", "text", "lexemes")
TERM_COLUMNS = ("term", "publication_id", "open_weight", "weight")
# COPY's text format: a backslash, and the characters that end a value or a row, escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


@dataclass(frozen=True)
class CopyRows:
    """Some publications' rows as COPY text (one line a row), and the words of their lexicon."""

    publications: str
    pages: str
    terms: str
    page_count: int
    words: frozenset[str]


def copy_rows(docs: list[PublicationDoc]) -> CopyRows:
    """Analyse the publications and return their rows as COPY text."""
    publications, pages, terms = [], [], []
    words: set[str] = set()
    page_count = 0
    for doc in docs:
        item = analyse(doc)
        publications.append(_publication_line(item))
        pages += _page_lines(item)
        terms += _term_lines(item)
        words.update(lexicon_words(item))
        page_count += len(item.pages)
    return CopyRows("".join(publications), "".join(pages), "".join(terms), page_count, frozenset(words))


def lexicon_words(item: Analysed) -> set[str]:
    """Return the words of a publication that the lexicon holds: those starting with a letter."""
    return {term[2:] for term, *_ in item.terms if term.startswith("w:") and term[2:3].isalpha()}


def lexicon_text(words: Iterable[str]) -> str:
    """Return the lexicon's rows as COPY text, in order."""
    return "".join(f"{word.translate(_ESCAPES)}\n" for word in sorted(words))


def _publication_line(item: Analysed) -> str:
    row = item.publication
    values = [_field(row[column]) for column in PUBLICATION_COLUMNS]
    values[PUBLICATION_COLUMNS.index("identifiers")] = _text_array(row["identifiers"]).translate(_ESCAPES)
    return "\t".join(values) + "\n"


def _page_lines(item: Analysed) -> list[str]:
    pid = _field(item.publication["publication_id"])
    return [
        f"{pid}\t{ordinal}\t{number}\t{'t' if closed else 'f'}\t{text.translate(_ESCAPES)}\t"
        f"{lexemes.translate(_ESCAPES)}\n"
        for ordinal, number, closed, text, lexemes in item.pages
    ]


def _term_lines(item: Analysed) -> list[str]:
    pid = _field(item.publication["publication_id"])
    open_weights = array("f", (weights[1] for weights in item.terms)).tolist()  # as real rounds them
    all_weights = array("f", (weights[2] for weights in item.terms)).tolist()
    return [
        f"{term.translate(_ESCAPES)}\t{pid}\t{open_weight!r}\t{weight!r}\n"
        for (term, *_), open_weight, weight in zip(item.terms, open_weights, all_weights, strict=True)
    ]


def _field(value: object) -> str:
    """Return a value as COPY's text format writes it (no value here is NULL)."""
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_ESCAPES)


def _text_array(values: list[str]) -> str:
    """Return a text[] literal of the values, each quoted."""
    quoted = ('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values)
    return "{" + ",".join(quoted) + "}"
