"""Printed holdings a librarian keeps: location, reading-room only, note

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

A holding's `shelf` becomes its `location` (room and shelf, in words a visitor can follow),
and it says whether its copies are read in the reading room only (all of them, until a
librarian says otherwise) and carries an optional note. A holding counts 1 to 999 copies:
a row that counted none said there was no printed copy there, so it is removed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = (
    "Rewrites every printed holding (holding: copies bounded, shelf renamed); on SQLite the table is copied."
)


def upgrade() -> None:
    """Apply this revision."""
    op.execute("DELETE FROM holding WHERE copies < 1")
    op.execute("UPDATE holding SET copies = 999 WHERE copies > 999")
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_holding_copies"), type_="check")
        batch_op.alter_column(
            "shelf",
            new_column_name="location",
            type_=sa.String(length=200),
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )
        batch_op.add_column(
            sa.Column("reading_room_only", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.String(length=500), server_default="", nullable=False))
        batch_op.create_check_constraint(batch_op.f("ck_holding_copies"), "copies BETWEEN 1 AND 999")
        batch_op.create_index(batch_op.f("ix_holding_publication_id"), ["publication_id"], unique=False)


def downgrade() -> None:
    """Revert this revision: the reading-room flag and the note are lost, a location is cut to 100."""
    op.execute("UPDATE holding SET location = substr(location, 1, 100)")
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holding_publication_id"))
        batch_op.drop_constraint(batch_op.f("ck_holding_copies"), type_="check")
        batch_op.drop_column("note")
        batch_op.drop_column("reading_room_only")
        batch_op.alter_column(
            "location",
            new_column_name="shelf",
            type_=sa.String(length=100),
            existing_type=sa.String(length=200),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f("ck_holding_copies"), "copies >= 0")
