"""Who holds the claim on a copy being made (a softcopy request's, a visitor scan's)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-24

Like an ingest job's, a copy's claim now names its holder (host, pid, start time, pid space:
`library.lease_holders`), so a worker on the same machine sees at once that the process holding
it has ended and takes the copy over, instead of waiting for the lease to run out. Claims made
before name nobody (""): they run out as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("softcopy_request", "copy_claimed_by"), ("visitor_scan", "claimed_by"))


def upgrade() -> None:
    """Apply this revision (plain ADD COLUMNs: no table is rebuilt, so no cascade can fire)."""
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=120), server_default="", nullable=False))


def downgrade() -> None:
    """Revert this revision: claims name nobody again."""
    for table, column in COLUMNS:
        op.drop_column(table, column)
