"""Consultations closed automatically after the user's silence, reopened, and follow-up appointments

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23

`consultation.reminded_at` is when the user was last reminded that the consultant waits for
them (so the scheduled job sends one reminder per silence). The history gains three actions:
`reminded`, `closed_silent` (closed automatically), `reopened`, and the appointment steps
`appointment`, `appointment_accepted`, `another_time`. `consultation_appointment` holds the
follow-up appointments a consultant proposes (in person or by video link, start and end).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the consultations' history (consultation_event) to change its check."

ACTIONS_BEFORE = "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed')"
ACTIONS_AFTER = (
    "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed', "
    "'reminded', 'closed_silent', 'reopened', 'appointment', 'appointment_accepted', 'another_time')"
)


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("consultation", sa.Column("reminded_at", sa.DateTime(), nullable=True))
    _allow_actions(ACTIONS_AFTER)
    op.create_table(
        "consultation_appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('in_person', 'video')", name=op.f("ck_consultation_appointment_kind")),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'another_time', 'replaced')",
            name=op.f("ck_consultation_appointment_status"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_consultation_appointment_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_appointment_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["user_account.id"],
            name=op.f("fk_consultation_appointment_proposed_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_appointment")),
        sa.UniqueConstraint("uid", name=op.f("uq_consultation_appointment_uid")),
    )
    op.create_index(
        op.f("ix_consultation_appointment_consultation_id"),
        "consultation_appointment",
        ["consultation_id"],
        unique=False,
    )


def downgrade() -> None:
    """Revert this revision: the new steps leave the history (a closing stays as 'closed')."""
    op.drop_index(op.f("ix_consultation_appointment_consultation_id"), table_name="consultation_appointment")
    op.drop_table("consultation_appointment")
    op.execute("UPDATE consultation_event SET action = 'closed' WHERE action = 'closed_silent'")
    op.execute(
        "DELETE FROM consultation_event WHERE action IN "
        "('reminded', 'reopened', 'appointment', 'appointment_accepted', 'another_time')"
    )
    _allow_actions(ACTIONS_BEFORE)
    # In place on SQLite too (3.35+): copying the table would cascade-delete its thread and history.
    op.drop_column("consultation", "reminded_at")


def _allow_actions(condition: str) -> None:
    """Replace the check on the history's action names (nothing refers to the history: a copy is safe)."""
    with op.batch_alter_table("consultation_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_consultation_event_action"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_consultation_event_action"), condition)
