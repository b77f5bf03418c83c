"""Accounts: profile, verification, session and sign-in columns; rate-limit hits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

Columns are added with ALTER TABLE on both backends (batch mode on SQLite adds them without
copying the table, so the rows other tables point at are never dropped and recreated).
Accounts verified before this revision get their creation time as verification time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Sets the verification time of every account verified before (an UPDATE over user_account)."

NEW_COLUMNS = (
    "institution",
    "occupation",
    "email_verified_at",
    "password_changed_at",
    "session_version",
    "consented_at",
    "last_login_at",
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("institution", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("occupation", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("email_verified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("consented_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE user_account SET email_verified_at = created_at "
        "WHERE email_verified AND email_verified_at IS NULL"
    )

    op.create_table(
        "rate_limit_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hit")),
    )
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_hit_key_at", ["key", "at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_hit_key_at")
    op.drop_table("rate_limit_hit")

    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not batch mode: batch mode would copy
    # and drop user_account, and dropping it cascades to the roles that point at it.
    for column in reversed(NEW_COLUMNS):
        op.drop_column("user_account", column)
