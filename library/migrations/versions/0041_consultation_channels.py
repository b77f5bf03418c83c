"""Consultations from every channel: email, WhatsApp, telephone and social media beside the web

Revision ID: 0041
Revises: 0040
Create Date: 2026-11-29

`consultation.channel` (web, email, whatsapp, phone, social), `contact` and `contact_name`: where
the asker is outside the web; `user_id` is empty for them (an address is not an account). Each
`consultation_message` names its channel, its id there (`external_id`, unique per channel) and
what became of it (`delivery`); its author and an attachment's uploader are empty for the asker
outside. `channel_receipt`: every message received on an outside channel, by its id, and what
became of it (opened, joined, set aside, refused). The history knows the step `recorded`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = (
    "On SQLite, copies the consultations, their messages, attachments and history to let them "
    "come from outside the web."
)
CHANNELS = "'web', 'email', 'whatsapp', 'phone', 'social'"
ACTIONS_BEFORE = (
    "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed', "
    "'reminded', 'closed_silent', 'reopened', 'appointment', 'appointment_accepted', 'another_time', "
    "'closed_by_user')"
)
ACTIONS_AFTER = ACTIONS_BEFORE[:-1] + ", 'recorded')"


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("channel", sa.String(length=20), server_default="web", nullable=False))
        batch_op.add_column(sa.Column("contact", sa.String(length=320), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("contact_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.create_check_constraint(batch_op.f("ck_consultation_channel"), f"channel IN ({CHANNELS})")
        batch_op.create_check_constraint(
            batch_op.f("ck_consultation_web_has_account"), "user_id IS NOT NULL OR channel != 'web'"
        )
        batch_op.create_index("ix_consultation_contact", ["channel", "contact"], unique=False)
    with op.batch_alter_table("consultation_message", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("channel", sa.String(length=20), server_default="web", nullable=False))
        batch_op.add_column(sa.Column("external_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("delivery", sa.String(length=10), server_default="", nullable=False))
        batch_op.add_column(sa.Column("delivery_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("delivery_note", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint(
            batch_op.f("ck_consultation_message_channel"), f"channel IN ({CHANNELS})"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_consultation_message_delivery"),
            "delivery IN ('', 'queued', 'sent', 'delivered', 'read', 'failed')",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_consultation_message_channel"), ["channel", "external_id"]
        )
    with op.batch_alter_table("consultation_attachment", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by", existing_type=sa.Integer(), nullable=True)
    _allow_actions(ACTIONS_AFTER)
    _receipts()


def _receipts() -> None:
    """Create the table of messages received on outside channels."""
    op.create_table(
        "channel_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"channel IN ({CHANNELS})", name=op.f("ck_channel_receipt_channel")),
        sa.CheckConstraint(
            "outcome IN ('opened', 'joined', 'set_aside', 'refused')", name=op.f("ck_channel_receipt_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_channel_receipt_consultation_id_consultation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_receipt")),
        sa.UniqueConstraint("channel", "external_id", name=op.f("uq_channel_receipt_channel")),
    )
    op.create_index("ix_channel_receipt_at", "channel_receipt", ["at"], unique=False)
    op.create_index(
        op.f("ix_channel_receipt_consultation_id"), "channel_receipt", ["consultation_id"], unique=False
    )


def downgrade() -> None:
    """Revert this revision: consultations from outside the web go, with their threads and history."""
    op.drop_index(op.f("ix_channel_receipt_consultation_id"), table_name="channel_receipt")
    op.drop_index("ix_channel_receipt_at", table_name="channel_receipt")
    op.drop_table("channel_receipt")
    op.execute("DELETE FROM consultation WHERE user_id IS NULL")
    op.execute("UPDATE consultation_event SET action = 'opened' WHERE action = 'recorded'")
    _allow_actions(ACTIONS_BEFORE)
    op.execute("DELETE FROM consultation_message WHERE author_id IS NULL")
    op.execute("DELETE FROM consultation_attachment WHERE uploaded_by IS NULL")
    with op.batch_alter_table("consultation_attachment", schema=None) as batch_op:
        batch_op.alter_column("uploaded_by", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("consultation_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_consultation_message_channel"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_consultation_message_delivery"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_consultation_message_channel"), type_="check")
        for column in ("delivery_note", "delivery_at", "delivery", "external_id", "channel"):
            batch_op.drop_column(column)
        batch_op.alter_column("author_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index("ix_consultation_contact")
        batch_op.drop_constraint(batch_op.f("ck_consultation_web_has_account"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_consultation_channel"), type_="check")
        for column in ("contact_name", "contact", "channel"):
            batch_op.drop_column(column)
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)


def _allow_actions(condition: str) -> None:
    """Replace the check on the history's action names (nothing refers to the history: a copy is safe)."""
    with op.batch_alter_table("consultation_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_consultation_event_action"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_consultation_event_action"), condition)
