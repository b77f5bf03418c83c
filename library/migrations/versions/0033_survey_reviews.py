"""SKM answers: doubts flagged, set aside by rule or by the office head, with each review kept

Revision ID: 0033
Revises: 0032
Create Date: 2026-11-28

An invitation and its answer carry the reasons the office may doubt the answer (`doubts`);
an answer says who set it aside (`aside_by`: "rule" or "staff"); `survey_review` keeps each
decision of the office head with its reason. Answers set aside before this revision were set
aside by the one-answer-a-day rule.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "Marks every SKM answer set aside before (an UPDATE over survey_response)."


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "survey_invitation", sa.Column("doubts", sa.String(length=120), server_default="", nullable=False)
    )
    op.add_column(
        "survey_response", sa.Column("aside_by", sa.String(length=10), server_default="", nullable=False)
    )
    op.add_column(
        "survey_response", sa.Column("doubts", sa.String(length=120), server_default="", nullable=False)
    )
    op.execute("UPDATE survey_response SET aside_by = 'rule' WHERE NOT counted")
    op.create_table(
        "survey_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('set_aside', 'restore')", name=op.f("ck_survey_review_action")),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["user_account.id"],
            name=op.f("fk_survey_review_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_review_response_id_survey_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_review")),
    )
    op.create_index(op.f("ix_survey_review_response_id"), "survey_review", ["response_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_survey_review_response_id"), table_name="survey_review")
    op.drop_table("survey_review")
    with op.batch_alter_table("survey_response") as batch:
        batch.drop_column("doubts")
        batch.drop_column("aside_by")
    with op.batch_alter_table("survey_invitation") as batch:
        batch.drop_column("doubts")
