"""Reading sessions: every opening of the reader is recorded, append-only like the ledger

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26

Each time someone opens a publication in the reader, a `reading_session` row records who,
what, when, where and from which address, under a short id that the page pictures carry in
their marks. Like the delivery ledger, the table is evidence: triggers refuse UPDATE and
DELETE on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "the reading ledger is append-only"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "reading_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=16), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("reader_user_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("reader_name", sa.String(length=200), nullable=False),
        sa.Column("reader_email", sa.String(length=254), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["publication.id"], name=op.f("fk_reading_session_publication_id_publication")
        ),
        sa.ForeignKeyConstraint(
            ["reader_user_id"],
            ["user_account.id"],
            name=op.f("fk_reading_session_reader_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_reading_session_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reading_session")),
        sa.UniqueConstraint("session_id", name=op.f("uq_reading_session_session_id")),
    )
    with op.batch_alter_table("reading_session", schema=None) as batch_op:
        for column in ("publication_id", "reader_user_id", "visit_id", "started_at"):
            batch_op.create_index(batch_op.f(f"ix_reading_session_{column}"), [column], unique=False)
    _install_append_only_triggers()


def _install_append_only_triggers() -> None:
    """Make the database itself refuse to change or remove a reading session."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER reading_session_no_{action.lower()} BEFORE {action} ON reading_session "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION reading_session_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER reading_session_append_only BEFORE UPDATE OR DELETE ON reading_session "
        "FOR EACH ROW EXECUTE FUNCTION reading_session_append_only()"
    )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS reading_session_no_update")
        op.execute("DROP TRIGGER IF EXISTS reading_session_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS reading_session_append_only ON reading_session")
        op.execute("DROP FUNCTION IF EXISTS reading_session_append_only()")
    with op.batch_alter_table("reading_session", schema=None) as batch_op:
        for column in ("started_at", "visit_id", "reader_user_id", "publication_id"):
            batch_op.drop_index(batch_op.f(f"ix_reading_session_{column}"))
    op.drop_table("reading_session")
