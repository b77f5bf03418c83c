"""The demo ingest channel

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

The demo catalogue is taken in through the same ingest jobs as a librarian's upload; its
jobs say so with their own channel.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# What makes this step long on a large database (`pustaka db status` lists it).
REWRITES = "On SQLite, copies the ingest jobs' table (ingest_job) to change its check."

BEFORE = "channel IN ('upload', 'cli', 'csv', 'hot_folder')"
AFTER = "channel IN ('upload', 'cli', 'csv', 'hot_folder', 'demo')"


def upgrade() -> None:
    """Apply this revision."""
    _allow(AFTER)


def downgrade() -> None:
    """Revert this revision: demo jobs are counted as command-line ones."""
    op.execute("UPDATE ingest_job SET channel = 'cli' WHERE channel = 'demo'")
    _allow(BEFORE)


def _allow(condition: str) -> None:
    """Replace the check on the ingest job's channel."""
    with op.batch_alter_table("ingest_job", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_ingest_job_channel"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_ingest_job_channel"), condition)
