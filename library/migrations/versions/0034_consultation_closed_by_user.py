"""Consultations closed by the user who asked, once the answer helped

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-28

The history of a consultation gains the action `closed_by_user`: the person who asked marked
the consultant's answer helpful and closed the consultation themselves (the SKM survey is
offered at once, as after a consultant's close).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the consultations' history (consultation_event) to change its check."

ACTIONS_BEFORE = (
    "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed', "
    "'reminded', 'closed_silent', 'reopened', 'appointment', 'appointment_accepted', 'another_time')"
)
ACTIONS_AFTER = (
    "action IN ('opened', 'assigned', 'asked', 'clear', 'answered', 'closed', "
    "'reminded', 'closed_silent', 'reopened', 'appointment', 'appointment_accepted', 'another_time', "
    "'closed_by_user')"
)


def upgrade() -> None:
    """Apply this revision."""
    _allow_actions(ACTIONS_AFTER)


def downgrade() -> None:
    """Revert this revision: a close by the user stays in the history as a plain close."""
    op.execute("UPDATE consultation_event SET action = 'closed' WHERE action = 'closed_by_user'")
    _allow_actions(ACTIONS_BEFORE)


def _allow_actions(condition: str) -> None:
    """Replace the check on the history's action names (nothing refers to the history: a copy is safe)."""
    with op.batch_alter_table("consultation_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_consultation_event_action"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_consultation_event_action"), condition)
