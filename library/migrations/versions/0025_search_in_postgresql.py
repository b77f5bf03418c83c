"""The catalogue's and the answers' search tables, on PostgreSQL only

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25

On PostgreSQL the catalogue can be searched in the database itself (PUSTAKA_SEARCH_ENGINE,
`search.postgres.engine`): this makes the `pg_trgm` extension (in `public`, where a dropped
schema cannot take it along) and the engine's tables as this revision knows them:
`fts_publication`, `fts_page`, `fts_term`, `fts_lexicon` (`search.postgres.tables`) and
`fts_answer` (`search.postgres.answers`). They are not models: their columns are tsvectors and
their rows are written by the search engine. On SQLite it does nothing (Whoosh searches there).
The tables are made whichever engine is chosen, so switching to PostgreSQL's search later
needs only `pustaka reindex`.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = (
    "On PostgreSQL, makes the search tables; with PUSTAKA_SEARCH_ENGINE=auto the upgrade then "
    "indexes every publication in them."
)

GIN = "WITH (gin_pending_list_limit = 512)"
TABLES = """
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
CREATE TABLE IF NOT EXISTS fts_answer (
    answer_id text COLLATE "C" PRIMARY KEY,
    title tsvector NOT NULL,
    topic tsvector NOT NULL,
    body tsvector NOT NULL
)
"""
DROPPED = ("fts_answer", "fts_lexicon", "fts_term", "fts_page", "fts_publication")  # children first


def upgrade() -> None:
    """Apply this revision (PostgreSQL only)."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    # Schemas migrated at once share the extension: one creator at a time (the engine's own lock).
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('pustaka fts tables'))"))
    find = text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    if conn.scalar(find) is None:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    trgm = conn.scalar(find)
    for statement in TABLES.format(gin=GIN, trgm=trgm).split(";"):
        conn.execute(text(statement))


def downgrade() -> None:
    """Revert this revision: the search rows go (`pustaka reindex` makes them again); pg_trgm stays."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for table in DROPPED:
        conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
