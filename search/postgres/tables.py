"""The PostgreSQL search tables: their definitions, and publications written into them.

- `fts_publication`: one row per publication: stored fields, facet values, identifiers and
  three tsvectors of lexemes (`search.postgres.analysis`) under GIN indexes, which find the
  publications matching a query: `meta` (titles, abstract, subject, office), `body` (the open
  pages' lexemes, long figures aside) and `closed_body` (the same for closed pages).
- `fts_page`: one row per page: its text (for snippets) and its lexemes (for the pages a hit
  lists, and for long figures).
- `fts_term`: each word's and stem's weight in each publication holding it (in the open
  places, and with the closed pages too): what ranks the matches, read by index alone, and
  the vocabulary's document frequencies, prefixes and typo neighbours.
- `fts_lexicon`: every distinct word starting with a letter, under a `pg_trgm` index.
- `fts_version`: one row, a number every write raises in its own transaction: a search reads it
  in its snapshot, and a process keeps its answers to the searches asked again under it
  (`search.postgres.engine`), so a write on any host is seen by the next search on every host.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from search.engine import PublicationDoc, SearchError
from search.postgres.analysis import Analysed, analyse

log = logging.getLogger(__name__)
TABLES = ("fts_term", "fts_page", "fts_publication", "fts_lexicon")  # children first
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
CREATE INDEX IF NOT EXISTS fts_publication_meta ON fts_publication USING gin (meta) {gin};
CREATE INDEX IF NOT EXISTS fts_publication_body ON fts_publication USING gin (body) {gin};
CREATE INDEX IF NOT EXISTS fts_publication_closed_body ON fts_publication USING gin (closed_body) {gin};
CREATE INDEX IF NOT EXISTS fts_publication_identifiers ON fts_publication USING gin (identifiers) {gin};
-- Facet values and date beside the id, read from the index alone (migration 0026).
CREATE INDEX IF NOT EXISTS fts_publication_facets ON fts_publication (publication_id)
    INCLUDE (newest, year, subject, office, publication_type, language, access_level);
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
CREATE INDEX IF NOT EXISTS fts_page_lexemes ON fts_page USING gin (lexemes) {gin};
CREATE TABLE IF NOT EXISTS fts_term (
    term text COLLATE "C" NOT NULL,
    publication_id text COLLATE "C" NOT NULL REFERENCES fts_publication ON DELETE CASCADE,
    open_weight real NOT NULL,
    weight real NOT NULL,
    PRIMARY KEY (term, publication_id) INCLUDE (open_weight, weight)
);
CREATE INDEX IF NOT EXISTS fts_term_publication ON fts_term (publication_id);
CREATE TABLE IF NOT EXISTS fts_lexicon (word text COLLATE "C" PRIMARY KEY);
CREATE INDEX IF NOT EXISTS fts_lexicon_trigrams ON fts_lexicon USING gin (word {trgm}.gin_trgm_ops);
{version}"""
# Migration 0049 makes the same table in a database the migrations manage.
VERSION_DDL = """
CREATE TABLE IF NOT EXISTS fts_version (
    one boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    version bigint NOT NULL
);
INSERT INTO fts_version (one, version) VALUES (TRUE, 0) ON CONFLICT DO NOTHING;
"""
# Never lower than the server's clock in microseconds: a database restored from a backup brings
# back an older number, which a running process may have kept answers under for other rows.
_RAISE_VERSION = text(  # the row made again if someone deleted it
    "INSERT INTO fts_version AS v (one, version) "
    "VALUES (TRUE, (extract(epoch FROM clock_timestamp()) * 1e6)::bigint) "
    "ON CONFLICT (one) DO UPDATE SET version = greatest(v.version + 1, EXCLUDED.version)"
)
READ_VERSION = text("SELECT version FROM fts_version")


def changed(conn: Connection) -> None:
    """Raise the index's version in the connection's transaction: its searches' kept answers expire.

    The row stays locked until the transaction ends, so two transactions writing the index
    commit one after the other. A catalogue change raises it as it commits, after every other
    row it locks (`library.catalogue.indexing`): two such changes never wait on each other's
    rows while one holds the version.
    """
    conn.execute(_RAISE_VERSION)


def trigram_schema(conn: Connection) -> str:
    """Return the schema pg_trgm lives in; refuse a database whose search tables were never made."""
    trgm = conn.scalar(
        text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    )
    if trgm is None or conn.scalar(text("SELECT to_regclass('fts_publication')")) is None:
        raise SearchError(
            "The database has no search tables: run 'pustaka db upgrade' (migration 0025 makes them)."
        )
    return str(trgm)


