"""One open loan per locker and per visit

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

A locker holds one visitor's things at a time, and a visit holds one locker: two partial
unique indexes on the loans not yet given back make two staff members giving the same
locker (or two lockers to one visitor) at the same moment fail in the database, whatever
each of them read before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUT = sa.text("returned_at IS NULL")


def upgrade() -> None:
    """Apply this revision."""
    for name, column in (
        ("uq_locker_loan_out_locker", "locker_id"),
        ("uq_locker_loan_out_visit", "visit_id"),
    ):
        op.create_index(name, "locker_loan", [column], unique=True, sqlite_where=OUT, postgresql_where=OUT)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("uq_locker_loan_out_visit", table_name="locker_loan")
    op.drop_index("uq_locker_loan_out_locker", table_name="locker_loan")
