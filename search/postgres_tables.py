"""The PostgreSQL search tables, and a publication analysed into their rows.

The text is analysed here, in Python, exactly as the other engines analyse it (our tokens,
stopwords and Sastrawi or English stems), and stored as ready-made lexemes: PostgreSQL's own
configurations never see the words. Each word gives two lexemes, the word as written
(`w:penduduk`) and its stem in the publication's language (`i:penduduk`, `e:unemploy`), and
each two- and three-word sequence one (`q:harga konsumen`), so a query names exactly the forms
it accepts and PostgreSQL only looks them up.

- `fts_publication`: one row per publication: stored fields, facet values, identifiers and
  three tsvectors: `meta` (title A; abstract, subject and office B), `body` (the open pages'
  lexemes but long figures, positioned at their pages' ordinals: how many pages hold a word
  weighs in its rank) and `closed_body` (the same for closed pages).
- `fts_page`: one row per page: its text (for snippets) and its lexemes (for the pages a hit
  lists).
- `fts_word`: which publication holds which word (long figures aside), and whether in an
  open place: the vocabulary's document frequencies, prefixes and typo neighbours.
- `fts_lexicon`: every distinct word starting with a letter, under a `pg_trgm` index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, text

from search.analysis import is_english, stem_for, words
from search.engine import PublicationDoc
from search.paged_terms import in_body_exact, is_shingleable
from search.querying import identifier_variants

MAX_POSITION = 16_383  # PostgreSQL's largest word position
MAX_POSITIONS = 256  # and how many positions it keeps per lexeme
# A body lexeme's positions are the pages holding it; ts_rank adds 1/(n+1)^2 for the n-th,
# so the first few say nearly all it uses, and the vector stays small.
BODY_POSITIONS = 8
MAX_WORD_BYTES = 600  # a lexeme (three words of a sequence) may not exceed 2 KB: longer words are left out
FACET_COLUMNS = {
    "year": "year",
    "subject": "subject",
    "office": "office",
    "publication_type": "publication_type",
    "language": "language",
    "access_level": "access_level",
}

DDL = """
CREATE TABLE IF NOT EXISTS fts_publication (
    publication_id text COLLATE "C" PRIMARY KEY,
    fingerprint text NOT NULL,
    title text NOT NULL,
    abstract text NOT NULL,
    pages_closed boolean NOT NULL,
    year text NOT NULL,
    subject text NOT NULL,
    office text NOT NULL,
    publication_type text NOT NULL,
    language text NOT NULL,
    access_level text NOT NULL,
    newest integer NOT NULL,
    identifiers text[] NOT NULL,
    meta tsvector NOT NULL,
    body tsvector NOT NULL,
    closed_body tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS fts_publication_meta ON fts_publication USING gin (meta);
CREATE INDEX IF NOT EXISTS fts_publication_body ON fts_publication USING gin (body);
CREATE INDEX IF NOT EXISTS fts_publication_closed_body ON fts_publication USING gin (closed_body);
CREATE INDEX IF NOT EXISTS fts_publication_identifiers ON fts_publication USING gin (identifiers);
CREATE TABLE IF NOT EXISTS fts_page (
    publication_id text COLLATE "C" NOT NULL REFERENCES fts_publication ON DELETE CASCADE,
    ordinal integer NOT NULL,
    number integer NOT NULL,
    closed boolean NOT NULL,
    text text NOT NULL,
    lexemes tsvector NOT NULL,
    PRIMARY KEY (publication_id, ordinal)
);
CREATE INDEX IF NOT EXISTS fts_page_number ON fts_page (publication_id, number);
CREATE INDEX IF NOT EXISTS fts_page_lexemes ON fts_page USING gin (lexemes);
CREATE TABLE IF NOT EXISTS fts_word (
    word text COLLATE "C" NOT NULL,
    publication_id text COLLATE "C" NOT NULL REFERENCES fts_publication ON DELETE CASCADE,
    open boolean NOT NULL,
    PRIMARY KEY (word, publication_id) INCLUDE (open)
);
CREATE INDEX IF NOT EXISTS fts_word_publication ON fts_word (publication_id);
CREATE TABLE IF NOT EXISTS fts_lexicon (word text COLLATE "C" PRIMARY KEY);
CREATE INDEX IF NOT EXISTS fts_lexicon_trigrams ON fts_lexicon USING gin (word {trgm}.gin_trgm_ops);
"""


def create_tables(conn: Connection) -> str:
    """Create the tables (and pg_trgm) if missing; return the schema pg_trgm lives in."""
    # One creator at a time: CREATE ... IF NOT EXISTS races with itself.
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('pustaka fts tables'))"))
    find = text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    trgm = conn.scalar(find)
    if trgm is None:  # in public, not in this search_path's schema: a dropped schema must not take it along
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        trgm = conn.scalar(find)
    for statement in DDL.format(trgm=trgm).split(";"):
        if statement.strip():
            conn.execute(text(statement))
    return str(trgm)


@dataclass(frozen=True)
class Analysed:
    """One publication's rows."""

    publication: dict
    pages: list[tuple[int, int, bool, str, str]]  # ordinal, number, closed, text, lexemes
    words: dict[str, bool]  # word -> found in an open place


def analyse(doc: PublicationDoc) -> Analysed:
    """Return the rows that index one publication."""
    stem = stem_for(doc.language)
    tag = "e:" if is_english(doc.language) else "i:"
    meta: dict[str, list[str]] = {}
    position = 0
    found: dict[str, bool] = {}
    segments = [(doc.title, "A"), (doc.alternative_title, "A")]
    segments += [(doc.abstract, "B"), (doc.subject, "B"), (doc.office_name, "B")]
    for segment, weight in segments:
        segment_words = words(_clean(segment))
        found.update((word, True) for word in segment_words if len(word.encode("utf-8")) <= MAX_WORD_BYTES)
        for index, lexeme in _terms(segment_words, tag, stem):
            meta.setdefault(lexeme, []).append(f"{min(position + index, MAX_POSITION)}{weight}")
        position += len(segment_words)
    body: dict[str, list[str]] = {}
    pages = []
    for ordinal, page in enumerate(doc.pages, 1):
        page_text = _clean(page.text)
        page_words = words(page_text)
        for word in page_words:
            if word not in found and in_body_exact(word) and len(word.encode("utf-8")) <= MAX_WORD_BYTES:
                found[word] = not doc.pages_closed
        lexemes = {lexeme for _, lexeme in _terms(page_words, tag, stem)}
        spot = str(min(ordinal, MAX_POSITION))
        for lexeme in lexemes:
            # Long figures ("266.759") are found through the pages alone, as in the Whoosh
            # engine: tables hold so many that they would double the ranked vector.
            if lexeme[0] != "w" or in_body_exact(lexeme[2:]):
                spots = body.setdefault(lexeme, [])
                if len(spots) < BODY_POSITIONS:
                    spots.append(spot)
        pages.append((ordinal, page.number, doc.pages_closed, page_text, _vector(dict.fromkeys(lexemes, []))))
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
        "meta": _vector(meta),
        "body": "" if doc.pages_closed else _vector(body),
        "closed_body": _vector(body) if doc.pages_closed else "",
    }
    return Analysed(publication, pages, found)


