"""One SKM answer per person, service and day

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-27

`survey_invitation.respondent` holds a digest of the person an invitation was for (a verified
address, a phone, an identity checked at the desk); `survey_tally` notes, for the current office
day, whose answer was counted for which service; `survey_response.counted` is false for an
answer set aside (the same person's second that day). Answers given before this revision count.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "survey_invitation",
        sa.Column("respondent", sa.String(length=64), server_default="", nullable=False),
    )
    op.add_column(
        "survey_response", sa.Column("counted", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.create_table(
        "survey_tally",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_survey_tally_office_id_office"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("office_id", "service", "day", "respondent", name=op.f("pk_survey_tally")),
    )


def downgrade() -> None:
    """Revert this revision: answers set aside are dropped (they were never counted)."""
    op.execute("DELETE FROM survey_response WHERE NOT counted")
    op.drop_table("survey_tally")
    op.drop_column("survey_response", "counted")
    op.drop_column("survey_invitation", "respondent")
