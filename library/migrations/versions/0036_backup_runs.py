"""Backup runs, readable by every host

Revision ID: 0036
Revises: 0035
Create Date: 2026-11-28

`backup_run` keeps each run of `pustaka backup`: when it started and ended, whether it made a
good backup, where, its size, the bytes written anew (the rest hard-linked from the previous
one), its error, when it was last verified and whether the retention policy still keeps it. The
web hosts, which may not mount the backup folder, read the last good backup's age from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "backup_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("written_bytes", sa.BigInteger(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_ok", sa.Boolean(), nullable=True),
        sa.Column("kept_by", sa.String(length=80), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_run")),
    )
    op.create_index(op.f("ix_backup_run_finished_at"), "backup_run", ["finished_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_backup_run_finished_at"), table_name="backup_run")
    op.drop_table("backup_run")
