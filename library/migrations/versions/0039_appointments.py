"""Appointments booked online, and the ticket a booking's code became

Revision ID: 0039
Revises: 0038
Create Date: 2026-11-28

`booking`: one booked seat of one slot of a service (unique per service, day, start and seat),
its code for the kiosk, its page's secret, and whether it was used or cancelled.
`ticket.appointment_id`: the booking a ticket was issued for (called before walk-ins).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('booked', 'arrived', 'cancelled')", name=op.f("ck_booking_status")),
        sa.ForeignKeyConstraint(
            ["service_id"], ["queue_service.id"], name=op.f("fk_booking_service_id_queue_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking")),
        sa.UniqueConstraint("code", name=op.f("uq_booking_code")),
        sa.UniqueConstraint("service_id", "day", "starts", "seat", name=op.f("uq_booking_service_id")),
        sa.UniqueConstraint("token", name=op.f("uq_booking_token")),
    )
    op.create_index(op.f("ix_booking_service_id"), "booking", ["service_id"], unique=False)
    op.add_column("ticket", sa.Column("appointment_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("ticket", "appointment_id")
    op.drop_index(op.f("ix_booking_service_id"), table_name="booking")
    op.drop_table("booking")
