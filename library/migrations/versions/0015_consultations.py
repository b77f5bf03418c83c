"""Online statistical consultations: the consultation, its history and its message thread

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23

`consultation` holds a user's question (topic, question, data needed), its status, the
consultant it is assigned to and its clock (`due_at` is set when it is clear and complete);
`consultation_event` is who did what when; `consultation_message` is the thread.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "status IN ('new', 'clarification', 'clear', 'answered', 'closed')"
ACTIONS = "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed')"


def upgrade() -> None:
    """Apply this revision."""
    _create_consultation()
    _create_consultation_event()
    _create_consultation_message()


def _create_consultation() -> None:
    """Create the consultation table and its indexes."""
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("data_subject", sa.String(length=200), nullable=False),
        sa.Column("data_region", sa.String(length=200), nullable=False),
        sa.Column("data_period", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consultant_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("clear_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_consultation_status")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_consultation_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_consultation_office_id_office")),
        sa.ForeignKeyConstraint(
            ["consultant_id"], ["user_account.id"], name=op.f("fk_consultation_consultant_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation")),
        sa.UniqueConstraint("number", name=op.f("uq_consultation_number")),
    )
    op.create_index(op.f("ix_consultation_office_id"), "consultation", ["office_id"], unique=False)
    op.create_index(op.f("ix_consultation_consultant_id"), "consultation", ["consultant_id"], unique=False)
    op.create_index("ix_consultation_user_opened", "consultation", ["user_id", "opened_at"], unique=False)
    op.create_index("ix_consultation_status_due", "consultation", ["status", "due_at"], unique=False)


def _create_consultation_event() -> None:
    """Create the consultation_event table and its indexes."""
    op.create_table(
        "consultation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(ACTIONS, name=op.f("ck_consultation_event_action")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_consultation_event_status")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_event_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_consultation_event_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_event")),
    )
    op.create_index(
        op.f("ix_consultation_event_consultation_id"), "consultation_event", ["consultation_id"], unique=False
    )


def _create_consultation_message() -> None:
    """Create the consultation_message table and its indexes."""
    op.create_table(
        "consultation_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("from_staff", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_message_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_consultation_message_author_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_message")),
    )
    op.create_index(
        op.f("ix_consultation_message_consultation_id"),
        "consultation_message",
        ["consultation_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("consultation_message")
    op.drop_table("consultation_event")
    op.drop_table("consultation")
