"""Messages to a visitor's phone: the guest book's consent and an outbox

Revision ID: 0038
Revises: 0036
Create Date: 2026-11-28

`visit.phone_consent`: the visitor asked at the guest book to be told on their phone (false for
every visit before). `phone_message`: one row per message (called, two ahead, scan ready, the
survey link), what it said, to which number, and what the office's gateway answered.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "visit", sa.Column("phone_consent", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "phone_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("provider_id", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('called', 'two_ahead', 'scan_ready', 'survey')", name=op.f("ck_phone_message_kind")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'held')", name=op.f("ck_phone_message_status")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_phone_message_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_message")),
        sa.UniqueConstraint("visit_id", "kind", "subject", name=op.f("uq_phone_message_visit_id")),
    )
    op.create_index(op.f("ix_phone_message_visit_id"), "phone_message", ["visit_id"], unique=False)
    op.create_index("ix_phone_message_number_at", "phone_message", ["number", "created_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_phone_message_number_at", table_name="phone_message")
    op.drop_index(op.f("ix_phone_message_visit_id"), table_name="phone_message")
    op.drop_table("phone_message")
    op.drop_column("visit", "phone_consent")
