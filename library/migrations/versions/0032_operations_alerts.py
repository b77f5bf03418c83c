"""Alerts emailed to the administrators about the service's health

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-27

`operations_alert` keeps, for each alert condition (walk-in target missed now, queue stuck, no
worker, copies failing, disk filling), since when it holds and when it was last emailed, so the
administrators get at most one email per PUSTAKA_ALERT_EVERY_MINUTES about each.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "operations_alert",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_operations_alert")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("operations_alert")
