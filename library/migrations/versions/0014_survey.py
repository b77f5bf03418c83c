"""The SKM satisfaction survey: invitations, anonymous responses and their answers

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27

`survey_invitation` holds the one-use link offered after a service event (one per event);
`survey_response` and `survey_answer` hold what was answered, by element code (U1-U9), with
no link back to the invitation or the person: the day, the office, the service, the channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = "channel IN ('visit', 'softcopy', 'consultation')"
ELEMENTS = "element IN (" + ", ".join(f"'U{n}'" for n in range(1, 10)) + ")"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "survey_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("event_key", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.CheckConstraint(CHANNELS, name=op.f("ck_survey_invitation_channel")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_survey_invitation_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitation")),
        sa.UniqueConstraint("event_key", name=op.f("uq_survey_invitation_event_key")),
        sa.UniqueConstraint("token", name=op.f("uq_survey_invitation_token")),
    )
    op.create_index(op.f("ix_survey_invitation_office_id"), "survey_invitation", ["office_id"], unique=False)
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(CHANNELS, name=op.f("ck_survey_response_channel")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_survey_response_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
    )
    op.create_index(
        "ix_survey_response_office_day", "survey_response", ["office_id", "answered_on"], unique=False
    )
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=3), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 4", name=op.f("ck_survey_answer_score")),
        sa.CheckConstraint(ELEMENTS, name=op.f("ck_survey_answer_element")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_answer_response_id_survey_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
        sa.UniqueConstraint("response_id", "element", name=op.f("uq_survey_answer_response_id")),
    )
    op.create_index(op.f("ix_survey_answer_response_id"), "survey_answer", ["response_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("survey_answer")
    op.drop_table("survey_response")
    op.drop_table("survey_invitation")
