"""A failed softcopy copy keeps its reason's values, so the desk reads it in its own language

Revision ID: 0048
Revises: 0047
Create Date: 2026-11-29

`softcopy_request.failure_reason` now holds the reason's message id (English, as the catalogue
names it) and the new `failure_params` its values, as `visitor_scan` keeps a failed scan's; the
desk translates both when it shows them. Reasons written before this revision are English text
with no values, shown as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column(
        "softcopy_request", sa.Column("failure_params", sa.JSON(), server_default="{}", nullable=False)
    )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("softcopy_request", schema=None) as batch_op:
        batch_op.drop_column("failure_params")
