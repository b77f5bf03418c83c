"""Web Push to a visitor's browser; a consultation's asker told of the answer on their phone

Revision ID: 0040
Revises: 0039
Create Date: 2026-11-28

`push_subscription`: a browser that asked on a visit's status page to be told (its push
service's endpoint and keys), deleted with its visit. `push_message`: one row per message to
one subscription (called, two ahead, scan ready, the survey link) and what became of it.
`consultation.notify_phone`: a mobile number the asker of an online consultation gave to be told
when it is answered; `phone_message` then tells a visit or a consultation (`consultation_id`),
and knows the kind `answered`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the phone messages (phone_message) to let them name a consultation."
KINDS_BEFORE = "kind IN ('called', 'two_ahead', 'scan_ready', 'survey')"
KINDS_AFTER = "kind IN ('called', 'two_ahead', 'scan_ready', 'survey', 'answered')"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "push_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.String(length=1000), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_push_subscription_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscription")),
        sa.UniqueConstraint("visit_id", "endpoint", name=op.f("uq_push_subscription_visit_id")),
    )
    op.create_index(op.f("ix_push_subscription_visit_id"), "push_subscription", ["visit_id"], unique=False)
    op.create_table(
        "push_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(KINDS_AFTER, name=op.f("ck_push_message_kind")),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'held')", name=op.f("ck_push_message_status")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscription.id"],
            name=op.f("fk_push_message_subscription_id_push_subscription"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_message")),
        sa.UniqueConstraint(
            "subscription_id", "kind", "subject", name=op.f("uq_push_message_subscription_id")
        ),
    )
    op.create_index(
        op.f("ix_push_message_subscription_id"), "push_message", ["subscription_id"], unique=False
    )
    op.create_index("ix_push_message_created_at", "push_message", ["created_at"], unique=False)
    _consultation_phones()


def _consultation_phones() -> None:
    """Let a consultation's asker give a number, and a phone message tell a consultation."""
    op.add_column(
        "consultation", sa.Column("notify_phone", sa.String(length=20), server_default="", nullable=False)
    )
    with op.batch_alter_table("phone_message", schema=None) as batch_op:
        batch_op.alter_column("visit_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("consultation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_phone_message_consultation_id_consultation"),
            "consultation",
            ["consultation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            batch_op.f("ix_phone_message_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_phone_message_consultation_id"), ["consultation_id", "kind", "subject"]
        )
        batch_op.drop_constraint(batch_op.f("ck_phone_message_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_phone_message_kind"), KINDS_AFTER)
        batch_op.create_check_constraint(
            batch_op.f("ck_phone_message_recipient"), "visit_id IS NOT NULL OR consultation_id IS NOT NULL"
        )


def downgrade() -> None:
    """Revert this revision: messages about consultations go (they tell no visit)."""
    op.execute("DELETE FROM phone_message WHERE visit_id IS NULL OR kind = 'answered'")
    with op.batch_alter_table("phone_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_phone_message_recipient"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_phone_message_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_phone_message_kind"), KINDS_BEFORE)
        batch_op.drop_constraint(batch_op.f("uq_phone_message_consultation_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_phone_message_consultation_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_phone_message_consultation_id_consultation"), type_="foreignkey"
        )
        batch_op.drop_column("consultation_id")
        batch_op.alter_column("visit_id", existing_type=sa.Integer(), nullable=False)
    op.drop_column("consultation", "notify_phone")
    op.drop_index("ix_push_message_created_at", table_name="push_message")
    op.drop_index(op.f("ix_push_message_subscription_id"), table_name="push_message")
    op.drop_table("push_message")
    op.drop_index(op.f("ix_push_subscription_visit_id"), table_name="push_subscription")
    op.drop_table("push_subscription")
