"""Top searches counted once per client a day, and terms the office hides

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-24

`search_seen` holds, for the current office day only, which client (a keyed digest of its
address and the day, naming no one) has been counted for which term: the same client searching
the same words again that day is not counted again. `hidden_search_term` lists the terms the
office keeps out of its "terms searched most", with who hid each and when.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "search_seen",
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("client", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "day", "term", "client", name=op.f("pk_search_seen")),
    )
    op.create_table(
        "hidden_search_term",
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["user_account.id"],
            name=op.f("fk_hidden_search_term_hidden_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("office_code", "term", name=op.f("pk_hidden_search_term")),
    )


def downgrade() -> None:
    """Revert this revision: who was counted today and the hidden terms are forgotten."""
    op.drop_table("hidden_search_term")
    op.drop_table("search_seen")
