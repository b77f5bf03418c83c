"""Librarians edit publications after ingest: a version, withdrawal, and the history of changes

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27

`publication.version` counts the changes of a row, so an edit made on an older version is
refused instead of silently overwriting a newer one; publications recorded before start at 1.
`withdrawn_at` and `withdrawal_reason` hide a publication from the public without deleting
it. `publication_change` keeps every change: who, when, which field, the old and new value.
Columns are added in place (no table copy on SQLite: other tables refer to `publication`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("publication", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("publication", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column(
        "publication",
        sa.Column("withdrawal_reason", sa.String(length=500), server_default="", nullable=False),
    )
    op.create_table(
        "publication_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_by_name", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_publication_change_changed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_publication_change_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_change")),
    )
    op.create_index(
        "ix_publication_change_publication", "publication_change", ["publication_id", "id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision: the history is lost, and withdrawn publications become public again."""
    op.drop_index("ix_publication_change_publication", table_name="publication_change")
    op.drop_table("publication_change")
    # In place on SQLite too (3.35+): copying the table would cascade-delete what refers to it.
    for column in ("withdrawal_reason", "withdrawn_at", "version"):
        op.drop_column("publication", column)