def _terms(text_words: list[str], tag: str, stem) -> Iterator[tuple[int, str]]:
    """Yield (word number, lexeme): each word as written, its stem, and the sequences ending there.

    The two- and three-word sequences of words that take part in them (`is_shingleable`, as the
    Whoosh engine's) find phrases through the GIN indexes alone, with no positions to check.
    """
    run: list[str] = []
    for index, word in enumerate(text_words, 1):
        if len(word.encode("utf-8")) > MAX_WORD_BYTES:
            run = []
            continue
        yield index, "w:" + word
        if word.isalpha():  # a figure or a code is its own stem
            yield index, tag + stem(word)
        if not is_shingleable(word):
            run = []
            continue
        run = [*run[-2:], word]
        for size in (2, 3):
            if len(run) >= size:
                yield index, "q:" + " ".join(run[-size:])


def _clean(value: str) -> str:
    """Return the text without NUL characters, which PostgreSQL's text cannot hold."""
    return value.replace("\x00", "")


def _vector(places: dict[str, list[str]]) -> str:
    """Return a tsvector's text: each lexeme quoted, with its positions (and weights) if any."""
    return " ".join(
        quote(lexeme) + (":" + ",".join(spots[:MAX_POSITIONS]) if spots else "")
        for lexeme, spots in places.items()
    )


