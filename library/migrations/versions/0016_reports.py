"""The office head's role, and search terms counted per day for the reports

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30

The office head reads the service reports (`/laporan`). `search_term` counts what people
searched for on each office day: the words and the day only, no person, no time of day.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the roles' table (user_role) to change its check."

ROLES_BEFORE = "role IN ('reader', 'front_office', 'librarian', 'consultant', 'admin')"
ROLES_AFTER = "role IN ('reader', 'front_office', 'librarian', 'consultant', 'admin', 'office_head')"


def upgrade() -> None:
    """Apply this revision."""
    _allow_roles(ROLES_AFTER)
    op.create_table(
        "search_term",
        sa.Column("office_code", sa.String(length=4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.CheckConstraint("searches >= 1", name=op.f("ck_search_term_searches")),
        sa.PrimaryKeyConstraint("office_code", "day", "term", name=op.f("pk_search_term")),
    )


def downgrade() -> None:
    """Revert this revision: office heads keep their account, without the role."""
    op.drop_table("search_term")
    op.execute("DELETE FROM user_role WHERE role = 'office_head'")
    _allow_roles(ROLES_BEFORE)


def _allow_roles(condition: str) -> None:
    """Replace the check on the role names."""
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_role_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_user_role_role"), condition)
