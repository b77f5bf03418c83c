"""Usage of publications: raw events and the COUNTER figures per publication and office day

Revision ID: 0047
Revises: 0043
Create Date: 2026-11-29

Two new tables, empty: `usage_event` (a view, page shown or download as it happened, with a
session key and no address) and `usage_day` (what the COUNTER rules counted per publication and
office day). Usage before this revision was not recorded, so there is nothing to carry over.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("session", sa.String(length=32), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_usage_event_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_event")),
    )
    op.create_index("ix_usage_event_at", "usage_event", ["at"])
    op.create_table(
        "usage_day",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_usage_day_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publication_id", "day", name=op.f("pk_usage_day")),
    )
    op.create_index(op.f("ix_usage_day_day"), "usage_day", ["day"])


def downgrade() -> None:
    """Revert this revision: the usage recorded is dropped."""
    op.drop_index(op.f("ix_usage_day_day"), table_name="usage_day")
    op.drop_table("usage_day")
    op.drop_index("ix_usage_event_at", table_name="usage_event")
    op.drop_table("usage_event")
