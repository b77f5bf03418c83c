"""The PostgreSQL search index's version, one row every index write raises

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-01

`fts_version` holds one number. Every transaction that writes the search tables raises it
(`search.postgres.tables.changed`), and a search reads it in the same snapshot as the rows it
ranks: a web process keeps its answers to the searches asked again under that number and
computes them anew once any host has written the index (`search.postgres.engine`). On SQLite
it does nothing (Whoosh searches there, and tells its versions by its files).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = """
CREATE TABLE IF NOT EXISTS fts_version (
    one boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    version bigint NOT NULL
)
"""


def upgrade() -> None:
    """Apply this revision (PostgreSQL only)."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text(TABLE))
    conn.execute(text("INSERT INTO fts_version (one, version) VALUES (TRUE, 0) ON CONFLICT DO NOTHING"))


def downgrade() -> None:
    """Revert this revision (PostgreSQL only)."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP TABLE IF EXISTS fts_version"))