def create_tables(conn: Connection) -> str:
    """Create the tables (and pg_trgm) if missing; return the schema pg_trgm lives in."""
    # One creator at a time: CREATE ... IF NOT EXISTS races with itself.
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('pustaka fts tables'))"))
    find = text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    trgm = conn.scalar(find)
    if trgm is None:  # in public, not in this search_path's schema: a dropped schema must not take it along
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        trgm = conn.scalar(find)
    # Kept short (kB): each search reads a GIN index's pending list whole (3 ms of a 0.1 ms phrase
    # lookup at 10,000 pages with a long one). A rebuild makes its indexes whole, with no list.
    ddl = DDL.format(trgm=trgm, gin="WITH (gin_pending_list_limit = 512)", version=VERSION_DDL)
    for statement in ddl.split(";"):
        if statement.strip():
            conn.execute(text(statement))
    return str(trgm)


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
_TERMS = text(
    "INSERT INTO fts_term (term, publication_id, open_weight, weight) SELECT * FROM unnest("
    "CAST(:terms AS text[]), CAST(:pids AS text[]), CAST(:open AS real[]), CAST(:all AS real[]))"
)
# Sorted, so that two writers adding the same new words take their locks in the same order.
_LEXICON = text(
    "INSERT INTO fts_lexicon (word) SELECT w FROM unnest(CAST(:words AS text[])) AS u(w) "
    "ORDER BY w ON CONFLICT DO NOTHING"
)


def store(
    conn: Connection, docs: Iterable[PublicationDoc], batch: int = 50, *, raise_version: bool = True
) -> bool:
    """Write the publications in the connection's transaction, replacing any with the same ids.

    Return whether any was given; then, unless the caller raises it later, the index's version.
    """
    pending: list[Analysed] = []
    written = False
    for doc in docs:
        written = True
        pending.append(analyse(doc))
        if len(pending) >= batch:
            _write(conn, pending)
            pending = []
    if pending:
        _write(conn, pending)
    if written and raise_version:
        changed(conn)
    return written


def _write(conn: Connection, batch: list[Analysed]) -> None:
    latest = {item.publication["publication_id"]: item for item in batch}  # the last one given wins
    ids = sorted(latest)
    conn.execute(_UPSERT, [latest[pid].publication for pid in ids])
    conn.execute(text("DELETE FROM fts_page WHERE publication_id = ANY(:ids)"), {"ids": ids})
    conn.execute(text("DELETE FROM fts_term WHERE publication_id = ANY(:ids)"), {"ids": ids})
    pages = [(pid, *page) for pid in ids for page in latest[pid].pages]
    if pages:
        conn.execute(_PAGES, _arrays(("pids", "ordinals", "numbers", "closed", "texts", "lexemes"), pages))
    terms = [(term, pid, *weights) for pid in ids for term, *weights in latest[pid].terms]
    if terms:
        conn.execute(_TERMS, _arrays(("terms", "pids", "open", "all"), terms))
    letters = sorted({term[2:] for term, *_ in terms if term.startswith("w:") and term[2:3].isalpha()})
    if letters:
        conn.execute(_LEXICON, {"words": letters})


def _arrays(names: tuple[str, ...], rows: list[tuple]) -> dict[str, list]:
    """Return the rows as one array per column, for an INSERT ... SELECT FROM unnest(...)."""
    return {name: list(column) for name, column in zip(names, zip(*rows, strict=True), strict=True)}


def remove(conn: Connection, publication_ids: Iterable[str], *, raise_version: bool = True) -> bool:
    """Delete the publications (their pages and words go with them); unknown ids are ignored.

    Return whether any was there; then, unless the caller raises it later, the index's version.
    """
    delete = text("DELETE FROM fts_publication WHERE publication_id = ANY(:ids)")
    removed = bool(conn.execute(delete, {"ids": list(publication_ids)}).rowcount)
    if removed and raise_version:
        changed(conn)
    return removed


def vacuum(engine: Engine) -> None:
    """VACUUM the search tables after a rebuild, outside its transaction (VACUUM cannot run inside one).

    Rows written in place leave their pages not yet marked all-visible and the old rows dead:
    until autovacuum comes, each term lookup (`fts_term`'s key holds the weights so that an
    index alone answers it) reads the table's pages too (at 100,000 pages, searches p50 30-32
    -> 18-22 ms once vacuumed). A rebuild's fresh tables are written frozen and all-visible
    (`search.postgres.rebuild`): after one this finds next to nothing to do (0.03 s at 10,000
    pages) and stays as the guarantee, whatever wrote the rows. A database user who may not
    VACUUM leaves it to autovacuum.
    """
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in TABLES:
                conn.execute(text(f"VACUUM {table}"))
    except SQLAlchemyError as error:
        log.warning("The search tables were not vacuumed after the rebuild (%s); autovacuum will.", error)


def remove_all(conn: Connection) -> None:
    """Delete every publication (DELETE, not TRUNCATE: readers keep the old rows till the commit)."""
    for table in TABLES:
        conn.execute(text(f"DELETE FROM {table}"))
    changed(conn)
