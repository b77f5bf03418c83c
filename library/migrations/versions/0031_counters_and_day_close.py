"""Counters that open and close; visits closed at the close of day

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-27

`counter_shift` records when a queue's counter was opened and closed (at most one open shift per
counter and queue), so the wait estimate shares the people ahead among the counters open now.
`visit.left_reason` keeps why staff closed a visit at the close of day ("" when it left by "Pulang").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("visit", sa.Column("left_reason", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "counter_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.String(length=40), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_reason", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["queue_service.id"],
            name=op.f("fk_counter_shift_service_id_queue_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["user_account.id"], name=op.f("fk_counter_shift_opened_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user_account.id"], name=op.f("fk_counter_shift_closed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_shift")),
    )
    op.create_index(op.f("ix_counter_shift_service_id"), "counter_shift", ["service_id"], unique=False)
    op.create_index(
        "uq_counter_shift_open",
        "counter_shift",
        ["service_id", "counter"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("uq_counter_shift_open", table_name="counter_shift")
    op.drop_index(op.f("ix_counter_shift_service_id"), table_name="counter_shift")
    op.drop_table("counter_shift")
    op.drop_column("visit", "left_reason")