def quote(lexeme: str) -> str:
    """Return a lexeme quoted for a tsvector's or tsquery's text."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


PUBLICATION_COLUMNS = (
    "publication_id, fingerprint, title, abstract, pages_closed, year, subject, office, "
    "publication_type, language, access_level, newest, identifiers, meta, body, closed_body"
)
_UPDATED = [c for c in PUBLICATION_COLUMNS.replace(" ", "").split(",") if c != "publication_id"]
_UPSERT = text(
    f"INSERT INTO fts_publication ({PUBLICATION_COLUMNS}) VALUES (:publication_id, :fingerprint, :title, "
    ":abstract, :pages_closed, :year, :subject, :office, :publication_type, :language, :access_level, "
    ":newest, :identifiers, CAST(:meta AS tsvector), CAST(:body AS tsvector), "
    "CAST(:closed_body AS tsvector)) ON CONFLICT (publication_id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATED)
)
_PAGES = text(
    "INSERT INTO fts_page (publication_id, ordinal, number, closed, text, lexemes) "
    "SELECT p, o, n, c, t, CAST(l AS tsvector) FROM unnest(CAST(:pids AS text[]), CAST(:ordinals AS int[]), "
    "CAST(:numbers AS int[]), CAST(:closed AS boolean[]), CAST(:texts AS text[]), CAST(:lexemes AS text[])) "
    "AS u(p, o, n, c, t, l)"
)
_WORDS = text(
    "INSERT INTO fts_word (word, publication_id, open) "
    "SELECT * FROM unnest(CAST(:words AS text[]), CAST(:pids AS text[]), CAST(:open AS boolean[]))"
)
# Sorted, so that two writers adding the same new words take their locks in the same order.
_LEXICON = text(
    "INSERT INTO fts_lexicon (word) SELECT w FROM unnest(CAST(:words AS text[])) AS u(w) "
    "ORDER BY w ON CONFLICT DO NOTHING"
)


def store(conn: Connection, docs: Iterable[PublicationDoc], batch: int = 50) -> None:
    """Write the publications in the connection's transaction, replacing any with the same ids."""
    pending: list[Analysed] = []
    for doc in docs:
        pending.append(analyse(doc))
        if len(pending) >= batch:
            _write(conn, pending)
            pending = []
    if pending:
        _write(conn, pending)


def _write(conn: Connection, batch: list[Analysed]) -> None:
    latest = {item.publication["publication_id"]: item for item in batch}  # the last one given wins
    ids = sorted(latest)
    conn.execute(_UPSERT, [latest[pid].publication for pid in ids])
    conn.execute(text("DELETE FROM fts_page WHERE publication_id = ANY(:ids)"), {"ids": ids})
    conn.execute(text("DELETE FROM fts_word WHERE publication_id = ANY(:ids)"), {"ids": ids})
    pages = [(pid, *page) for pid in ids for page in latest[pid].pages]
    if pages:
        conn.execute(_PAGES, _arrays(("pids", "ordinals", "numbers", "closed", "texts", "lexemes"), pages))
    found = [(word, pid, is_open) for pid in ids for word, is_open in latest[pid].words.items()]
    if found:
        conn.execute(_WORDS, _arrays(("words", "pids", "open"), found))
    letters = sorted({word for word, _, _ in found if word[:1].isalpha()})
    if letters:
        conn.execute(_LEXICON, {"words": letters})


def _arrays(names: tuple[str, ...], rows: list[tuple]) -> dict[str, list]:
    """Return the rows as one array per column, for an INSERT ... SELECT FROM unnest(...)."""
    return {name: list(column) for name, column in zip(names, zip(*rows, strict=True), strict=True)}


def remove(conn: Connection, publication_ids: Iterable[str]) -> None:
    """Delete the publications (their pages and words go with them); unknown ids are ignored."""
    delete = text("DELETE FROM fts_publication WHERE publication_id = ANY(:ids)")
    conn.execute(delete, {"ids": list(publication_ids)})


def remove_all(conn: Connection) -> None:
    """Delete every publication (DELETE, not TRUNCATE: readers keep the old rows till the commit)."""
    for table in ("fts_word", "fts_page", "fts_publication", "fts_lexicon"):
        conn.execute(text(f"DELETE FROM {table}"))
