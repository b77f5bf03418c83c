"""What consultants record of walk-in consultations, on the queue's tickets

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-23

`walk_in_consultation` holds one record per consultation ticket: its topic, what the consultant
gave, and where the visitor was referred next (none, the library, a softcopy request, another
PST service), with who recorded it and when. The reports count walk-in consultations from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "walk_in_consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("referral", sa.String(length=20), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "referral IN ('none', 'library', 'softcopy', 'other')",
            name=op.f("ck_walk_in_consultation_referral"),
        ),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["user_account.id"],
            name=op.f("fk_walk_in_consultation_consultant_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name=op.f("fk_walk_in_consultation_ticket_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk_in_consultation")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_walk_in_consultation_ticket_id")),
    )
    op.create_index(
        op.f("ix_walk_in_consultation_consultant_id"), "walk_in_consultation", ["consultant_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision: the walk-in records are lost (the tickets stay)."""
    op.drop_index(op.f("ix_walk_in_consultation_consultant_id"), table_name="walk_in_consultation")
    op.drop_table("walk_in_consultation")
